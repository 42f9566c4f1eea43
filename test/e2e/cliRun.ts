import { ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR, labStackPaths } from "../../automation/labStack";

/** Shared by the sweep and study e2e tests: running a CLI as a terminal would, and whether its stack is left. */

/**
 * Runs a compiled CLI (dist/scripts/NAME.js) in a process group of its own, as a terminal runs a
 * foreground job; `onLine` sees each stdout line and the child (to signal its group as Ctrl-C does).
 */
export function runCli(script: string, args: readonly string[], onLine?: (line: string, child: ChildProcess) => void): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [script, ...args], { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "inherit"], detached: true });
        let stdout = "";
        let partial = "";
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const lines = (partial + chunk.toString()).split("\n");
            partial = lines.pop() ?? "";
            lines.forEach((l) => onLine?.(l, child));
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout }));
    });
}

/** The stack's checkpoint in the backend or its file in stacks/ (without listing the backend's stacks, which one broken stack fails). */
export function stackExists(stack: string): boolean {
    const checkpoint = labStackPaths(stack)?.checkpoint;
    return (checkpoint !== undefined && existsSync(checkpoint)) || existsSync(join(PROJECT_DIR, "stacks", `Pulumi.${stack}.yaml`));
}
