import { MARK } from "../framing/benchmark";
import { CpuSamples, CpuUse } from "./cpu";
import { IperfReport, UdpFields, finalReport, parseReportLine, streamFinals, streamKey } from "./iperf";
import {
    BouncebackReport, RoundTripHistogram, bouncebackFinals, histogramQuantile, mergeHistograms, parseBouncebackLine, parseHistogramLine,
    parseRequestLength,
} from "./bounceback";

/** A UDP client process as its server saw it. */
export interface UdpResult {
    /** What the client sent, Gbit/s (the offered rate, unless the client could not keep up). */
    readonly sentGbps: number;
    /** Mean over the process's streams, milliseconds. */
    readonly jitterMs: number;
    readonly lostDatagrams: number;
    readonly totalDatagrams: number;
    readonly lossPercent: number;
    /** Datagrams the server received per second of the client's sending. */
    readonly packetsPerSecond: number;
}

/** Round-trip times in microseconds: the extremes and mean exact, the percentiles to one histogram bin. */
export interface LatencyFigures {
    readonly minMicros: number;
    readonly meanMicros: number;
    /** The upper edge of the histogram bin holding the median, kept within [min, max]. */
    readonly p50Micros: number;
    readonly p90Micros: number;
    readonly p99Micros: number;
    readonly maxMicros: number;
}

/** An rr client process: its transactions, one request and one response each, back to back. */
export interface RrResult extends LatencyFigures {
    readonly transactions: number;
    readonly transactionsPerSecond: number;
}

/** One iperf client process's result. */
export interface ClientResult {
    readonly container: string;
    /** 1-based process number inside its container. */
    readonly process: number;
    readonly server: number;
    /** TCP: what the client sent (rr: its requests); UDP: what the server received. */
    readonly gbps: number;
    readonly udp?: UdpResult;
    readonly rr?: RrResult;
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

/** An rr lab's transactions over all its client processes; percentiles from their merged histograms. */
export interface LatencyResult extends LatencyFigures {
    readonly transactions: number;
    /** All client processes together. */
    readonly transactionsPerSecond: number;
    readonly meanTransactionsPerSecondPerClient: number;
    /** Width of iperf's round-trip histogram bins (fixed in iperf 2.1.8): a percentile is known to within one bin. */
    readonly binMicros: number;
}

/** A UDP lab's datagrams over all its client processes, as the servers received them. */
export interface PacketsResult {
    readonly receivedPerSecond: number;
    readonly meanReceivedPerSecondPerClient: number;
    readonly lossPercent: number;
    /** Mean over the client processes. */
    readonly jitterMs: number;
}

/** The host's CPU time (all cores, every process) for the lab's work: methods compare at equal work. */
export interface CpuCost {
    readonly hostCpuSeconds: number;
    /** CPU time of the window that /proc/stat counted neither busy nor idle: the cost may be up to this much higher. */
    readonly unaccountedSeconds?: number;
    /** stream: per Gbit the clients' processes moved. */
    readonly cpuSecondsPerGbit?: number;
    /** rr: per 1000 transactions. */
    readonly cpuSecondsPerThousandTransactions?: number;
}

/** One method's measurement: the stack outputs of its lab. */
export interface LabResult {
    readonly method: string;
    /** The round of the benchmark run (1-based) this measurement belongs to. */
    readonly round: number;
    readonly protocol: "tcp" | "udp";
    readonly mode: "stream" | "rr";
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
    readonly cpuCost?: CpuCost;
    /** rr labs. */
    readonly latency?: LatencyResult;
    /** UDP labs. */
    readonly packets?: PacketsResult;
    /** Server containers that stopped during the run (iperf -s died): the lab must be recreated. */
    readonly serversDown?: readonly ServerDown[];
    /** Labs across hosts: the Docker host each server and client container ran on. */
    readonly hosts?: Readonly<Record<string, string>>;
    /** Labs across hosts: each host's clock against the benchmark's, read before the start. */
    readonly clocks?: Readonly<Record<string, HostClock>>;
    /** What makes the figures doubtful, for people (a clock offset above MAX_CLOCK_OFFSET_MS). */
    readonly warnings?: readonly string[];
    /** meanPerClient over the same run's limit method's (see withFractionOfLimit). */
    readonly fractionOfLimit?: number;
    /** The other figures over the same run's limit method's, by name (see withFractionOfLimit). */
    readonly ofLimit?: Readonly<Record<string, number>>;
}

/** A host's clock minus the benchmark's, and the round trip through its Docker endpoint it was read in. */
export interface HostClock {
    readonly offsetMillis: number;
    readonly roundTripMillis: number;
}

/** Where a lab across hosts ran: its servers' hosts and its client containers' hosts, each once, in order. */
export interface Placement {
    readonly servers: readonly string[];
    readonly clients: readonly string[];
}

/** The placement a result records; undefined for a lab on one host. */
export function placementOf(r: Pick<LabResult, "hosts" | "containers">): Placement | undefined {
    if (r.hosts === undefined) {
        return undefined;
    }
    const hosts = r.hosts;
    const clientContainers = new Set(r.containers.map((c) => c.container));
    const once = (names: string[]): string[] => [...new Set(names)];
    return {
        servers: once(Object.keys(hosts).filter((c) => !clientContainers.has(c)).map((c) => hosts[c])),
        clients: once(r.containers.map((c) => hosts[c.container]).filter((h): h is string => h !== undefined)),
    };
}

/** "host1 -> host2, host3": servers' hosts, then the clients'. */
export function describePlacement(p: Placement): string {
    return `${p.servers.join(", ")} -> ${p.clients.join(", ")}`;
}

/** Clients on hosts whose clocks differ by more than this do not start together (real hosts need NTP). */
export const MAX_CLOCK_OFFSET_MS = 50;

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
    /** Every other line it printed (rr's text reports). */
    text: string[];
    errors: string[];
}

