/**
 * A small parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0 text, enough to check
 * what ho11y exposes: HELP and TYPE per family, samples with labels, values and exemplars.
 */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly exemplar?: { readonly labels: Readonly<Record<string, string>>; readonly value: number };
}

interface MetricFamily {
  readonly name: string;
  help?: string;
  type?: string;
  readonly samples: Sample[];
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(text)) !== null) {
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    consumed = pattern.lastIndex;
  }
  if (consumed !== text.length && text.trim() !== '') {
    throw new Error(`Cannot parse labels {${text}}`);
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN; // strconv.ParseFloat, as Prometheus uses, ignores case
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`Cannot parse value "${text}"`);
  return value;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\})?\s+(\S+)(?:\s+(\d+(?:\.\d+)?))?(?:\s+#\s+\{([^}]*)\}\s+(\S+)(?:\s+\S+)?)?$/;

/** Families keyed by name; samples whose name extends a declared family (`_bucket`, `_total`, ...) join it. */
function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const family = (name: string): MetricFamily => {
    let found = families.get(name);
    if (!found) {
      found = { name, samples: [] };
      families.set(name, found);
    }
    return found;
  };
  for (const line of text.split('\n')) {
    if (line === '' || line === '# EOF') continue;
    const meta = /^# (HELP|TYPE|UNIT) (\S+)(?: (.*))?$/.exec(line);
    if (meta) {
      const target = family(meta[2] as string);
      if (meta[1] === 'HELP') target.help = (meta[3] ?? '').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      if (meta[1] === 'TYPE') target.type = meta[3];
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`Cannot parse line: ${line}`);
    const name = match[1] as string;
    const sample: Sample = {
      name,
      labels: parseLabels(match[2] ?? ''),
      value: parseValue(match[3] as string),
      ...(match[5] !== undefined ? { exemplar: { labels: parseLabels(match[5]), value: parseValue(match[6] as string) } } : {}),
    };
    const owner =
      [name, ...['_bucket', '_sum', '_count', '_total', '_created', '_info'].filter((s) => name.endsWith(s)).map((s) => name.slice(0, -s.length))].find(
        (candidate) => families.get(candidate)?.type !== undefined,
      ) ?? name;
    family(owner).samples.push(sample);
  }
  return families;
}

/** The value of the one sample with this name and these labels (a subset match), or undefined. */
function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) {
        return sample.value;
      }
    }
  }
  return undefined;
}

export { parsePrometheusText, sampleValue };
export type { MetricFamily, Sample };
