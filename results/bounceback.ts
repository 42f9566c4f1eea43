/**
 * iperf2 bounceback (`--bounceback`, the rr mode) text reports. iperf 2.1.8 prints them only as
 * text, not in its CSV: per stream a line of transaction counts and round-trip times, and at the
 * end of the test its round-trip histogram (fixed 100 µs bins in 2.1.8).
 */

/** One stream's round trips over one interval: `[  1] 0.0000-2.0016 sec ... 126866=0.015/0.007/8.401/0.077 ms ...`. */
export interface BouncebackReport {
    readonly id: number;
    readonly start: number;
    readonly end: number;
    readonly transactions: number;
    readonly meanMicros: number;
    readonly minMicros: number;
    readonly maxMicros: number;
}

/** A round-trip histogram: `count` transactions took at most `bin` x `binMicros`. */
export interface RoundTripHistogram {
    readonly binMicros: number;
    /** Transactions per bin number; bin n holds round trips above (n-1) x binMicros, up to n x binMicros. */
    readonly counts: ReadonlyMap<number, number>;
}

const INTERVAL = String.raw`^\[\s*(\d+)\]\s+([\d.]+)-([\d.]+) sec`;
const REPORT_RE = new RegExp(`${INTERVAL}\\s.*?\\s(\\d+)=([\\d.]+)/([\\d.]+)/([\\d.]+)/[\\d.]+ ms\\s`);
/** `BB8-PDF`, or `BB8(f)-PDF` when the client started at a --txstart-time. */
const HISTOGRAM_RE = new RegExp(`${INTERVAL} BB\\d+(?:\\(\\w\\))?-PDF: bin\\(w=(\\d+)us\\):cnt\\((\\d+)\\)=(\\S*)`);
/** The connection line's request size: `(bb w/quickack len/hold=100/0)`. */
const LENGTH_RE = /\(bb\b[^)]*len\/hold=(\d+)\//;

/** Parses a round-trip line; undefined for anything else (headers, sum lines, histograms). */
export function parseBouncebackLine(line: string): BouncebackReport | undefined {
    const m = REPORT_RE.exec(line);
    if (m === null) {
        return undefined;
    }
    const [id, start, end, transactions, mean, min, max] = m.slice(1).map(Number);
    return { id, start, end, transactions, meanMicros: mean * 1000, minMicros: min * 1000, maxMicros: max * 1000 };
}

/** A stream's histogram over one interval (iperf 2.1.8 prints it for the whole test only). */
export interface HistogramReport extends RoundTripHistogram {
    readonly id: number;
    readonly start: number;
    readonly end: number;
}

/** Parses a histogram line (`BB8(f)-PDF: bin(w=100us):cnt(20)=1:17,2:2,13:1 ...`); undefined for anything else. */
export function parseHistogramLine(line: string): HistogramReport | undefined {
    const m = HISTOGRAM_RE.exec(line);
    if (m === null) {
        return undefined;
    }
    const counts = new Map<number, number>();
    for (const pair of m[6].split(",").filter((p) => p !== "")) {
        const [bin, count] = pair.split(":").map(Number);
        if (!Number.isInteger(bin) || !Number.isInteger(count)) {
            return undefined;
        }
        counts.set(bin, (counts.get(bin) ?? 0) + count);
    }
    return { id: Number(m[1]), start: Number(m[2]), end: Number(m[3]), binMicros: Number(m[4]), counts };
}

/** The request size a bounceback client reported on its connection line, if it printed one. */
export function parseRequestLength(line: string): number | undefined {
    const m = LENGTH_RE.exec(line);
    return m === null ? undefined : Number(m[1]);
}

/** Each stream's whole-test report or histogram (the longest from 0 per stream id). */
export function bouncebackFinals<T extends { readonly id: number; readonly start: number; readonly end: number }>(reports: readonly T[]): T[] {
    const finals = new Map<number, T>();
    for (const r of reports.filter((x) => x.start === 0)) {
        const seen = finals.get(r.id);
        if (seen === undefined || r.end >= seen.end) {
            finals.set(r.id, r);
        }
    }
    return [...finals.values()];
}

/** Adds histograms of one bin width; undefined when there are none or their widths differ. */
export function mergeHistograms(histograms: readonly RoundTripHistogram[]): RoundTripHistogram | undefined {
    const width = histograms[0]?.binMicros;
    if (width === undefined || histograms.some((h) => h.binMicros !== width)) {
        return undefined;
    }
    const counts = new Map<number, number>();
    for (const h of histograms) {
        for (const [bin, count] of h.counts) {
            counts.set(bin, (counts.get(bin) ?? 0) + count);
        }
    }
    return { binMicros: width, counts };
}

/**
 * The q-quantile (0 < q <= 1) of a histogram: the upper edge of the bin that holds it, kept within
 * [min, max] (the exact extremes iperf measured), so a percentile is never below the least or
 * above the greatest round trip. Undefined for an empty histogram.
 */
export function histogramQuantile(h: RoundTripHistogram, q: number, minMicros: number, maxMicros: number): number | undefined {
    const bins = [...h.counts.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
    const total = bins.reduce((acc, [, c]) => acc + c, 0);
    let seen = 0;
    for (const [bin, count] of bins) {
        seen += count;
        if (seen >= q * total) {
            return Math.min(maxMicros, Math.max(minMicros, bin * h.binMicros));
        }
    }
    return undefined;
}
