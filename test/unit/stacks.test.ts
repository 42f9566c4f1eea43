import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { Cidr, METHODS, NAMESPACE, overlaps, parseCidr, planStack, validateSettings } from "../../model";

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

    it("are dev, one per study setup and latency", () => {
        assert.deepEqual([...names].sort(), ["dev", "latency", "setup1", "setup2", "setup3"]);
    });

    for (const name of names) {
        it(`${name}: is valid YAML whose config validates and plans`, () => {
            const plan = planStack(name, validateSettings(stackConfig(name)));
            // No stack names its methods: every registered one fits its subnet (a host runs those it supports).
            assert.equal(plan.labs.length, METHODS.length);
        });
    }

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
