import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { LabConfig, labStack, setLabConfig } from "../../automation/labStack";
import { Inventory, NOTHING, stackFilter, takeInventory } from "../../host/inventory";
import { withHostMethods } from "../../host/preflight";
import { methodModule } from "../../methods";
import { planStack, validateSettings } from "../../model";
import { LabResult } from "../../results/benchmark";
import { SUITE_SUBNETS, previewChanges, removeSuiteStack } from "../suiteStack";

/**
 * The whole lifecycle with the real engine, the installed docker and command plugins (official or
 * offline) and real Docker, OVS and iptables: up, no-op up, topology diffs, destroy, failed create.
 */

const STACK = `e2e${process.pid}`;
const DEV: LabConfig = { topology: { servers: 1, clientContainers: 2, clientsPerContainer: 1 }, iperf: { duration: 1 }, subnet: SUITE_SUBNETS.lifecycle };
const withClients = (n: number): LabConfig => ({ ...DEV, topology: { servers: 1, clientContainers: n, clientsPerContainer: 1 } });
/** The stack names no methods: the program measures every one this host supports. */
const PLAN = planStack(STACK, validateSettings(withHostMethods(DEV).config));
const METHODS = PLAN.labs.map((l) => l.method);

function leftovers(): Inventory {
    return takeInventory(stackFilter(STACK));
}

/** What one more (or one less) client container per method brings: its component, its container, and its port where the method makes one. */
function clientResources(index: number): string[] {
    return PLAN.labs.flatMap((lab) => {
        const m = lab.method;
        const ports = methodModule(m).hostObjects(lab).some((o) => o.container !== undefined);
        return [
            `icc-bench:container:IperfClient ${STACK}-${m}-client${index}`,
            `docker:index/container:Container ${STACK}-${m}-client${index}`,
            ...(ports ? [`command:local:Command ${STACK}-${m}-net-client${index}`] : []),
        ];
    });
}

/** A re-run of the benchmark: its run and its verdict are replaced. */
const BENCHMARK_RERUN = [`command:local:Command ${STACK}-benchmark-run`, `command:local:Command ${STACK}-benchmark-verdict`];

describe("pulumi lifecycle of a dev-sized lab", () => {
    let stack: Stack;

    before(async () => {
        assert.deepEqual(leftovers(), NOTHING, "the host holds nothing of this stack before the test");
        stack = await labStack(STACK, DEV);
    });

    after(() => removeSuiteStack(STACK));

    it("up deploys every method and measures a positive throughput for every client", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        const results = result.outputs.results.value as Record<string, LabResult>;
        assert.deepEqual(Object.keys(results).sort(), [...METHODS].sort());
        assert.ok(METHODS.includes("shared-netns") && METHODS.length >= 8, METHODS.join(", "));
        for (const r of Object.values(results)) {
            assert.deepEqual(r.failures, [], r.method);
            assert.ok((r.fractionOfLimit ?? 0) > 0, `${r.method} has its fraction of the shared-netns figure`);
            assert.equal(r.clients.length, 2, r.method);
            assert.ok(r.clients.every((c) => c.gbps > 0), `${r.method}: ${JSON.stringify(r.clients)}`);
            assert.ok(r.total > 0 && r.meanPerContainer > 0);
        }
    });

    it("a second up changes nothing at all", async () => {
        const result = await stack.up();
        const changes = Object.entries(result.summary.resourceChanges ?? {}).filter(([op]) => op !== "same");
        assert.deepEqual(changes, []);
    });

    it("one more client container: only its resources are created, plus the benchmark re-run", async () => {
        await setLabConfig(stack, withClients(3));
        const changes = await previewChanges(stack);
        const created = [...changes].filter(([, op]) => op === "create").map(([r]) => r).sort();
        assert.deepEqual(created, clientResources(2).sort());
        const others = [...changes].filter(([, op]) => op !== "create").map(([r]) => r);
        assert.deepEqual([...new Set(others)].sort(), BENCHMARK_RERUN);
    });

    it("one less client container: only its resources are deleted, plus the benchmark re-run", async () => {
        await setLabConfig(stack, withClients(1));
        const changes = await previewChanges(stack);
        const deleted = [...changes].filter(([, op]) => op === "delete").map(([r]) => r).sort();
        assert.deepEqual(deleted, clientResources(1).sort());
        const others = [...changes].filter(([, op]) => op !== "delete").map(([r]) => r);
        assert.deepEqual([...new Set(others)].sort(), BENCHMARK_RERUN);
        await setLabConfig(stack, DEV);
    });

    it("iperf.mode rr: only the benchmark re-runs, and it measures transactions through every method, round trips in order", async () => {
        const RR: LabConfig = { ...DEV, iperf: { duration: 1, mode: "rr" } };
        await setLabConfig(stack, RR);
        const changes = await previewChanges(stack);
        assert.deepEqual([...new Set(changes.keys())].sort(), BENCHMARK_RERUN);
        const result = await stack.up();
        const results = result.outputs.results.value as Record<string, LabResult>;
        assert.deepEqual(Object.keys(results).sort(), [...METHODS].sort());
        for (const r of Object.values(results)) {
            assert.deepEqual(r.failures, [], r.method);
            assert.equal(r.mode, "rr");
            const l = r.latency;
            assert.ok(l !== undefined && l.transactionsPerSecond > 0 && r.clients.every((c) => (c.rr?.transactionsPerSecond ?? 0) > 0), `${r.method}: ${JSON.stringify(l)}`);
            assert.ok(0 < l.minMicros && l.minMicros <= l.p50Micros && l.p50Micros <= l.p90Micros && l.p90Micros <= l.p99Micros && l.p99Micros <= l.maxMicros, `${r.method}: ${JSON.stringify(l)}`);
            assert.ok((r.ofLimit?.["latency.meanTransactionsPerSecondPerClient"] ?? 0) > 0, `${r.method} has its transactions over the shared-netns figure`);
        }
        await setLabConfig(stack, DEV);
    });

    it("destroy leaves nothing marked icc-bench on the host, and a second destroy succeeds", async () => {
        await stack.destroy();
        assert.deepEqual(leftovers(), NOTHING);
        const again = await stack.destroy();
        assert.equal(again.summary.result, "succeeded");
    });

    it("a create that fails half way leaves nothing behind after destroy", async () => {
        // A lab with one client, grown to two while a container squats on the second client's
        // name: that create fails while the other new clients and their ports are being made.
        await setLabConfig(stack, withClients(1));
        await stack.up();
        await setLabConfig(stack, DEV);
        const squatter = `icc-bench-${STACK}-ovs-client1`;
        execFileSync("docker", ["run", "-d", "--name", squatter, "--label", "icc-bench.squatter=1", "icc-bench/iperf:bookworm", "sleep", "60"], { stdio: "ignore" });
        try {
            await assert.rejects(stack.up(), /Conflict|already in use/);
        } finally {
            execFileSync("docker", ["rm", "-f", squatter], { stdio: "ignore" });
        }
        assert.ok(leftovers().containers.length > 0, "the lab is there, half grown");
        await stack.destroy();
        assert.deepEqual(leftovers(), NOTHING);
    });
});
