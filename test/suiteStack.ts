import { EngineEvent, LocalWorkspace, OpType, Stack, StackNotFoundError } from "@pulumi/pulumi/automation";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SIDECAR, checkpointFiles } from "../automation/checkpoint";
import { PROJECT_DIR, labStackPaths, removeLabStack } from "../automation/labStack";
import { describeLeftovers, filterOfStack, removeLeftovers } from "../host/clean";
import { isEmpty, takeLeftovers } from "../host/inventory";

/**
 * The one clean-up of every test suite that deploys a stack, so that one failing suite shows as
 * one failure: whatever its assertions, its destroy or the stack's state did, the suite leaves
 * nothing of its stack on the host, in stacks/ or in the backend.
 */

/**
 * Explicit subnets of the suites that deploy a stack, none overlapping another or the default
 * subnets (198.18.0.0/16) or dockerd's bridge (198.19.255.0/24): a leftover of one suite can
 * never make the next one's subnet refused.
 */
export const SUITE_SUBNETS = {
    lifecycle: "198.19.192.0/22",
    sweep: "198.19.196.0/22",
    failingClient: "198.19.200.0/22",
    interruption: "198.19.204.0/22",
    vanished: "198.19.208.0/22",
    killPoints: "198.19.212.0/22",
    checkpoint: "198.19.216.0/23",
    checkpointOther: "198.19.218.0/23",
    repetition: "198.19.220.0/22",
    lostState: "198.19.224.0/22",
    hostPieces: "198.19.228.0/22",
    usersHost: "198.19.232.0/22",
    concurrencyLabId: "198.19.236.0/22",
    studyQuick: "198.19.176.0/22",
    studyInterrupted: "198.19.180.0/22",
    multihost: "198.19.184.0/22",
    multihostCycles: "198.19.172.0/22",
} as const;

function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split("\n").find((l) => l.trim() !== "") ?? "";
}

/** The stack's files in the file backend: checkpoints and their sidecars, backups, history, locks. */
function removeState(stack: string): void {
    const paths = labStackPaths(stack);
    if (paths === undefined) {
        return;
    }
    for (const file of checkpointFiles(paths).filter((f) => f.path.startsWith(paths.stacksDir))) {
        rmSync(file.path, { force: true });
        rmSync(file.path + SIDECAR, { force: true });
    }
    for (const dir of [paths.backupsDir, paths.historyDir, paths.locksDir]) {
        rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * Destroys and removes the stack as a user would; whatever that left (a destroy that failed, a
 * state that cannot be loaded), removes what the host holds of its lab by its labels and marks
 * (host:clean), its stack file and its state. Throws, naming them, when objects are left.
 * Returns what went wrong on the way, for the suite's diagnostics.
 */
export async function removeSuiteStack(stackName: string): Promise<string[]> {
    const notes: string[] = [];
    try {
        await removeLabStack(await LocalWorkspace.selectStack({ stackName, workDir: PROJECT_DIR }));
    } catch (e) {
        if (!(e instanceof StackNotFoundError)) {
            notes.push(`destroy of ${stackName} failed: ${firstLine(e)}`);
        }
    }
    const found = takeLeftovers(filterOfStack(stackName));
    if (!isEmpty(found)) {
        notes.push(`host:clean of ${stackName} removed: ${describeLeftovers(found).join(", ")}`);
        notes.push(...removeLeftovers(found));
    }
    const stackFile = join(PROJECT_DIR, "stacks", `Pulumi.${stackName}.yaml`);
    if (existsSync(stackFile)) {
        rmSync(stackFile);
        notes.push(`removed ${stackFile}`);
    }
    removeState(stackName);
    const left = takeLeftovers(filterOfStack(stackName));
    if (!isEmpty(left)) {
        throw new Error(`the host still holds of stack ${stackName}: ${describeLeftovers(left).join(", ")} (${notes.join("; ")})`);
    }
    notes.forEach((n) => console.log(`# clean-up: ${n}`));
    return notes;
}

/** Ops of a preview by resource type and name (a replaced one's last op), leaving out the unchanged ones. */
export async function previewChanges(stack: Stack): Promise<Map<string, OpType>> {
    const changes = new Map<string, OpType>();
    const onEvent = (e: EngineEvent) => {
        const m = e.resourcePreEvent?.metadata;
        if (m && m.op !== "same") {
            changes.set(`${m.type} ${m.urn.split("::").pop()}`, m.op);
        }
    };
    await stack.preview({ onEvent });
    return changes;
}
