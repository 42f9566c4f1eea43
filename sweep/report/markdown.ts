import { Method } from "../../model";
import { LabResult, Placement, describePlacement, placementOf } from "../../results/benchmark";
import { pointTimings } from "../cost";
import { SweepRecord } from "../record";
import { Axis } from "../spec";
import { Stats } from "../stats";
import { STUDY_NAMES, studyValue, sweepTitle } from "../study/figures";
import { CellSummary, Figure, headlineOf } from "../summary";

const AXIS_TITLES: Readonly<Record<Axis, string>> = {
    clientContainers: "client containers",
    serversAndClients: "servers = client containers",
    shapes: "containers x clients",
    length: "bytes (iperf -l)",
};

/** A Markdown table: the first `labelColumns` columns left-aligned, the figures right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], labelColumns = 1): string {
    const line = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
    const rule = header.map((_, i) => (i < labelColumns ? "---" : "---:"));
    return [line(header), line(rule), ...rows.map(line)].join("\n");
}

/** A cell's median, "*" when noisy; "failed" when no repeat measured it; "–" when not applicable. */
export function formatCell(cell: CellSummary | undefined, stats: Stats | undefined, digits = 2): string {
    if (cell === undefined) {
        return "–";
    }
    if (stats === undefined) {
        return cell.failed > 0 ? "failed" : "–";
    }
    const partial = cell.failed > 0 ? ` (${cell.failed} failed)` : "";
    return `${stats.median.toFixed(digits)}${stats.noisy ? "*" : ""}${partial}`;
}

/**
 * The study's layout: a row per method, a column per point; under each method, the study's
 * own row when `withStudy` and the study measured that method.
 */
export function methodTable(record: SweepRecord, cells: readonly CellSummary[], figure: Figure, withStudy: boolean, digits = 2): string {
    const { spec } = record;
    const find = (label: string, method: Method): CellSummary | undefined => cells.find((c) => c.point === label && c.method === method);
    const rows: string[][] = [];
    for (const method of spec.methods) {
        rows.push([method, ...spec.points.map((p) => formatCell(find(p.label, method), find(p.label, method)?.[figure], digits))]);
        const study = spec.points.map((p) => studyValue(spec, p, method));
        if (withStudy && study.some((v) => v !== undefined)) {
            rows.push([`↳ study (${STUDY_NAMES[method]})`, ...study.map((v) => (v === undefined ? "–" : v.toFixed(2)))]);
        }
    }
    return markdownTable([AXIS_TITLES[spec.axis], ...spec.points.map((p) => p.label)], rows);
}

/** The spread over the repeats of one figure (the headline, Gbit/s per client, by default), with the study's value when it is that. */
export function spreadTable(record: SweepRecord, cells: readonly CellSummary[], figure: Figure = "perClient", digits = 2): string {
    const points = new Map(record.spec.points.map((p) => [p.label, p]));
    const rows = cells.map((c) => {
        const s = c[figure];
        const point = points.get(c.point);
        const study = point === undefined || figure !== "perClient" ? undefined : studyValue(record.spec, point, c.method);
        const num = (v: number | undefined, d = digits): string => (v === undefined ? "–" : v.toFixed(d));
        return [c.point, c.method, `${c.ok}/${c.ok + c.failed}`, num(s?.median), num(s?.min), num(s?.max), num(s?.stddev), s ? `${(s.cv * 100).toFixed(1)}%` : "–", s?.noisy ? "noisy" : "", num(study, 2)];
    });
    return markdownTable(["point", "method", "ok", "median", "min", "max", "stddev", "CV", "", "study"], rows, 2);
}

export function costSection(record: SweepRecord): string {
    const { cost, peakMemory } = record;
    const timings = pointTimings(record.steps, record.destroy.seconds);
    const s = (v: number): string => v.toFixed(1);
    return [
        `- wall time ${s(cost.wallSeconds)} s, traffic time (sum of iperf durations) ${s(cost.trafficSeconds)} s, ratio **${cost.ratio.toFixed(2)}**`,
        `- peak memory: sweep process ${peakMemory.sweepMiB} MiB; with the Pulumi engine, language host and plugins ${peakMemory.treeMiB} MiB (sampled every ${peakMemory.sampleSeconds} s)`,
        record.destroy.kept ? "- stack kept for the next table" : `- final destroy ${s(record.destroy.seconds)} s${record.destroy.error ? ` (FAILED: ${record.destroy.error})` : ""}`,
        "",
        markdownTable(
            ["point", "deploy and engine s", "measure s (per repeat)", "teardown s"],
            timings.map((t) => [t.point, s(t.deploySeconds), s(t.measureSeconds), s(t.teardownSeconds)]),
        ),
        "",
        "One `up` per point, in the order measured, measures every repeat. deploy and engine: that `up` less its benchmark and deletions; teardown: deleting what the next point drops (the final destroy for the last).",
    ].join("\n");
}

