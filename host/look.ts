import { execFileSync } from "node:child_process";

/**
 * Reading the host through its tools (ip, docker, ovs-vsctl, iptables-save). A tool that is
 * missing, fails or times out means the host could not be looked at: that is a CannotLook error
 * naming the tool and what it said, never an empty answer ("nothing found" would be a guess).
 */

/** How long one reading of the host may take. */
export const LOOK_TIMEOUT_MS = 20_000;

/** Why a tool gave no answer. */
export type CannotLookReason = "missing" | "failed" | "timed out";

export class CannotLook extends Error {
    constructor(
        readonly tool: string,
        readonly args: readonly string[],
        readonly reason: CannotLookReason,
        readonly detail: string,
    ) {
        super(`could not look at the host: \`${[tool, ...args].join(" ")}\` ${reason}${detail === "" ? "" : `: ${detail}`}`);
        this.name = "CannotLook";
    }
}

interface ExecError {
    readonly code?: string;
    readonly status?: number | null;
    readonly signal?: string | null;
    readonly stderr?: Buffer | string;
    readonly message: string;
}

/** The CannotLook of a failed execFileSync. */
function cannotLook(tool: string, args: readonly string[], e: ExecError, timeoutMs: number): CannotLook {
    const stderr = (e.stderr ?? "").toString().trim();
    if (e.code === "ENOENT") {
        return new CannotLook(tool, args, "missing", `${tool} is not installed (not found on PATH)`);
    }
    if (e.code === "ETIMEDOUT") {
        return new CannotLook(tool, args, "timed out", `no answer within ${timeoutMs / 1000} s${stderr === "" ? "" : `; stderr: ${stderr}`}`);
    }
    const exit = e.status !== null && e.status !== undefined ? `exit ${e.status}` : `killed by ${e.signal ?? "a signal"}`;
    return new CannotLook(tool, args, "failed", `${exit}${stderr === "" ? "" : `; stderr: ${stderr}`}`);
}

/** The stdout of `tool args`; throws CannotLook when the tool is missing, fails or times out. */
export function look(tool: string, args: readonly string[], timeoutMs = LOOK_TIMEOUT_MS): string {
    return lookThrough(tool, args, tool, args, timeoutMs);
}

/**
 * The stdout of `file argv`, which runs `tool args` (on another host, through its Docker
 * endpoint); a failure is the tool's CannotLook. `missingStatus` is the exit status meaning the
 * tool is not there (docker run's 127).
 */
export function lookThrough(file: string, argv: readonly string[], tool: string, args: readonly string[], timeoutMs = LOOK_TIMEOUT_MS, missingStatus?: number): string {
    try {
        return execFileSync(file, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    } catch (e) {
        const err = e as ExecError;
        if (missingStatus !== undefined && err.status === missingStatus) {
            throw new CannotLook(tool, args, "missing", `${tool} is not there: ${(err.stderr ?? "").toString().trim()}`);
        }
        throw cannotLook(tool, args, err, timeoutMs);
    }
}

/** Runs one removal; returns its error text, or undefined when it succeeded. */
export function attempt(file: string, args: readonly string[]): string | undefined {
    try {
        execFileSync(file, args, { stdio: ["ignore", "ignore", "pipe"], timeout: 60_000 });
        return undefined;
    } catch (e) {
        const err = e as { stderr?: Buffer; message: string };
        return `${file} ${args.join(" ")}: ${(err.stderr?.toString() ?? err.message).trim()}`;
    }
}

