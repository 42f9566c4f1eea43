import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "../automation/labStack";
import { executeSweep } from "../sweep/execute";
import { methodTable } from "../sweep/report/markdown";
import { SweepFileError, parseSweep } from "../sweep/spec";
import { summarize } from "../sweep/summary";

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

/** Set in the sweep's own process, which runs in a process group of its own. */
const WORKER_ENV = "ICC_BENCH_SWEEP_WORKER";

/**
 * Ctrl-C reaches every process of the terminal's foreground group, Pulumi CLIs included, and a
 * cancelled `up` or `destroy` can leave the stack half made. So the sweep runs in a child out of
 * that group; this parent hands it each SIGINT/SIGTERM and exits with its exit code.
 */
function superviseWorker(): void {
    const worker = spawn(process.execPath, process.argv.slice(1), { detached: true, stdio: "inherit", env: { ...process.env, [WORKER_ENV]: "1" } });
    const forward = (signal: NodeJS.Signals): void => {
        worker.kill(signal);
    };
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    worker.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1)));
}

/** The first SIGINT/SIGTERM asks the sweep to stop; later ones only say it is still cleaning up. */
function stopOnSignals(log: (line: string) => void): () => boolean {
    let stop = false;
    const onSignal = (signal: NodeJS.Signals): void => {
        log(stop ? `${signal}: still stopping; the stack is being destroyed, please wait` : `${signal}: stopping after the current step, then destroying the stack`);
        stop = true;
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return () => stop;
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    const spec = parseSweep(readFileSync(args.file, "utf8"), args.file);
    const log = (line: string): void => console.log(line);
    const stopRequested = stopOnSignals(log);
    const { record, files } = await executeSweep(spec, { outDir: args.outDir, stack: args.stack, stopRequested, log });
    const cells = summarize(spec.points, spec.methods, record.measurements);
    const { cost } = record;
    log(`\nGbit/s per client process, median of ${spec.repeats}\n\n${methodTable(record, cells, "perClient", true)}\n`);
    log(`wall ${cost.wallSeconds.toFixed(1)} s, traffic ${cost.trafficSeconds.toFixed(1)} s, ratio ${cost.ratio.toFixed(2)}; peak memory ${record.peakMemory.treeMiB} MiB (sweep process ${record.peakMemory.sweepMiB} MiB)`);
    log(`report: ${files.markdown}\n        ${files.csv}\n        ${files.json}\n        ${files.svg}`);
    if (record.interrupted) {
        return 130;
    }
    const failed = record.measurements.some((m) => m.error !== undefined) || record.destroy.error !== undefined;
    return failed ? 1 : 0;
}

if (process.env[WORKER_ENV] === undefined) {
    superviseWorker();
} else {
    main().then(
        (code) => process.exit(code),
        (e: unknown) => {
            console.error(e instanceof Error ? e.message : e);
            process.exit(e instanceof SweepFileError ? 2 : 1);
        },
    );
}
