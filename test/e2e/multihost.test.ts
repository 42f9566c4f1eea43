import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { LabConfig, labStack, setLabConfig } from "../../automation/labStack";
import { STACK_LABEL } from "../../model";
import { LabResult, MAX_CLOCK_OFFSET_MS } from "../../results/benchmark";
import { SimulatedHost, hostsDown, hostsUp } from "../hosts/simulated";
import { SUITE_SUBNETS, previewChanges, removeSuiteStack } from "../suiteStack";

/**
 * A lab across two simulated Docker hosts (test/hosts/): real engines, each reached only through
 * its Docker endpoint. Up, no-op up, one more client, a host that does not answer, destroy.
 */

const STACK = `mh${process.pid}`;
const CLIENT = (i: number): string => `icc-bench-${STACK}-host-to-host-client${i}`;
const SERVER = `icc-bench-${STACK}-host-to-host-server0`;

/** Names of the containers a host's engine has of a stack. */
function containersOn(host: SimulatedHost, stack: string): string[] {
    const listed = execFileSync("docker", ["-H", host.docker, "ps", "-a", "--filter", `label=${STACK_LABEL}=${stack}`, "--format", "{{.Names}}"], { encoding: "utf8" });
    return listed.split("\n").filter((l) => l !== "").sort();
}

describe("a lab across two Docker hosts", () => {
    let hosts: SimulatedHost[] = [];
    let stack: Stack;
    let config: LabConfig;

    before(async () => {
        hosts = await hostsUp(2);
        config = { hosts, methods: ["host-to-host"], topology: { servers: 1, clientContainers: 2 }, iperf: { duration: 1 }, subnet: SUITE_SUBNETS.multihost };
        stack = await labStack(STACK, config);
    });

    after(async () => {
        await removeSuiteStack(STACK);
        await removeSuiteStack(`${STACK}-down`);
        await hostsDown();
    });

    it("host-to-host: the server on the first host, the clients on the second, each measured, each host's clock read", async (t) => {
        const result = await stack.up();
        const lab = (result.outputs.results.value as Record<string, LabResult>)["host-to-host"];
        assert.deepEqual(lab.failures, []);
        assert.equal(lab.clients.length, 2);
        assert.ok(lab.clients.every((c) => c.gbps > 0), JSON.stringify(lab.clients));
        assert.deepEqual(lab.hosts, { [SERVER]: "host1", [CLIENT(0)]: "host2", [CLIENT(1)]: "host2" });
        assert.deepEqual(Object.keys(lab.clocks ?? {}).sort(), ["host1", "host2"]);
        assert.ok(Object.values(lab.clocks ?? {}).every((c) => Math.abs(c.offsetMillis) < MAX_CLOCK_OFFSET_MS && c.roundTripMillis > 0), JSON.stringify(lab.clocks));
        assert.equal(lab.fractionOfLimit, 1, "host-to-host is the limit across hosts");
        assert.deepEqual(containersOn(hosts[0], STACK), [SERVER]);
        assert.deepEqual(containersOn(hosts[1], STACK), [CLIENT(0), CLIENT(1)]);
        t.diagnostic(`Gbit/s per client ${lab.clients.map((c) => c.gbps.toFixed(2)).join(", ")}; clocks ${JSON.stringify(lab.clocks)}`);
    });

    it("a second up changes nothing", async () => {
        const result = await stack.up();
        const changes = Object.entries(result.summary.resourceChanges ?? {}).filter(([op]) => op !== "same");
        assert.deepEqual(changes, []);
    });

    it("one more client container: its component and container on the clients' host, and a new measurement", async () => {
        await setLabConfig(stack, { ...config, topology: { servers: 1, clientContainers: 3 } });
        const changes = await previewChanges(stack);
        assert.deepEqual(Object.fromEntries(changes), {
            [`icc-bench:container:IperfClient ${STACK}-host-to-host-client2`]: "create",
            [`docker:index/container:Container ${STACK}-host-to-host-client2`]: "create",
            // A re-run of the benchmark: its run and its verdict are replaced.
            [`command:local:Command ${STACK}-benchmark-run`]: "delete-replaced",
            [`command:local:Command ${STACK}-benchmark-verdict`]: "delete-replaced",
        });
        await stack.up();
        assert.deepEqual(containersOn(hosts[1], STACK), [CLIENT(0), CLIENT(1), CLIENT(2)]);
    });

    it("a host whose dockerd does not answer is named at preview, and nothing is made on any host", async () => {
        const down = { name: "host3", docker: "unix:///run/icc-bench/hosts/nowhere/docker.sock", address: "198.19.128.13" };
        const other = await labStack(`${STACK}-down`, { ...config, hosts: [hosts[0], down] });
        await assert.rejects(other.preview(), /host host3's dockerd \(unix:\/\/\/run\/icc-bench\/hosts\/nowhere\/docker\.sock\) does not answer/);
        await assert.rejects(other.up(), /host host3's dockerd/);
        assert.deepEqual(containersOn(hosts[0], `${STACK}-down`), []);
    });

    it("destroy leaves nothing of the lab on either host", async () => {
        await stack.destroy();
        assert.deepEqual(hosts.map((h) => containersOn(h, STACK)), [[], []]);
    });
});
