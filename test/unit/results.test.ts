import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseBenchmarkOutput, resultsByRound, withFractionOfLimit } from "../../results/benchmark";
import { finalReport, parseReportLine, streamKey } from "../../results/iperf";

/** Captured from the benchmark on a real host (iperf 2.1.8, Debian bookworm image). */
function fixture(name: string): string {
    return readFileSync(join(__dirname, "..", "..", "..", "test", "fixtures", name), "utf8");
}

describe("iperf2 CSV", () => {
    it("parses a client report line", () => {
        assert.deepEqual(parseReportLine("20261127112640.000,198.19.255.3,34738,198.19.255.2,5001,1,0.0-2.1,3682467920,14334644041"), {
            id: 1,
            start: 0,
            end: 2.1,
            bytes: 3682467920,
            bitsPerSecond: 14334644041,
            endpoints: ["198.19.255.3:34738", "198.19.255.2:5001"],
        });
    });

    it("reads a UDP line's receiver fields, and gives a stream the same key from either end", () => {
        const server = parseReportLine("19700101000000,198.19.255.4,57218,198.19.255.2,5001,1,0.0-1.0,49080360,394141405,0.003,2282,35670,6.398,0");
        assert.deepEqual(server?.udp, { jitterMs: 0.003, lost: 2282, total: 35670, lossPercent: 6.398, outOfOrder: 0 });
        const client = parseReportLine("20261127115848.734,198.19.255.4,57218,198.19.255.2,5001,1,0.0-1.0,52434900,419438933,0.000,0,-1,-0.000,0");
        const reversed = parseReportLine("19700101000000,198.19.255.2,5001,198.19.255.4,57218,1,0.0-1.0,1,1,0,0,1,0,0");
        assert.ok(client && server && reversed);
        assert.equal(streamKey(client), streamKey(server));
        assert.equal(streamKey(reversed), streamKey(server));
        assert.equal(parseReportLine("20261127112640.000,198.19.255.3,34738,198.19.255.2,5001,1,0.0-2.1,3682467920,14334644041")?.udp, undefined);
    });

    it("ignores warnings and blank lines", () => {
        assert.equal(parseReportLine("tcp connect failed: Connection refused"), undefined);
        assert.equal(parseReportLine(""), undefined);
    });

    it("takes the whole-test line, not an interval line, as the final report", () => {
        const lines = [
            "20261127112640.000,198.19.255.3,34738,198.19.255.2,5001,1,0.0-1.0,1814167632,14513341056",
            "20261127112641.000,198.19.255.3,34738,198.19.255.2,5001,1,1.0-2.0,1868169216,14945353728",
            "20261127112641.000,198.19.255.3,34738,198.19.255.2,5001,1,0.0-2.1,3682467920,14334644041",
        ].map((l) => parseReportLine(l));
        assert.equal(finalReport(lines.filter((r) => r !== undefined))?.bitsPerSecond, 14334644041);
    });
});

