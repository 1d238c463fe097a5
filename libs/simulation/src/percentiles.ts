/** Percentiles of one figure over the paths. */
export interface Percentiles {
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

/** A figure's p5, p50 and p95 by quarter (index 0: the fork). */
export interface Band {
  p5: number[];
  p50: number[];
  p95: number[];
}

/**
 * p5, p50 and p95 by quarter of figures stored path by path (`quarters + 1` of them each, so a path
 * writes its quarters side by side), `sampled` paths. Each quarter's values are gathered, in path
 * order, into one buffer; the median is selected first: once it is in place, the p5 is among the
 * values before it and the p95 among those after, so each of those selections reads half of them.
 */
export function bandOf(values: Float64Array, sampled: number, quarters: number): Band {
  const out: Band = { p5: [], p50: [], p95: [] };
  const [k5, k50, k95] = [rankIndex(sampled, 0.05), rankIndex(sampled, 0.5), rankIndex(sampled, 0.95)];
  const stride = quarters + 1;
  const quarter = new Float64Array(sampled);
  for (let q = 0; q <= quarters; q++) {
    for (let path = 0, k = q; path < sampled; path++, k += stride) quarter[path] = values[k];
    const p50 = select(quarter, k50);
    out.p5.push(select(quarter.subarray(0, k50 + 1), k5));
    out.p50.push(p50);
    out.p95.push(select(quarter.subarray(k50), k95 - k50));
  }
  return out;
}

/** Index of the nearest-rank percentile p among n sorted values. */
export const rankIndex = (n: number, p: number): number => Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));

/** Nearest-rank percentile of sorted values. */
function rank(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? NaN : sorted[rankIndex(sorted.length, p)];
}

/**
 * The k-th smallest value (quickselect, reordering `values` in place): what a full sort would put
 * at k, in linear time. The bands need three ranks of 10,000 values for each quarter.
 */
export function select(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot.
    const a = values[lo],
      b = values[mid],
      c = values[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** p5, p25, p50, p75 and p95 (nearest rank) of the values; NaN sorts last. */
export function percentiles(values: Float64Array): Percentiles {
  const sorted = values.slice().sort();
  return { p5: rank(sorted, 0.05), p25: rank(sorted, 0.25), p50: rank(sorted, 0.5), p75: rank(sorted, 0.75), p95: rank(sorted, 0.95) };
}
