import { LocalWorkspace, Stack, UpResult } from "@pulumi/pulumi/automation";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { findBroken, plannedHostObjects } from "../host/doctor";
import { withHostMethods } from "../host/preflight";
import { STACK_LABEL, planStack, rawConfigFromPulumi, validateSettings } from "../model";
import { CheckpointKind, brokenSidecars, checkpointFiles, chooseCheckpoint, lockFileHolders, removeFiles, stackHealth, strandedWrites } from "./checkpoint";
import { PROJECT_DIR, labStackPaths } from "./labStack";

/**
 * Brings a stack's lab back to what its config says after an interrupted `pulumi up` or after
 * parts of the lab were removed by hand, in one go:
 *   0. a checkpoint the file backend cannot load (a kill during its write: an empty or cut
 *      sidecar, automation/checkpoint.ts) is recovered: broken sidecars and stranded temporary
 *      files go, and the newest whole checkpoint the backend kept of the stack (the unfinished
 *      write, the checkpoint itself, .bak, backups, history) is imported (`pulumi stack import`);
 *   1. a lock left by a pulumi process that no longer runs (kill -9) is removed (`pulumi cancel`);
 *   2. `pulumi refresh --clear-pending-creates`: vanished containers leave the state, and so do
 *      operations the interrupted run never finished;
 *   3. lab containers and Docker networks Docker holds but the state does not (created by an
 *      interrupted run) are removed, or the next create of the same name or subnet would fail;
 *   4. host objects the state holds but the host lacks are found (host/doctor.ts);
 *   5. `pulumi up --replace` of those objects: the rest of the lab is made, the broken objects
 *      are made again, and the benchmark measures again whenever anything changed.
 */

/** A resource of the state whose host objects are (partly) gone. */
export interface BrokenResource {
    readonly urn: string;
    /** What the host lacks, for people. */
    readonly missing: readonly string[];
}

/** The checkpoint that step 0 gave the stack. */
export interface RestoredCheckpoint {
    readonly path: string;
    readonly kind: CheckpointKind;
    /** When the engine wrote it (its manifest time). */
    readonly written: string;
    readonly resources: number;
    /** False when the stack's own checkpoint was the newest whole one: only broken files went. */
    readonly imported: boolean;
}

/** What step 0 found and did; undefined in a report when the stack's files were sound. */
export interface CheckpointRecovery {
    /** What was wrong, for people. */
    readonly found: readonly string[];
    /** Broken sidecars and stranded temporary files removed. */
    readonly removed: readonly string[];
    /** Files looked at and not taken, with why (newest first). */
    readonly rejected: readonly string[];
    /** undefined when the checkpoint loaded already (only broken side files were removed). */
    readonly restored?: RestoredCheckpoint;
}

/** The stack's checkpoint cannot be loaded and the backend kept no whole one of it. */
export class UnrecoverableCheckpoint extends Error {}

/** What one repair did. */
export interface RepairReport {
    readonly checkpoint?: CheckpointRecovery;
    /** pids of dead pulumi processes whose stack lock was removed. */
    readonly staleLockPids: readonly number[];
    /** Operations the state still listed as in progress, dropped by the refresh. */
    readonly clearedPendingOperations: number;
    /** Lab containers Docker held outside the state, removed. */
    readonly removedContainers: readonly string[];
    /** Lab Docker networks Docker held outside the state, removed (their subnet would refuse the next create). */
    readonly removedNetworks: readonly string[];
    /** Resources whose host objects were gone, made again by the up. */
    readonly replaced: readonly BrokenResource[];
    readonly up: UpResult;
}

/** The parts of a state resource the repair reads. */
interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly id?: string;
    readonly inputs?: Readonly<Record<string, unknown>>;
    readonly delete?: boolean;
}

interface StateDeployment {
    readonly resources?: readonly StateResource[];
    readonly pending_operations?: readonly unknown[];
}

/** One `pulumi` process holding the stack's lock, as the lock error names it. */
interface LockHolder {
    readonly host: string;
    readonly pid: number;
}

