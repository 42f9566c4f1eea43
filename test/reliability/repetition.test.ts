import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LabConfig, labStack } from "../../automation/labStack";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";
import { Leftovers, stackFilter, takeLeftovers } from "../../host/inventory";
import { hostMethods } from "../../host/preflight";
import { LabResult } from "../../results/benchmark";

/**
 * up/destroy of the dev topology with all four methods, again and again: every up measures every
 * client, and after every destroy the host holds nothing of the stack (containers, interfaces,
 * OVS bridges and ports, iptables rules in every table and chain, namespaces, files).
 * ICC_BENCH_CYCLES sets the number of cycles (default 10; the soak runs more).
 */

const STACK = `rel-rep${process.pid}`;
const CYCLES = Number(process.env.ICC_BENCH_CYCLES ?? 10);
const DEV: LabConfig = { topology: { servers: 1, clientContainers: 2, clientsPerContainer: 1 }, iperf: { duration: 1 }, subnet: SUITE_SUBNETS.repetition };
const NOTHING: Leftovers = { containers: [], interfaces: [], ovs: [], iptables: [], networks: [], namespaces: [], files: [] };

function leftovers(): Leftovers {
    return takeLeftovers(stackFilter(STACK));
}

describe(`${CYCLES} up/destroy cycles of the dev lab`, () => {
    let stack: Stack;

    before(async () => {
        assert.ok(Number.isInteger(CYCLES) && CYCLES > 0, `ICC_BENCH_CYCLES=${process.env.ICC_BENCH_CYCLES}`);
        assert.deepEqual(leftovers(), NOTHING, "the host holds nothing of the stack before the test");
        stack = await labStack(STACK, DEV);
    });

    after(() => removeSuiteStack(STACK));

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
        it(`cycle ${cycle}: up measures every client, destroy leaves nothing`, async (t) => {
            const start = Date.now();
            const up = await stack.up();
            const measured = Date.now();
            assert.equal(up.summary.result, "succeeded");
            const results = up.outputs.results.value as Record<string, LabResult>;
            assert.deepEqual(Object.keys(results).sort(), [...hostMethods().methods].sort());
            for (const r of Object.values(results)) {
                assert.deepEqual(r.failures, [], r.method);
                assert.equal(r.clients.length, 2, r.method);
                assert.ok(r.clients.every((c) => c.gbps > 0), `${r.method}: ${JSON.stringify(r.clients)}`);
            }
            const destroy = await stack.destroy();
            assert.equal(destroy.summary.result, "succeeded");
            assert.deepEqual(leftovers(), NOTHING);
            const totals = Object.values(results).map((r) => `${r.method} ${r.total.toFixed(2)}`).join(", ");
            t.diagnostic(`cycle ${cycle}: up ${((measured - start) / 1000).toFixed(1)} s, destroy ${((Date.now() - measured) / 1000).toFixed(1)} s, total Gbit/s: ${totals}`);
        });
    }
});
