import { spawn } from "node:child_process";
import { join } from "node:path";
import { PROJECT_DIR } from "../automation/labStack";

/**
 * Runs one of the project's scripts (start.sh, or a built script under the toolchain) with the
 * subcommand's validated arguments, its output and signals shared; resolves to its exit status.
 * The scripts keep their own workers and Ctrl-C handling (sweep and study stop after a step).
 */
export function runScript(kind: "shell" | "node", script: string, args: readonly string[]): Promise<number> {
    const argv =
        kind === "shell"
            ? [join(PROJECT_DIR, "scripts", script), ...args]
            : [join(PROJECT_DIR, "scripts", "with-toolchain.sh"), process.execPath, join(PROJECT_DIR, "dist", "scripts", script), ...args];
    const child = spawn("bash", argv, { stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward).on("SIGTERM", forward);
    return new Promise((resolve) =>
        child.on("exit", (code, signal) => {
            process.off("SIGINT", forward).off("SIGTERM", forward);
            resolve(code ?? (signal === "SIGINT" ? 130 : 1));
        }),
    );
}
