import { Stack, UpResult } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { LabConfig } from "../../automation/labStack";
import { brokenHostObjects } from "../../automation/repair";
import { Inventory, stackFilter, takeInventory } from "../../host/inventory";
import { hostMethods, withHostMethods } from "../../host/preflight";
import { STACK_LABEL, StackPlan, planStack, validateSettings } from "../../model";
import { LabResult } from "../../results/benchmark";

/** Shared by the recovery tests: a small lab of every method, and what a whole lab looks like. */

/** The dev topology. */
const TOPOLOGY = { servers: 1, clientContainers: 2, clientsPerContainer: 1 };

/** The recovery suites' lab, on the suite's own subnet (test/suiteStack.ts). */
export function labConfig(subnet: string): LabConfig {
    return { topology: TOPOLOGY, iperf: { duration: 1 }, subnet };
}

export function planOf(stack: string, config: LabConfig): StackPlan {
    return planStack(stack, validateSettings(withHostMethods(config).config));
}

/** What the host holds of the stack: containers, interfaces, OVS objects, iptables rules. */
export function leftovers(stack: string): Inventory {
    return takeInventory(stackFilter(stack));
}

/** Every method measured: a positive throughput for every client, no failure. */
export function assertMeasured(up: UpResult): Record<string, LabResult> {
    assert.equal(up.summary.result, "succeeded");
    const results = up.outputs.results?.value as Record<string, LabResult>;
    assert.deepEqual(Object.keys(results).sort(), [...hostMethods().methods].sort());
    for (const r of Object.values(results)) {
        assert.deepEqual(r.failures, [], r.method);
        assert.equal(r.clients.length, TOPOLOGY.clientContainers * TOPOLOGY.clientsPerContainer, r.method);
        assert.ok(r.clients.every((c) => c.gbps > 0), `${r.method}: ${JSON.stringify(r.clients)}`);
    }
    return results;
}

/** Docker ids of the stack's containers on the host and in the state. */
async function containerIds(stack: Stack): Promise<{ host: string[]; state: string[] }> {
    const host = execFileSync("docker", ["ps", "-aq", "--no-trunc", "--filter", `label=${STACK_LABEL}=${stack.name}`], { encoding: "utf8" })
        .split("\n")
        .filter((l) => l !== "");
    const resources = ((await stack.exportStack()).deployment.resources ?? []) as { type: string; id?: string }[];
    const state = resources.filter((r) => r.type === "docker:index/container:Container").map((r) => r.id ?? "");
    return { host: host.sort(), state: state.sort() };
}

/**
 * A whole lab: every planned container runs and is the one the state holds, and the doctor
 * finds every host object the state holds.
 */
export async function assertWhole(stack: Stack, plan: StackPlan): Promise<void> {
    const ids = await containerIds(stack);
    assert.deepEqual(ids.host, ids.state, "the containers on the host are exactly those of the state");
    const planned = plan.labs.flatMap((l) => [...l.servers, ...l.clients]).length;
    assert.equal(ids.state.length, planned);
    assert.deepEqual(await brokenHostObjects(stack), []);
}

/** Last lines of a command's output, for assertion messages. */
export function tail(text: string, lines = 40): string {
    return text.split("\n").slice(-lines).join("\n");
}
