import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { compareRecords, comparedFigures, differences, formatComparison, loadRecord } from "../../sweep/compare";
import { asRrRecord, sweepRecord } from "../fixtures/sweepRecord";

/** Three repeats at 10 +- `spread` Gbit/s, shifted by `shift` for one method. */
const run = (shift: number, spread: number, repeats = 3) =>
    sweepRecord("clientContainers", ["1", "2"], ["ovs", "link"], repeats, (point, method, repeat) =>
        10 + (method === "ovs" && point.label === "2" ? shift : 0) + (repeat - 2) * spread,
    );

describe("compare two sweeps", () => {
    it("a change larger than twice the stddev of both runs is beyond noise; the others are not", () => {
        const changes = compareRecords(run(0, 0.5), run(3, 0.5));
        const ovs2 = changes.find((c) => c.point === "2" && c.method === "ovs");
        assert.equal(ovs2?.a?.median, 10);
        assert.equal(ovs2?.b?.median, 13);
        assert.equal(ovs2?.changePercent, 30);
        assert.equal(ovs2?.beyondNoise, true);
        const link2 = changes.find((c) => c.point === "2" && c.method === "link");
        assert.equal(link2?.changePercent, 0);
        assert.equal(link2?.beyondNoise, false);
    });

    it("the same change within the noise of one run is not beyond noise", () => {
        // stddev 2 in B: 3 Gbit/s is less than 2 x 2
        const changes = compareRecords(run(0, 0.5), run(3, 2));
        assert.equal(changes.find((c) => c.point === "2" && c.method === "ovs")?.beyondNoise, false);
    });

    it("with a single repeat the noise is unknown", () => {
        const changes = compareRecords(run(0, 0, 1), run(3, 0, 3));
        const ovs2 = changes.find((c) => c.point === "2" && c.method === "ovs");
        assert.equal(ovs2?.beyondNoise, undefined);
        assert.match(formatComparison(changes), /\| 2 \| ovs \| 10\.00 ±0\.00 \(n=1\) \| 13\.00 ±0\.00 \(n=3\) \| \+30\.0% \| unknown \(fewer than 2 repeats\) \|/);
    });

    it("two rr sweeps: transactions per client and the mean and p99 round trips, each against its noise", () => {
        const a = asRrRecord(run(0, 0.5), (m) => 300 + m.repeat);
        const b = asRrRecord(run(0, 0.5), (m) => (m.method === "ovs" ? 600 : 300) + m.repeat);
        assert.deepEqual(comparedFigures(a, b).map((f) => f.figure), ["transactionsPerClient", "meanMicros", "p99Micros"]);
        assert.deepEqual(comparedFigures(a, run(0, 0.5)).map((f) => f.figure), ["perClient"]);
        const p99 = compareRecords(a, b, "p99Micros");
        assert.equal(p99.find((c) => c.point === "1" && c.method === "ovs")?.beyondNoise, true);
        assert.equal(p99.find((c) => c.point === "1" && c.method === "link")?.beyondNoise, false);
        assert.match(formatComparison(p99, "p99 round trip µs"), /\| 1 \| ovs \| 302\.00 ±1\.00 \(n=3\) \| 602\.00 ±1\.00 \(n=3\) \| \+99\.3% \| yes \|/);
        assert.equal(compareRecords(a, b, "transactionsPerClient").find((c) => c.point === "1" && c.method === "ovs")?.changePercent, 0);
    });

    it("points or methods in one run only are listed as such", () => {
        const b = sweepRecord("clientContainers", ["1", "4"], ["ovs"], 3, () => 10);
        const changes = compareRecords(run(0, 0.5), b);
        assert.deepEqual(changes.map((c) => `${c.point}/${c.method}`), ["1/ovs", "1/link", "2/ovs", "2/link", "4/ovs", "4/link"]);
        const table = formatComparison(changes);
        assert.match(table, /\| 4 \| ovs \| – \| 10\.00 ±0\.00 \(n=3\) \| – \| not in both \|/);
        assert.match(table, /\| 1 \| link \| 10\.00 ±0\.50 \(n=3\) \| – \| – \| not in both \|/);
    });

    it("notes when the runs measured different things", () => {
        const a = run(0, 0.5);
        const b = { ...run(0, 0.5), spec: { ...a.spec, iperf: { ...a.spec.iperf, duration: 1 } } };
        assert.deepEqual(differences(a, a), []);
        assert.equal(differences(a, b).length, 1);
        assert.match(differences(a, b)[0], /^iperf settings differ/);
    });

    it("reads results.json and refuses other JSON", () => {
        const dir = mkdtempSync(join(tmpdir(), "icc-bench-compare-"));
        try {
            writeFileSync(join(dir, "a.json"), JSON.stringify(run(0, 0.5)));
            writeFileSync(join(dir, "other.json"), JSON.stringify({ results: {} }));
            assert.equal(loadRecord(join(dir, "a.json")).spec.name, "unit");
            assert.throws(() => loadRecord(join(dir, "other.json")), /not an icc-bench sweep result/);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
