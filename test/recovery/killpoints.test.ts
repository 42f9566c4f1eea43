import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { FSWatcher, existsSync, readFileSync, readdirSync, watch } from "node:fs";
import { after, before, describe, it } from "node:test";
import { StackPaths, stackHealth } from "../../automation/checkpoint";
import { InterruptedUp, interruptPulumi } from "../../automation/interruptedUp";
import { labStack, labStackPaths } from "../../automation/labStack";
import { RepairReport, repairLab } from "../../automation/repair";
import { NOTHING } from "../../host/inventory";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";
import { assertMeasured, assertWhole, labConfig, leftovers, planOf, tail } from "./lab";

/**
 * The CLI killed (SIGKILL of its whole process tree) at many instants through an up of the dev
 * topology and through a destroy, checkpoint writes included: which states the file backend is
 * left in, and lab:repair (repairLab) bringing each to a whole, measured lab; destroy then leaves
 * nothing. Inside npm test a bounded sample of points; ICC_BENCH_KILL_EVERY_MS=300 (npm run
 * test:soak:kills) kills every 300 ms through the up and the destroy instead.
 */

const STACK = `rec${process.pid}k`;
const CONFIG = labConfig(SUITE_SUBNETS.killPoints);
const PLAN = planOf(STACK, CONFIG);
const EVERY_MS = Number(process.env.ICC_BENCH_KILL_EVERY_MS ?? 0);

/** An instant to kill at: a time after the CLI started, or the n-th checkpoint write of the stack. */
type KillPoint = { readonly afterMs: number } | { readonly checkpointWrite: number };

const describePoint = (p: KillPoint): string => ("afterMs" in p ? `${p.afterMs} ms after start` : `at checkpoint write ${p.checkpointWrite}`);

/** The bounded sample of npm test: writes early and late in each run, and instants between them. */
const SAMPLE: { readonly up: readonly KillPoint[]; readonly destroy: readonly KillPoint[] } = {
    up: [{ checkpointWrite: 25 }, { afterMs: 9000 }],
    destroy: [{ checkpointWrite: 3 }, { afterMs: 2500 }],
};

function soakPoints(untilMs: number): KillPoint[] {
    return Array.from({ length: Math.floor(untilMs / EVERY_MS) }, (_, i) => ({ afterMs: (i + 1) * EVERY_MS }));
}

/** A temporary file of the blob library writing the stack's checkpoint (see automation/checkpoint.ts). */
function isCheckpointWrite(name: string): boolean {
    return name.startsWith(`${STACK}.json.`) && name.endsWith(".tmp") && !name.includes(".bak.");
}

/** Kills `pulumi ARGS` at the point; the watcher fires on the write's temporary file appearing. */
function killAt(args: readonly string[], point: KillPoint, paths: StackPaths): Promise<InterruptedUp> {
    const start = Date.now();
    if ("afterMs" in point) {
        return interruptPulumi(args, () => Date.now() - start >= point.afterMs, "SIGKILL");
    }
    return interruptPulumi(args, () => false, "SIGKILL", (interrupt) => {
        let writes = 0;
        const watcher: FSWatcher = watch(paths.stacksDir, (event, name) => {
            if (event === "rename" && name !== null && isCheckpointWrite(name) && existsSync(`${paths.stacksDir}/${name}`) && ++writes === point.checkpointWrite) {
                interrupt();
            }
        });
        return () => watcher.close();
    });
}

/** The backend's state after a kill, as a short signature: what the repair has to deal with. */
function backendState(paths: StackPaths): string {
    const health = stackHealth(paths);
    const parts: string[] = [];
    if (existsSync(paths.locksDir) && readdirSync(paths.locksDir).length > 0) {
        parts.push("locked");
    }
    if (!health.loads) {
        parts.push("checkpoint unloadable");
    } else {
        const latest = (JSON.parse(readFileSync(paths.checkpoint, "utf8")) as { checkpoint: { latest?: { pending_operations?: unknown[] } } }).checkpoint.latest;
        if ((latest?.pending_operations ?? []).length > 0) {
            parts.push("pending operations");
        }
    }
    if (health.problems.some((p) => p.startsWith("sidecar"))) {
        parts.push("broken sidecar");
    }
    if (health.problems.some((p) => p.startsWith("stranded"))) {
        parts.push("stranded write");
    }
    return parts.length === 0 ? "clean (as after a finished run)" : parts.join(" + ");
}

