import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { Cidr, NAMESPACE, overlaps, parseCidr, planStack, validateSettings } from "../../model";

/** The stack configs shipped in stacks/ (this file runs from dist/test/unit/). */
const STACKS_DIR = join(__dirname, "..", "..", "..", "stacks");

function shippedStacks(): Map<string, Record<string, unknown>> {
    const stacks = new Map<string, Record<string, unknown>>();
    for (const file of readdirSync(STACKS_DIR).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))) {
        const doc = parse(readFileSync(join(STACKS_DIR, file), "utf8")) as { config?: Record<string, unknown> };
        const raw = Object.fromEntries(
            Object.entries(doc.config ?? {})
                .filter(([key]) => key.startsWith(`${NAMESPACE}:`))
                .map(([key, value]) => [key.slice(NAMESPACE.length + 1), value]),
        );
        stacks.set(file.slice("Pulumi.".length, -".yaml".length), raw);
    }
    return stacks;
}

describe("shipped stacks", () => {
    const stacks = shippedStacks();

    it("are dev and one per study setup", () => {
        assert.deepEqual([...stacks.keys()].sort(), ["dev", "setup1", "setup2", "setup3"]);
    });

    for (const [name, raw] of stacks) {
        it(`${name}: is valid YAML whose config validates and plans`, () => {
            const plan = planStack(name, validateSettings(raw));
            assert.equal(plan.labs.length, 4);
        });
    }

    it("have subnets that do not overlap, so all of them can be up at once", () => {
        const subnets = [...stacks].map(([name, raw]) => [name, parseCidr(planStack(name, validateSettings(raw)).subnet) as Cidr] as const);
        for (const [i, [a, sa]] of subnets.entries()) {
            for (const [b, sb] of subnets.slice(i + 1)) {
                assert.ok(!overlaps(sa, sb), `${a} and ${b} overlap`);
            }
        }
    });
});
