/**
 * Converts an OpenTelemetry trace id (32 hex characters) to the X-Ray format `1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy`.
 * The first 8 hex characters are the epoch seconds when the id was made by an X-Ray-aware id generator.
 *
 * @example
 * toXRayTraceId('5759e988bd862e3fe1be46a994272793'); // '1-5759e988-bd862e3fe1be46a994272793'
 */
const toXRayTraceId = (traceId: string): string => `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;

/**
 * Converts an X-Ray trace id (`1-5759e988-bd862e3fe1be46a994272793`) to the 32-hex OpenTelemetry form.
 * Returns `undefined` when the input is not an X-Ray trace id.
 */
const fromXRayTraceId = (xrayTraceId: string): string | undefined => {
  const match = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/.exec(xrayTraceId);
  return match ? `${match[1]}${match[2]}` : undefined;
};

export { toXRayTraceId, fromXRayTraceId };
