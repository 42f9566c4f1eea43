import { ClientFailure, ClientResult, placementOf } from "../../results/benchmark";
import { Measurement, SweepRecord } from "../record";
import { FIGURES, Figure } from "../summary";

const COLUMNS = [
    "sweep", "point", "size", "servers", "clientContainers", "clientsPerContainer", "repeat", "position", "method", "serverHosts", "clientHosts", "status",
    "gbpsPerClient", "gbpsPerContainer", "gbpsTotal", "clients", "failures", "durationSeconds", "startTime",
    "udpSentGbps", "jitterMs", "lossPercent", "packetsPerClient", "transactionsPerClient", "meanMicros", "p50Micros", "p99Micros",
    "hostCpuPercent", "containerCpuCores", "cpuSecondsPerGbit", "cpuSecondsPerThousandTransactions", "error",
] as const;

type Row = Readonly<Record<(typeof COLUMNS)[number], string | number | undefined>>;

/** RFC 4180: quoted when it holds a comma, quote or line break. */
function field(value: string | number | undefined): string {
    const text = value === undefined ? "" : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(record: SweepRecord, m: Measurement): Row {
    const point = record.spec.points.find((p) => p.label === m.point);
    const r = m.result;
    const figure = (f: Figure): number | undefined => (r ? FIGURES[f](r) : undefined);
    const placement = r ? placementOf(r) : undefined;
    return {
        sweep: record.spec.name,
        point: m.point,
        size: point?.size,
        servers: point?.topology.servers,
        clientContainers: point?.topology.clientContainers,
        clientsPerContainer: point?.topology.clientsPerContainer,
        repeat: m.repeat,
        position: m.position,
        method: m.method,
        serverHosts: placement?.servers.join(" "),
        clientHosts: placement?.clients.join(" "),
        status: r ? "ok" : "failed",
        gbpsPerClient: figure("perClient"),
        gbpsPerContainer: figure("perContainer"),
        gbpsTotal: figure("total"),
        clients: r?.clients.length,
        failures: r?.failures.length,
        durationSeconds: r?.durationSeconds,
        startTime: r?.startTime,
        udpSentGbps: figure("udpSentGbps"),
        jitterMs: figure("jitterMs"),
        lossPercent: figure("lossPercent"),
        packetsPerClient: figure("packetsPerClient"),
        transactionsPerClient: figure("transactionsPerClient"),
        meanMicros: figure("meanMicros"),
        p50Micros: figure("p50Micros"),
        p99Micros: figure("p99Micros"),
        hostCpuPercent: figure("hostCpuPercent"),
        containerCpuCores: figure("containerCores"),
        cpuSecondsPerGbit: figure("cpuSecondsPerGbit"),
        cpuSecondsPerThousandTransactions: figure("cpuSecondsPerThousandTransactions"),
        error: m.error,
    };
}

/** One row per point x method x repeat, in the order they were measured. */
export function csvReport(record: SweepRecord): string {
    const lines = record.measurements.map((m) => {
        const r = row(record, m);
        return COLUMNS.map((c) => field(r[c])).join(",");
    });
    return [COLUMNS.join(","), ...lines].join("\n") + "\n";
}

const CLIENT_COLUMNS = [
    "sweep", "point", "repeat", "position", "method", "container", "host", "process", "server", "status", "gbps",
    "udpSentGbps", "jitterMs", "lostDatagrams", "totalDatagrams", "packetsPerSecond",
    "transactions", "transactionsPerSecond", "minMicros", "meanMicros", "p50Micros", "p90Micros", "p99Micros", "maxMicros", "error",
] as const;

type ClientRow = Readonly<Partial<Record<(typeof CLIENT_COLUMNS)[number], string | number>>>;

function clientRow(c: ClientResult, hosts: Readonly<Record<string, string>> | undefined): ClientRow {
    const { udp, rr } = c;
    return {
        container: c.container, host: hosts?.[c.container], process: c.process, server: c.server, status: "ok", gbps: c.gbps,
        ...(udp ? { udpSentGbps: udp.sentGbps, jitterMs: udp.jitterMs, lostDatagrams: udp.lostDatagrams, totalDatagrams: udp.totalDatagrams, packetsPerSecond: udp.packetsPerSecond } : {}),
        ...(rr ? { transactions: rr.transactions, transactionsPerSecond: rr.transactionsPerSecond, minMicros: rr.minMicros, meanMicros: rr.meanMicros, p50Micros: rr.p50Micros, p90Micros: rr.p90Micros, p99Micros: rr.p99Micros, maxMicros: rr.maxMicros } : {}),
    };
}

function failureRow(f: ClientFailure, hosts: Readonly<Record<string, string>> | undefined): ClientRow {
    return { container: f.container, host: hosts?.[f.container], process: f.process, server: f.server, status: "failed", error: f.message };
}

/** One row per client process of every run (a failed run: one row with its error), in the order they were measured. */
export function clientsCsvReport(record: SweepRecord): string {
    const lines = record.measurements.flatMap((m) => {
        const run = { sweep: record.spec.name, point: m.point, repeat: m.repeat, position: m.position, method: m.method };
        const hosts = m.result?.hosts;
        const rows: ClientRow[] = m.result ? [...m.result.clients.map((c) => clientRow(c, hosts)), ...m.result.failures.map((f) => failureRow(f, hosts))] : [{ status: "failed", error: m.error }];
        return rows.map((r) => CLIENT_COLUMNS.map((c) => field({ ...run, ...r }[c])).join(","));
    });
    return [CLIENT_COLUMNS.join(","), ...lines].join("\n") + "\n";
}
