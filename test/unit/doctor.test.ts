import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findBroken } from "../../host/doctor";
import { raw } from "../../hostscripts/shell";

/** The doctor's verdicts on facts whose tests say there, gone, or could not look. */

const fact = (what: string, test: string) => ({ what, test: raw(test) });

describe("the doctor", () => {
    it("names an object's missing facts and passes an object whose facts all hold", () => {
        const broken = findBroken([
            { create: "a", facts: [fact("there", "true"), fact("gone", "false"), fact("gone too", "exit 1")] },
            { create: "b", facts: [fact("there", "true")] },
        ]);
        assert.deepEqual(broken, [{ create: "a", missing: ["gone", "gone too"] }]);
    });

    it("fails, naming the fact, when a test could not look: a command that is not there, a helper that did not start", () => {
        const objects = [
            { create: "a", facts: [fact("an OVS bridge", "no-such-command-here br0")] },
            { create: "b", facts: [fact("interface ibx1vx on host two", "exit 125"), fact("there", "true")] },
        ];
        assert.throws(() => findBroken(objects), /the doctor could not look at: an OVS bridge \(exit 127\); interface ibx1vx on host two \(exit 125\)/);
    });
});
