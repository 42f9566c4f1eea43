import { MARK } from "../framing/benchmark";
import { CpuSamples, CpuUse } from "./cpu";
import { IperfReport, UdpFields, finalReport, parseReportLine, streamFinals, streamKey } from "./iperf";

/** A UDP client process as its server saw it. */
export interface UdpResult {
    /** What the client sent, Gbit/s (the offered rate, unless the client could not keep up). */
    readonly sentGbps: number;
    /** Mean over the process's streams, milliseconds. */
    readonly jitterMs: number;
    readonly lostDatagrams: number;
    readonly totalDatagrams: number;
    readonly lossPercent: number;
}

/** One iperf client process's result. */
export interface ClientResult {
    readonly container: string;
    /** 1-based process number inside its container. */
    readonly process: number;
    readonly server: number;
    /** TCP: what the client sent; UDP: what the server received. */
    readonly gbps: number;
    readonly udp?: UdpResult;
}

/** A client process that produced no whole-test report (UDP: or no server report). */
export interface ClientFailure {
    readonly container: string;
    readonly process: number;
    readonly server: number;
    readonly exitCode: number;
    readonly message: string;
}

export interface ContainerResult {
    readonly container: string;
    readonly server: number;
    /** Sum over the container's processes. */
    readonly gbps: number;
}

/** One method's measurement: the stack outputs of its lab. */
export interface LabResult {
    readonly method: string;
    /** The round of the benchmark run (1-based) this measurement belongs to. */
    readonly round: number;
    readonly protocol: "tcp" | "udp";
    /** ISO time at which every client started sending. */
    readonly startTime: string;
    readonly durationSeconds: number;
    readonly iperfVersion: string;
    readonly clients: readonly ClientResult[];
    readonly containers: readonly ContainerResult[];
    readonly failures: readonly ClientFailure[];
    readonly meanPerClient: number;
    readonly meanPerContainer: number;
    readonly total: number;
    /** Host and per-container CPU use during the run. */
    readonly cpu?: CpuUse;
    /** Server containers that stopped during the run (iperf -s died): the lab must be recreated. */
    readonly serversDown?: readonly ServerDown[];
    /** meanPerClient over the same run's limit method's (see withFractionOfLimit). */
    readonly fractionOfLimit?: number;
}

export interface ServerDown {
    readonly container: string;
    /** The container's exit code, or "missing". */
    readonly exit: string;
}

interface ProcessBlock {
    method: string;
    container: string;
    process: number;
    server: number;
    exitCode: number;
    reports: IperfReport[];
    errors: string[];
}

interface LabBlock {
    method: string;
    round: number;
    start: number;
    processes: ProcessBlock[];
    cpu: CpuSamples;
    /** UDP server reports; their presence marks a UDP run. */
    udpServers: IperfReport[] | undefined;
    serversDown: ServerDown[];
}

const GIGA = 1e9;

/** Reads the benchmark command's framed stdout (framing/benchmark.ts) into lab results, in run order. */
export function parseBenchmarkOutput(stdout: string): LabResult[] {
    let version = "";
    let round = 1;
    const labs: LabBlock[] = [];
    let reports: IperfReport[] | undefined;
    let current: ProcessBlock | undefined;
    for (const line of stdout.split("\n")) {
        const [marker, ...rest] = line.split(" ");
        if (marker === MARK.version) {
            version = rest.join(" ").trim();
        } else if (marker === MARK.round) {
            round = Number(rest[0]);
        } else if (marker === MARK.lab) {
            labs.push({ method: rest[0], round, start: Number(rest[1]), processes: [], cpu: new CpuSamples(), udpServers: undefined, serversDown: [] });
            current = undefined;
            reports = undefined;
        } else if (marker === MARK.proc) {
            current = processBlock(rest);
            reports = current.reports;
            lastLab(labs, line).processes.push(current);
        } else if (marker === MARK.udpServer) {
            const lab = lastLab(labs, line);
            lab.udpServers ??= [];
            reports = lab.udpServers;
            current = undefined;
        } else if (marker === MARK.err) {
            current?.errors.push(rest.join(" "));
        } else if (marker === MARK.hostCpu) {
            lastLab(labs, line).cpu.addHost(rest);
        } else if (marker === MARK.containerCpu) {
            lastLab(labs, line).cpu.addContainer(rest);
        } else if (marker === MARK.serverDown) {
            lastLab(labs, line).serversDown.push({ container: rest[0], exit: rest[1] });
        } else {
            const report = parseReportLine(line);
            if (report !== undefined) {
                reports?.push(report);
            }
        }
    }
    return labs.map((lab) => summarize(lab, version));
}

function lastLab(labs: LabBlock[], line: string): LabBlock {
    const lab = labs[labs.length - 1];
    if (lab === undefined) {
        throw new Error(`benchmark output has a line that belongs to a lab before any lab: ${line}`);
    }
    return lab;
}

function processBlock(fields: string[]): ProcessBlock {
    const [method, container, process, server, exitCode] = fields;
    return { method, container, process: Number(process), server: Number(server), exitCode: Number(exitCode), reports: [], errors: [] };
}

/** A process's throughput and how long it ran, or why there is none. */
type Measured = { readonly gbps: number; readonly seconds: number; readonly udp?: UdpResult } | { readonly failure: string };