interface LabBlock {
    method: string;
    round: number;
    mode: "stream" | "rr";
    start: number;
    processes: ProcessBlock[];
    cpu: CpuSamples;
    /** UDP server reports; their presence marks a UDP run. */
    udpServers: IperfReport[] | undefined;
    serversDown: ServerDown[];
    hosts: Record<string, string>;
    clocks: Record<string, HostClock>;
}

const GIGA = 1e9;
/** iperf's CSV gives intervals to 0.1 s: a rate is never taken over less. */
const MIN_SECONDS = 0.1;

/** Reads the benchmark command's framed stdout (framing/benchmark.ts) into lab results, in run order. */
export function parseBenchmarkOutput(stdout: string): LabResult[] {
    let version = "";
    let mode: LabBlock["mode"] = "stream";
    let cores: number | undefined;
    let round = 1;
    const labs: LabBlock[] = [];
    let reports: IperfReport[] | undefined;
    let current: ProcessBlock | undefined;
    for (const line of wholeOutput(stdout)) {
        const [marker, ...rest] = line.split(" ");
        if (marker === MARK.begin || marker === MARK.end) {
            continue;
        } else if (marker === MARK.version) {
            version = rest.join(" ").trim();
        } else if (marker === MARK.mode) {
            mode = rest[0] === "rr" ? "rr" : "stream";
        } else if (marker === MARK.hostCores) {
            cores = Number(rest[0]) || undefined;
        } else if (marker === MARK.round) {
            round = Number(rest[0]);
        } else if (marker === MARK.lab) {
            labs.push({ method: rest[0], round, mode, start: Number(rest[1]), processes: [], cpu: new CpuSamples(), udpServers: undefined, serversDown: [], hosts: {}, clocks: {} });
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
        } else if (marker === MARK.placement) {
            lastLab(labs, line).hosts[rest[0]] = rest[1];
        } else if (marker === MARK.clock) {
            lastLab(labs, line).clocks[rest[0]] = { offsetMillis: Number(rest[1]) / 1000, roundTripMillis: Number(rest[2]) / 1000 };
        } else {
            const report = parseReportLine(line);
            if (report !== undefined) {
                reports?.push(report);
            } else {
                current?.text.push(line);
            }
        }
    }
    return labs.map((lab) => summarize(lab, version, cores));
}

/**
 * The output's lines; throws when it begins with MARK.begin but does not end with MARK.end: it
 * was cut short, and results read from it would silently lack clients. Output of a runner older
 * than the marks (a stack's state from before them) is read as it is.
 */
