import { Method } from "../../model";
import { NOISE_SIGMAS } from "../compare";
import { HostEnvironment } from "../environment";
import { SweepRecord } from "../record";
import { Axis } from "../spec";
import { NOISY_CV, Stats } from "../stats";
import { CellSummary, summarize } from "../summary";
import { STUDY, STUDY_NAMES, TABLE_NUMBER, tableNumber } from "./figures";
import { LineFit, fitLine } from "./fit";

export type Verdict = "holds" | "does not hold" | "cannot be judged";

/** One of the study's conclusions, checked on a study's data. */
export interface Finding {
    readonly claim: string;
    readonly verdict: Verdict;
    /** One line: why this verdict. */
    readonly because: string;
    /** The numbers that decide it, one line each. */
    readonly evidence: readonly string[];
}

/** Finding 1 holds when the slope's interval reaches into -1 +/- SLOPE_TOLERANCE ("about 1/N"). */
export const SLOPE_TOLERANCE = 0.2;
/** ... and cannot be judged when the interval's half-width is above this (too noisy). */
export const MAX_SLOPE_HALF_WIDTH = 0.25;
/** A point is on the saturated part when the host CPU is at least this busy (median, percent). */
export const SATURATED_BUSY_PERCENT = 90;

/** a against b: a greater or less beyond the noise, or why that cannot be said. */
export type Comparison = { readonly order: "greater" | "less"; readonly delta: number } | { readonly order: "undecided"; readonly why: string };

/**
 * Beyond noise: with 2 or more repeats each, more than NOISE_SIGMAS standard deviations of
 * either; with a single repeat the noise is unknown, so more than NOISY_CV of the larger median.
 * A noisy cell (CV above NOISY_CV) decides only beyond its own noise: a cell of 0.73 Gbit/s
 * with a CV of 14 % is still below one of 11.8 Gbit/s.
 */
export function compareStats(a: Stats, b: Stats): Comparison {
    const delta = a.median - b.median;
    const margin = a.n >= 2 && b.n >= 2 ? NOISE_SIGMAS * Math.max(a.stddev, b.stddev) : NOISY_CV * Math.max(a.median, b.median);
    if (Math.abs(delta) <= margin) {
        const noisy = a.noisy || b.noisy ? `too noisy (CV above ${NOISY_CV * 100}%): ` : "";
        return { order: "undecided", why: `${noisy}difference ${Math.abs(delta).toFixed(2)} within the noise (${margin.toFixed(2)})` };
    }
    return { order: delta > 0 ? "greater" : "less", delta };
}

/** Every part holds: holds; any part fails: does not hold; nothing judged: cannot be judged. */
function overall(verdicts: readonly Verdict[]): Verdict {
    if (verdicts.includes("does not hold")) {
        return "does not hold";
    }
    return verdicts.includes("holds") ? "holds" : "cannot be judged";
}

function count(verdicts: readonly Verdict[], verdict: Verdict): number {
    return verdicts.filter((v) => v === verdict).length;
}

function because(verdicts: readonly Verdict[], what: string): string {
    return `${count(verdicts, "holds")} of ${verdicts.length} ${what} hold, ${count(verdicts, "does not hold")} do not, ${count(verdicts, "cannot be judged")} cannot be judged`;
}

const cellsOf = (t: SweepRecord): CellSummary[] => summarize(t.spec.points, t.spec.methods, t.measurements);
const tableOf = (tables: readonly SweepRecord[], axis: Axis): SweepRecord | undefined => tables.find((t) => t.spec.axis === axis);
const fmt = (v: number, digits = 2): string => v.toFixed(digits);

/** The points of a table on the saturated part for the methods of `cells`: more iperf processes than cores, and the host CPU busy. */
function saturatedLabels(table: SweepRecord, cells: readonly CellSummary[], cores: number): Set<string> {
    return new Set(
        table.spec.points
            .filter((p) => {
                const processes = p.topology.servers + p.topology.clientContainers * p.topology.clientsPerContainer;
                const busy = cells.filter((c) => c.point === p.label && c.hostCpuPercent !== undefined).map((c) => c.hostCpuPercent?.median ?? 0);
                return processes > cores && busy.every((b) => b >= SATURATED_BUSY_PERCENT);
            })
            .map((p) => p.label),
    );
}

