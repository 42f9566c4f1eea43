import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../automation/labStack";
import { runSupervised, stopOnSignals } from "../sweep/cli";
import { methodTable } from "../sweep/report/markdown";
import { reportDirName } from "../sweep/report/write";
import { studyFindings } from "../sweep/study/findings";
import { tableNumber } from "../sweep/study/figures";
import { RATIO_GOAL } from "../sweep/study/markdown";
import { StudyRecord } from "../sweep/study/record";
import { runStudy } from "../sweep/study/run";
import { parseStudy } from "../sweep/study/spec";
import { StudyFiles, loadStudy, writeStudy } from "../sweep/study/write";
import { summarize } from "../sweep/summary";

/**
 * npm run study -- [STUDY FILE] [--quick] [--out DIR] [--stack NAME]
 * npm run study -- --render DIR
 * Runs the 2014 study's three tables (default sweeps/study.yaml: its sizes, every method, 5 s,
 * 3 repeats; --quick: 1 repeat, 2 s tests) on one stack and writes DIR/study-<start time>/
 * (default results-out/): study.md, study.html, chart-table<n>.svg, results.csv, results.json.
 * --render DIR writes a finished study's files again from its results.json, measuring nothing.
 * Ctrl-C: stops after the current step, destroys the stack, writes what was measured.
 * Exit 0 when everything was measured, 1 when something failed, 2 on a bad study file, 130 when interrupted.
 */

interface Args {
    readonly file: string;
    readonly quick: boolean;
    readonly outDir: string;
    readonly stack?: string;
    readonly render?: string;
}

const USAGE = "usage: npm run study -- [STUDY FILE] [--quick] [--out DIR] [--stack NAME] | --render DIR";

function parseArgs(argv: readonly string[]): Args {
    const positional: string[] = [];
    const flags = new Map<string, string>();
    let quick = false;
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--quick") {
            quick = true;
        } else if (["--out", "--stack", "--render"].includes(argv[i])) {
            const value = argv[++i];
            if (value === undefined) {
                throw new Error(USAGE);
            }
            flags.set(argv[i - 1], value);
        } else if (argv[i].startsWith("--")) {
            throw new Error(`${argv[i]}: unknown option; ${USAGE}`);
        } else {
            positional.push(argv[i]);
        }
    }
    const stack = flags.get("--stack");
    if (positional.length > 1 || (flags.has("--render") && (positional.length > 0 || quick || stack !== undefined))) {
        throw new Error(USAGE);
    }
    if (stack !== undefined && !stack.startsWith("sweep")) {
        throw new Error(`--stack ${stack}: a study's stack name starts with "sweep"`);
    }
    return {
        file: positional[0] ?? join(PROJECT_DIR, "sweeps", "study.yaml"),
        quick,
        outDir: flags.get("--out") ?? join(PROJECT_DIR, "results-out"),
        ...(stack ? { stack } : {}),
        ...(flags.has("--render") ? { render: flags.get("--render") } : {}),
    };
}

function printSummary(record: StudyRecord, files: StudyFiles, log: (line: string) => void): void {
    for (const table of record.tables) {
        const cells = summarize(table.spec.points, table.spec.methods, table.measurements);
        log(`\nTable ${tableNumber(table.spec.axis)}: Gbit/s per client process, median of ${table.spec.repeats}\n\n${methodTable(table, cells, "perClient", true)}`);
    }
    log("\nThe study's findings:");
    for (const [i, f] of studyFindings(record.tables, record.environment).entries()) {
        log(`  ${i + 1}. ${f.claim}: ${f.verdict.toUpperCase()}\n     ${f.evidence.join("\n     ")}`);
    }
    const { cost, peakMemory } = record;
    log(
        `\nwall ${cost.wallSeconds.toFixed(1)} s, traffic ${cost.trafficSeconds.toFixed(1)} s, ratio ${cost.ratio.toFixed(2)} (goal ${RATIO_GOAL}); ` +
            `peak memory ${peakMemory.treeMiB} MiB for all processes (study process ${peakMemory.sweepMiB} MiB)`,
    );
    log(`study: ${files.markdown}\n       ${files.html}\n       ${files.csv}\n       ${files.json}\n       ${files.charts.join("\n       ")}`);
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    const log = (line: string): void => console.log(line);
    if (args.render !== undefined) {
        const record = loadStudy(args.render);
        printSummary(record, await writeStudy(record, args.render), log);
        return 0;
    }
    const spec = parseStudy(readFileSync(args.file, "utf8"), args.file, args.quick);
    const stopRequested = stopOnSignals(log);
    const record = await runStudy(spec, { stack: args.stack, stopRequested, log });
    const files = await writeStudy(record, join(args.outDir, reportDirName(spec.name, record.startTime)));
    printSummary(record, files, log);
    if (record.interrupted) {
        return 130;
    }
    const failed = record.tables.some((t) => t.measurements.some((m) => m.error !== undefined)) || record.destroy.error !== undefined;
    return failed ? 1 : 0;
}

runSupervised(main);