function repairSummary(r: RepairReport): string {
    const restored = r.checkpoint?.restored;
    return [
        ...(r.checkpoint ? [`checkpoint: removed ${r.checkpoint.removed.length}${restored ? `, restored from ${restored.kind}${restored.imported ? " (import)" : ""}` : ""}`] : []),
        `stale locks ${r.staleLockPids.length}`,
        `pending dropped ${r.clearedPendingOperations}`,
        `containers removed ${r.removedContainers.length}`,
        `networks removed ${r.removedNetworks.length}`,
        `remade ${r.replaced.length}`,
        `up ${JSON.stringify(r.up.summary.resourceChanges)}`,
    ].join(", ");
}

describe("pulumi up and destroy killed (SIGKILL) at many instants, checkpoint writes included, then lab:repair", { timeout: 60 * 60_000 }, () => {
    let stack: Stack;
    let paths: StackPaths;
    const seen = new Map<string, number>();
    let tried = 0;

    before(async () => {
        assert.deepEqual(leftovers(STACK), NOTHING, "the host holds nothing of this stack before the test");
        stack = await labStack(STACK, CONFIG);
        paths = labStackPaths(STACK) as StackPaths;
        assert.ok(paths, "the tests run on a file backend");
    });

    after(() => removeSuiteStack(STACK));

    /** Kills the command at the point, records the state, repairs; true when the kill landed. */
    async function killAndRepair(t: { diagnostic: (m: string) => void }, what: "up" | "destroy", point: KillPoint): Promise<boolean> {
        const args = what === "up" ? ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", STACK] : ["destroy", "--yes", "--skip-preview", "--non-interactive", "--stack", STACK];
        const run = await killAt(args, point, paths);
        if (!run.interrupted) {
            assert.equal(run.exitCode, 0, tail(run.output));
            t.diagnostic(`${what} ${describePoint(point)}: the ${what} ended first (not a kill point)`);
            return false;
        }
        tried++;
        const state = backendState(paths);
        seen.set(state, (seen.get(state) ?? 0) + 1);
        const report = await repairLab(STACK);
        t.diagnostic(`${what} killed ${describePoint(point)}: state ${state}; repair: ${repairSummary(report)}`);
        assertMeasured(report.up);
        await assertWhole(stack, PLAN);
        return true;
    }

    async function destroyFully(): Promise<void> {
        const destroyed = await stack.destroy();
        assert.equal(destroyed.summary.result, "succeeded");
        assert.deepEqual(leftovers(STACK), NOTHING);
    }

    for (const what of ["up", "destroy"] as const) {
        const points = EVERY_MS > 0 ? soakPoints(what === "up" ? 60_000 : 20_000) : SAMPLE[what];
        it(`${what}: each kill leaves a state lab:repair brings to a whole measured lab; destroy leaves nothing`, async (t) => {
            for (const point of points) {
                if (what === "up") {
                    await destroyFully();
                } else if (((await stack.exportStack()).deployment.resources ?? []).length === 0) {
                    assertMeasured(await stack.up());
                }
                const landed = await killAndRepair(t, what, point);
                if (!landed && EVERY_MS > 0) {
                    break;
                }
            }
            await destroyFully();
        });
    }

    it("reports the kill points tried and the backend states seen", (t) => {
        t.diagnostic(`kill points tried: ${tried}; states seen: ${[...seen].map(([s, n]) => `${s} (${n})`).join("; ")}`);
        assert.ok(tried > 0);
    });
});