function wholeOutput(stdout: string): string[] {
    const lines = stdout.trimEnd().split("\n");
    if (lines[0] === MARK.begin && lines[lines.length - 1] !== MARK.end) {
        const last = lines[lines.length - 1];
        throw new Error(
            `the benchmark's output was cut short: it does not end with ${MARK.end} (${stdout.length} characters, ` +
                `the last line ${JSON.stringify(last.length > 80 ? `${last.slice(0, 80)}...` : last)}); its results would lack clients, so none are read`,
        );
    }
    return lines;
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
    return { method, container, process: Number(process), server: Number(server), exitCode: Number(exitCode), reports: [], text: [], errors: [] };
}

/** A process's throughput and how long it ran (rr: and its round trips), or why there is none. */
type Measured =
    | { readonly gbps: number; readonly seconds: number; readonly udp?: UdpResult; readonly rr?: RrResult; readonly histogram?: RoundTripHistogram }
    | { readonly failure: string };

function summarize(lab: LabBlock, iperfVersion: string, cores: number | undefined): LabResult {
    const clients: ClientResult[] = [];
    const failures: ClientFailure[] = [];
    const histograms: RoundTripHistogram[] = [];
    const serverReports = lab.udpServers === undefined ? undefined : byStream(lab.udpServers);
    const measure = lab.mode === "rr" ? measureRr : serverReports === undefined ? measureTcp : (p: ProcessBlock) => measureUdp(p, serverReports);
    let duration = 0;
    let gbit = 0;
    for (const p of lab.processes) {
        const measured = p.exitCode !== 0 ? { failure: "" } : measure(p);
        const who = { container: p.container, process: p.process, server: p.server };
        if ("failure" in measured) {
            failures.push({ ...who, exitCode: p.exitCode, message: failureMessage(p, measured.failure) });
        } else {
            clients.push({ ...who, gbps: measured.gbps, ...(measured.udp ? { udp: measured.udp } : {}), ...(measured.rr ? { rr: measured.rr } : {}) });
            histograms.push(...(measured.histogram ? [measured.histogram] : []));
            duration = Math.max(duration, measured.seconds);
            gbit += measured.gbps * measured.seconds;
        }
    }
    const containers = perContainer(clients);
    const cpu = lab.cpu.use(cores, lab.start);
    const latency = lab.mode === "rr" ? latencyOf(clients, histograms) : undefined;
    const packets = serverReports === undefined ? undefined : packetsOf(clients);
    const cost = cpu === undefined || !wholeWindowAccounted(cpu) ? undefined : cpuCost(cpu, gbit, latency);
    return {
        method: lab.method,
        round: lab.round,
        protocol: serverReports === undefined ? "tcp" : "udp",
        mode: lab.mode,
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
        ...(cost ? { cpuCost: cost } : {}),
        ...(latency ? { latency } : {}),
        ...(packets ? { packets } : {}),
        ...(lab.serversDown.length > 0 ? { serversDown: lab.serversDown } : {}),
        ...acrossHosts(lab),
    };
}

/** A lab across hosts' hosts, clocks and clock warnings; nothing for a lab on one host. */
function acrossHosts(lab: LabBlock): Pick<LabResult, "hosts" | "clocks" | "warnings"> {
    if (Object.keys(lab.hosts).length === 0) {
        return {};
    }
    const warnings = Object.entries(lab.clocks)
        .filter(([, c]) => Math.abs(c.offsetMillis) > MAX_CLOCK_OFFSET_MS)
        .map(([host, c]) => `the clock of host ${host} is ${c.offsetMillis.toFixed(1)} ms off the benchmark's (more than ${MAX_CLOCK_OFFSET_MS} ms): its clients started at its own clock's instant, corrected by that offset; run NTP on every host`);
    return { hosts: lab.hosts, clocks: lab.clocks, ...(warnings.length > 0 ? { warnings } : {}) };
}

function measureTcp(p: ProcessBlock): Measured {
    const final = finalReport(p.reports);
    return final === undefined ? { failure: "no whole-test report" } : { gbps: final.bitsPerSecond / GIGA, seconds: final.end - final.start };
}

