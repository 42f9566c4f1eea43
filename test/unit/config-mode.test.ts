import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LENGTH_LIMITS, validateSettings } from "../../model";
import { problemLine } from "../fixtures/configProblem";

const UDP = { methods: ["link", "ovs"], iperf: { protocol: "udp" } };

describe("iperf.mode and iperf.length", () => {
    it("leave stream settings as they were when not given, or when stream is named", () => {
        assert.deepEqual(validateSettings({}).iperf, validateSettings({ iperf: { mode: "stream" } }).iperf);
        assert.equal(validateSettings({}).iperf.mode, undefined);
        assert.equal(validateSettings({}).iperf.length, undefined);
    });

    it("take rr with its request length, and parallel streams per process", () => {
        const iperf = validateSettings({ iperf: { mode: "rr", length: 64, parallel: 2 } }).iperf;
        assert.equal(iperf.mode, "rr");
        assert.equal(iperf.length, 64);
        assert.equal(iperf.parallel, 2);
    });

    it("take a small UDP datagram and the largest the UDP server counts whole", () => {
        assert.equal(validateSettings({ ...UDP, iperf: { protocol: "udp", length: 16 } }).iperf.length, 16);
        assert.equal(validateSettings({ ...UDP, iperf: { protocol: "udp", length: 1470 } }).iperf.length, LENGTH_LIMITS.maxUdp);
        assert.equal(validateSettings({ iperf: { length: 65507 } }).iperf.length, LENGTH_LIMITS.max);
    });

    it("reject an unknown mode, naming the key, the value and what is allowed", () => {
        assert.match(problemLine({ iperf: { mode: "latency" } }, "icc-bench:iperf.mode"), /got "latency"; allowed: stream or rr/);
    });

    it("reject rr over UDP: bounceback is TCP", () => {
        assert.match(problemLine({ ...UDP, iperf: { protocol: "udp", mode: "rr" } }, "icc-bench:iperf.mode"), /got "rr"; allowed: stream while iperf.protocol is udp/);
    });

    for (const [iperf, allowed] of [
        [{ length: 0 }, "from 1 to 65507"],
        [{ length: 65508 }, "from 1 to 65507"],
        [{ length: 1.5 }, "a whole number from 1 to 65507"],
        [{ length: "64" }, "from 1 to 65507"],
        [{ mode: "rr", length: 63 }, "from 64 to 65507"],
        [{ protocol: "udp", length: 15 }, "from 16 to 1470"],
        [{ protocol: "udp", length: 1471 }, "from 16 to 1470"],
    ] as const) {
        it(`rejects ${JSON.stringify(iperf)}: ${allowed}`, () => {
            const raw = "protocol" in iperf ? { ...UDP, iperf } : { iperf };
            const line = problemLine(raw, "icc-bench:iperf.length");
            assert.ok(line.includes(`got ${JSON.stringify(iperf.length)}`), line);
            assert.ok(line.includes(allowed), line);
        });
    }
});
