import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, markdownToMrkdwn, truncateMrkdwn } from '../../src/render/mrkdwn.js';

describe('Function: escapeMrkdwn', () => {
  it('escapes the three characters Slack reserves', () => {
    expect(escapeMrkdwn('a < b && c > d <!channel>')).toBe('a &lt; b &amp;&amp; c &gt; d &lt;!channel&gt;');
  });
});

describe('Function: markdownToMrkdwn', () => {
  it('converts the blog alarm description', () => {
    expect(markdownToMrkdwn('Alarm from **ho11y app** - Error threshold breached for **HTTP status code 400**')).toBe(
      'Alarm from *ho11y app* - Error threshold breached for *HTTP status code 400*',
    );
  });

  it('converts italics, strike-through, links, headings and bullets', () => {
    const md = '# Next steps\n- check *the* [dashboard](https://grafana.example.com/d/x?a=1&b=2)\n* ~~ignore~~ __now__';
    expect(markdownToMrkdwn(md)).toBe(
      '*Next steps*\n• check _the_ <https://grafana.example.com/d/x?a=1&amp;b=2|dashboard>\n• ~ignore~ *now*',
    );
  });

  it('leaves code alone apart from escaping, and does not turn user text into Slack mentions', () => {
    expect(markdownToMrkdwn('run `a **b** <c>` then\n```\nx && **y**\n```\n<!here>')).toBe(
      'run `a **b** &lt;c&gt;` then\n```\nx &amp;&amp; **y**\n```\n&lt;!here&gt;',
    );
  });

  it('does not link javascript: URLs', () => {
    expect(markdownToMrkdwn('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
  });
});

describe('Function: truncateMrkdwn', () => {
  it('never leaves half an escape sequence or half a link', () => {
    expect(truncateMrkdwn('abc &amp; def', 7)).toBe('abc …');
    expect(truncateMrkdwn('see <https://example.com/x|link> now', 12)).toBe('see …');
  });

  it('closes a code fence it cut', () => {
    const out = truncateMrkdwn('```\n' + 'x'.repeat(100) + '\n```', 40);
    expect(out.length).toBeLessThanOrEqual(40);
    expect(out.endsWith('```')).toBe(true);
    expect((out.match(/```/g) ?? []).length % 2).toBe(0);
  });
});
