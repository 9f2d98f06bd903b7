/**
 * Test helpers: a local Slack-compatible webhook sink, and the validator it uses.
 * @module
 */
export { startSlackSink } from './testing/slack-sink.js';
export type { SlackSink, SlackSinkOptions, SinkResponse, SinkRequest } from './testing/slack-sink.js';
export { validateSlackMessage } from './testing/slack-message-validator.js';
