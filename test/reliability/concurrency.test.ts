import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { LabConfig, labStack } from "../../automation/labStack";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";
import { Leftovers, isEmpty, stackFilter, takeLeftovers } from "../../host/inventory";
import { hostMethods } from "../../host/preflight";
import { Cidr, STACK_LABEL, SUBNET_LABEL, defaultHostPort, defaultLabId, defaultSubnet, overlaps, parseCidr } from "../../model";
import { LabResult } from "../../results/benchmark";

/**
 * Two stacks of the same topology deployed at once on one host (two `pulumi up` processes
 * started together): both measure, each keeps to its own names and subnet, and each destroy
 * leaves the other's lab as it was. A third stack asking for a subnet that overlaps one of
 * theirs is refused at preview, naming both stacks and both subnets.
 */

// Names of this run only (the host may hold another run's), B's picked so that its default subnet and host ports are apart from A's.
const A = `rel-conc-a${process.pid}`;
const B = Array.from({ length: 64 }, (_, i) => `rel-conc-b${process.pid}-${i}`).find(
    (b) => !overlaps(parseCidr(defaultSubnet(A)) as Cidr, parseCidr(defaultSubnet(b)) as Cidr) && defaultHostPort(A) !== defaultHostPort(b),
) as string;
const C = `rel-conc-c${process.pid}`;
/** A stack of its own subnet that asks for A's labId. */
const D = `rel-conc-d${process.pid}`;
/** Inside A's default subnet. */
const C_SUBNET = `${defaultSubnet(A).split("/")[0]}/24`;
const DEV: LabConfig = { topology: { servers: 1, clientContainers: 2, clientsPerContainer: 1 }, iperf: { duration: 1 } };

function held(stack: string): Leftovers {
    return takeLeftovers(stackFilter(stack));
}

function everyName(l: Leftovers): string[] {
    return [...l.containers, ...l.networks, ...l.interfaces, ...l.ovs, ...l.iptables, ...l.namespaces, ...l.files];
}

function subnetLabels(stack: string): string[] {
    const out = execFileSync("docker", ["ps", "-a", "--filter", `label=${STACK_LABEL}=${stack}`, "--format", `{{.Label "${SUBNET_LABEL}"}}`], { encoding: "utf8" });
    return [...new Set(out.split("\n").filter((l) => l !== ""))];
}

function assertMeasured(results: Record<string, LabResult>, stack: string): void {
    assert.deepEqual(Object.keys(results).sort(), [...hostMethods().methods].sort(), stack);
    for (const r of Object.values(results)) {
        assert.deepEqual(r.failures, [], `${stack} ${r.method}`);
        assert.equal(r.clients.length, 2, `${stack} ${r.method}`);
        assert.ok(r.clients.every((c) => c.gbps > 0), `${stack} ${r.method}: ${JSON.stringify(r.clients)}`);
    }
}

describe("two stacks of one topology on one host at the same time", () => {
    let a: Stack;
    let b: Stack;
    let c: Stack;
    let d: Stack;

    before(async () => {
        for (const s of [A, B, C, D]) {
            assert.ok(isEmpty(held(s)), `the host holds nothing of ${s} before the test`);
        }
        [a, b, c, d] = await Promise.all([
            labStack(A, DEV),
            labStack(B, DEV),
            labStack(C, { ...DEV, subnet: C_SUBNET }),
            labStack(D, { ...DEV, subnet: SUITE_SUBNETS.concurrencyLabId, labId: defaultLabId(A) }),
        ]);
    });

    after(async () => {
        for (const s of [A, B, C, D]) {
            await removeSuiteStack(s);
        }
    });

    it("the two stacks' default subnets do not overlap", () => {
        const [sa, sb] = [parseCidr(defaultSubnet(A)), parseCidr(defaultSubnet(B))];
        assert.ok(sa && sb && !overlaps(sa, sb), `${defaultSubnet(A)} and ${defaultSubnet(B)}`);
    });

    it("two ups started together both succeed and measure every client", async () => {
        const [upA, upB] = await Promise.all([a.up(), b.up()]);
        assertMeasured(upA.outputs.results.value as Record<string, LabResult>, A);
        assertMeasured(upB.outputs.results.value as Record<string, LabResult>, B);
    });

    it("each stack's host objects carry its own names, marks and subnet", () => {
        const [ha, hb] = [held(A), held(B)];
        // 1 server and 2 clients per method this host runs.
        const containers = 3 * hostMethods().methods.length;
        assert.equal(ha.containers.length, containers);
        assert.equal(hb.containers.length, containers);
        assert.deepEqual(everyName(ha).filter((n) => everyName(hb).includes(n)), []);
        assert.deepEqual(subnetLabels(A), [defaultSubnet(A)]);
        assert.deepEqual(subnetLabels(B), [defaultSubnet(B)]);
    });

    it("a third stack whose subnet overlaps one of theirs is refused at preview, naming both", async (t) => {
        const message = await c.preview().then(
            () => assert.fail("the preview succeeded"),
            (e: Error) => e.message,
        );
        const line = message.split("\n").find((l) => l.includes("icc-bench:subnet: got "));
        assert.ok(line, message);
        assert.ok(line.includes(`got "${C_SUBNET}"; allowed: a subnet that overlaps no other stack's lab on this host`), line);
        assert.ok(line.includes(`stack "${A}" holds ${defaultSubnet(A)} (this is stack "${C}")`), line);
        assert.ok(isEmpty(held(C)));
        t.diagnostic(line.trim());
    });

    it("a fourth stack of a subnet of its own that asks for A's labId is refused at preview, naming both stacks", async (t) => {
        const message = await d.preview().then(
            () => assert.fail("the preview succeeded"),
            (e: Error) => e.message,
        );
        const line = message.split("\n").find((l) => l.includes("icc-bench:labId: got "));
        assert.ok(line, message);
        assert.ok(line.includes(`got "${defaultLabId(A)}"; allowed: a labId no other stack's lab uses on this host, but stack "${A}" uses ${defaultLabId(A)} (this is stack "${D}"`), line);
        assert.ok(isEmpty(held(D)));
        t.diagnostic(line.trim());
    });

    it("destroying one stack leaves the other's lab as it was", async () => {
        const before = everyName(held(B)).sort();
        await a.destroy();
        assert.ok(isEmpty(held(A)), JSON.stringify(held(A)));
        assert.deepEqual(everyName(held(B)).sort(), before);
        await b.destroy();
        assert.ok(isEmpty(held(B)), JSON.stringify(held(B)));
    });
});
