import { Measurement, SweepRecord } from "../record";
import { FIGURES, Figure } from "../summary";

const COLUMNS = [
    "sweep", "point", "size", "servers", "clientContainers", "clientsPerContainer", "repeat", "position", "method", "status",
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
