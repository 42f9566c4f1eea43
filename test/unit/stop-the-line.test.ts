import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Leftovers } from "../../host/inventory";
import { SHIPPED_STACK_FILES, lineStoppers } from "../stopTheLine";

/** The stop-the-line decision (test/stopTheLine.ts) on data: what stops the whole npm test. */

const CLEAN: Leftovers = { containers: [], interfaces: [], ovs: [], iptables: [], networks: [], namespaces: [], files: [] };

describe("stop-the-line check of npm test", () => {
    it("a clean host and the shipped stack files pass", () => {
        assert.deepEqual(lineStoppers(CLEAN, [...SHIPPED_STACK_FILES].reverse()), []);
    });

    it("names every icc-bench object of the host", () => {
        const found: Leftovers = {
            ...CLEAN,
            containers: ["icc-bench-rec1i-ovs-client0"],
            interfaces: ["ibo3dc4br"],
            ovs: ["bridge ibo3dc4br"],
            iptables: ["filter -A DOCKER-USER -i ibp3dc4br -m comment --comment icc-bench:rec1i:pipework -j ACCEPT"],
            namespaces: ["ibns1"],
            files: ["/tmp/icc-bench-rec1i-x"],
        };
        assert.deepEqual(lineStoppers(found, SHIPPED_STACK_FILES), [
            "host: container icc-bench-rec1i-ovs-client0",
            "host: ovs bridge ibo3dc4br",
            "host: iptables filter -A DOCKER-USER -i ibp3dc4br -m comment --comment icc-bench:rec1i:pipework -j ACCEPT",
            "host: interface ibo3dc4br",
            "host: netns ibns1",
            "host: file /tmp/icc-bench-rec1i-x",
        ]);
    });

    it("names a leftover stack file, and a shipped one that is missing", () => {
        const files = [...SHIPPED_STACK_FILES.filter((f) => f !== "Pulumi.setup2.yaml"), "Pulumi.rec4242i.yaml", "notes.txt"];
        assert.deepEqual(lineStoppers(CLEAN, files), [
            "stacks/Pulumi.rec4242i.yaml: not a shipped stack file",
            "stacks/notes.txt: not a shipped stack file",
            "stacks/Pulumi.setup2.yaml: a shipped stack file is missing",
        ]);
    });
});
