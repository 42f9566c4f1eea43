// Running one command the way the official local provider does.
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { CommandInputs } from "./inputs";

/** stdout/stderr of the previous create/update, as stored in the resource's outputs. */
export interface CommandOutput {
    stdout: string;
    stderr: string;
}

export const NO_OUTPUT: CommandOutput = { stdout: "", stderr: "" };

/** `interpreter` (default `/bin/sh -c`) followed by the command. */
export function buildArgv(command: string, interpreter?: string[]): string[] {
    const base = interpreter !== undefined && interpreter.length > 0 ? interpreter : ["/bin/sh", "-c"];
    return [...base, command];
}

/**
 * The process environment, then `environment`, then PULUMI_COMMAND_STDOUT/STDERR from the
 * previous outputs when non-empty and addPreviousOutputInEnv is on (later entries win).
 */
export function buildEnv(
    base: NodeJS.ProcessEnv,
    inputs: Pick<CommandInputs, "environment" | "addPreviousOutputInEnv">,
    previous: CommandOutput,
): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(base)) {
        if (v !== undefined) {
            env[k] = v;
        }
    }
    Object.assign(env, inputs.environment ?? {});
    if (inputs.addPreviousOutputInEnv) {
        if (previous.stdout !== "") {
            env.PULUMI_COMMAND_STDOUT = previous.stdout;
        }
        if (previous.stderr !== "") {
            env.PULUMI_COMMAND_STDERR = previous.stderr;
        }
    }
    return env;
}

/** The text with one trailing "\n" removed, as the official provider trims outputs. */
export function trimOneNewline(text: string): string {
    return text.endsWith("\n") ? text.slice(0, -1) : text;
}

/** The error message of a failed command: the reason, the command and its combined output. */
export function failureMessage(reason: string, command: string, combined: string): string {
    return `${reason}: running ${JSON.stringify(command)}:\n${combined}`;
}

function checkDir(dir: string): void {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new Error(`chdir ${dir}: no such directory`);
    }
}

/**
 * Runs `command` with the inputs' interpreter, dir, environment and stdin. Resolves with the
 * trimmed stdout/stderr; rejects on a non-zero exit with the combined output in the message.
 */
export function runCommand(command: string, inputs: CommandInputs, previous: CommandOutput): Promise<CommandOutput> {
    const cwd = inputs.dir ?? process.cwd();
    checkDir(cwd);
    const [file, ...args] = buildArgv(command, inputs.interpreter);
    const hasStdin = inputs.stdin !== undefined && inputs.stdin.length > 0;
    return new Promise((resolve, reject) => {
        const child = spawn(file, args, {
            cwd,
            env: buildEnv(process.env, inputs, previous),
            stdio: [hasStdin ? "pipe" : "ignore", "pipe", "pipe"],
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const all: Buffer[] = [];
        child.stdout?.on("data", (b: Buffer) => (out.push(b), all.push(b)));
        child.stderr?.on("data", (b: Buffer) => (err.push(b), all.push(b)));
        if (hasStdin && child.stdin) {
            child.stdin.on("error", () => undefined); // EPIPE when the command ignores stdin
            child.stdin.end(inputs.stdin);
        }
        child.on("error", (e) => reject(new Error(failureMessage(e.message, command, ""))));
        child.on("close", (code, signal) => {
            if (code === 0) {
                resolve({
                    stdout: trimOneNewline(Buffer.concat(out).toString("utf8")),
                    stderr: trimOneNewline(Buffer.concat(err).toString("utf8")),
                });
                return;
            }
            const reason = signal !== null ? `signal: ${signal}` : `exit status ${code}`;
            reject(new Error(failureMessage(reason, command, Buffer.concat(all).toString("utf8"))));
        });
    });
}
