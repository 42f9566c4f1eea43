import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { PROJECT_DIR } from "./labStack";

/**
 * Runs `pulumi up` (or destroy) as a user would, in its own process group, and interrupts it when the host
 * shows that a given point was reached: SIGINT is what Ctrl-C sends (the CLI alone: its plugins
 * run in process groups of their own); SIGKILL kills the CLI and every process under it at once,
 * as the OOM killer or a CI runner's timeout would.
 */

/** How an interrupted up ended. */
export interface InterruptedUp {
    /** pid of the pulumi CLI. */
    readonly pid: number;
    /** False when the up ended before the point was seen (nothing was sent). */
    readonly interrupted: boolean;
    readonly exitCode: number | null;
    /** The CLI's stdout and stderr. */
    readonly output: string;
}

const POLL_MS = 50;

/** ppid and start time (clock ticks since boot) of a process, from /proc/PID/stat. */
function procStat(pid: number): { ppid: number; start: string } | undefined {
    try {
        // Fields after the command name, which is in parentheses and may hold spaces.
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return { ppid: Number(fields[1]), start: fields[19] };
    } catch {
        return undefined;
    }
}

/** The process and everything under it, as "pid start" keys (so a reused pid is never taken). */
function processTree(root: number): Map<number, string> {
    const stats = readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .map((d) => ({ pid: Number(d), stat: procStat(Number(d)) }));
    const tree = new Map<number, string>();
    const rootStat = procStat(root);
    if (rootStat) {
        tree.set(root, rootStat.start);
    }
    for (let grew = true; grew; ) {
        grew = false;
        for (const { pid, stat } of stats) {
            if (stat && !tree.has(pid) && tree.has(stat.ppid)) {
                tree.set(pid, stat.start);
                grew = true;
            }
        }
    }
    return tree;
}

function signalIfSame(pid: number, start: string, signal: NodeJS.Signals): void {
    if (procStat(pid)?.start === start) {
        try {
            process.kill(pid, signal);
        } catch {
            // exited in between
        }
    }
}

/** Stops the whole tree first (so nothing new is spawned), then kills every process in it. */
function killTree(root: number): void {
    // The CLI first, before the walk of /proc: it writes the checkpoints, and is frozen mid-write.
    try {
        process.kill(root, "SIGSTOP");
    } catch {
        // exited already
    }
    const stopped = new Map<number, string>();
    for (let tree = processTree(root); [...tree.keys()].some((p) => !stopped.has(p)); tree = processTree(root)) {
        for (const [pid, start] of tree) {
            if (!stopped.has(pid)) {
                signalIfSame(pid, start, "SIGSTOP");
                stopped.set(pid, start);
            }
        }
    }
    for (const [pid, start] of stopped) {
        signalIfSame(pid, start, "SIGKILL");
    }
}

/**
 * `pulumi up --yes` of the stack (the environment must hold the toolchain: PATH, backend,
 * passphrase); once `reached()` is true, sends `signal`, then waits for the CLI to end.
 */
export function interruptUp(stackName: string, reached: () => boolean, signal: "SIGINT" | "SIGKILL"): Promise<InterruptedUp> {
    return interruptPulumi(["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stackName], reached, signal);
}

/**
 * `pulumi ARGS` interrupted as interruptUp does; `arm`, when given, receives the interruption to
 * fire it at once from an event (e.g. a file appearing) rather than at the next poll, and
 * returns what stops its watching.
 */
export async function interruptPulumi(
    args: readonly string[],
    reached: () => boolean,
    signal: "SIGINT" | "SIGKILL",
    arm?: (interrupt: () => void) => () => void,
): Promise<InterruptedUp> {
    const child = spawn("pulumi", args, {
        cwd: PROJECT_DIR,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (b: Buffer) => chunks.push(b));
    child.stderr?.on("data", (b: Buffer) => chunks.push(b));
    const pid = child.pid as number;
    const done = new Promise<number | null>((resolve) => child.once("close", resolve));
    let interrupted = false;
    const interrupt = (): void => {
        if (interrupted || child.exitCode !== null || child.signalCode !== null) {
            return;
        }
        interrupted = true;
        if (signal === "SIGKILL") {
            killTree(pid);
        } else {
            process.kill(pid, "SIGINT");
        }
    };
    const disarm = arm?.(interrupt);
    while (!interrupted && child.exitCode === null && child.signalCode === null) {
        if (reached()) {
            interrupt();
            break;
        }
        await sleep(POLL_MS);
    }
    const exitCode = await done;
    disarm?.();
    return { pid, interrupted, exitCode, output: Buffer.concat(chunks).toString("utf8") };
}
