import Docker from "dockerode";
import { PassThrough } from "node:stream";

/** A container as the runner needs to know it. */
export interface ContainerState {
    readonly running: boolean;
    readonly exitCode: number;
    /** Its first process on the engine's host (0 when not running). */
    readonly pid: number;
}

/** What a finished exec printed and how it ended. */
export interface ExecResult {
    readonly stdout: string;
    readonly stderr: string;
    readonly exitCode: number;
}

/** A process started in a container, stdin open. */
export interface Exec {
    /** Its first line on stdout; undefined when it ended without one. */
    readonly firstLine: Promise<string | undefined>;
    /** Writes one line to its stdin (after firstLine has resolved). */
    send(line: string): void;
    /** Its whole output and exit code once it ends. */
    readonly done: Promise<ExecResult>;
}

/** The runner's way to one Docker engine. */
export interface Engine {
    exec(container: string, argv: readonly string[]): Exec;
    /** Each named container's state; a container the engine does not have is absent. */
    inspect(names: readonly string[]): Promise<Map<string, ContainerState>>;
}

/** The exit code of an exec that could not be started, as the docker CLI gives it. */
export const EXEC_NOT_STARTED = 126;

/** The exit code of an exec that ran but whose end the engine did not report (its output is kept). */
export const EXIT_CODE_UNREAD = 255;

/** An Engine on the Docker Engine API (dockerode). */
export function dockerEngine(docker: Docker): Engine {
    return {
        exec: (container, argv) => startExec(docker, container, argv),
        inspect: async (names) => {
            const states = await Promise.all(names.map((n) => inspectOne(docker, n)));
            return new Map(names.flatMap((n, i) => (states[i] === undefined ? [] : [[n, states[i]] as const])));
        },
    };
}

async function inspectOne(docker: Docker, name: string): Promise<ContainerState | undefined> {
    try {
        const info = await docker.getContainer(name).inspect();
        return { running: info.State.Running, exitCode: info.State.ExitCode, pid: info.State.Pid };
    } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) {
            return undefined;
        }
        throw new Error(`docker inspect ${name}: ${(e as Error).message}`);
    }
}

function startExec(docker: Docker, container: string, argv: readonly string[]): Exec {
    let write: (line: string) => void = () => undefined;
    let resolveFirst: (line: string | undefined) => void = () => undefined;
    const firstLine = new Promise<string | undefined>((resolve) => (resolveFirst = resolve));
    const done = (async (): Promise<ExecResult> => {
        try {
            const exec = await docker.getContainer(container).exec({ Cmd: [...argv], AttachStdin: true, AttachStdout: true, AttachStderr: true });
            const stream = await exec.start({ hijack: true, stdin: true });
            write = (line) => stream.write(`${line}\n`);
            const [stdout, stderr] = [new PassThrough(), new PassThrough()];
            const out = collect(stdout, resolveFirst);
            const err = collect(stderr, () => undefined);
            docker.modem.demuxStream(stream, stdout, stderr);
            await new Promise<void>((resolve, reject) => {
                stream.on("end", resolve);
                stream.on("close", resolve);
                stream.on("error", reject);
            });
            stdout.end();
            stderr.end();
            const printed = { stdout: await out, stderr: await err };
            // What it printed stands even when the engine cannot say how it ended.
            return await exitCodeOf(exec).then(
                (exitCode) => ({ ...printed, exitCode }),
                (e: unknown) => ({ ...printed, stderr: `${printed.stderr}docker exec ${container}: ${(e as Error).message}\n`, exitCode: EXIT_CODE_UNREAD }),
            );
        } catch (e) {
            return { stdout: "", stderr: `docker exec ${container}: ${(e as Error).message}\n`, exitCode: EXEC_NOT_STARTED };
        } finally {
            resolveFirst(undefined);
        }
    })();
    return { firstLine, send: (line) => write(line), done };
}

/** Everything the stream carries; `onFirstLine` gets its first line as soon as it is whole. */
function collect(stream: PassThrough, onFirstLine: (line: string) => void): Promise<string> {
    let text = "";
    let first = true;
    stream.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
        const eol = text.indexOf("\n");
        if (first && eol >= 0) {
            first = false;
            onFirstLine(text.slice(0, eol));
        }
    });
    return new Promise((resolve) => stream.on("end", () => resolve(text)));
}

/** The exec's exit code; the engine may record it a moment after the stream closed. */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
    for (let attempt = 0; ; attempt++) {
        const info = await exec.inspect();
        if (!info.Running && info.ExitCode !== null) {
            return info.ExitCode;
        }
        if (attempt >= 50) {
            throw new Error("the exec's stream ended but the engine still has it running");
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/** One Engine over several: each container reached through the engine of the host it runs on. */
export function routedEngine(engines: ReadonlyMap<string, Engine>, hostOf: ReadonlyMap<string, string>): Engine {
    const engineOf = (container: string): Engine => {
        const engine = engines.get(hostOf.get(container) ?? "");
        if (engine === undefined) {
            throw new Error(`the benchmark plan puts container ${container} on no host it names`);
        }
        return engine;
    };
    return {
        exec: (container, argv) => engineOf(container).exec(container, argv),
        inspect: async (names) => {
            const found = await Promise.all(names.map((n) => engineOf(n).inspect([n])));
            return new Map(found.flatMap((m) => [...m]));
        },
    };
}
