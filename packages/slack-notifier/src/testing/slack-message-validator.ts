import { SlackLimits } from '../render/slack-limits.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === 'string' ? value.text : undefined;
}

function checkBlock(block: unknown, where: string, problems: string[]): void {
  if (!isObject(block) || typeof block.type !== 'string') {
    problems.push(`${where}: not a block`);
    return;
  }
  const text = textOf(block.text);
  switch (block.type) {
    case 'header':
      if (!text || text.length > SlackLimits.HEADER_TEXT) problems.push(`${where}: header text must be 1-${SlackLimits.HEADER_TEXT} characters`);
      break;
    case 'section': {
      const fields = Array.isArray(block.fields) ? block.fields : undefined;
      if (text === undefined && !fields) problems.push(`${where}: section needs text or fields`);
      if (text !== undefined && (text.length === 0 || text.length > SlackLimits.SECTION_TEXT)) {
        problems.push(`${where}: section text must be 1-${SlackLimits.SECTION_TEXT} characters (got ${text.length})`);
      }
      if (fields) {
        if (fields.length === 0 || fields.length > SlackLimits.SECTION_FIELDS) problems.push(`${where}: 1-${SlackLimits.SECTION_FIELDS} fields`);
        fields.forEach((f, i) => {
          const t = textOf(f);
          if (!t || t.length > SlackLimits.FIELD_TEXT) problems.push(`${where}.fields[${i}]: 1-${SlackLimits.FIELD_TEXT} characters`);
        });
      }
      break;
    }
    case 'actions': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > SlackLimits.ACTIONS_ELEMENTS) problems.push(`${where}: 1-${SlackLimits.ACTIONS_ELEMENTS} elements`);
      elements.forEach((e, i) => {
        const t = isObject(e) ? textOf(e.text) : undefined;
        if (!t || t.length > SlackLimits.BUTTON_TEXT) problems.push(`${where}.elements[${i}]: button text 1-${SlackLimits.BUTTON_TEXT} characters`);
        const url = isObject(e) ? e.url : undefined;
        if (url !== undefined && (typeof url !== 'string' || url.length > SlackLimits.BUTTON_URL || !/^https?:\/\//.test(url))) {
          problems.push(`${where}.elements[${i}]: url must be http(s), at most ${SlackLimits.BUTTON_URL} characters`);
        }
      });
      break;
    }
    case 'context': {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > SlackLimits.CONTEXT_ELEMENTS) problems.push(`${where}: 1-${SlackLimits.CONTEXT_ELEMENTS} elements`);
      break;
    }
    case 'divider':
      break;
    default:
      break;
  }
}

/**
 * Checks a webhook payload the way Slack does (as far as its documented limits go) and returns the
 * problems found; empty when Slack would accept it. Used by the sink to answer 400 like Slack.
 */
function validateSlackMessage(body: unknown): { error?: 'invalid_payload' | 'no_text' | 'invalid_blocks'; problems: string[] } {
  if (!isObject(body)) return { error: 'invalid_payload', problems: ['the body is not a JSON object'] };
  const problems: string[] = [];
  const blocks = body.blocks;
  const attachments = body.attachments;
  const hasText = typeof body.text === 'string' && body.text.trim().length > 0;
  if (!hasText && !(Array.isArray(blocks) && blocks.length > 0) && !(Array.isArray(attachments) && attachments.length > 0)) {
    return { error: 'no_text', problems: ['the message has no text, blocks or attachments'] };
  }
  if (body.text !== undefined && typeof body.text !== 'string') problems.push('text must be a string');
  let total = 0;
  if (blocks !== undefined) {
    if (!Array.isArray(blocks)) problems.push('blocks must be an array');
    else {
      total += blocks.length;
      blocks.forEach((b, i) => checkBlock(b, `blocks[${i}]`, problems));
    }
  }
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) problems.push('attachments must be an array');
    else {
      if (attachments.length > 100) problems.push('more than 100 attachments');
      attachments.forEach((a, i) => {
        if (!isObject(a)) return problems.push(`attachments[${i}] is not an object`);
        if (Array.isArray(a.blocks)) {
          total += a.blocks.length;
          a.blocks.forEach((b, j) => checkBlock(b, `attachments[${i}].blocks[${j}]`, problems));
        }
        return undefined;
      });
    }
  }
  if (total > SlackLimits.BLOCKS) problems.push(`${total} blocks; Slack allows ${SlackLimits.BLOCKS}`);
  return problems.length > 0 ? { error: 'invalid_blocks', problems } : { problems };
}

export { validateSlackMessage };
