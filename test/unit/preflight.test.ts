import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { boundPorts, withHostMethods } from "../../host/preflight";
import { methodModule } from "../../methods";

/** The preflight's decisions on data (the host checks themselves run in the reliability tier). */

describe("boundPorts", () => {
    const tcp = [
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 0100007F:4E20 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0",
        "   1: 0100007F:4E21 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0",
    ].join("\n");
    const udp = [
        "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
        "  10: 00000000:4E22 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3 2 0 0",
    ].join("\n");

    it("finds listening TCP and bound UDP ports, not connected ones", () => {
        assert.deepEqual([...boundPorts([{ protocol: "tcp", text: tcp }, { protocol: "udp", text: udp }])].sort(), [20000, 20002]);
    });
});

describe("withHostMethods", () => {
    it("keeps the methods a config names, whatever the host supports", () => {
        const raw = { methods: ["ipvlan"], topology: { servers: 1 } };
        assert.deepEqual(withHostMethods(raw), { config: raw, skipped: [] });
    });

    it("fills in every supported method when none is named, and says why each other is left out", () => {
        const { config, skipped } = withHostMethods({});
        const methods = config.methods as string[];
        assert.ok(methods.length > 0);
        for (const s of skipped) {
            assert.ok(!methods.includes(s.method));
            assert.ok(s.reasons.length > 0 && s.reasons.every((r) => r.includes(s.method)), JSON.stringify(s));
        }
        assert.ok(skipped.every((s) => methodModule(s.method).needs.commands.length + methodModule(s.method).needs.kernelModules.length > 0 || methodModule(s.method).needs.openvswitch));
    });
});
