import { spawn } from "node:child_process";
import { constants as osConstants } from "node:os";
import { exitWhenFlushed } from "../framing/exit";
import { SweepFileError } from "./spec";

/** Set in the sweep's (or study's) own process, which runs in a process group of its own. */
const WORKER_ENV = "ICC_BENCH_SWEEP_WORKER";

/** True in the worker that superviseWorker started. */
function isWorker(): boolean {
    return process.env[WORKER_ENV] !== undefined;
}

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

/**
 * A sweep's or study's script: in the terminal's process, supervises the worker; in the worker,
 * runs `main` and exits with its code (2 for a bad sweep or study file, 1 for any other error).
 */
export function runSupervised(main: () => Promise<number>): void {
    if (!isWorker()) {
        superviseWorker();
        return;
    }
    main().then(exitWhenFlushed, (e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        exitWhenFlushed(e instanceof SweepFileError ? 2 : 1);
    });
}

/** The first SIGINT/SIGTERM asks the sweep to stop; later ones only say it is still cleaning up. */
export function stopOnSignals(log: (line: string) => void): () => boolean {
    let stop = false;
    const onSignal = (signal: NodeJS.Signals): void => {
        log(stop ? `${signal}: still stopping; the stack is being destroyed, please wait` : `${signal}: stopping after the current step, then destroying the stack`);
        stop = true;
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    return () => stop;
}