/** iperf's bounceback request size when the connection line does not say it. */
const DEFAULT_REQUEST_BYTES = 100;

/** rr: each stream's whole-test round trips and histogram; what the client sent is its requests. */
function measureRr(p: ProcessBlock): Measured {
    const finals = bouncebackFinals(defined(p.text.map(parseBouncebackLine)));
    const histogram = mergeHistograms(bouncebackFinals(defined(p.text.map(parseHistogramLine))));
    if (finals.length === 0) {
        return { failure: "no whole-test bounceback report (no transaction completed)" };
    }
    if (histogram === undefined) {
        return { failure: "no round-trip histogram" };
    }
    const transactions = sum(finals.map((f) => f.transactions));
    const seconds = Math.max(...finals.map((f) => f.end - f.start));
    const figures = latencyFigures(histogram, finals);
    if (figures === undefined || transactions === 0 || seconds <= 0) {
        return { failure: "no transaction completed" };
    }
    const length = defined(p.text.map(parseRequestLength))[0] ?? DEFAULT_REQUEST_BYTES;
    return {
        gbps: (transactions * length * 8) / seconds / GIGA,
        seconds,
        rr: { transactions, transactionsPerSecond: transactions / seconds, ...figures },
        histogram,
    };
}

/** What latencyFigures needs of each part (a stream, or a client process): its count and its own extremes and mean. */
type RoundTrips = Pick<BouncebackReport, "transactions" | "minMicros" | "meanMicros" | "maxMicros">;

/** Extremes and mean from the parts' own figures, percentiles from the histogram of them all. */
function latencyFigures(histogram: RoundTripHistogram, streams: readonly RoundTrips[]): LatencyFigures | undefined {
    const transactions = sum(streams.map((s) => s.transactions));
    const minMicros = Math.min(...streams.map((s) => s.minMicros));
    const maxMicros = Math.max(...streams.map((s) => s.maxMicros));
    const [p50Micros, p90Micros, p99Micros] = [0.5, 0.9, 0.99].map((q) => histogramQuantile(histogram, q, minMicros, maxMicros));
    if (p50Micros === undefined || p90Micros === undefined || p99Micros === undefined || transactions === 0) {
        return undefined;
    }
    const meanMicros = sum(streams.map((s) => s.meanMicros * s.transactions)) / transactions;
    return { minMicros, meanMicros, p50Micros, p90Micros, p99Micros, maxMicros };
}

function latencyOf(clients: readonly ClientResult[], histograms: readonly RoundTripHistogram[]): LatencyResult | undefined {
    const rr = clients.flatMap((c) => (c.rr ? [c.rr] : []));
    const merged = mergeHistograms(histograms);
    if (rr.length === 0 || merged === undefined) {
        return undefined;
    }
    const figures = latencyFigures(merged, rr);
    if (figures === undefined) {
        return undefined;
    }
    const transactionsPerSecond = sum(rr.map((r) => r.transactionsPerSecond));
    return {
        transactions: sum(rr.map((r) => r.transactions)),
        transactionsPerSecond,
        meanTransactionsPerSecondPerClient: transactionsPerSecond / rr.length,
        ...figures,
        binMicros: merged.binMicros,
    };
}

function packetsOf(clients: readonly ClientResult[]): PacketsResult | undefined {
    const udp = clients.flatMap((c) => (c.udp ? [c.udp] : []));
    if (udp.length === 0) {
        return undefined;
    }
    const total = sum(udp.map((u) => u.totalDatagrams));
    const receivedPerSecond = sum(udp.map((u) => u.packetsPerSecond));
    return {
        receivedPerSecond,
        meanReceivedPerSecondPerClient: receivedPerSecond / udp.length,
        lossPercent: total > 0 ? (100 * sum(udp.map((u) => u.lostDatagrams))) / total : 0,
        jitterMs: mean(udp.map((u) => u.jitterMs)),
    };
}

/**
 * Seen on a 2-core KVM guest (kernel 6.18): /proc/stat counts 84 to 100 % of a window's ticks,
 * and over one 5 s window 4 %. Below this share a cost would be a guess, so there is none
 * (cpu.tickCoverage says why); above it, cpuCost.unaccountedSeconds bounds what was missed.
 */
