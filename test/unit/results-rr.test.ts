import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { LabResult, parseBenchmarkOutput, withFractionOfLimit } from "../../results/benchmark";

/** Real benchmark output of a link lab (1 server, 2 clients, 2 s), captured on this project's host. */
function lab(name: string): LabResult {
    const [result] = parseBenchmarkOutput(readFileSync(join(__dirname, "..", "..", "..", "test", "fixtures", name), "utf8"));
    assert.ok(result, name);
    return result;
}

const close = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9 * Math.max(1, expected), `${actual} != ${expected}`);

describe("rr (bounceback) benchmark output", () => {
    const rr = lab("benchmark-rr-stdout.txt");

    it("gives each client process its transactions per second and round trips", () => {
        assert.equal(rr.mode, "rr");
        assert.equal(rr.protocol, "tcp");
        assert.deepEqual(rr.failures, []);
        const [c0, c1] = rr.clients;
        assert.equal(c0.container, "icc-bench-fixture-link-client0");
        // [  1] 0.0000-2.0100 sec ... 95083=0.020/0.012/4.326/0.027 ms
        assert.equal(c0.rr?.transactions, 95083);
        close(c0.rr?.transactionsPerSecond, 95083 / 2.01);
        assert.deepEqual([c0.rr?.minMicros, c0.rr?.meanMicros, c0.rr?.maxMicros], [12, 20, 4326]);
        // 94548 of 95083 round trips (99.4 %) in the first 100 µs bin
        assert.deepEqual([c0.rr?.p50Micros, c0.rr?.p90Micros, c0.rr?.p99Micros], [100, 100, 100]);
        // what it sent: its 100-byte requests
        close(c0.gbps, (95083 * 100 * 8) / 2.01 / 1e9);
        assert.equal(c1.rr?.transactions, 85959);
        assert.equal(c1.rr?.maxMicros, 10420);
        // 84897 of 85959 (98.8 %) in the first bin, 859 in the second: its p99 is in the second
        assert.deepEqual([c1.rr?.p50Micros, c1.rr?.p99Micros], [100, 200]);
    });

    it("gives the lab its transactions over all clients, percentiles from the merged histograms, never averaged", () => {
        const l = rr.latency;
        assert.ok(l);
        assert.equal(l.transactions, 95083 + 85959);
        close(l.transactionsPerSecond, 95083 / 2.01 + 85959 / 2.0096);
        close(l.meanTransactionsPerSecondPerClient, (95083 / 2.01 + 85959 / 2.0096) / 2);
        assert.equal(l.minMicros, 12);
        assert.equal(l.maxMicros, 10420);
        close(l.meanMicros, (20 * 95083 + 23 * 85959) / (95083 + 85959));
        // bin 1 holds 94548 + 84897 = 179445 of 181042 (99.1 %): p99 is in it too, although client1's own p99 is not
        assert.deepEqual([l.p50Micros, l.p90Micros, l.p99Micros, l.binMicros], [100, 100, 100, 100]);
        assert.equal(rr.packets, undefined);
    });

    it("costs the host's CPU seconds per 1000 transactions", () => {
        // /proc/stat moved by user 32, system 168, softirq 187, steal 6 ticks: 3.93 s of CPU in the window
        close(rr.cpu?.hostCpuSeconds, 3.93);
        close(rr.cpuCost?.cpuSecondsPerThousandTransactions, 3.93 / ((95083 + 85959) / 1000));
        assert.equal(rr.cpuCost?.cpuSecondsPerGbit, undefined);
    });

    it("adds up a process's parallel streams and reads its request size from the connection line", () => {
        const p = lab("benchmark-rr-parallel-stdout.txt");
        assert.equal(p.clients.length, 1);
        const [c] = p.clients;
        assert.equal(c.rr?.transactions, 96399 + 96517);
        close(c.rr?.transactionsPerSecond, (96399 + 96517) / 2.005);
        assert.deepEqual([c.rr?.minMicros, c.rr?.maxMicros], [12, 7266]);
        close(c.gbps, ((96399 + 96517) * 200 * 8) / 2.005 / 1e9);
    });

    it("a client that got no answer is a failure with iperf's reason, not 0 transactions", () => {
        const r = lab("benchmark-rr-refused-stdout.txt");
        assert.equal(r.clients.length, 1);
        assert.equal(r.failures.length, 1);
        const [f] = r.failures;
        assert.equal(f.container, "icc-bench-fixture-link-client1");
        assert.equal(f.exitCode, 0, "iperf 2.1.8 exits 0 when it cannot connect");
        assert.match(f.message, /no whole-test bounceback report .*: tcp connect failed: Connection refused/);
        assert.equal(r.latency?.transactions, r.clients[0].rr?.transactions);
    });

    it("gives rr figures over the limit method's", () => {
        const limit = { ...rr, method: "shared-netns", latency: { ...(rr.latency as NonNullable<LabResult["latency"]>), meanTransactionsPerSecondPerClient: 100_000, meanMicros: 10 } };
        const [withLimit] = withFractionOfLimit([rr, limit], "shared-netns");
        close(withLimit.ofLimit?.["latency.meanTransactionsPerSecondPerClient"], (rr.latency?.meanTransactionsPerSecondPerClient ?? 0) / 100_000);
        close(withLimit.ofLimit?.["latency.meanMicros"], (rr.latency?.meanMicros ?? 0) / 10);
        assert.equal(withLimit.ofLimit?.["packets.meanReceivedPerSecondPerClient"], undefined);
    });
});