/** Holders named by a "stack is currently locked" error (file backend): "created by root@vm (pid 42)". */
function lockHolders(message: string): LockHolder[] {
    const named = [...message.matchAll(/created by [^@\s]+@(\S+) \(pid (\d+)\)/g)].map((m) => `${m[2]} ${m[1]}`);
    return [...new Set(named)].map((key) => {
        const [pid, host] = key.split(" ");
        return { host, pid: Number(pid) };
    });
}

function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** A lock is stale when its holder ran on this host and is gone; elsewhere, nobody can tell. */
function isStale(holder: LockHolder): boolean {
    return holder.host === hostname() && !isRunning(holder.pid);
}

async function deployment(stack: Stack): Promise<StateDeployment> {
    return ((await stack.exportStack()).deployment ?? {}) as StateDeployment;
}

/** Runs `op`; when the stack is locked only by dead processes, removes the lock and runs it again. */
async function unlockingStale<T>(stack: Stack, op: () => Promise<T>, removed: number[]): Promise<T> {
    try {
        return await op();
    } catch (e) {
        const holders = lockHolders(String(e));
        if (holders.length === 0) {
            throw e;
        }
        const live = holders.filter((h) => !isStale(h));
        if (live.length > 0) {
            const who = live.map((h) => `pid ${h.pid} on ${h.host}`).join(", ");
            throw new Error(`stack ${stack.name} is being updated by ${who}: let it finish (or stop it) and repair again`);
        }
        await stack.cancel();
        removed.push(...holders.map((h) => h.pid));
        return op();
    }
}

/** A Docker object kind the state tracks by id, with how Docker lists and removes it. */
interface DockerKind {
    readonly type: string;
    readonly list: readonly string[];
    /** The Go template field of its name in that listing. */
    readonly nameField: string;
    readonly remove: readonly string[];
}

const CONTAINERS: DockerKind = { type: "docker:index/container:Container", list: ["ps", "-a"], nameField: ".Names", remove: ["rm", "-f"] };
const NETWORKS: DockerKind = { type: "docker:index/network:Network", list: ["network", "ls"], nameField: ".Name", remove: ["network", "rm"] };

function trackedIds(resources: readonly StateResource[], kind: DockerKind): Set<string> {
    return new Set(resources.filter((r) => r.type === kind.type && r.id).map((r) => r.id as string));
}

/** Removes the stack's labelled objects of `kind` that the state does not hold; returns their names. */
function removeUntracked(stackName: string, kind: DockerKind, tracked: Set<string>): string[] {
    const listed = execFileSync("docker", [...kind.list, "--no-trunc", "--filter", `label=${STACK_LABEL}=${stackName}`, "--format", `{{.ID}} {{${kind.nameField}}}`], {
        encoding: "utf8",
    });
    const untracked = listed
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.split(" "))
        .filter(([id]) => !tracked.has(id));
    for (const [id] of untracked) {
        execFileSync("docker", [...kind.remove, id], { stdio: "ignore" });
    }
    return untracked.map(([, name]) => name);
}

/** The stack's host objects that the state holds as made but the host lacks. */
export async function brokenHostObjects(stack: Stack): Promise<BrokenResource[]> {
    const config = Object.fromEntries(Object.entries(await stack.getAllConfig()).map(([k, v]) => [k, v.value]));
    const plan = planStack(stack.name, validateSettings(withHostMethods(rawConfigFromPulumi(config)).config));
    const urnByCreate = new Map(
        ((await deployment(stack)).resources ?? [])
            .filter((r) => r.type === "command:local:Command" && !r.delete && typeof r.inputs?.create === "string")
            .map((r) => [r.inputs?.create as string, r.urn]),
    );
    // Objects the state does not hold yet are the next up's to create, not broken.
    const held = plannedHostObjects(plan).filter((o) => urnByCreate.has(o.create));
    return findBroken(held).map((b) => ({ urn: urnByCreate.get(b.create) ?? "", missing: b.missing }));
}

/**
 * Step 0 for a stack of the file backend; undefined when its files are sound (or another backend,
 * or no such stack). Throws UnrecoverableCheckpoint when nothing whole is left.
 */
