import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { LabConfig, labStack, setLabConfig } from "../../automation/labStack";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";
import { isEmpty, stackFilter, takeLeftovers } from "../../host/inventory";
import { LabResult } from "../../results/benchmark";
import { shortError } from "../../sweep/stackDriver";

/**
 * A client that fails (its iperf killed, its server unreachable) fails `pulumi up` with a message
 * that shows that client's failure, and the results printed in it list the client as a failure:
 * never as 0 Gbit/s in the means, never left out. Real engine, real host, pipework lab.
 */

const STACK = `rel-fail${process.pid}`;
const CONFIG: LabConfig = { methods: ["pipework"], topology: { servers: 2, clientContainers: 2 }, iperf: { duration: 1 }, subnet: SUITE_SUBNETS.failingClient };
const CLIENT0 = `icc-bench-${STACK}-pipework-client0`;
const CLIENT1 = `icc-bench-${STACK}-pipework-client1`;
const SERVER1 = `icc-bench-${STACK}-pipework-server1`;

/** The engine's diagnostics of a failed up, with the benchmark output the error carries. */
function diagnostics(message: string): string {
    const start = message.indexOf("Diagnostics:");
    assert.ok(start >= 0, message);
    return message.slice(start, message.indexOf("Resources:", start));
}

/** The pipework result the failed up left in the stack outputs. */
async function outputResult(stack: Stack): Promise<LabResult> {
    const outputs = await stack.outputs();
    return (outputs.results.value as Record<string, LabResult>).pipework;
}

async function failedUp(stack: Stack): Promise<string> {
    try {
        await stack.up();
    } catch (e) {
        return diagnostics((e as Error).message);
    }
    assert.fail("up succeeded");
}

function containerPid(container: string): string {
    return execFileSync("docker", ["inspect", "-f", "{{.State.Pid}}", container], { encoding: "utf8" }).trim();
}

/** Host pids of the iperf processes running in a container. */
function iperfPids(container: string): number[] {
    const table = execFileSync("docker", ["top", container, "-eo", "pid,comm"], { encoding: "utf8" });
    return table
        .split("\n")
        .slice(1)
        .map((l) => l.trim().split(/\s+/))
        .filter(([, comm]) => comm === "iperf")
        .map(([pid]) => Number(pid));
}

/** Kills the first iperf process that appears in the container; returns its pid. */
async function killIperfIn(container: string): Promise<number> {
    for (let waited = 0; waited < 120_000; waited += 200) {
        const [pid] = iperfPids(container);
        if (pid !== undefined) {
            process.kill(pid, "SIGKILL");
            return pid;
        }
        await sleep(200);
    }
    assert.fail(`no iperf process appeared in ${container}`);
}

/** Asserts `failed` is the only failure and the other client is measured; returns the failure's message. */
function assertOneFailure(result: LabResult, failed: string, message: RegExp): string {
    assert.deepEqual(result.failures.map((f) => f.container), [failed], JSON.stringify(result.failures));
    assert.match(result.failures[0].message, message);
    assert.deepEqual(result.clients.map((c) => c.container), [CLIENT0], "the other client is measured");
    const [ok] = result.clients;
    assert.ok(ok.gbps > 0);
    assert.equal(result.meanPerClient, ok.gbps, "the failed client is not averaged in");
    assert.equal(result.total, ok.gbps);
    return `${failed}: ${result.failures[0].message}`;
}

describe("a failing client fails the benchmark and is reported as failed in the outputs", () => {
    let stack: Stack;

    before(async () => {
        stack = await labStack(STACK, CONFIG);
        const result = await stack.up();
        const pipework = (result.outputs.results.value as Record<string, LabResult>).pipework;
        assert.deepEqual(pipework.failures, []);
        assert.equal(pipework.clients.length, 2);
    });

    after(async () => {
        await stack.destroy();
        assert.ok(isEmpty(takeLeftovers(stackFilter(STACK))), "destroy leaves nothing");
    });

    after(() => removeSuiteStack(STACK));

    it("an iperf client killed during the run", async (t) => {
        await setLabConfig(stack, { ...CONFIG, iperf: { duration: 8 }, runId: "killed" });
        const [diag, pid] = await Promise.all([failedUp(stack), killIperfIn(CLIENT1)]);
        assert.ok(pid > 0);
        assert.match(diag, /icc-bench: some iperf clients failed/);
        const line = `pipework ${CLIENT1} process 1 (server 1): iperf exited 137`;
        assert.ok(diag.includes(line), `the message names ${CLIENT1}, killed:\n${diag}`);
        assert.ok(shortError(diag).includes(`\n  ${line}`), `a sweep's short error keeps the failed client:\n${shortError(diag)}`);
        t.diagnostic(assertOneFailure(await outputResult(stack), CLIENT1, /^iperf exited 137/));
    });

    it("a server that is unreachable", async (t) => {
        // The server container runs on, but its lab interface is down and the client forgot its address.
        execFileSync("nsenter", ["-t", containerPid(SERVER1), "-n", "ip", "link", "set", "dev", "eth1", "down"]);
        execFileSync("nsenter", ["-t", containerPid(CLIENT1), "-n", "ip", "neigh", "flush", "dev", "eth1"]);
        await setLabConfig(stack, { ...CONFIG, runId: "server-unreachable" });
        const diag = await failedUp(stack);
        assert.match(diag, /icc-bench: some iperf clients failed/);
        assert.ok(diag.includes(`pipework ${CLIENT1} process 1 (server 1): `), diag);
        t.diagnostic(assertOneFailure(await outputResult(stack), CLIENT1, /^(no whole-test report|iperf exited [1-9]).*(No route to host|unreachable|timed out)/i));
    });
});
