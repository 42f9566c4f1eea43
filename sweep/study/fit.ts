/** A least-squares line y = intercept + slope x with the slope's two-sided 95% confidence interval. */
export interface LineFit {
    readonly n: number;
    readonly slope: number;
    readonly intercept: number;
    /** Standard error of the slope. */
    readonly slopeStdError: number;
    /** [low, high]: slope -/+ t(0.975, n - 2) x its standard error. */
    readonly slopeInterval: readonly [number, number];
}

/** Student's t 97.5% quantiles for 1 to 30 degrees of freedom. */
const T975 = [
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448, 2.1314,
    2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];
const Z975 = 1.959964;

/**
 * t(0.975, df): the table up to 30, above it the Cornish-Fisher expansion around the normal
 * quantile (off by less than 1e-4 there).
 */
export function t975(df: number): number {
    if (!Number.isInteger(df) || df < 1) {
        throw new Error(`degrees of freedom must be a whole number from 1, got ${df}`);
    }
    if (df <= T975.length) {
        return T975[df - 1];
    }
    const z = Z975;
    return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2) + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3);
}

/** Ordinary least squares; undefined with fewer than 3 points or fewer than 2 distinct x. */
export function fitLine(points: readonly (readonly [number, number])[]): LineFit | undefined {
    const n = points.length;
    const mx = points.reduce((acc, [x]) => acc + x, 0) / n;
    const my = points.reduce((acc, [, y]) => acc + y, 0) / n;
    const sxx = points.reduce((acc, [x]) => acc + (x - mx) ** 2, 0);
    if (n < 3 || sxx === 0) {
        return undefined;
    }
    const slope = points.reduce((acc, [x, y]) => acc + (x - mx) * (y - my), 0) / sxx;
    const intercept = my - slope * mx;
    const residuals = points.reduce((acc, [x, y]) => acc + (y - intercept - slope * x) ** 2, 0);
    const slopeStdError = Math.sqrt(residuals / (n - 2) / sxx);
    const half = t975(n - 2) * slopeStdError;
    return { n, slope, intercept, slopeStdError, slopeInterval: [slope - half, slope + half] };
}
