import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, beforeEach, describe, it } from "node:test";
import { interruptUp } from "../../automation/interruptedUp";
import { labStack } from "../../automation/labStack";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";
import { repairLab } from "../../automation/repair";
import { STACK_LABEL } from "../../model";
import { methodModule } from "../../methods/registry";
import { NOTHING } from "../../host/inventory";
import { labConfig, assertMeasured, assertWhole, leftovers, planOf, tail } from "./lab";
import { CLIENT_LAUNCHER } from "../../runner/inContainer";

/**
 * `pulumi up` (the CLI, real engine, real host) interrupted at three points, by Ctrl-C (SIGINT)
 * and by kill -9 of its whole process tree (SIGKILL). The one documented recovery,
 * `npm run lab:repair` (repairLab), must then give a whole, measured lab, and destroy must leave
 * nothing on the host.
 */

const STACK = `rec${process.pid}i`;
const CONFIG = labConfig(SUITE_SUBNETS.interruption);
const PLAN = planOf(STACK, CONFIG);

function lines(file: string, args: string[]): string[] {
    return execFileSync(file, args, { encoding: "utf8" }).split("\n").filter((l) => l !== "");
}

/** Host ends of the veth pairs of the ovs and pipework labs (macvlan ports leave none on the host). */
const VETH_HOST_ENDS = PLAN.labs
    .filter((l) => l.method === "ovs" || l.method === "pipework")
    .flatMap((l) => [...l.servers, ...l.clients].map((c) => c.ifnames.host));

function vethHostEndsPresent(): number {
    const names = new Set(lines("ip", ["-o", "link", "show"]).map((l) => l.split(": ")[1]?.split("@")[0]));
    return VETH_HOST_ENDS.filter((n) => names.has(n)).length;
}

/** Where to interrupt, as the host shows it. */
const POINTS: readonly (readonly [string, () => boolean])[] = [
    ["the containers are being created", () => lines("docker", ["ps", "-aq", "--filter", `label=${STACK_LABEL}=${STACK}`]).length > 0],
    [
        "the attachments are half made",
        () => {
            const made = vethHostEndsPresent();
            return made > 0 && made < VETH_HOST_ENDS.length;
        },
    ],
    // A client container's launcher shows in the host's process list with the container's name among its arguments.
    ["the benchmark is running", () => lines("ps", ["-eo", "args="]).some((a) => a.startsWith(`sh -c ${CLIENT_LAUNCHER.split("\n")[0]}`) && a.includes(` icc-bench-${STACK}-`))],
];

for (const signal of ["SIGINT", "SIGKILL"] as const) {
    describe(`pulumi up stopped by ${signal}, then lab:repair`, () => {
        let stack: Stack;

        before(async () => {
            assert.deepEqual(leftovers(STACK), NOTHING, "the host holds nothing of this stack before the test");
            stack = await labStack(STACK, CONFIG);
        });

        after(() => removeSuiteStack(STACK));

        // Each case starts from nothing, even when the one before failed half way.
        beforeEach(async () => {
            if (((await stack.exportStack()).deployment.resources ?? []).length > 0) {
                await stack.destroy();
            }
        });

        for (const [point, reached] of POINTS) {
            it(`when ${point}: the repair gives a whole measured lab, and destroy leaves nothing`, async (t) => {
                const run = await interruptUp(STACK, reached, signal);
                assert.ok(run.interrupted, `the up ended before ${point}:\n${tail(run.output)}`);
                assert.notEqual(run.exitCode, 0, tail(run.output));

                const report = await repairLab(STACK);
                t.diagnostic(
                    `cli exit ${run.exitCode}; repair: stale locks ${report.staleLockPids.length}, pending dropped ${report.clearedPendingOperations}, ` +
                        `containers removed ${report.removedContainers.length}, remade ${report.replaced.length}, up ${JSON.stringify(report.up.summary.resourceChanges)}`,
                );
                if (signal === "SIGKILL") {
                    // A killed CLI leaves its lock and the operations it had started.
                    assert.deepEqual(report.staleLockPids, [run.pid]);
                    assert.ok(report.clearedPendingOperations > 0);
                } else {
                    // Ctrl-C lets the operations under way finish and records them.
                    assert.deepEqual(report.staleLockPids, []);
                    assert.equal(report.clearedPendingOperations, 0);
                    assert.deepEqual(report.removedContainers, []);
                }
                if (signal === "SIGKILL" && point === POINTS[0][0]) {
                    // Containers Docker made for creates the state never saw finish: their
                    // names would clash with the next create.
                    assert.ok(report.removedContainers.length > 0, "the kill left containers outside the state");
                }
                assertMeasured(report.up);
                await assertWhole(stack, PLAN);

                const destroyed = await stack.destroy();
                assert.equal(destroyed.summary.result, "succeeded");
                assert.deepEqual(leftovers(STACK), NOTHING);
            });
        }
    });
}

describe("a Docker network an up killed between Docker's create and the checkpoint write left outside the state", () => {
    let stack: Stack;
    const bridgeLab = PLAN.labs.find((l) => l.method === "bridge");

    before(async () => {
        assert.deepEqual(leftovers(STACK), NOTHING, "the host holds nothing of this stack before the test");
        stack = await labStack(STACK, CONFIG);
    });

    after(() => removeSuiteStack(STACK));

    it("lab:repair removes it (its subnet would refuse the next create), makes the lab and measures; destroy leaves nothing", async () => {
        assert.ok(bridgeLab, "the lab has a bridge method");
        const [network] = methodModule("bridge").dockerNetworks(bridgeLab);
        // What Docker holds after the plugin's create, as the state never recorded it.
        execFileSync("docker", ["network", "create", "--driver", network.driver, "--subnet", network.subnet, "--gateway", network.gateway,
            ...Object.entries(network.options).flatMap(([k, v]) => ["--opt", `${k}=${v}`]),
            "--label", `${STACK_LABEL}=${STACK}`, "--label", "icc-bench.method=bridge", network.name], { stdio: "ignore" });

        const report = await repairLab(STACK);
        assert.deepEqual(report.removedNetworks, [network.name]);
        assert.deepEqual(report.removedContainers, []);
        assertMeasured(report.up);
        await assertWhole(stack, PLAN);

        const destroyed = await stack.destroy();
        assert.equal(destroyed.summary.result, "succeeded");
        assert.deepEqual(leftovers(STACK), NOTHING);
    });
});
