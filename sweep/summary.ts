import { IperfSettings, Method } from "../model";
import { LabResult } from "../results/benchmark";
import { Measurement } from "./record";
import { SweepPoint } from "./spec";
import { Stats, describe } from "./stats";

/**
 * The per-repeat figures of one lab run; undefined where the run did not produce one.
 * perClient: Gbit/s per client process (the study's figure); udpSentGbps: what each UDP client
 * sent (mean); jitterMs: mean over the clients; lossPercent: over all clients; hostCpuPercent:
 * busy share of the whole host; containerCores: the lab's containers together (cgroup time /
 * window); packetsPerClient: UDP datagrams received per second per client; the rr figures from
 * the lab's latency block; the CPU costs from its cpuCost.
 */
export const FIGURES = {
    perClient: (r: LabResult) => r.meanPerClient,
    perContainer: (r: LabResult) => r.meanPerContainer,
    total: (r: LabResult) => r.total,
    udpSentGbps: (r: LabResult) => udpMean(r, (u) => u.sentGbps),
    jitterMs: (r: LabResult) => udpMean(r, (u) => u.jitterMs),
    lossPercent: (r: LabResult) => udpLoss(r),
    packetsPerClient: (r: LabResult) => r.packets?.meanReceivedPerSecondPerClient,
    transactionsPerClient: (r: LabResult) => r.latency?.meanTransactionsPerSecondPerClient,
    meanMicros: (r: LabResult) => r.latency?.meanMicros,
    p50Micros: (r: LabResult) => r.latency?.p50Micros,
    p99Micros: (r: LabResult) => r.latency?.p99Micros,
    hostCpuPercent: (r: LabResult) => r.cpu?.hostBusyPercent,
    containerCores: (r: LabResult) => (r.cpu ? r.cpu.containers.reduce((acc, c) => acc + c.cores, 0) : undefined),
    cpuSecondsPerGbit: (r: LabResult) => r.cpuCost?.cpuSecondsPerGbit,
    cpuSecondsPerThousandTransactions: (r: LabResult) => r.cpuCost?.cpuSecondsPerThousandTransactions,
} as const satisfies Record<string, (r: LabResult) => number | undefined>;

export type Figure = keyof typeof FIGURES;

/** The figure a sweep is read by: Gbit/s per client process, or for rr its transactions per second. */
export interface Headline {
    readonly figure: Figure;
    /** As a table's title: "Gbit/s per client process". */
    readonly title: string;
    /** Within a sentence: "transactions per second per client process". */
    readonly noun: string;
    readonly unit: string;
    readonly digits: number;
}

export function headlineOf(iperf: Pick<IperfSettings, "mode">): Headline {
    return iperf.mode === "rr"
        ? { figure: "transactionsPerClient", title: "Transactions per second per client process", noun: "transactions per second per client process", unit: "transactions/s", digits: 0 }
        : { figure: "perClient", title: "Gbit/s per client process", noun: "Gbit/s per client process", unit: "Gbit/s", digits: 2 };
}

/** One cell of the sweep's tables: a method at a point, over its repeats, with each figure's stats. */
export type CellSummary = Partial<Readonly<Record<Figure, Stats>>> & {
    readonly point: string;
    readonly method: Method;
    /** Repeats that measured it. */
    readonly ok: number;
    readonly failed: number;
    readonly errors: readonly string[];
};

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