/** log(Gbit/s per container) against log(N) of every repeat on the saturated part. */
function slopeOf(table: SweepRecord, method: Method, saturated: ReadonlySet<string>): LineFit | undefined {
    const sizes = new Map(table.spec.points.map((p) => [p.label, p.size]));
    const xy = table.measurements
        .filter((m) => m.method === method && saturated.has(m.point) && m.result !== undefined && m.result.meanPerContainer > 0)
        .map((m): [number, number] => [Math.log(sizes.get(m.point) ?? 1), Math.log(m.result?.meanPerContainer ?? 1)]);
    return fitLine(xy);
}

function slopeVerdict(fit: LineFit | undefined): Verdict {
    if (fit === undefined || (fit.slopeInterval[1] - fit.slopeInterval[0]) / 2 > MAX_SLOPE_HALF_WIDTH) {
        return "cannot be judged";
    }
    const [low, high] = fit.slopeInterval;
    return high >= -1 - SLOPE_TOLERANCE && low <= -1 + SLOPE_TOLERANCE ? "holds" : "does not hold";
}

/** Finding 1: per-container throughput falls about as 1/N once the cores are saturated (tables 1 and 2). */
export function inverseScaling(tables: readonly SweepRecord[], environment: HostEnvironment): Finding {
    const evidence: string[] = [];
    const verdicts: Verdict[] = [];
    for (const axis of ["clientContainers", "serversAndClients"] as const) {
        const table = tableOf(tables, axis);
        if (table === undefined) {
            continue;
        }
        const cells = cellsOf(table);
        for (const method of table.spec.methods) {
            // Per method: one whose lab cannot load the cores (OVS's userspace datapath) says nothing of the others'.
            const saturated = saturatedLabels(table, cells.filter((c) => c.method === method), environment.cpuCount);
            const on = `table ${TABLE_NUMBER[axis]}, saturated at N = ${[...saturated].join(", ") || "none"}`;
            const fit = slopeOf(table, method, saturated);
            const verdict = slopeVerdict(fit);
            verdicts.push(verdict);
            evidence.push(
                fit === undefined
                    ? `${on}: ${method}: too few saturated measurements for a fit (need 3 at 2 sizes or more): ${verdict}`
                    : `${on}: ${method}: slope ${fmt(fit.slope)}, 95% interval [${fmt(fit.slopeInterval[0])}, ${fmt(fit.slopeInterval[1])}] over ${fit.n} runs: ${verdict}`,
            );
        }
    }
    return {
        claim: "Per-container throughput falls about as 1/N once the cores are saturated",
        verdict: overall(verdicts),
        because:
            `fit of log(Gbit/s per container) against log(N), per method; holds when the slope's 95% interval reaches into ` +
            `[${-1 - SLOPE_TOLERANCE}, ${-1 + SLOPE_TOLERANCE}], too noisy when its half-width exceeds ${MAX_SLOPE_HALF_WIDTH}; saturated: ` +
            `more iperf processes than the host's ${environment.cpuCount} cores and the host CPU at least ${SATURATED_BUSY_PERCENT}% busy; ` +
            because(verdicts, "fits"),
        evidence,
    };
}

/** Finding 2: K clients in K containers beat K clients in one container (Kx1 against 1xK, table 3). */
export function containersBeatProcesses(tables: readonly SweepRecord[]): Finding {
    const table = tableOf(tables, "shapes");
    const evidence: string[] = [];
    const verdicts: Verdict[] = [];
    if (table !== undefined) {
        const cells = cellsOf(table);
        const labels = new Set(table.spec.points.map((p) => p.label));
        const ks = table.spec.points.map((p) => p.topology).filter((t) => t.clientContainers === 1 && t.clientsPerContainer > 1 && labels.has(`${t.clientsPerContainer}x1`));
        for (const k of ks.map((t) => t.clientsPerContainer)) {
            for (const method of table.spec.methods) {
                const many = cells.find((c) => c.point === `${k}x1` && c.method === method)?.perClient;
                const one = cells.find((c) => c.point === `1x${k}` && c.method === method)?.perClient;
                if (many === undefined || one === undefined) {
                    verdicts.push("cannot be judged");
                    evidence.push(`${k}x1 against 1x${k}, ${method}: not measured in both: cannot be judged`);
                    continue;
                }
                const c = compareStats(many, one);
                const verdict: Verdict = c.order === "greater" ? "holds" : c.order === "less" ? "does not hold" : "cannot be judged";
                verdicts.push(verdict);
                evidence.push(`${k}x1 against 1x${k}, ${method}: ${fmt(many.median)} against ${fmt(one.median)} Gbit/s per client: ${verdict}${"why" in c ? ` (${c.why})` : ""}`);
            }
        }
    }
    return {
        claim: "Running iperf clients in different containers gives better performance than the same number of clients in one container",
        verdict: overall(verdicts),
        because: `Kx1 against 1xK in table 3 (median Gbit/s per client), per method; ${because(verdicts, "comparisons")}`,
        evidence: evidence.length > 0 ? evidence : ["table 3 has no pair 1xK and Kx1: cannot be judged"],
    };
}

