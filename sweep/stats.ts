/** Spread of one figure over a sweep's repeats. */
export interface Stats {
    readonly n: number;
    readonly median: number;
    readonly mean: number;
    readonly min: number;
    readonly max: number;
    /** Sample standard deviation (n - 1); 0 for a single value. */
    readonly stddev: number;
    /** stddev / mean; 0 when the mean is 0. */
    readonly cv: number;
    /** The coefficient of variation exceeds NOISY_CV. */
    readonly noisy: boolean;
}

export const NOISY_CV = 0.1;

/** Statistics of the values, or undefined when there are none. */
export function describe(values: readonly number[]): Stats | undefined {
    const n = values.length;
    if (n === 0) {
        return undefined;
    }
    const sorted = [...values].sort((a, b) => a - b);
    const mean = sorted.reduce((a, b) => a + b, 0) / n;
    const stddev = n < 2 ? 0 : Math.sqrt(sorted.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (n - 1));
    const cv = mean === 0 ? 0 : stddev / mean;
    return { n, median: median(sorted), mean, min: sorted[0], max: sorted[n - 1], stddev, cv, noisy: cv > NOISY_CV };
}

function median(sorted: readonly number[]): number {
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