function summarize(lab: LabBlock, iperfVersion: string): LabResult {
    const clients: ClientResult[] = [];
    const failures: ClientFailure[] = [];
    const serverReports = lab.udpServers === undefined ? undefined : byStream(lab.udpServers);
    let duration = 0;
    for (const p of lab.processes) {
        const measured = p.exitCode !== 0 ? { failure: "" } : serverReports === undefined ? measureTcp(p) : measureUdp(p, serverReports);
        const who = { container: p.container, process: p.process, server: p.server };
        if ("failure" in measured) {
            failures.push({ ...who, exitCode: p.exitCode, message: failureMessage(p, measured.failure) });
        } else {
            clients.push({ ...who, gbps: measured.gbps, ...(measured.udp ? { udp: measured.udp } : {}) });
            duration = Math.max(duration, measured.seconds);
        }
    }
    const containers = perContainer(clients);
    const cpu = lab.cpu.use();
    return {
        method: lab.method,
        round: lab.round,
        protocol: serverReports === undefined ? "tcp" : "udp",
        startTime: new Date(lab.start * 1000).toISOString(),
        durationSeconds: duration,
        iperfVersion,
        clients,
        containers,
        failures,
        meanPerClient: mean(clients.map((c) => c.gbps)),
        meanPerContainer: mean(containers.map((c) => c.gbps)),
        total: sum(clients.map((c) => c.gbps)),
        ...(cpu ? { cpu } : {}),
        ...(lab.serversDown.length > 0 ? { serversDown: lab.serversDown } : {}),
    };
}

function measureTcp(p: ProcessBlock): Measured {
    const final = finalReport(p.reports);
    return final === undefined ? { failure: "no whole-test report" } : { gbps: final.bitsPerSecond / GIGA, seconds: final.end - final.start };
}

/** UDP: the client's lines say what was sent; the server's report of each stream, what arrived. */
function measureUdp(p: ProcessBlock, serverReports: ReadonlyMap<string, UdpReport>): Measured {
    const streams = streamFinals(p.reports);
    if (streams.length === 0) {
        return { failure: "no whole-test report" };
    }
    const received = streams.map((s) => serverReports.get(streamKey(s)));
    if (!received.every((r) => r !== undefined)) {
        const missing = streams.filter((_, i) => received[i] === undefined).map((s) => s.endpoints[0]);
        return { failure: `no UDP server report for ${missing.join(", ")} (its last datagram or the report was lost)` };
    }
    const lost = sum(received.map((r) => r.udp.lost));
    const total = sum(received.map((r) => r.udp.total));
    return {
        gbps: sum(received.map((r) => r.bitsPerSecond)) / GIGA,
        seconds: Math.max(...streams.map((s) => s.end - s.start)),
        udp: {
            sentGbps: sum(streams.map((s) => s.bitsPerSecond)) / GIGA,
            jitterMs: mean(received.map((r) => r.udp.jitterMs)),
            lostDatagrams: lost,
            totalDatagrams: total,
            lossPercent: total > 0 ? (100 * lost) / total : 0,
        },
    };
}

type UdpReport = IperfReport & { readonly udp: UdpFields };

/** Each stream's whole-test server report, by stream key. */
function byStream(reports: readonly IperfReport[]): Map<string, UdpReport> {
    const finals = new Map<string, UdpReport>();
    for (const key of new Set(reports.map(streamKey))) {
        const [final] = streamFinals(reports.filter((r) => streamKey(r) === key));
        if (final?.udp !== undefined) {
            finals.set(key, { ...final, udp: final.udp });
        }
    }
    return finals;
}

function failureMessage(p: ProcessBlock, reason: string): string {
    const detail = p.errors.filter((e) => e.trim() !== "").join("; ");
    const what = p.exitCode !== 0 ? `iperf exited ${p.exitCode}` : reason;
    return `${what}${detail ? `: ${detail}` : ""}`;
}

function perContainer(clients: readonly ClientResult[]): ContainerResult[] {
    const byName = new Map<string, ContainerResult>();
    for (const c of clients) {
        const seen = byName.get(c.container);
        byName.set(c.container, { container: c.container, server: c.server, gbps: (seen?.gbps ?? 0) + c.gbps });
    }
    return [...byName.values()];
}

function sum(values: readonly number[]): number {
    return values.reduce((acc, v) => acc + v, 0);
}

function mean(values: readonly number[]): number {
    return values.length === 0 ? 0 : sum(values) / values.length;
}

/** What went wrong in a benchmark, one line per failed client process or server found down. */
export function benchmarkFailure(results: readonly LabResult[]): string | undefined {
    const lines = results.flatMap((r) => [
        ...r.failures.map((f) => `  ${r.method} ${f.container} process ${f.process} (server ${f.server}): ${f.message}`),
        ...(r.serversDown ?? []).map((d) => `  ${r.method} server ${d.container} not running (exit code ${d.exit})`),
    ]);
    return lines.length === 0
        ? undefined
        : `icc-bench: some iperf clients failed; they are listed under failures/serversDown in the results output:\n${lines.join("\n")}`;
}

/**
 * Each result with `fractionOfLimit`: its mean per client over that of `limitMethod` in the same
 * run, when the limit was measured and is above zero; the results unchanged otherwise.
 */
export function withFractionOfLimit(results: readonly LabResult[], limitMethod: string): LabResult[] {
    const limit = results.find((r) => r.method === limitMethod)?.meanPerClient ?? 0;
    return limit > 0 ? results.map((r) => ({ ...r, fractionOfLimit: r.meanPerClient / limit })) : [...results];
}

/** Each round's results by method (round 1 first), each with its fraction of that round's limit. */
export function resultsByRound(results: readonly LabResult[], limitMethod: string): Record<string, LabResult>[] {
    const rounds = [...new Set(results.map((r) => r.round))].sort((a, b) => a - b);
    return rounds.map((n) => Object.fromEntries(withFractionOfLimit(results.filter((r) => r.round === n), limitMethod).map((r) => [r.method, r])));
}
