import { readFileSync } from "node:fs";
import { Method } from "../model";
import { RECORD_FORMAT, SweepRecord } from "./record";
import { markdownTable } from "./report/markdown";
import { Stats } from "./stats";
import { Figure, summarize } from "./summary";

/** How one point x method changed from run A to run B in one figure (by default Gbit/s per client process). */
export interface Change {
    readonly point: string;
    readonly method: Method;
    readonly a?: Stats;
    readonly b?: Stats;
    /** Change of the median, percent of A's. */
    readonly changePercent?: number;
    /**
     * The medians differ by more than NOISE_SIGMAS standard deviations of A and of B;
     * undefined when either run has fewer than 2 repeats there (its noise is unknown).
     */
    readonly beyondNoise?: boolean;
}

export const NOISE_SIGMAS = 2;

/** Reads a sweep's results.json. */
export function loadRecord(path: string): SweepRecord {
    const record = JSON.parse(readFileSync(path, "utf8")) as Partial<SweepRecord>;
    if (record.format !== RECORD_FORMAT) {
        throw new Error(`${path}: not an icc-bench sweep result (format ${JSON.stringify(record.format)}, expected ${RECORD_FORMAT})`);
    }
    return record as SweepRecord;
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
    return [...new Set([...a, ...b])];
}

function beyondNoise(a: Stats, b: Stats): boolean | undefined {
    if (a.n < 2 || b.n < 2) {
        return undefined;
    }
    const delta = Math.abs(b.median - a.median);
    return delta > NOISE_SIGMAS * a.stddev && delta > NOISE_SIGMAS * b.stddev;
}

/** The figures compared: Gbit/s per client, or for rr sweeps transactions per client and the mean and p99 round trips. */
export function comparedFigures(a: SweepRecord, b: SweepRecord): { readonly figure: Figure; readonly title: string }[] {
    return a.spec.iperf.mode === "rr" && b.spec.iperf.mode === "rr"
        ? [
              { figure: "transactionsPerClient", title: "transactions/s per client" },
              { figure: "meanMicros", title: "mean round trip µs" },
              { figure: "p99Micros", title: "p99 round trip µs" },
          ]
        : [{ figure: "perClient", title: "Gbit/s per client" }];
}

/** Every point x method of either run, A's order first. */
export function compareRecords(a: SweepRecord, b: SweepRecord, figure: Figure = "perClient"): Change[] {
    const labels = union(a.spec.points.map((p) => p.label), b.spec.points.map((p) => p.label));
    const methods = union(a.spec.methods, b.spec.methods);
    const cellsOf = (r: SweepRecord) => summarize(r.spec.points, r.spec.methods, r.measurements);
    const [cellsA, cellsB] = [cellsOf(a), cellsOf(b)];
    return labels.flatMap((point) =>
        methods.map((method): Change => {
            const sa = cellsA.find((c) => c.point === point && c.method === method)?.[figure];
            const sb = cellsB.find((c) => c.point === point && c.method === method)?.[figure];
            if (sa === undefined || sb === undefined) {
                return { point, method, ...(sa ? { a: sa } : {}), ...(sb ? { b: sb } : {}) };
            }
            const changePercent = sa.median === 0 ? undefined : (100 * (sb.median - sa.median)) / sa.median;
            const noise = beyondNoise(sa, sb);
            return { point, method, a: sa, b: sb, ...(changePercent === undefined ? {} : { changePercent }), ...(noise === undefined ? {} : { beyondNoise: noise }) };
        }),
    );
}

/** Settings that make two sweeps measure different things. */
export function differences(a: SweepRecord, b: SweepRecord): string[] {
    const describe = (r: SweepRecord): Record<string, string> => ({
        axis: r.spec.axis,
        "iperf settings": JSON.stringify(r.spec.iperf),
        host: `${r.environment.cpuModel} x ${r.environment.cpuCount}, kernel ${r.environment.kernel}`,
    });
    const [da, db] = [describe(a), describe(b)];
    return Object.keys(da).filter((k) => da[k] !== db[k]).map((k) => `${k} differ: A ${da[k]}; B ${db[k]}`);
}

export function formatComparison(changes: readonly Change[], title = "Gbit/s per client"): string {
    const median = (s: Stats | undefined): string => (s === undefined ? "–" : `${s.median.toFixed(2)} ±${s.stddev.toFixed(2)} (n=${s.n})`);
    const verdict = (c: Change): string => {
        if (c.a === undefined || c.b === undefined) {
            return "not in both";
        }
        return c.beyondNoise === undefined ? "unknown (fewer than 2 repeats)" : c.beyondNoise ? "yes" : "no";
    };
    return markdownTable(
        ["point", "method", `A ${title}`, `B ${title}`, "change", `beyond noise (> ${NOISE_SIGMAS} stddev of both)`],
        changes.map((c) => [c.point, c.method, median(c.a), median(c.b), c.changePercent === undefined ? "–" : `${c.changePercent >= 0 ? "+" : ""}${c.changePercent.toFixed(1)}%`, verdict(c)]),
        2,
    );
}