async function recoverCheckpoint(stackName: string, staleLockPids: number[]): Promise<(CheckpointRecovery & { readonly pendingDropped: number }) | undefined> {
    const paths = labStackPaths(stackName);
    if (paths === undefined || !existsSync(paths.checkpoint)) {
        return undefined;
    }
    const health = stackHealth(paths);
    if (health.problems.length === 0) {
        return undefined;
    }
    // A running pulumi of the stack writes its checkpoint: its temporary file is not stranded.
    const live = lockFileHolders(paths).filter((h) => !isStale(h));
    if (live.length > 0) {
        throw new Error(`stack ${stackName} is being updated by ${live.map((h) => `pid ${h.pid} on ${h.host}`).join(", ")}: let it finish (or stop it) and repair again`);
    }
    // Read every candidate before anything is removed: a stranded write may be the newest one.
    const { chosen, judged } = chooseCheckpoint(checkpointFiles(paths), paths.qualifiedName);
    const rejected = judged.filter((j) => j.problem !== undefined).map((j) => `${j.file.kind} ${j.file.path}: ${j.problem}`);
    if (!health.loads && chosen === undefined) {
        throw new UnrecoverableCheckpoint(
            [
                `the checkpoint of stack ${stackName} cannot be loaded and the backend kept no whole checkpoint of it:`,
                ...[...health.problems, ...rejected].map((l) => `  ${l}`),
                `nothing was changed. Remove what the host holds of its lab with: npm run host:clean -- --stack ${stackName}`,
            ].join("\n"),
        );
    }
    // The blob library reads no file whose sidecar is broken; without a sidecar it reads it as plain bytes.
    const removed = removeFiles(brokenSidecars(paths).map((s) => s.path));
    let restored: RestoredCheckpoint | undefined;
    let pendingDropped = 0;
    if (!health.loads && chosen !== undefined && chosen.deployment !== undefined) {
        const current = judged.find((j) => j.file.kind === "checkpoint");
        const imported = chosen.file.content !== current?.file.content;
        if (imported) {
            const stack = await LocalWorkspace.selectStack({ stackName, workDir: PROJECT_DIR });
            const deployment = chosen.deployment;
            // The import drops the checkpoint's pending operations (saying so); step 2 would.
            await unlockingStale(stack, () => stack.importStack(deployment), staleLockPids);
            pendingDropped = chosen.pendingOperations;
        }
        const f = chosen.file;
        restored = { path: f.path, kind: f.kind, written: new Date(chosen.writtenMs).toISOString(), resources: chosen.resources, imported };
    }
    removed.push(...removeFiles(strandedWrites(paths)));
    return { found: health.problems, removed, rejected, restored, pendingDropped };
}

/** Where a repair tells what it does while it runs. */
export interface RepairListeners {
    /** The engine's output. */
    readonly onOutput?: (out: string) => void;
    /** What step 0 found and did, before step 1 starts. */
    readonly onCheckpoint?: (recovery: CheckpointRecovery) => void;
}

/** The whole repair of a stack of the project (see the top of this file). */
export async function repairLab(stackName: string, { onOutput, onCheckpoint }: RepairListeners = {}): Promise<RepairReport> {
    const staleLockPids: number[] = [];
    const recovery = await recoverCheckpoint(stackName, staleLockPids);
    if (recovery !== undefined) {
        onCheckpoint?.(recovery);
    }
    const stack = await LocalWorkspace.selectStack({ stackName, workDir: PROJECT_DIR });
    const pending = (recovery?.pendingDropped ?? 0) + ((await deployment(stack)).pending_operations?.length ?? 0);
    await unlockingStale(stack, () => stack.refresh({ clearPendingCreates: true, onOutput }), staleLockPids);
    const resources = (await deployment(stack)).resources ?? [];
    // Containers first: a network with a container on it cannot be removed.
    const removedContainers = removeUntracked(stack.name, CONTAINERS, trackedIds(resources, CONTAINERS));
    const removedNetworks = removeUntracked(stack.name, NETWORKS, trackedIds(resources, NETWORKS));
    const replaced = await brokenHostObjects(stack);
    const up = await stack.up({ replace: replaced.map((r) => r.urn), onOutput });
    const checkpoint = recovery && { found: recovery.found, removed: recovery.removed, rejected: recovery.rejected, restored: recovery.restored };
    return { checkpoint, staleLockPids, clearedPendingOperations: pending, removedContainers, removedNetworks, replaced, up };
}
