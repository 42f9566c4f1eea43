import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../automation/labStack";
import { runSupervised, stopOnSignals } from "../sweep/cli";
import { executeSweep } from "../sweep/execute";
import { methodTable } from "../sweep/report/markdown";
import { SweepSpec, asRecord, parseYaml, sweepSpecOf } from "../sweep/spec";
import { withHostMethods } from "../host/preflight";
import { headlineOf, summarize } from "../sweep/summary";

/**
 * npm run sweep -- <sweep file> [--out DIR] [--stack NAME]
 * Runs a sweep (sweeps/*.yaml) on its own stack and writes its report into
 * DIR/<name>-<start time>/ (default results-out/). SIGINT/SIGTERM (Ctrl-C): stops after the
 * current step, destroys the stack, writes what was measured. Exit 0 when everything was
 * measured, 1 when something failed, 2 on a bad sweep file, 130 when interrupted.
 */

interface Args {
    readonly file: string;
    readonly outDir: string;
    readonly stack?: string;
}

function parseArgs(argv: readonly string[]): Args {
    const usage = "usage: npm run sweep -- <sweep file> [--out DIR] [--stack NAME]";
    const positional: string[] = [];
    const flags = new Map<string, string>();
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--out" || argv[i] === "--stack") {
            const value = argv[++i];
            if (value === undefined) {
                throw new Error(usage);
            }
            flags.set(argv[i - 1], value);
        } else {
            positional.push(argv[i]);
        }
    }
    if (positional.length !== 1) {
        throw new Error(usage);
    }
    const stack = flags.get("--stack");
    if (stack !== undefined && !stack.startsWith("sweep")) {
        throw new Error(`--stack ${stack}: a sweep's stack name starts with "sweep"`);
    }
    return { file: positional[0], outDir: flags.get("--out") ?? join(PROJECT_DIR, "results-out"), ...(stack ? { stack } : {}) };
}

/** The sweep file, its base given every method this host supports when it names none (as a stack's program does). */
function sweepOnThisHost(file: string, log: (line: string) => void): SweepSpec {
    const top = asRecord(parseYaml(readFileSync(file, "utf8"), file));
    if (top.base !== undefined && asRecord(top.base) !== top.base) {
        return sweepSpecOf(top, file);
    }
    const { config, skipped } = withHostMethods(asRecord(top.base));
    for (const s of skipped) {
        log(`icc-bench: method ${s.method} left out on this host: ${s.reasons.join("; ")}`);
    }
    return sweepSpecOf({ ...top, base: config }, file);
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    const log = (line: string): void => console.log(line);
    const spec = sweepOnThisHost(args.file, log);
    const stopRequested = stopOnSignals(log);
    const { record, files } = await executeSweep(spec, { outDir: args.outDir, stack: args.stack, stopRequested, log });
    const cells = summarize(spec.points, spec.methods, record.measurements);
    const { cost } = record;
    const headline = headlineOf(spec.iperf);
    log(`\n${headline.title}, median of ${spec.repeats}\n\n${methodTable(record, cells, headline.figure, headline.figure === "perClient", headline.digits)}\n`);
    log(`wall ${cost.wallSeconds.toFixed(1)} s, traffic ${cost.trafficSeconds.toFixed(1)} s, ratio ${cost.ratio.toFixed(2)}; peak memory ${record.peakMemory.treeMiB} MiB (sweep process ${record.peakMemory.sweepMiB} MiB)`);
    log(`report: ${files.markdown}\n        ${files.csv}\n        ${files.clientsCsv}\n        ${files.json}\n        ${files.svg}`);
    if (record.interrupted) {
        return 130;
    }
    const failed = record.measurements.some((m) => m.error !== undefined) || record.destroy.error !== undefined;
    return failed ? 1 : 0;
}

runSupervised(main);
