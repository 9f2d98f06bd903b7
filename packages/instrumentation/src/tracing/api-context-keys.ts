import { propagation, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';

/**
 * The key that `read` asks a context for. The OpenTelemetry API keeps the active span and the baggage under keys it
 * does not export; a request's trace answers for both (it is the context its handler runs in), so it learns each key
 * once, from what the API's own getter asks.
 */
const keyAskedBy = (read: (context: Context) => unknown, what: string): symbol => {
  let key: symbol | undefined;
  read({
    getValue: (asked) => {
      key = asked;
      return undefined;
    },
    setValue: () => ROOT_CONTEXT,
    deleteValue: () => ROOT_CONTEXT,
  });
  if (key === undefined) throw new Error(`@opentelemetry/api did not ask the context for its ${what} key`);
  return key;
};

/** @internal Where the OpenTelemetry API keeps a context's active span. */
const SPAN_KEY = keyAskedBy((context) => trace.getSpan(context), 'span');
/** @internal Where the OpenTelemetry API keeps a context's baggage. */
const BAGGAGE_KEY = keyAskedBy((context) => propagation.getBaggage(context), 'baggage');

export { SPAN_KEY, BAGGAGE_KEY };
