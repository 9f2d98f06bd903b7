/** Slack's documented limits for webhook messages and Block Kit (api.slack.com/reference/block-kit). */
const SlackLimits = {
  /** Blocks per message, counting blocks inside attachments. */
  BLOCKS: 50,
  SECTION_TEXT: 3000,
  SECTION_FIELDS: 10,
  FIELD_TEXT: 2000,
  HEADER_TEXT: 150,
  BUTTON_TEXT: 75,
  BUTTON_URL: 3000,
  ACTIONS_ELEMENTS: 25,
  CONTEXT_ELEMENTS: 10,
  /** Slack truncates top-level `text` far later (40,000); a notification line should be short. */
  FALLBACK_TEXT: 3000,
  /** Slack advises no more than 20 attachments per message. */
  ATTACHMENTS: 20,
} as const;

export { SlackLimits };
