import { AlertSource, type Alert, type AlertBatch } from '../model/alert.js';
import { alertFromWebhookAlert, type WebhookAlert } from './alertmanager-webhook.js';

/** `**Firing**` or `**Resolved**`: a section of `default.message`. */
const SECTION = /^\*\*(Firing|Resolved)\*\*$/;
/** ` - name = value`, one label or annotation (`{{ range .Labels.SortedPairs }}`). */
const PAIR = /^ - (.+?) =(?: (.*))?$/;
/** The URL lines Grafana writes after the annotations, each only when the URL is set, in this order. */
const URL_LINE = /^(Source|Silence|Dashboard|Panel): (\S+)$/;
const URL_FIELDS = { Source: 'generatorURL', Silence: 'silenceURL', Dashboard: 'dashboardURL', Panel: 'panelURL' } as const;
const URL_ORDER = Object.keys(URL_FIELDS);
/** One `ref=value` of `__text_values_list`, a Go float (`44.23943737541908`, `1e+06`, `NaN`, `+Inf`). */
const VALUE = /^([^\s=,]+)=([-+]?(?:\d+(?:\.\d*)?(?:e[-+]?\d+)?|NaN|Inf))$/i;
/** One entry of Grafana 9's `ValueString`: `[ var='B' labels={zone=us-1} value=44.2 ]`. */
const VALUE_STRING_ENTRY = /\[ var='([^']+)'[^[\]]* value=([^\s[\]]+) \]/g;
/** Grafana's `default.title`: `[FIRING:2, RESOLVED:1] group labels (common labels)`. */
const SUBJECT_MARKER = /^\[(?:FIRING|RESOLVED)(?::\d+)?(?:, RESOLVED:\d+)?\]\s*/i;

