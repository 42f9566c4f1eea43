import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LabConfig, labStack } from "../../automation/labStack";
import { LabResult } from "../../results/benchmark";
import { NOTHING_ON_A_HOST, leftoversOn } from "../hosts/leftovers";
import { SimulatedHost, hostsDown, hostsUp, simulatedHost } from "../hosts/simulated";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";

/**
 * up/destroy of a lab across two simulated hosts (the second over ssh://) with every method
 * across hosts, again and again: every up measures every client, and after every destroy neither
 * host holds anything of the stack (containers and helpers, networks, interfaces, iptables rules,
 * the swarm). ICC_BENCH_HOST_CYCLES sets the number of cycles (default 5).
 */

const STACK = `rel-hosts${process.pid}`;
const CYCLES = Number(process.env.ICC_BENCH_HOST_CYCLES ?? 5);
const METHODS = ["host-to-host", "overlay", "vxlan", "macvlan-l2"];

describe(`${CYCLES} up/destroy cycles of a lab across two hosts`, () => {
    let hosts: SimulatedHost[] = [];
    let stack: Stack;

    before(async () => {
        assert.ok(Number.isInteger(CYCLES) && CYCLES > 0, `ICC_BENCH_HOST_CYCLES=${process.env.ICC_BENCH_HOST_CYCLES}`);
        await hostsUp(2, "ssh");
        hosts = [simulatedHost(1), simulatedHost(2, "ssh")];
        assert.deepEqual(hosts.map((h) => leftoversOn(h, STACK)), [NOTHING_ON_A_HOST, NOTHING_ON_A_HOST], "nothing of the stack before the test");
        const config: LabConfig = { hosts, topology: { servers: 1, clientContainers: 2 }, iperf: { duration: 1 }, subnet: SUITE_SUBNETS.multihostCycles };
        stack = await labStack(STACK, config);
    });

    after(async () => {
        await removeSuiteStack(STACK);
        await hostsDown();
    });

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
        it(`cycle ${cycle}: up measures every client of every method, destroy leaves nothing on either host`, async (t) => {
            const start = Date.now();
            const up = await stack.up();
            const measured = Date.now();
            const results = up.outputs.results.value as Record<string, LabResult>;
            assert.deepEqual(Object.keys(results).sort(), [...METHODS].sort());
            for (const r of Object.values(results)) {
                assert.deepEqual(r.failures, [], r.method);
                assert.equal(r.clients.length, 2, r.method);
                assert.ok(r.clients.every((c) => c.gbps > 0), `${r.method}: ${JSON.stringify(r.clients)}`);
            }
            await stack.destroy();
            assert.deepEqual(hosts.map((h) => leftoversOn(h, STACK)), [NOTHING_ON_A_HOST, NOTHING_ON_A_HOST]);
            const means = METHODS.map((m) => `${m} ${(results[m].total / results[m].clients.length).toFixed(2)}`).join(", ");
            t.diagnostic(`cycle ${cycle}: up ${((measured - start) / 1000).toFixed(1)} s, destroy ${((Date.now() - measured) / 1000).toFixed(1)} s, Gbit/s per client: ${means}`);
        });
    }
});
