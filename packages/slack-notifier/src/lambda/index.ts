// Entry point of the Lambda bundle (dist/lambda/index.mjs, handler `index.handler`).
export { handler } from './handler.js';
