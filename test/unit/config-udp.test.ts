import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateSettings } from "../../model";
import { problemLine } from "../fixtures/configProblem";

const UDP_METHODS = ["pipework", "link", "ovs"];

describe("iperf.protocol and iperf.udpRate", () => {
    it("leave TCP settings as they were when not given", () => {
        const iperf = validateSettings({}).iperf;
        assert.equal(iperf.protocol, undefined);
        assert.equal(iperf.udpRate, undefined);
        assert.equal(validateSettings({ iperf: { protocol: "tcp" } }).iperf.protocol, undefined);
    });

    it("UDP gets a default offered rate of 1G per client process", () => {
        const iperf = validateSettings({ methods: UDP_METHODS, iperf: { protocol: "udp" } }).iperf;
        assert.equal(iperf.protocol, "udp");
        assert.equal(iperf.udpRate, "1G");
    });

    for (const rate of ["500M", "1.5G", "100K", "10G", "0.5G"]) {
        it(`accepts the rate ${rate}`, () => {
            assert.equal(validateSettings({ methods: UDP_METHODS, iperf: { protocol: "udp", udpRate: rate } }).iperf.udpRate, rate);
        });
    }

    for (const rate of ["0M", "0.0G", "1T", "fast", "1 G", "-1M", "1g", 100, "1G; reboot"]) {
        it(`rejects the rate ${JSON.stringify(rate)}, saying what is allowed`, () => {
            const line = problemLine({ methods: UDP_METHODS, iperf: { protocol: "udp", udpRate: rate } }, "icc-bench:iperf.udpRate");
            assert.ok(line.includes(`got ${JSON.stringify(rate)}`), line);
            assert.match(line, /allowed: bits per second with a unit K, M or G/);
        });
    }

    it("rejects an unknown protocol", () => {
        assert.match(problemLine({ iperf: { protocol: "sctp" } }, "icc-bench:iperf.protocol"), /got "sctp"; allowed: tcp or udp/);
    });

    it("rejects a rate without UDP rather than ignoring it", () => {
        assert.match(problemLine({ iperf: { udpRate: "1G" } }, "icc-bench:iperf.udpRate"), /got "1G"; allowed: only with iperf.protocol udp/);
    });

    it("rejects UDP with macvlan-nat, whose DNAT forwards TCP only (all methods is the default)", () => {
        assert.match(problemLine({ iperf: { protocol: "udp" } }, "icc-bench:iperf.protocol"), /DNAT rules forward TCP only/);
        assert.match(problemLine({ methods: ["macvlan-nat"], iperf: { protocol: "udp" } }, "icc-bench:iperf.protocol"), /macvlan-nat/);
    });
});
