/** The q-quantile (0..1) of values, interpolating between the nearest ranks. */
export const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  return sorted[low]! + (sorted[Math.ceil(rank)]! - sorted[low]!) * (rank - low);
};

/** The middle value (the mean of the two middle values for an even count). */
export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** The middle half of values: their first and third quartiles. */
export const interquartile = (values: readonly number[]): [number, number] => [quantile(values, 0.25), quantile(values, 0.75)];