/** Why a method may rank differently here than in 2014, where this host says why. */
export function knownReason(method: Method, environment: HostEnvironment): string | undefined {
    return method === "ovs" && environment.ovsDatapath === "netdev"
        ? "OVS runs on the userspace datapath (netdev) here: this kernel has no openvswitch module, so every packet goes through ovs-vswitchd; the study used the kernel datapath"
        : undefined;
}

/** The study's ranking at 1 client (table 1, first column), best first. */
export function studyRanking(): Method[] {
    const rows = STUDY.clientContainers.rows;
    return (Object.keys(rows) as Method[]).sort((a, b) => (rows[b]?.[0] ?? 0) - (rows[a]?.[0] ?? 0));
}

/** The cells at one client process: table 1's first point (or table 2's, or table 3's 1x1). */
function oneClientCells(tables: readonly SweepRecord[]): { cells: CellSummary[]; where: string } | undefined {
    for (const table of tables) {
        const point = table.spec.points.find((p) => p.topology.servers === 1 && p.topology.clientContainers === 1 && p.topology.clientsPerContainer === 1);
        if (point !== undefined) {
            return { cells: cellsOf(table).filter((c) => c.point === point.label && c.perClient !== undefined), where: `table ${tableNumber(table.spec.axis)}, ${point.label}` };
        }
    }
    return undefined;
}

/** Finding 3: the study's method ranking at 1 client against this host's. */
export function methodRanking(tables: readonly SweepRecord[], environment: HostEnvironment): Finding {
    const study = studyRanking();
    const claim = `At 1 client the methods rank ${study.map((m) => STUDY_NAMES[m]).join(" > ")}`;
    const found = oneClientCells(tables);
    const perClient = new Map((found?.cells ?? []).map((c) => [c.method, c.perClient as Stats]));
    const common = study.filter((m) => perClient.has(m));
    if (found === undefined || common.length < 2) {
        return { claim, verdict: "cannot be judged", because: "fewer than 2 of the study's methods were measured at 1 client", evidence: [] };
    }
    const here = [...perClient.keys()].sort((a, b) => (perClient.get(b)?.median ?? 0) - (perClient.get(a)?.median ?? 0));
    const evidence = [`this host (${found.where}): ${here.map((m) => `${m} ${fmt(perClient.get(m)?.median ?? 0)}`).join(" > ")} Gbit/s`];
    const verdicts: Verdict[] = [];
    for (const [i, a] of common.entries()) {
        for (const b of common.slice(i + 1)) {
            const c = compareStats(perClient.get(a) as Stats, perClient.get(b) as Stats);
            if (c.order === "greater") {
                verdicts.push("holds");
            } else if (c.order === "less") {
                verdicts.push("does not hold");
                const reasons = [a, b].map((m) => knownReason(m, environment)).filter((r): r is string => r !== undefined);
                evidence.push(`${a} > ${b} in the study, here ${a} ${fmt(perClient.get(a)?.median ?? 0)} < ${b} ${fmt(perClient.get(b)?.median ?? 0)}: ${reasons.length > 0 ? `reason: ${reasons.join("; ")}` : "reason not known"}`);
            } else if ("why" in c) {
                verdicts.push("cannot be judged");
                evidence.push(`${a} against ${b}: ${c.why}`);
            }
        }
    }
    // An order holds only when every pair of it does.
    const verdict: Verdict = verdicts.includes("does not hold") ? "does not hold" : verdicts.every((v) => v === "holds") ? "holds" : "cannot be judged";
    return { claim, verdict, because: `every pair of the study's order on this host, beyond the noise; ${because(verdicts, "pairs")}`, evidence };
}

/** The study's three findings, in its order. */
export function studyFindings(tables: readonly SweepRecord[], environment: HostEnvironment): Finding[] {
    return [inverseScaling(tables, environment), containersBeatProcesses(tables), methodRanking(tables, environment)];
}
