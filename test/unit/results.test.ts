import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseBenchmarkOutput } from "../../results/benchmark";
import { finalReport, parseReportLine } from "../../results/iperf";

/** Captured from the benchmark script on a real host (iperf 2.1.8, Debian bookworm image). */
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
        });
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
});
