import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The checkpoints of a stack in Pulumi's file backend (`PULUMI_BACKEND_URL=file://DIR`), and
 * which of them the backend can load.
 *
 * The backend (pkg/backend/diy) keeps a stack's checkpoint in
 * `DIR/.pulumi/stacks/<project>/<stack>.json`; before each write it copies the old one to
 * `<stack>.json.bak`, and after an update it copies it to `.pulumi/backups/<project>/<stack>/
 * <stack>.<ns>.json` and `.pulumi/history/<project>/<stack>/<stack>-<ns>.checkpoint.json`.
 * Every file is written by the blob library (gocloud.dev fileblob) as a temporary file
 * `<file>.<hex ns>.tmp`, then its sidecar `<file>.attrs` (JSON: content type, MD5) is truncated
 * and written in place, then the temporary file is renamed over `<file>`. A process killed in
 * between leaves the temporary file stranded, and possibly an empty or truncated sidecar: every
 * read of that file then fails (`failed to load checkpoint: EOF`), `pulumi stack ls` included.
 * The sidecar holds nothing the backend needs (a file without one reads as
 * application/octet-stream), so a broken one can go. Compressed checkpoints (.gz, .zst) are not
 * written by this project and not looked at.
 */

/** The blob library's metadata sidecar of every file. */
export const SIDECAR = ".attrs";

/** Where the file backend keeps one stack's files. */
export interface StackPaths {
    readonly stack: string;
    /** `organization/<project>/<stack>`: what the backend writes as the checkpoint's stack. */
    readonly qualifiedName: string;
    /** `<stack>.json`, the checkpoint every command loads. */
    readonly checkpoint: string;
    readonly stacksDir: string;
    readonly backupsDir: string;
    readonly historyDir: string;
    readonly locksDir: string;
}

/** The folder of a file backend URL (`file://DIR[?options]`, `~` for the home folder); undefined for other backends. */
export function fileBackendDir(url: string | undefined = process.env.PULUMI_BACKEND_URL): string | undefined {
    if (url === undefined || !url.startsWith("file://")) {
        return undefined;
    }
    const path = url.slice("file://".length).split("?")[0];
    return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

export function stackPaths(backendDir: string, project: string, stack: string): StackPaths {
    const dir = (kind: string, ...rest: string[]) => join(backendDir, ".pulumi", kind, project, ...rest);
    const qualifiedName = `organization/${project}/${stack}`;
    return {
        stack,
        qualifiedName,
        checkpoint: dir("stacks", `${stack}.json`),
        stacksDir: dir("stacks"),
        backupsDir: dir("backups", stack),
        historyDir: dir("history", stack),
        // Locks go by the qualified name (pkg/backend/diy/lock.go).
        locksDir: join(backendDir, ".pulumi", "locks", ...qualifiedName.split("/")),
    };
}

/** Names of the stacks of the project in the backend: every `<stack>.json` of its stacks folder. */
export function backendStacks(backendDir: string, project: string): string[] {
    const dir = stackPaths(backendDir, project, "_").stacksDir;
    return existsSync(dir) ? readdirSync(dir).flatMap((f) => /^(.+)\.json$/.exec(f)?.slice(1, 2) ?? []).sort() : [];
}

/** What the backend wrote a file as. */
export type CheckpointKind = "checkpoint" | "unfinished write" | "previous checkpoint (.bak)" | "backup" | "history";

/** A file that may hold a checkpoint of the stack. */
export interface CheckpointFile {
    readonly path: string;
    readonly kind: CheckpointKind;
    readonly content: string;
}

/** One file's verdict. */
export interface Judgement {
    readonly file: CheckpointFile;
    /** Why it is not a whole checkpoint of the stack; undefined when it is. */
    readonly problem?: string;
    /** When the engine wrote it (its manifest time), ms since the epoch; 0 when unknown. */
    readonly writtenMs: number;
    readonly resources: number;
    readonly pendingOperations: number;
    /** What `pulumi stack import` takes: the checkpoint's latest deployment and its version. */
    readonly deployment?: { readonly version: number; readonly deployment: unknown };
}

/** The parts of a checkpoint file the judgement reads. */
interface CheckpointJson {
    readonly version?: unknown;
    readonly checkpoint?: {
        readonly stack?: unknown;
        readonly latest?: {
            readonly manifest?: { readonly time?: unknown };
            readonly resources?: unknown;
            readonly pending_operations?: unknown;
        };
    };
}

const bytes = (text: string): string => `${Buffer.byteLength(text)} bytes`;

/** Why the blob library cannot decode this sidecar (one JSON object), or undefined when it can. */
export function sidecarProblem(text: string): string | undefined {
    if (text.trim() === "") {
        return `empty (${bytes(text)}): every read of its file fails with EOF`;
    }
    try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value) ? undefined : `not a JSON object (${bytes(text)})`;
    } catch {
        return `not whole JSON (${bytes(text)}, cut short): every read of its file fails`;
    }
}

