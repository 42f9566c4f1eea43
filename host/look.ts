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
    try {
        return execFileSync(tool, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    } catch (e) {
        throw cannotLook(tool, args, e as ExecError, timeoutMs);
    }
}

