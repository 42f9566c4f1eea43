import { Method } from "../model";
import { LabResult } from "../results/benchmark";
import { Measurement } from "./record";
import { SweepPoint } from "./spec";
import { Stats, describe } from "./stats";

/** One cell of the sweep's tables: a method at a point, over its repeats. */
export interface CellSummary {
    readonly point: string;
    readonly method: Method;
    /** Repeats that measured it. */
    readonly ok: number;
    readonly failed: number;
    /** Gbit/s per client process (the study's figure). */
    readonly perClient?: Stats;
    readonly perContainer?: Stats;
    readonly total?: Stats;
    /** UDP: what each client process sent, Gbit/s (mean over the clients). */
    readonly udpSentGbps?: Stats;
    /** UDP: mean jitter over the clients, ms. */
    readonly jitterMs?: Stats;
    /** UDP: datagrams lost over all clients, percent. */
    readonly lossPercent?: Stats;
    /** Busy share of the whole host while the method was measured, percent. */
    readonly hostCpuPercent?: Stats;
    /** Cores the lab's containers used together (cgroup CPU time / window). */
    readonly containerCores?: Stats;
    readonly errors: readonly string[];
}

/** The per-repeat figures of one lab run; undefined where the run did not produce one. */
export const FIGURES = {
    perClient: (r: LabResult) => r.meanPerClient,
    perContainer: (r: LabResult) => r.meanPerContainer,
    total: (r: LabResult) => r.total,
    udpSentGbps: (r: LabResult) => udpMean(r, (u) => u.sentGbps),
    jitterMs: (r: LabResult) => udpMean(r, (u) => u.jitterMs),
    lossPercent: (r: LabResult) => udpLoss(r),
    hostCpuPercent: (r: LabResult) => r.cpu?.hostBusyPercent,
    containerCores: (r: LabResult) => (r.cpu ? r.cpu.containers.reduce((acc, c) => acc + c.cores, 0) : undefined),
} as const satisfies Record<string, (r: LabResult) => number | undefined>;

export type Figure = keyof typeof FIGURES;

function udpMean(r: LabResult, pick: (u: NonNullable<LabResult["clients"][number]["udp"]>) => number): number | undefined {
    const values = r.clients.flatMap((c) => (c.udp ? [pick(c.udp)] : []));
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

function udpLoss(r: LabResult): number | undefined {
    const udp = r.clients.flatMap((c) => (c.udp ? [c.udp] : []));
    const total = udp.reduce((acc, u) => acc + u.totalDatagrams, 0);
    return udp.length === 0 || total === 0 ? undefined : (100 * udp.reduce((acc, u) => acc + u.lostDatagrams, 0)) / total;
}

/** Every point x method of the sweep, in point order then method order. */
export function summarize(points: readonly SweepPoint[], methods: readonly Method[], measurements: readonly Measurement[]): CellSummary[] {
    return points.flatMap((point) => methods.map((method) => cell(point.label, method, measurements.filter((m) => m.point === point.label && m.method === method))));
}

function cell(point: string, method: Method, runs: readonly Measurement[]): CellSummary {
    const results = runs.flatMap((m) => (m.result ? [m.result] : []));
    const stats: Partial<Record<Figure, Stats>> = {};
    for (const [figure, pick] of Object.entries(FIGURES) as [Figure, (r: LabResult) => number | undefined][]) {
        const s = describe(results.map(pick).filter((v): v is number => v !== undefined));
        if (s !== undefined) {
            stats[figure] = s;
        }
    }
    const errors = [...new Set(runs.flatMap((m) => (m.error ? [m.error] : [])))];
    return { point, method, ok: results.length, failed: runs.length - results.length, ...stats, errors };
}