/** Failed runs, and runs whose figures stand but after which a server had stopped. */
export function failureSection(record: SweepRecord): string {
    const rows = record.measurements.flatMap((m) => {
        const down = (m.result?.serversDown ?? []).map((d) => `warning: server container ${d.container} stopped during the run (exit ${d.exit}); figures kept`);
        const problems = [...(m.error !== undefined ? [m.error] : []), ...down];
        return problems.map((p) => [m.point, String(m.repeat), m.method, p.replace(/\|/g, "\\|").replace(/\n/g, "<br>")]);
    });
    const retried = record.steps.flatMap((s) => (s.retried ? [[s.point, "(every)", "(every method)", `first attempt failed, retried once${s.error ? " and failed again" : " and measured"}: ${s.retried.error.replace(/\|/g, "\\|").replace(/\n/g, "<br>")}`]] : []));
    rows.push(...retried);
    return rows.length === 0 ? "None." : markdownTable(["point", "repeat", "method", "error"], rows, 4);
}

export function environmentSection(record: Pick<SweepRecord, "environment" | "measurements" | "startTime" | "endTime" | "interrupted" | "stack" | "seed">): string {
    const e = record.environment;
    const iperf = record.measurements.find((m) => m.result)?.result?.iperfVersion ?? "unknown";
    return [
        `- started ${record.startTime}, ended ${record.endTime}${record.interrupted ? " (interrupted)" : ""}; stack \`${record.stack}\`, shuffle seed ${record.seed}`,
        `- kernel ${e.kernel}; Docker ${e.docker}; ${e.ovs}, datapath ${e.ovsDatapath}`,
        `- ${iperf}; image ${e.image} (${e.imageId})`,
        `- CPU ${e.cpuModel} x ${e.cpuCount}; memory ${e.memoryGiB} GiB; Node.js ${e.node}; ${e.pulumi === "unknown" ? "Pulumi CLI version unknown" : `Pulumi CLI ${e.pulumi}`}`,
    ].join("\n");
}

function udpSection(record: SweepRecord, cells: readonly CellSummary[]): string[] {
    if (record.spec.iperf.protocol !== "udp") {
        return [];
    }
    return [
        `## UDP: datagrams received per second per client process (median)\n\n${methodTable(record, cells, "packetsPerClient", false, 0)}`,
        `## UDP: jitter (ms, mean over clients)\n\n${methodTable(record, cells, "jitterMs", false, 3)}`,
        `## UDP: datagrams lost (%)\n\n${methodTable(record, cells, "lossPercent", false, 2)}`,
    ];
}

/** rr: transactions and round trips instead of Gbit/s (what an rr client sends is its requests). */
function rrSections(record: SweepRecord, cells: readonly CellSummary[]): string[] {
    const n = record.spec.repeats;
    return [
        `## Transactions per second per client process, median of ${n}\n\n${methodTable(record, cells, "transactionsPerClient", false, 0)}\n\n` +
            "`*` noisy: coefficient of variation over the repeats above 10%.",
        `## Round trip, mean µs (median)\n\n${methodTable(record, cells, "meanMicros", false, 1)}`,
        `## Round trip, p50 µs (median)\n\n${methodTable(record, cells, "p50Micros", false, 0)}`,
        `## Round trip, p99 µs (median)\n\n${methodTable(record, cells, "p99Micros", false, 0)}\n\n` +
            "Percentiles come from iperf's round-trip histograms summed over every client process; iperf 2.1.8's bins are 100 µs wide, so a percentile is the upper edge of its bin.",
        `## CPU: host CPU seconds per 1000 transactions (median)\n\n${methodTable(record, cells, "cpuSecondsPerThousandTransactions", false, 4)}`,
    ];
}

