import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { simulatedHost } from "../hosts/simulated";
import { Cidr, NAMESPACE, defaultMethods, overlaps, parseCidr, planStack, validateSettings } from "../../model";

/** The stack configs shipped in stacks/ (this file runs from dist/test/unit/). */
const STACKS_DIR = join(__dirname, "..", "..", "..", "stacks");

const STACK_FILE = /^Pulumi\.([^.]+)\.yaml$/;

/** Names of the stacks shipped in stacks/. */
function shippedStackNames(): string[] {
    return readdirSync(STACKS_DIR).flatMap((f) => STACK_FILE.exec(f)?.slice(1, 2) ?? []);
}

/** A stack file's icc-bench config, keys without the namespace; throws on invalid YAML. */
function stackConfig(name: string): Record<string, unknown> {
    const doc = parse(readFileSync(join(STACKS_DIR, `Pulumi.${name}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    return Object.fromEntries(
        Object.entries(doc.config ?? {})
            .filter(([key]) => key.startsWith(`${NAMESPACE}:`))
            .map(([key, value]) => [key.slice(NAMESPACE.length + 1), value]),
    );
}

function stackSubnet(name: string): Cidr {
    return parseCidr(planStack(name, validateSettings(stackConfig(name))).subnet) as Cidr;
}

describe("shipped stacks", () => {
    const names = shippedStackNames();

    it("are dev, one per study setup, latency and multihost", () => {
        assert.deepEqual([...names].sort(), ["dev", "latency", "multihost", "setup1", "setup2", "setup3"]);
    });

    for (const name of names) {
        it(`${name}: is valid YAML whose config validates and plans`, () => {
            const settings = validateSettings(stackConfig(name));
            const plan = planStack(name, settings);
            // No stack names its methods: every one of its span fits its subnet (a host runs those it supports).
            assert.equal(plan.labs.length, defaultMethods(settings.hosts !== undefined).length);
        });
    }

    it("multihost: every method across hosts, on the two hosts `npm run hosts:up -- 2` makes, server on the first", () => {
        const settings = validateSettings(stackConfig("multihost"));
        assert.deepEqual(settings.hosts, [simulatedHost(1), simulatedHost(2)]);
        assert.deepEqual(settings.placement, { servers: "host1", clients: ["host2"] });
    });

    it("latency: request/response through every method", () => {
        assert.equal(validateSettings(stackConfig("latency")).iperf.mode, "rr");
    });

    it("have subnets that do not overlap, so all of them can be up at once", () => {
        const subnets = names.map((name) => [name, stackSubnet(name)] as const);
        for (const [i, [a, sa]] of subnets.entries()) {
            for (const [b, sb] of subnets.slice(i + 1)) {
                assert.ok(!overlaps(sa, sb), `${a} and ${b} overlap`);
            }
        }
    });
});