/** Whether `file` holds a whole checkpoint of the stack named `qualifiedName`, as the file backend writes one. */
export function judgeCheckpoint(file: CheckpointFile, qualifiedName: string): Judgement {
    const none = { file, writtenMs: 0, resources: 0, pendingOperations: 0 };
    let parsed: CheckpointJson;
    try {
        parsed = JSON.parse(file.content) as CheckpointJson;
    } catch {
        return { ...none, problem: `not whole JSON (${bytes(file.content)})` };
    }
    const version = parsed.version;
    if (typeof version !== "number" || ![1, 2, 3].includes(version)) {
        return { ...none, problem: `not a checkpoint (version ${JSON.stringify(version)})` };
    }
    const stack = parsed.checkpoint?.stack;
    if (stack !== qualifiedName) {
        return { ...none, problem: `a checkpoint of ${JSON.stringify(stack)}, not of ${qualifiedName}` };
    }
    const latest = parsed.checkpoint?.latest;
    if (latest === undefined) {
        return { ...none, problem: "a checkpoint with no deployment in it" };
    }
    if (!Array.isArray(latest.resources ?? [])) {
        return { ...none, problem: "its resources are not a list" };
    }
    const time = typeof latest.manifest?.time === "string" ? Date.parse(latest.manifest.time) : NaN;
    return {
        file,
        writtenMs: Number.isNaN(time) ? 0 : time,
        resources: ((latest.resources ?? []) as unknown[]).length,
        pendingOperations: Array.isArray(latest.pending_operations) ? latest.pending_operations.length : 0,
        deployment: { version, deployment: latest },
    };
}

/** Every file's verdict, newest first (the stack's own checkpoint first among equals), and the newest whole one. */
export function chooseCheckpoint(files: readonly CheckpointFile[], qualifiedName: string): { readonly chosen?: Judgement; readonly judged: readonly Judgement[] } {
    const judged = files
        .map((f) => judgeCheckpoint(f, qualifiedName))
        .sort((a, b) => b.writtenMs - a.writtenMs || Number(b.file.kind === "checkpoint") - Number(a.file.kind === "checkpoint"));
    return { chosen: judged.find((j) => j.problem === undefined), judged };
}

/** Files of a folder whose names match, as full paths; none when the folder is absent. */
function filesOf(dir: string, name: RegExp): string[] {
    return existsSync(dir) ? readdirSync(dir).filter((f) => name.test(f) && !f.endsWith(SIDECAR)).sort().map((f) => join(dir, f)) : [];
}