function streamSections(record: SweepRecord, cells: readonly CellSummary[]): string[] {
    const what = record.spec.iperf.protocol === "udp" ? "received by the servers" : "";
    return [
        `## Gbit/s per client process${what ? ` (${what})` : ""}, median of ${record.spec.repeats}\n\n${methodTable(record, cells, "perClient", true)}\n\n` +
            "`*` noisy: coefficient of variation over the repeats above 10%. `↳ study`: the 2014 study's figure for the same setup.",
        `## Gbit/s per client container (median)\n\n${methodTable(record, cells, "perContainer", false)}`,
        `## Gbit/s in total (median)\n\n${methodTable(record, cells, "total", false)}`,
        ...udpSection(record, cells),
        `## CPU: host CPU seconds per Gbit moved (median)\n\n${methodTable(record, cells, "cpuSecondsPerGbit", false, 3)}`,
    ];
}

function heading(record: SweepRecord): string {
    const { spec } = record;
    const length = spec.axis === "length" ? "each column's length in bytes" : undefined;
    const iperf =
        spec.iperf.mode === "rr"
            ? `TCP request/response (bounceback, ${length === undefined ? `${spec.iperf.length ?? 100}-byte requests` : `requests of ${length}`} back to back)`
            : spec.iperf.protocol === "udp"
              ? `UDP offered ${spec.iperf.udpRate}bit/s per client process${length !== undefined ? `, datagrams of ${length}` : spec.iperf.length === undefined ? "" : `, ${spec.iperf.length}-byte datagrams`}`
              : `TCP${length === undefined ? "" : `, writes of ${length}`}`;
    return [
        `# icc-bench sweep \`${spec.name}\`${record.interrupted ? " (interrupted)" : ""}`,
        "",
        `${sweepTitle(spec.axis)}. ${spec.points.length} points x ${spec.methods.length} methods x ${spec.repeats} repeats, ` +
            `iperf2 ${iperf}, ${spec.iperf.duration} s per test, -P ${spec.iperf.parallel}; methods measured one after another in an order shuffled per repeat. ` +
            `Sweep file \`${spec.file}\`.`,
    ].join("\n");
}

function spreadSection(record: SweepRecord, cells: readonly CellSummary[]): string {
    const { figure, noun, digits } = headlineOf(record.spec.iperf);
    return `## Spread of ${noun} over the repeats\n\n${spreadTable(record, cells, figure, digits)}`;
}

/** Labs across hosts: where each method's servers and clients ran, and the hosts' clock offsets over its runs. */
export function hostsSection(record: SweepRecord): string[] {
    const across = record.measurements.filter((m) => m.result?.hosts !== undefined);
    if (across.length === 0) {
        return [];
    }
    const rows = record.spec.methods.flatMap((method) => {
        const runs = across.filter((m) => m.method === method).map((m) => m.result as LabResult);
        if (runs.length === 0) {
            return [];
        }
        const placements = [...new Set(runs.map(placementOf).filter((p): p is Placement => p !== undefined).map(describePlacement))];
        const offsets = runs.flatMap((r) => Object.values(r.clocks ?? {}).map((c) => c.offsetMillis));
        const range = offsets.length === 0 ? "–" : `${Math.min(...offsets).toFixed(1)} to ${Math.max(...offsets).toFixed(1)}`;
        return [[method, placements.join("; "), range]];
    });
    return [`## Hosts

${markdownTable(["method", "servers -> clients", "clock offsets (ms)"], rows, 3)}`];
}

/** The whole Markdown report. */
export function markdownReport(record: SweepRecord, cells: readonly CellSummary[]): string {
    return [
        heading(record),
        ...(record.spec.iperf.mode === "rr" ? rrSections(record, cells) : streamSections(record, cells)),
        `## CPU: host busy (% of all cores, median)\n\n${methodTable(record, cells, "hostCpuPercent", false, 1)}`,
        `## CPU: the lab's containers together (cores, median)\n\n${methodTable(record, cells, "containerCores", false, 2)}`,
        spreadSection(record, cells),
        ...hostsSection(record),
        `## Cost\n\n${costSection(record)}`,
        `## Failures\n\n${failureSection(record)}`,
        `## Environment\n\n${environmentSection(record)}`,
    ].join("\n\n") + "\n";
}