describe("parseBenchmarkOutput", () => {
    it("reads every lab of the dev run, in order, with per-client and per-container figures", () => {
        const labs = parseBenchmarkOutput(fixture("benchmark-dev-stdout.txt"));
        assert.deepEqual(labs.map((l) => l.method), ["macvlan-nat", "pipework", "link", "ovs"]);
        for (const lab of labs) {
            assert.equal(lab.iperfVersion, "iperf version 2.1.8 (12 August 2022) pthreads");
            assert.equal(lab.clients.length, 2);
            assert.equal(lab.containers.length, 2);
            assert.deepEqual(lab.failures, []);
            assert.ok(lab.durationSeconds >= 2 && lab.durationSeconds < 2.5, String(lab.durationSeconds));
            assert.match(lab.startTime, /^2026-11-27T11:2\d:\d\d\.000Z$/);
            const sum = lab.clients[0].gbps + lab.clients[1].gbps;
            assert.ok(Math.abs(lab.total - sum) < 1e-9);
            assert.ok(Math.abs(lab.meanPerClient - sum / 2) < 1e-9);
            assert.ok(Math.abs(lab.meanPerContainer - sum / 2) < 1e-9);
        }
        // First client of the first lab: its 0.0-2.0 line says 7448193997 bit/s.
        assert.equal(labs[0].clients[0].gbps, 7.448193997);
        assert.ok(labs.every((l) => l.round === 1), "a run without round lines is one round");
    });

    it("reads output framed by the begin and end marks as the same labs", () => {
        const stdout = fixture("benchmark-dev-stdout.txt").trimEnd();
        const framed = parseBenchmarkOutput(`icc-bench-begin\n${stdout}\nicc-bench-end`);
        assert.deepEqual(framed, parseBenchmarkOutput(stdout));
    });

    it("refuses output that begins with the begin mark but was cut short before the end mark, naming what it got", () => {
        const stdout = `icc-bench-begin\n${fixture("benchmark-dev-stdout.txt").trimEnd()}`;
        const cut = stdout.slice(0, Math.floor(stdout.length * 0.6));
        assert.throws(() => parseBenchmarkOutput(cut), (e: Error) => {
            assert.match(e.message, /^the benchmark's output was cut short: it does not end with icc-bench-end \(\d+ characters, the last line "/);
            assert.ok(e.message.includes(`${cut.length} characters`), e.message);
            return true;
        });
        assert.throws(() => parseBenchmarkOutput(`${stdout}\n`), /cut short/);
    });

    it("gives each lab the round its run belongs to", () => {
        const [first, ...rest] = fixture("benchmark-dev-stdout.txt").split(/(?=^icc-bench-lab )/m);
        const labs = parseBenchmarkOutput([first, "icc-bench-round 1\n", rest[0], rest[1], "icc-bench-round 2\n", rest[2], rest[3]].join(""));
        assert.deepEqual(labs.map((l) => [l.method, l.round]), [["macvlan-nat", 1], ["pipework", 1], ["link", 2], ["ovs", 2]]);
    });

    it("sums parallel streams (iperf2 prints no sum line in CSV) and per-container processes", () => {
        const [lab] = parseBenchmarkOutput(fixture("benchmark-parallel-stdout.txt"));
        assert.equal(lab.clients.length, 4);
        // client0 process 1: streams 1036434516 + 1717885680 bit/s over 0.0-1.0
        assert.ok(Math.abs(lab.clients[0].gbps - (1.036434516 + 1.71788568)) < 1e-9, String(lab.clients[0].gbps));
        assert.equal(lab.containers.length, 2);
        const c0 = lab.clients.filter((c) => c.container === "icc-bench-unit-ovs-client0");
        assert.ok(Math.abs(lab.containers[0].gbps - (c0[0].gbps + c0[1].gbps)) < 1e-9);
        assert.ok(Math.abs(lab.meanPerContainer * 2 - lab.total) < 1e-9);
    });

    it("reports a client that never connected as a failure, not as 0 Gbit/s", () => {
        const [lab] = parseBenchmarkOutput(fixture("benchmark-refused-stdout.txt"));
        assert.equal(lab.clients.length, 1);
        assert.deepEqual(lab.failures, [
            {
                container: "icc-bench-unit-pipework-client1",
                process: 1,
                server: 1,
                exitCode: 0,
                message: "no whole-test report: tcp connect failed: Connection refused",
            },
        ]);
        assert.equal(lab.meanPerClient, lab.clients[0].gbps);
    });

    it("reads the CPU samples: host busy share and each container's cgroup time over the window", () => {
        const [lab] = parseBenchmarkOutput(fixture("benchmark-cpu-stdout.txt"));
        assert.equal(lab.protocol, "tcp");
        assert.equal(lab.clients.length, 3);
        const cpu = lab.cpu;
        assert.ok(cpu);
        // 1795780725963712161 - 1795780724974138583 ns
        assert.equal(cpu.windowSeconds, 0.989573578);
        // jiffies: user +65, system +83, softirq +47, idle +0 (2 cores, fully busy)
        assert.equal(cpu.hostBusyPercent, 100);
        assert.deepEqual(
            cpu.containers.map((c) => [c.container, c.cpuSeconds]),
            [
                ["icc-bench-fixture-link-server0", 0.479397],
                ["icc-bench-fixture-link-client0", 0.389666],
                ["icc-bench-fixture-link-client1", 0.380347],
            ],
        );
        assert.equal(cpu.containers[0].cores, 0.479397 / 0.989573578);
    });

    it("UDP: throughput is what each stream's server report says arrived; jitter and loss come from it", () => {
        const [lab] = parseBenchmarkOutput(fixture("benchmark-udp-stdout.txt"));
        assert.equal(lab.protocol, "udp");
        assert.deepEqual(lab.failures, []);
        const byPort = (container: string, process: number) => lab.clients.find((c) => c.container === container && c.process === process);
        // client0 process 1 sent from port 57168; the server saw 414727421 bit/s, 408 of 35669 lost, 0.002 ms jitter
        const p1 = byPort("icc-bench-fixture-link-client0", 1);
        assert.equal(p1?.gbps, 0.414727421);
        assert.deepEqual(p1?.udp, {
            sentGbps: 0.419462825, jitterMs: 0.002, lostDatagrams: 408, totalDatagrams: 35669, lossPercent: (100 * 408) / 35669, packetsPerSecond: 35669 - 408,
        });
        assert.equal(byPort("icc-bench-fixture-link-client1", 1)?.gbps, 0.394141405);
        assert.ok(Math.abs(lab.total - (0.414727421 + 0.391336684 + 0.394141405)) < 1e-9);
        assert.equal(lab.durationSeconds, 1);
        // the packet rate is what the servers received: each stream's datagrams less its lost ones, over its 1 s
        const received = 35670 - 2282 + (35382 - 2029) + (35669 - 408);
        assert.equal(lab.packets?.receivedPerSecond, received);
        assert.equal(lab.packets?.meanReceivedPerSecondPerClient, received / 3);
        assert.equal(lab.packets?.lossPercent, (100 * (2282 + 2029 + 408)) / (35670 + 35382 + 35669));
        assert.equal(lab.latency, undefined);
    });

    it("UDP with parallel streams: sums what arrived and the datagrams, averages the jitter", () => {
        const [lab] = parseBenchmarkOutput(fixture("benchmark-udp-parallel-stdout.txt"));
        assert.equal(lab.clients.length, 1);
        const [c] = lab.clients;
        assert.ok(Math.abs(c.gbps - (0.313938842 + 0.314694897)) < 1e-9);
        assert.equal(c.udp?.lostDatagrams, 46);
        assert.equal(c.udp?.totalDatagrams, 26753 + 26754);
        assert.equal(c.udp?.jitterMs, 0.001);
        assert.ok(Math.abs((c.udp?.sentGbps ?? 0) - (0.31458174 + 0.314582877)) < 1e-9);
    });

    it("UDP: a stream without a server report is a failure, not 0 Gbit/s", () => {
        // The captured run with the server's line for port 57168 taken out.
        const stdout = fixture("benchmark-udp-stdout.txt").split("\n").filter((l) => !l.includes(",57168,198.19.255.2,5001,3,")).join("\n");
        const [lab] = parseBenchmarkOutput(stdout);
        assert.equal(lab.clients.length, 2);
        assert.deepEqual(lab.failures, [
            {
                container: "icc-bench-fixture-link-client0",
                process: 1,
                server: 0,
                exitCode: 0,
                message: "no UDP server report for 198.19.255.3:57168 (its last datagram or the report was lost)",
            },
        ]);
    });
});

describe("withFractionOfLimit", () => {
    const result = (method: string, meanPerClient: number) => ({ ...parseBenchmarkOutput(fixture("benchmark-dev-stdout.txt"))[0], method, meanPerClient });

    it("gives every result its mean per client over the limit method's, the limit itself 1", () => {
        const rs = withFractionOfLimit([result("ovs", 1.5), result("shared-netns", 30), result("bridge", 15)], "shared-netns");
        assert.deepEqual(rs.map((r) => [r.method, r.fractionOfLimit]), [["ovs", 0.05], ["shared-netns", 1], ["bridge", 0.5]]);
    });

    it("leaves the results alone when the limit was not measured or measured nothing", () => {
        assert.deepEqual(withFractionOfLimit([result("ovs", 1.5)], "shared-netns").map((r) => r.fractionOfLimit), [undefined]);
        assert.deepEqual(withFractionOfLimit([result("ovs", 1.5), result("shared-netns", 0)], "shared-netns").map((r) => r.fractionOfLimit), [undefined, undefined]);
    });
});

describe("resultsByRound", () => {
    const result = (method: string, round: number, meanPerClient: number) => ({ ...parseBenchmarkOutput(fixture("benchmark-dev-stdout.txt"))[0], method, round, meanPerClient });

    it("groups by round, round 1 first, each with its fraction of that round's limit", () => {
        const rounds = resultsByRound([result("ovs", 2, 3), result("shared-netns", 2, 30), result("shared-netns", 1, 20), result("ovs", 1, 1)], "shared-netns");
        assert.deepEqual(rounds.map((r) => Object.keys(r)), [["shared-netns", "ovs"], ["ovs", "shared-netns"]]);
        assert.deepEqual(rounds.map((r) => r.ovs.fractionOfLimit), [0.05, 0.1]);
        assert.deepEqual(resultsByRound([], "shared-netns"), []);
    });
});
