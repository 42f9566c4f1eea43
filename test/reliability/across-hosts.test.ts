import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LabConfig, PROJECT_DIR, labStack } from "../../automation/labStack";
import { LabResult } from "../../results/benchmark";
import { NOTHING_ON_A_HOST, leftoversOn } from "../hosts/leftovers";
import { SimulatedHost, hostsDown, hostsUp, simulatedHost } from "../hosts/simulated";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";

/**
 * up/destroy of a lab across two simulated hosts (the second over ssh://) with every method
 * across hosts, again and again: every up measures every client, and after every destroy neither
 * host holds anything of the stack (containers and helpers, networks, interfaces, iptables rules,
 * the swarm). ICC_BENCH_HOST_CYCLES sets the number of cycles (default 5). Then a deployed lab
 * whose state is lost: `host:clean --stack NAME` finds it on both hosts and removes it, its swarm
 * membership included.
 */

const STACK = `rel-hosts${process.pid}`;
const CYCLES = Number(process.env.ICC_BENCH_HOST_CYCLES ?? 5);
const METHODS = ["host-to-host", "overlay", "vxlan", "macvlan-l2", "ovs-vxlan"];

let hosts: SimulatedHost[] = [];
const config = (): LabConfig => ({ hosts, topology: { servers: 1, clientContainers: 2 }, iperf: { duration: 1 }, subnet: SUITE_SUBNETS.multihostCycles });

before(async () => {
    await hostsUp(2, "ssh");
    hosts = [simulatedHost(1), simulatedHost(2, "ssh")];
});

after(hostsDown);

describe(`${CYCLES} up/destroy cycles of a lab across two hosts`, () => {
    let stack: Stack;

    before(async () => {
        assert.ok(Number.isInteger(CYCLES) && CYCLES > 0, `ICC_BENCH_HOST_CYCLES=${process.env.ICC_BENCH_HOST_CYCLES}`);
        assert.deepEqual(hosts.map((h) => leftoversOn(h, STACK)), [NOTHING_ON_A_HOST, NOTHING_ON_A_HOST], "nothing of the stack before the test");
        stack = await labStack(STACK, config());
    });

    after(() => removeSuiteStack(STACK));

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

describe("host:clean of a lab across hosts whose state was lost", () => {
    const LOST = `${STACK}-lost`;
    const CLI = join(PROJECT_DIR, "dist", "scripts", "host-clean.js");
    const sharedBackend = process.env.PULUMI_BACKEND_URL;
    let backend: string;

    const hostClean = (...args: string[]): { status: number | null; output: string } => {
        const r = spawnSync(process.execPath, [CLI, "--stack", LOST, ...args], { encoding: "utf8", timeout: 300_000 });
        return { status: r.status, output: r.stdout + r.stderr };
    };

    before(async () => {
        backend = mkdtempSync("/tmp/relhosts-");
        process.env.PULUMI_BACKEND_URL = `file://${backend}`;
        const stack = await labStack(LOST, config());
        await stack.up();
        rmSync(backend, { recursive: true, force: true });
    });

    after(async () => {
        process.env.PULUMI_BACKEND_URL = sharedBackend;
        await removeSuiteStack(LOST);
    });

    it("lists what each host holds of it and the swarm membership it made (--dry-run), then removes all of it", () => {
        const listed = hostClean("--dry-run");
        assert.equal(listed.status, 1, listed.output);
        for (const host of hosts) {
            assert.match(listed.output, new RegExp(`what host ${host.name} \\(${host.docker.replace(/[/.]/g, "\\$&")}\\) holds of stack ${LOST}:\\n  container `), listed.output);
        }
        assert.match(listed.output, /swarm memberships the lab of stack \S+ made:\n  host host1 .*\(manager\)\n  host host2 /, listed.output);
        assert.ok(hosts.every((h) => leftoversOn(h, LOST).containers.length > 0), "a dry run removes nothing");
        const cleaned = hostClean();
        assert.equal(cleaned.status, 0, cleaned.output);
        assert.deepEqual(hosts.map((h) => leftoversOn(h, LOST)), [NOTHING_ON_A_HOST, NOTHING_ON_A_HOST], cleaned.output);
    });
});
