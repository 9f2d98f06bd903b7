/**
 * Slack mrkdwn helpers: escaping of Slack's control characters, Markdown -> mrkdwn conversion, and
 * truncation that never cuts an escape sequence, a link or a code block in half.
 */

/** Escapes the three characters Slack reserves for its own markup (`&`, `<`, `>`). */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const BOLD = '\u0001';
const CODE_PLACEHOLDER = /\u0002(\d+)\u0002/g;

function convertInline(text: string): string {
  // Keep inline code untouched by the emphasis rules below.
  const codes: string[] = [];
  let out = text.replace(/`[^`\n]+`/g, (code) => {
    codes.push(escapeMrkdwn(code));
    return `\u0002${codes.length - 1}\u0002`;
  });
  const autolinks: string[] = [];
  out = out.replace(/<(https?:\/\/[^\s<>|]+)>/g, (_m, url: string) => {
    autolinks.push(`<${escapeMrkdwn(url)}>`);
    return `\u0003${autolinks.length - 1}\u0003`;
  });
  out = escapeMrkdwn(out);
  out = out
    .replace(/!?\[([^\]\n]*)\]\(((?:https?:\/\/|mailto:)[^\s)]+)\)/g, (_m, label: string, url: string) =>
      label ? `<${url.replace(/\|/g, '%7C')}|${label.replace(/\|/g, '/')}>` : `<${url.replace(/\|/g, '%7C')}>`,
    )
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm, `${BOLD}$1${BOLD}`)
    .replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/__(?=\S)([^_\n]*?\S)__/g, `${BOLD}$1${BOLD}`)
    .replace(/^([ \t]*)[-*+][ \t]+/gm, '$1• ')
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, '$1_$2_')
    .replace(/~~(?=\S)([^~\n]*?\S)~~/g, '~$1~')
    .replace(/^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$/gm, '──────────')
    .replace(new RegExp(BOLD, 'g'), '*');
  return out
    .replace(/\u0003(\d+)\u0003/g, (_m, i: string) => autolinks[Number(i)] ?? '')
    .replace(CODE_PLACEHOLDER, (_m, i: string) => codes[Number(i)] ?? '');
}

/**
 * Converts the Markdown people write in alarm descriptions and annotations into Slack mrkdwn:
 * `**bold**` -> `*bold*`, `*italic*` -> `_italic_`, `~~x~~` -> `~x~`, `[text](url)` -> `<url|text>`,
 * headings -> bold lines, list bullets -> `•`; code spans and fences are kept; `&`, `<`, `>` are escaped.
 */
function markdownToMrkdwn(markdown: string): string {
  const normalised = markdown.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0003]/g, '');
  return normalised
    .split(/(```[\s\S]*?```)/g)
    .map((part, i) => (i % 2 === 1 ? escapeMrkdwn(part) : convertInline(part)))
    .join('');
}

const ELLIPSIS = '…';

/**
 * Shortens mrkdwn to at most `max` characters without leaving half an `&amp;`, half a `<url|link>`
 * or an unclosed code fence behind; marks the cut with an ellipsis.
 */
function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let budget = max - ELLIPSIS.length;
  const fenceOpen = (s: string) => (s.match(/```/g)?.length ?? 0) % 2 === 1;
  let cut = text.slice(0, budget);
  if (fenceOpen(cut)) {
    budget -= 4;
    cut = text.slice(0, Math.max(0, budget));
  }
  const lastOpen = cut.lastIndexOf('<');
  if (lastOpen > cut.lastIndexOf('>')) cut = cut.slice(0, lastOpen);
  const lastAmp = cut.lastIndexOf('&');
  if (lastAmp >= 0 && lastAmp > cut.length - 6 && !cut.slice(lastAmp).includes(';')) cut = cut.slice(0, lastAmp);
  // Do not leave a lone high surrogate (half an emoji).
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return fenceOpen(cut) ? `${cut}${ELLIPSIS}\n\`\`\`` : `${cut}${ELLIPSIS}`;
}

/** Shortens plain text (headers, button labels) to `max` characters. */
function truncatePlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}${ELLIPSIS}`;
}

export { escapeMrkdwn, markdownToMrkdwn, truncateMrkdwn, truncatePlain };