describe("small UDP datagrams", () => {
    it("give the packet rate the servers received over the clients' sending time, and the loss", () => {
        const u = lab("benchmark-udp-small-stdout.txt");
        assert.equal(u.protocol, "udp");
        assert.deepEqual(u.failures, []);
        // client0 sent from port 46437 for 2.0 s: the server counted 81870 datagrams, 1159 lost (its own interval, 2.2 s, ran on)
        const c0 = u.clients.find((c) => c.container === "icc-bench-fixture-link-client0");
        close(c0?.udp?.packetsPerSecond, (81870 - 1159) / 2);
        close(u.packets?.receivedPerSecond, (81870 - 1159 + 81877 - 685) / 2);
        close(u.packets?.lossPercent, (100 * (1159 + 685)) / (81870 + 81877));
        assert.ok((u.cpuCost?.cpuSecondsPerGbit ?? 0) > 0);
    });
});

describe("CPU cost", () => {
    /** Two labs' host samples as a latency run printed them on this project's 2-core VM: in link's window /proc/stat counted 37 ticks of 1043. */
    const OUTPUT = [
        "icc-bench-version iperf version 2.1.8 (12 August 2022) pthreads",
        "icc-bench-mode rr",
        "icc-bench-cores 2",
        "icc-bench-round 1",
        "icc-bench-lab pipework 1796319000.733056",
        "icc-bench-cpu before 1796319000739379835 cpu  335861 26 108917 456233 2188 0 28556 28222 0 0",
        "icc-bench-cpu after 1796319005828838291 cpu  335962 26 109367 456234 2188 0 29020 28225 0 0",
        "icc-bench-lab link 1796319006.601897",
        "icc-bench-cpu before 1796319006607712665 cpu  336096 26 109829 456293 2188 0 29522 28227 0 0",
        "icc-bench-cpu after 1796319011821786083 cpu  336128 26 109834 456293 2188 0 29522 28227 0 0",
    ].join("\n");

    it("is given when the kernel accounted the window, and left out, saying why, when it missed most of it", () => {
        const [pipework, link] = parseBenchmarkOutput(OUTPUT);
        close(pipework.cpu?.tickCoverage, 1019 / (5.089458456 * 2 * 100));
        close(pipework.cpuCost?.hostCpuSeconds, 10.18);
        close(pipework.cpuCost?.unaccountedSeconds, 0);
        close(link.cpu?.tickCoverage, 37 / (5.214073418 * 2 * 100));
        assert.equal(link.cpuCost, undefined);
    });

    it("is left out when the first sample came after the start instant, with the lag it had", () => {
        // The latency stack's shared-netns lab on this VM: the runner sampled 5.05 s late, at the end of the 5 s test.
        const late = [
            "icc-bench-cores 2",
            "icc-bench-lab shared-netns 1796328779.782527",
            "icc-bench-cpu before 1796328784832451000 cpu  971604 121 362610 1369289 5645 0 119067 73661 0 0",
            "icc-bench-cpu after 1796328784951587000 cpu  971622 121 362616 1369289 5645 0 119067 73661 0 0",
        ].join("\n");
        const [lab] = parseBenchmarkOutput(late);
        close(lab.cpu?.sampleLagSeconds, 5.049924);
        close(lab.cpu?.tickCoverage, 24 / (0.119136 * 2 * 100));
        assert.equal(lab.cpuCost, undefined);
        const [pipework] = parseBenchmarkOutput(OUTPUT);
        close(pipework.cpu?.sampleLagSeconds, 0.006323835);
    });
});
