import { MARK } from "../hostscripts/benchmark";
import { IperfReport, finalReport, parseReportLine } from "./iperf";

/** One iperf client process's result. */
export interface ClientResult {
    readonly container: string;
    /** 1-based process number inside its container. */
    readonly process: number;
    readonly server: number;
    readonly gbps: number;
}

/** A client process that produced no whole-test report. */
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
    start: number;
    processes: ProcessBlock[];
}

const GIGA = 1e9;

/** Reads the benchmark command's framed stdout (see hostscripts/benchmark.ts) into lab results. */
export function parseBenchmarkOutput(stdout: string): LabResult[] {
    let version = "";
    const labs: LabBlock[] = [];
    let current: ProcessBlock | undefined;
    for (const line of stdout.split("\n")) {
        const [marker, ...rest] = line.split(" ");
        if (marker === MARK.version) {
            version = rest.join(" ").trim();
        } else if (marker === MARK.lab) {
            labs.push({ method: rest[0], start: Number(rest[1]), processes: [] });
            current = undefined;
        } else if (marker === MARK.proc) {
            current = processBlock(rest);
            lastLab(labs, line).processes.push(current);
        } else if (marker === MARK.err) {
            current?.errors.push(rest.join(" "));
        } else {
            const report = parseReportLine(line);
            if (report !== undefined && current !== undefined) {
                current.reports.push(report);
            }
        }
    }
    return labs.map((lab) => summarize(lab, version));
}

function lastLab(labs: LabBlock[], line: string): LabBlock {
    const lab = labs[labs.length - 1];
    if (lab === undefined) {
        throw new Error(`benchmark output has a process before any lab: ${line}`);
    }
    return lab;
}

function processBlock(fields: string[]): ProcessBlock {
    const [method, container, process, server, exitCode] = fields;
    return { method, container, process: Number(process), server: Number(server), exitCode: Number(exitCode), reports: [], errors: [] };
}

function summarize(lab: LabBlock, iperfVersion: string): LabResult {
    const clients: ClientResult[] = [];
    const failures: ClientFailure[] = [];
    let duration = 0;
    for (const p of lab.processes) {
        const final = p.exitCode === 0 ? finalReport(p.reports) : undefined;
        if (final === undefined) {
            failures.push({ container: p.container, process: p.process, server: p.server, exitCode: p.exitCode, message: failureMessage(p) });
        } else {
            clients.push({ container: p.container, process: p.process, server: p.server, gbps: final.bitsPerSecond / GIGA });
            duration = Math.max(duration, final.end - final.start);
        }
    }
    const containers = perContainer(clients);
    const total = sum(clients.map((c) => c.gbps));
    return {
        method: lab.method,
        startTime: new Date(lab.start * 1000).toISOString(),
        durationSeconds: duration,
        iperfVersion,
        clients,
        containers,
        failures,
        meanPerClient: mean(clients.map((c) => c.gbps)),
        meanPerContainer: mean(containers.map((c) => c.gbps)),
        total,
    };
}

function failureMessage(p: ProcessBlock): string {
    const detail = p.errors.filter((e) => e.trim() !== "").join("; ");
    return p.exitCode !== 0 ? `iperf exited ${p.exitCode}${detail ? `: ${detail}` : ""}` : `no whole-test report${detail ? `: ${detail}` : ""}`;
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
