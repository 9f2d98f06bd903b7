import { context, createContextKey } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { RequestTrace } from './tracing/request-trace.js';

/** @internal Where the current request's trace lives in the OpenTelemetry context. */
const REQUEST_TRACE_KEY = createContextKey('@eks-o11y/instrumentation request trace');

let contextManagerChecked = false;

/**
 * @internal Makes sure the OpenTelemetry API has a working context manager: registers an AsyncLocalStorage one
 * unless the application (for example an OpenTelemetry NodeSDK) registered its own, which is then used as is.
 */
const ensureContextManager = (): void => {
  if (contextManagerChecked) return;
  contextManagerChecked = true;
  const probe = createContextKey('probe');
  const works = context.with(context.active().setValue(probe, true), () => context.active().getValue(probe) === true);
  if (!works) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
};

/** @internal The trace of the request being handled, if any. */
const currentRequestTrace = (): RequestTrace | undefined => context.active().getValue(REQUEST_TRACE_KEY) as RequestTrace | undefined;

export { REQUEST_TRACE_KEY, ensureContextManager, currentRequestTrace };
