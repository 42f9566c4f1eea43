import { costSection, environmentSection, failureSection, markdownTable, methodTable, spreadTable } from "../report/markdown";
import { SweepRecord } from "../record";
import { summarize } from "../summary";
import { sweepTitle, tableNumber } from "./figures";
import { Finding } from "./findings";
import { StudyRecord } from "./record";

/** The study's wall time at most this many times its traffic time (issue 12). */
export const RATIO_GOAL = 1.25;

/** File name of a table's chart in the study folder. */
export function chartFile(table: SweepRecord): string {
    return `chart-table${tableNumber(table.spec.axis)}.svg`;
}

function findingSection(findings: readonly Finding[]): string {
    return findings
        .map((f, i) => [`### ${i + 1}. ${f.claim}: **${f.verdict}**`, "", f.because, "", ...f.evidence.map((e) => `- ${e}`)].join("\n"))
        .join("\n\n");
}

function tableSection(table: SweepRecord): string {
    const cells = summarize(table.spec.points, table.spec.methods, table.measurements);
    const n = tableNumber(table.spec.axis);
    const { spec } = table;
    return [
        `## Table ${n}: ${sweepTitle(spec.axis)}${table.interrupted ? " (interrupted)" : ""}`,
        `${spec.points.length} sizes x ${spec.methods.length} methods x ${spec.repeats} repeats, ${spec.iperf.duration} s per test. ` +
            `Gbit/s per client process, median; \`↳ study\` is the 2014 figure for the same setup (the study calls it "per container"; ` +
            "with several clients in a container its figures are per iperf process), `*` noisy (CV above 10%).",
        methodTable(table, cells, "perClient", true),
        `![Table ${n}: this host against the study](${chartFile(table)})`,
        `### Table ${n}: Gbit/s per client container (median)\n\n${methodTable(table, cells, "perContainer", false)}`,
        `### Table ${n}: Gbit/s in total (median)\n\n${methodTable(table, cells, "total", false)}`,
        `### Table ${n}: spread over the repeats\n\n${spreadTable(table, cells)}`,
    ].join("\n\n");
}

function costOf(record: StudyRecord): string {
    const { cost, peakMemory } = record;
    const met = cost.ratio <= RATIO_GOAL ? "met" : "not met";
    const perTable = markdownTable(
        ["table", "wall s", "traffic s", "ratio"],
        record.tables.map((t) => [`table ${tableNumber(t.spec.axis)}`, t.cost.wallSeconds.toFixed(1), t.cost.trafficSeconds.toFixed(1), t.cost.ratio.toFixed(2)]),
    );
    return [
        `- whole study: wall time ${cost.wallSeconds.toFixed(1)} s, traffic time (tests x duration, summed) ${cost.trafficSeconds.toFixed(1)} s, ratio **${cost.ratio.toFixed(2)}** (goal at most ${RATIO_GOAL}: ${met})`,
        `- peak memory: study process ${peakMemory.sweepMiB} MiB; with every process under it (Pulumi engine, language host, plugins) ${peakMemory.treeMiB} MiB (sampled every ${peakMemory.sampleSeconds} s)`,
        `- one stack for every table (\`${record.stack}\`); final destroy ${record.destroy.seconds.toFixed(1)} s${record.destroy.error ? ` (FAILED: ${record.destroy.error})` : ""}`,
        "",
        perTable,
        ...record.tables.map((t) => `\n### Table ${tableNumber(t.spec.axis)}: time per size\n\n${costSection(t).split("\n").slice(4).join("\n")}`),
    ].join("\n");
}

/** study.md: the findings, the three tables beside the study's, cost, failures, the host. */
export function studyMarkdown(record: StudyRecord, findings: readonly Finding[]): string {
    const first = record.tables[0]?.spec;
    const what = first
        ? `${first.methods.length} methods (${first.methods.join(", ")}), ${first.repeats} repeat(s), ${first.iperf.duration} s tests${record.quick ? " (--quick)" : ""}`
        : "nothing measured";
    return (
        [
            `# icc-bench: the 2014 study "Docker network performance" on this host${record.interrupted ? " (interrupted)" : ""}`,
            `Study file \`${record.file}\`: ${what}; tables measured: ${record.tables.map((t) => tableNumber(t.spec.axis)).join(", ") || "none"}. ` +
                `Started ${record.startTime}, ended ${record.endTime}.`,
            `## The study's findings\n\n${findingSection(findings)}`,
            ...record.tables.map(tableSection),
            `## Cost\n\n${costOf(record)}`,
            `## Failures\n\n${record.tables.map((t) => `### Table ${tableNumber(t.spec.axis)}\n\n${failureSection(t)}`).join("\n\n")}`,
            `## Environment\n\n${environmentSection(record.tables[0] ?? emptyTable(record))}`,
        ].join("\n\n") + "\n"
    );
}

/** environmentSection's view of a study that measured nothing. */
function emptyTable(record: StudyRecord): Pick<SweepRecord, "environment" | "measurements" | "startTime" | "endTime" | "interrupted" | "stack"> & { seed: number } {
    return { environment: record.environment, measurements: [], startTime: record.startTime, endTime: record.endTime, interrupted: record.interrupted, stack: record.stack, seed: 0 };
}