export const MIN_TICK_COVERAGE = 0.75;

/**
 * The first CPU sample is due at the start instant; one taken later misses the start of the
 * traffic. Seen once here: the runner's timer fired 5.05 s late, at the end of a 5 s rr test.
 */
export const MAX_SAMPLE_LAG_SECONDS = 0.25;

function wholeWindowAccounted(cpu: CpuUse): boolean {
    return (cpu.tickCoverage === undefined || cpu.tickCoverage >= MIN_TICK_COVERAGE) && (cpu.sampleLagSeconds ?? 0) <= MAX_SAMPLE_LAG_SECONDS;
}

function cpuCost(cpu: CpuUse, gbit: number, latency: LatencyResult | undefined): CpuCost {
    const hostCpuSeconds = cpu.hostCpuSeconds;
    const measured = cpu.unaccountedSeconds === undefined ? { hostCpuSeconds } : { hostCpuSeconds, unaccountedSeconds: cpu.unaccountedSeconds };
    if (latency !== undefined) {
        return latency.transactions > 0 ? { ...measured, cpuSecondsPerThousandTransactions: hostCpuSeconds / (latency.transactions / 1000) } : measured;
    }
    return gbit > 0 ? { ...measured, cpuSecondsPerGbit: hostCpuSeconds / gbit } : measured;
}

function defined<T>(values: readonly (T | undefined)[]): T[] {
    return values.filter((v): v is T => v !== undefined);
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
            // Over the client's sending time: a server that falls behind small datagrams reads past it.
            packetsPerSecond: sum(received.map((r, i) => (r.udp.total - r.udp.lost) / Math.max(streams[i].end - streams[i].start, MIN_SECONDS))),
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

/** The figures besides meanPerClient that are also given over the limit method's, by their output name. */
const LIMIT_FIGURES: Readonly<Record<string, (r: LabResult) => number | undefined>> = {
    "latency.meanTransactionsPerSecondPerClient": (r) => r.latency?.meanTransactionsPerSecondPerClient,
    "latency.meanMicros": (r) => r.latency?.meanMicros,
    "latency.p50Micros": (r) => r.latency?.p50Micros,
    "latency.p99Micros": (r) => r.latency?.p99Micros,
    "packets.meanReceivedPerSecondPerClient": (r) => r.packets?.meanReceivedPerSecondPerClient,
    "cpuCost.cpuSecondsPerGbit": (r) => r.cpuCost?.cpuSecondsPerGbit,
    "cpuCost.cpuSecondsPerThousandTransactions": (r) => r.cpuCost?.cpuSecondsPerThousandTransactions,
};

/**
 * Each result with `fractionOfLimit` (its mean per client over that of `limitMethod` in the same
 * run) and `ofLimit` (each other figure over the limit's), where the limit was measured and its
 * figure is above zero; the results unchanged otherwise.
 */
export function withFractionOfLimit(results: readonly LabResult[], limitMethod: string): LabResult[] {
    const limit = results.find((r) => r.method === limitMethod);
    if (limit === undefined) {
        return [...results];
    }
    return results.map((r) => {
        const ofLimit = Object.fromEntries(
            Object.entries(LIMIT_FIGURES).flatMap(([name, figure]) => {
                const [value, base] = [figure(r), figure(limit)];
                return value !== undefined && base !== undefined && base > 0 ? [[name, value / base]] : [];
            }),
        );
        return {
            ...r,
            ...(limit.meanPerClient > 0 ? { fractionOfLimit: r.meanPerClient / limit.meanPerClient } : {}),
            ...(Object.keys(ofLimit).length > 0 ? { ofLimit } : {}),
        };
    });
}

/** Each round's results by method (round 1 first), each with its fraction of that round's limit. */
export function resultsByRound(results: readonly LabResult[], limitMethod: string): Record<string, LabResult>[] {
    const rounds = [...new Set(results.map((r) => r.round))].sort((a, b) => a - b);
    return rounds.map((n) => Object.fromEntries(withFractionOfLimit(results.filter((r) => r.round === n), limitMethod).map((r) => [r.method, r])));
}