function goFloat(text: string): number {
  if (/^\+?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  return Number(text);
}

/**
 * Reads the `Value:` line: `B=44.23943737541908, C=1` (Grafana 10 and later), Grafana 9's value string,
 * or `[no value]`. Anything else is kept as it is, to be shown as the metric.
 */
function parseValues(text: string): { values?: Record<string, number>; raw?: string } {
  if (text === '' || text === '[no value]') return {};
  const pairs = text.split(', ').map((part) => VALUE.exec(part));
  if (pairs.every((m) => m !== null)) return { values: Object.fromEntries(pairs.map((m) => [m[1]!, goFloat(m[2]!)])) };
  const entries = [...text.matchAll(VALUE_STRING_ENTRY)];
  if (entries.length > 0 && entries.map((m) => m[0]).join(', ') === text && entries.every((m) => !Number.isNaN(goFloat(m[2]!)) || /^nan$/i.test(m[2]!))) {
    return { values: Object.fromEntries(entries.map((m) => [m[1]!, goFloat(m[2]!)])) };
  }
  return { raw: text };
}

/** One alert of the text, before it becomes an {@link Alert}. */
interface TextAlert {
  readonly alert: WebhookAlert;
  /** A `Value:` line in no format we read, shown as it is. */
  readonly rawValue?: string;
}

/** Annotations whose value is shown in full: the only ones a further line (a multi-line value) may continue. */
const MULTI_LINE_ANNOTATIONS = new Set(['description', 'summary']);
/** Lines that are part of the template's structure, never of a value. */
const STRUCTURE = /^(?:\*\*(?:Firing|Resolved)\*\*|Value:.*|Labels:|Annotations:)$/;

/** `SortedPairs` writes `alertname` first, then the other keys in order, each once. */
function followsInOrder(previous: string | undefined, key: string): boolean {
  if (previous === undefined) return true;
  if (key === 'alertname') return false;
  return previous === 'alertname' || previous < key;
}

/**
 * Reads Grafana's `default.message` (`__text_alert_list`) line by line; undefined as soon as a line does not
 * fit the template, so that nothing is lost: the caller then shows the whole text as it is. The template
 * writes a blank line before each alert and each section, `Labels:` and `Annotations:` as ` - key = value`
 * in key order (`alertname` first), each key once, and the URL lines right after the annotations. An
 * annotation's value is written verbatim, so a multi-line description or summary continues on the lines
 * that follow it; a blank line ends the alert.
 */
function parseGrafanaText(text: string): TextAlert[] | undefined {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const alerts: TextAlert[] = [];
  const sections: string[] = [];
  const isBlank = (l: string | undefined) => l !== undefined && l.trim() === '';
  let afterBlank = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      afterBlank = true;
      i++;
      continue;
    }
    const section = SECTION.exec(line);
    if (section) {
      const status = section[1]!.toLowerCase();
      // Firing comes first, each section once, and never empty; a later section follows a blank line.
      if (sections.includes(status) || (status === 'firing' && sections.length > 0)) return undefined;
      if (sections.length > 0 && (alerts.length === 0 || !afterBlank)) return undefined;
      sections.push(status);
      afterBlank = false;
      i++;
      continue;
    }
    const status = sections.at(-1);
    // An alert starts after a blank line, in a section.
    if (!status || !afterBlank) return undefined;
    afterBlank = false;

    // Value: (absent in Grafana 8's template)
    let value: ReturnType<typeof parseValues> = {};
    if (line.startsWith('Value: ') || line === 'Value:') {
      value = parseValues(line.slice('Value:'.length).trim());
      i++;
    }
    if (lines[i] !== 'Labels:') return undefined;
    i++;
    const labels: Record<string, string> = {};
    for (let pair = PAIR.exec(lines[i] ?? ''); pair; pair = PAIR.exec(lines[++i] ?? '')) {
      if (Object.hasOwn(labels, pair[1]!)) return undefined;
      labels[pair[1]!] = pair[2] ?? '';
    }
    if (lines[i] !== 'Annotations:') return undefined;
    i++;

    const annotations: Record<string, string> = {};
    let last: string | undefined;
    // Up to a blank line, a URL line or the end of the text.
    for (; i < lines.length && !isBlank(lines[i]) && !URL_LINE.test(lines[i]!); i++) {
      const l = lines[i]!;
      const pair = PAIR.exec(l);
      if (pair && followsInOrder(last, pair[1]!)) {
        last = pair[1]!;
        annotations[last] = pair[2] ?? '';
        continue;
      }
      // A further line of a value shown in full; not a line of the template's own, nor a key out of order.
      if (last === undefined || !MULTI_LINE_ANNOTATIONS.has(last) || pair || STRUCTURE.test(l)) return undefined;
      annotations[last] += `\n${l}`;
    }

    const urls: Partial<Record<(typeof URL_FIELDS)[keyof typeof URL_FIELDS], string>> = {};
    let previous = -1;
    for (let url = URL_LINE.exec(lines[i] ?? ''); url; url = URL_LINE.exec(lines[++i] ?? '')) {
      const index = URL_ORDER.indexOf(url[1]!);
      if (index <= previous) return undefined;
      previous = index;
      urls[URL_FIELDS[url[1] as keyof typeof URL_FIELDS]] = url[2]!;
    }
    // The alert ends with its last line: a blank line or the end of the text comes next.
    if (i < lines.length && !isBlank(lines[i])) return undefined;
    alerts.push({
      alert: { status, labels, annotations, ...urls, ...(value.values && { values: value.values }) },
      ...(value.raw !== undefined && { rawValue: value.raw }),
    });
  }
  return alerts.length > 0 ? alerts : undefined;
}

/**
 * Grafana unified alerting's SNS contact point with its default message template (`default.message`):
 * `**Firing**` and `**Resolved**` sections of alerts, each with `Value:`, `Labels:`, `Annotations:` and
 * `Source:`, `Silence:`, `Dashboard:`, `Panel:` lines. Each alert becomes the same {@link Alert} as from
 * Grafana's webhook (name, state, values, summary, description, runbook, silence, dashboard, panel and
 * source links); the subject, without its `[FIRING:2]` marker, is the title.
 * @returns undefined when the text does not follow the template exactly, so it is kept as raw text
 */
function alertsFromGrafanaTextNotification(args: { text: string; subject?: string | null }): AlertBatch | undefined {
  const parsed = parseGrafanaText(args.text);
  if (!parsed) return undefined;
  const title = args.subject?.replace(SUBJECT_MARKER, '').replace(/\s+/g, ' ').trim() || undefined;
  const alerts = parsed.map(({ alert, rawValue }): Alert => {
    const normalised = alertFromWebhookAlert(alert, AlertSource.GRAFANA, { title });
    return rawValue !== undefined && !normalised.metric ? { ...normalised, metric: rawValue } : normalised;
  });
  return { alerts, ...(title && { title }) };
}

export { alertsFromGrafanaTextNotification };
