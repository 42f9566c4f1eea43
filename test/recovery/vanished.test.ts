import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { labStack } from "../../automation/labStack";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";
import { brokenHostObjects, repairLab } from "../../automation/repair";
import { deleteRules } from "../../hostscripts/iptables";
import { natEntries, natRules } from "../../methods/macvlan-nat";
import { ovsBridgeOf } from "../../methods/ovs";
import { LabPlan, Method } from "../../model";
import { LabResult } from "../../results/benchmark";
import { NOTHING } from "../../host/inventory";
import { labConfig, assertMeasured, assertWhole, leftovers, planOf } from "./lab";

/**
 * Parts of a deployed lab removed by hand behind Pulumi's back (real engine, real host). The
 * command provider never reads the host, so refresh alone sees only the container; lab:repair
 * (repairLab) must find each part, make it again and measure again, and destroy must still
 * succeed and clean up when parts are gone.
 */

const STACK = `rec${process.pid}v`;
const CONFIG = labConfig(SUITE_SUBNETS.vanished);
const PLAN = planOf(STACK, CONFIG);

function labOf(method: Method): LabPlan {
    return PLAN.labs.find((l) => l.method === method) as LabPlan;
}

function run(file: string, args: string[]): void {
    execFileSync(file, args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Resource names of the objects of a method's attachment (`net-bridge`, `net-client0`...). */
const resource = (method: Method, part: string): string => `${STACK}-${method}-net-${part}`;

/** One thing removed by hand, and the resources the doctor must then find broken. */
interface Vanishing {
    readonly what: string;
    readonly vanish: () => void;
    readonly broken: readonly string[];
}

const ovs = labOf("ovs");
const pipework = labOf("pipework");
const nat = labOf("macvlan-nat");

/** The macvlan-nat lab's rules in the nat table. */
function natRulesOnHost(): string[] {
    return execFileSync("iptables-save", ["-t", "nat"], { encoding: "utf8" }).split("\n").filter((l) => l.includes(nat.names.mark));
}

const VANISHINGS: readonly Vanishing[] = [
    {
        what: "a client container removed (docker rm -f)",
        vanish: () => run("docker", ["rm", "-f", ovs.clients[1].name]),
        broken: [resource("ovs", "client1")],
    },
    {
        what: "a server container removed (docker rm -f)",
        vanish: () => run("docker", ["rm", "-f", pipework.servers[0].name]),
        broken: [resource("pipework", "server0")],
    },
    {
        what: "a veth deleted (ip link del)",
        vanish: () => run("ip", ["link", "del", "dev", pipework.clients[0].ifnames.host]),
        broken: [resource("pipework", "client0")],
    },
    {
        what: "the OVS bridge deleted (ovs-vsctl del-br), which takes its ports along",
        vanish: () => run("ovs-vsctl", ["del-br", ovsBridgeOf(ovs)]),
        broken: ["bridge", "server0", "client0", "client1"].map((p) => resource("ovs", p)),
    },
    {
        what: "a server's NAT rules flushed (iptables -t nat -D)",
        vanish: () => {
            assert.equal(natRulesOnHost().length, 2, "a DNAT and a MASQUERADE rule before");
            const rules = natRules(nat.names.mark, natEntries(nat)[0]);
            execFileSync("sh", ["-c", deleteRules(rules)]);
            assert.deepEqual(natRulesOnHost(), [], "the NAT rules are gone");
        },
        broken: [resource("macvlan-nat", "server0")],
    },
];

function startTimes(results: Record<string, LabResult>): Record<string, string> {
    return Object.fromEntries(Object.values(results).map((r) => [r.method, r.startTime]));
}

describe("parts of a deployed lab removed by hand, then lab:repair", () => {
    let stack: Stack;
    let measured: Record<string, string>;

    before(async () => {
        assert.deepEqual(leftovers(STACK), NOTHING, "the host holds nothing of this stack before the test");
        stack = await labStack(STACK, CONFIG);
        measured = startTimes(assertMeasured(await stack.up()));
        await assertWhole(stack, PLAN);
    });

    after(() => removeSuiteStack(STACK));

    for (const v of VANISHINGS) {
        it(`${v.what}: the doctor names it, the repair makes it again and measures again`, async () => {
            v.vanish();
            const broken = (await brokenHostObjects(stack)).map((b) => b.urn.split("::").pop());
            assert.deepEqual(broken.sort(), [...v.broken].sort());

            const report = await repairLab(STACK);
            assert.deepEqual(report.replaced.map((r) => r.urn.split("::").pop()).sort(), [...v.broken].sort());
            const now = startTimes(assertMeasured(report.up));
            for (const [method, start] of Object.entries(now)) {
                assert.notEqual(start, measured[method], `${method} measured again`);
            }
            measured = now;
            await assertWhole(stack, PLAN);
        });
    }

    it("destroy of a lab that lost containers, a veth, its OVS bridge and NAT rules succeeds and leaves nothing", async () => {
        VANISHINGS.forEach((v) => v.vanish());
        const destroyed = await stack.destroy();
        assert.equal(destroyed.summary.result, "succeeded");
        assert.deepEqual(leftovers(STACK), NOTHING);
    });
});