function escaped(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The stack's files in the stacks folder: `<stack>.json`, `.json.bak`, and temporary files of either. */
function stackFolderFiles(paths: StackPaths): string[] {
    return filesOf(paths.stacksDir, new RegExp(`^${escaped(paths.stack)}\\.json(\\.bak)?(\\.[0-9a-f]+\\.tmp)?$`));
}

/** Temporary files the blob library left of the stack's checkpoint and of its .bak copy. */
export function strandedWrites(paths: StackPaths): string[] {
    return stackFolderFiles(paths).filter((p) => p.endsWith(".tmp"));
}

function kindOf(path: string, paths: StackPaths): CheckpointKind {
    if (path === paths.checkpoint) {
        return "checkpoint";
    }
    if (path.endsWith(".tmp")) {
        return "unfinished write";
    }
    if (path.endsWith(".bak")) {
        return "previous checkpoint (.bak)";
    }
    return path.startsWith(paths.backupsDir) ? "backup" : "history";
}

/** Every file that may hold a checkpoint of the stack: its own, stranded writes, .bak, backups, history. */
export function checkpointFiles(paths: StackPaths): CheckpointFile[] {
    const stack = escaped(paths.stack);
    const found = [
        ...stackFolderFiles(paths),
        ...filesOf(paths.backupsDir, new RegExp(`^${stack}\\.\\d+\\.json$`)),
        ...filesOf(paths.historyDir, new RegExp(`^${stack}-\\d+\\.checkpoint\\.json$`)),
    ];
    return found.map((path) => ({ path, kind: kindOf(path, paths), content: readFileSync(path, "utf8") }));
}

/** Sidecars of the stack's files that the blob library cannot decode, with why. */
export function brokenSidecars(paths: StackPaths): { readonly path: string; readonly problem: string }[] {
    const owners = [
        ...stackFolderFiles(paths),
        ...filesOf(paths.backupsDir, /./),
        ...filesOf(paths.historyDir, /./),
        ...filesOf(paths.locksDir, /./),
    ];
    return owners.flatMap((owner) => {
        const path = owner + SIDECAR;
        const problem = existsSync(path) ? sidecarProblem(readFileSync(path, "utf8")) : undefined;
        return problem === undefined ? [] : [{ path, problem }];
    });
}

/** What is wrong with a stack's files in the backend. */
export interface StackHealth {
    readonly stack: string;
    /** False when every command of the stack fails to load its checkpoint. */
    readonly loads: boolean;
    /** What was found, for people; empty when nothing is wrong. */
    readonly problems: readonly string[];
}

/** Looks at the stack's files as the backend would load them. */
export function stackHealth(paths: StackPaths): StackHealth {
    const sidecars = brokenSidecars(paths);
    const own = sidecars.find((s) => s.path === paths.checkpoint + SIDECAR);
    const content = existsSync(paths.checkpoint)
        ? judgeCheckpoint({ path: paths.checkpoint, kind: "checkpoint", content: readFileSync(paths.checkpoint, "utf8") }, paths.qualifiedName).problem
        : "absent";
    // A stack that never deployed has a checkpoint with no deployment: that loads.
    const contentBroken = content !== undefined && content !== "a checkpoint with no deployment in it";
    return {
        stack: paths.stack,
        loads: own === undefined && !contentBroken,
        problems: [
            ...sidecars.map((s) => `sidecar ${s.path}: ${s.problem}`),
            ...(contentBroken ? [`checkpoint ${paths.checkpoint}: ${content}`] : []),
            ...strandedWrites(paths).map((p) => `stranded temporary file of an unfinished write: ${p}`),
        ],
    };
}

/** Who holds the stack's lock, from its lock files (`{"pid":42,"hostname":"vm",...}`); unreadable ones are left out. */
export function lockFileHolders(paths: StackPaths): { readonly host: string; readonly pid: number }[] {
    return filesOf(paths.locksDir, /\.json$/).flatMap((p) => {
        try {
            const lock = JSON.parse(readFileSync(p, "utf8")) as { pid?: unknown; hostname?: unknown };
            return typeof lock.pid === "number" && typeof lock.hostname === "string" ? [{ host: lock.hostname, pid: lock.pid }] : [];
        } catch {
            return [];
        }
    });
}

/** Removes files of the backend; returns their paths. */
export function removeFiles(paths: readonly string[]): string[] {
    paths.forEach((p) => rmSync(p, { force: true }));
    return [...paths];
}
