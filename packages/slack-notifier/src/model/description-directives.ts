import { LinkKind, Severity, type AlertLink } from './alert.js';

/** What {@link extractDescriptionDirectives} found in an alarm description. */
interface DescriptionDirectives {
  /** The description without the directive lines, trimmed; undefined when nothing is left. */
  readonly description: string | undefined;
  /** Runbook and dashboard links, in the order they appeared. */
  readonly links: readonly AlertLink[];
  /** The `Severity:` value, when it is critical, warning or info. */
  readonly severity: Severity | undefined;
  /** The `Cluster:` value: the EKS cluster of an alarm whose metric has no cluster dimension. */
  readonly cluster: string | undefined;
}

const DIRECTIVE = /^[ \t]*(runbook|dashboard|severity|cluster)[ \t]*:[ \t]*(\S+)[ \t]*$/gim;
const SEVERITIES: ReadonlySet<string> = new Set(Object.values(Severity));

/**
 * Pulls the `Runbook: https://...`, `Dashboard: https://...`, `Severity: critical|warning|info` and `Cluster: <name>` lines
 * out of a CloudWatch alarm description (the contract between cdk-constructs and the notifier), so they
 * become buttons and colours instead of noise in the text. Links must be http(s); anything else stays
 * in the text where the reader can see it.
 */
function extractDescriptionDirectives(text: string | undefined | null): DescriptionDirectives {
  if (!text) return { description: undefined, links: [], severity: undefined, cluster: undefined };
  const links: AlertLink[] = [];
  let severity: Severity | undefined;
  let cluster: string | undefined;
  const rest = text.replace(DIRECTIVE, (line, key: string, value: string) => {
    const lower = key.toLowerCase();
    if (lower === 'cluster') {
      cluster = value;
      return '';
    }
    if (lower === 'severity') {
      const level = value.toLowerCase();
      if (SEVERITIES.has(level)) {
        severity = level as Severity;
        return '';
      }
      return line;
    }
    if (!isHttpUrl(value)) return line;
    links.push({ kind: lower === 'runbook' ? LinkKind.RUNBOOK : LinkKind.DASHBOARD, url: value });
    return '';
  });
  const description = rest.replace(/\n{3,}/g, '\n\n').trim();
  return { description: description.length > 0 ? description : undefined, links, severity, cluster };
}

/** True for an absolute http: or https: URL. */
function isHttpUrl(value: string | undefined | null): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Maps free-form severity words (`page`, `high`, `P1`) onto {@link Severity}. */
function normaliseSeverity(value: string | undefined | null): Severity | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  if (['critical', 'crit', 'page', 'high', 'error', 'p1', 'sev1', 'fatal', 'emergency', 'disaster'].includes(v)) {
    return Severity.CRITICAL;
  }
  if (['warning', 'warn', 'medium', 'p2', 'p3', 'sev2', 'sev3', 'average'].includes(v)) return Severity.WARNING;
  if (['info', 'informational', 'low', 'none', 'notice', 'p4', 'p5', 'sev4', 'debug'].includes(v)) return Severity.INFO;
  return undefined;
}

export { extractDescriptionDirectives, isHttpUrl, normaliseSeverity };
export type { DescriptionDirectives };
