import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const EVENTS = join(import.meta.dirname, '..', 'events');

/** Loads a fixture from test/events/<source>/<name>.json. */
export function loadEvent(source: string, name: string): unknown {
  return JSON.parse(readFileSync(join(EVENTS, source, `${name}.json`), 'utf8'));
}

/** The decoded `Message` of the first record of an SNS fixture. */
export function snsMessage(source: string, name: string): unknown {
  const event = loadEvent(source, name) as { Records: { Sns: { Message: string } }[] };
  return JSON.parse(event.Records[0]!.Sns.Message);
}
