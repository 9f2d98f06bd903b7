import type { OutgoingHttpHeaders, RequestOptions } from 'node:http';

/**
 * @internal Whether `http.request` writes these headers when the request is created, so that `setHeader` afterwards
 * throws: headers given as a raw array, or with `Expect` (`node:http` sends those at once).
 */
const headersWrittenAtCreation = (headers: RequestOptions['headers']): boolean =>
  Array.isArray(headers) || (headers !== undefined && Object.keys(headers).some((name) => name.toLowerCase() === 'expect'));

/** @internal `options` with the trace headers added to its own, in whichever form those are (object or raw array). */
const withTraceHeaders = (options: RequestOptions, trace: Readonly<Record<string, string>>): RequestOptions => {
  const { headers } = options;
  const entries = Object.entries(trace);
  if (!Array.isArray(headers)) return { ...options, headers: { ...(headers as OutgoingHttpHeaders | undefined), ...trace } };
  // [[name, value], ...] or [name, value, name, value, ...]
  const nested = headers.length > 0 && Array.isArray(headers[0]);
  return { ...options, headers: nested ? [...headers, ...entries] : [...headers, ...entries.flat()] } as RequestOptions;
};

export { headersWrittenAtCreation, withTraceHeaders };
