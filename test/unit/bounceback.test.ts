import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
    bouncebackFinals, histogramQuantile, mergeHistograms, parseBouncebackLine, parseHistogramLine, parseRequestLength,
} from "../../results/bounceback";

/** Lines iperf 2.1.8 printed for `iperf -c 127.0.0.1 --bounceback --bounceback-period 0 -t 2 -i 1` in the lab image. */
const CONNECTED = "[  1] local 127.0.0.1%lo port 38668 connected with 127.0.0.1 port 5001 (bb w/quickack len/hold=100/0) (sock=3) (icwnd/mss/irtt=319/32741/67) (ct=1.12 ms) on 2026-12-03 16:14:11 (UTC)";
const HEADER = "[ ID] Interval            Transfer    Bandwidth         BB cnt=avg/min/max/stdev         Rtry  Cwnd/RTT    RPS";
const INTERVAL = "[  1] 1.0000-2.0000 sec  16.4 MBytes   138 Mbits/sec    86111=0.011/0.007/8.401/0.030 ms    0  576K/6 us    90553 rps";
const FINAL = "[  1] 0.0000-2.0016 sec  24.2 MBytes   101 Mbits/sec    126866=0.015/0.007/8.401/0.077 ms    0  576K/175 us    65961 rps";
const HISTOGRAM = "[  1] 0.0000-2.0060 sec BB8-PDF: bin(w=100us):cnt(20)=1:17,2:2,13:1 (5.00/95.00/99.7%=1/13/13,Outliers=1,obl/obu=0/0)";
const SUM = "[SUM] 0.0000-1.0000 sec  0.000 Bytes  0.000 bits/sec  0/0         0";

describe("iperf2 bounceback reports", () => {
    it("reads a round-trip line: transactions, and mean, min and max in microseconds", () => {
        assert.deepEqual(parseBouncebackLine(FINAL), { id: 1, start: 0, end: 2.0016, transactions: 126866, meanMicros: 15, minMicros: 7, maxMicros: 8401 });
        assert.equal(parseBouncebackLine(INTERVAL)?.transactions, 86111);
    });

    it("reads nothing from the connection, header, histogram and empty sum lines", () => {
        for (const line of [CONNECTED, HEADER, HISTOGRAM, SUM, ""]) {
            assert.equal(parseBouncebackLine(line), undefined, line);
        }
        assert.equal(parseHistogramLine(FINAL), undefined);
    });

    it("reads the histogram's bin width and each bin's count", () => {
        const h = parseHistogramLine(HISTOGRAM);
        assert.equal(h?.binMicros, 100);
        assert.deepEqual([...(h?.counts ?? [])], [[1, 17], [2, 2], [13, 1]]);
        assert.deepEqual([h?.id, h?.start, h?.end], [1, 0, 2.006]);
    });

    it("reads the request size from the connection line", () => {
        assert.equal(parseRequestLength(CONNECTED), 100);
        assert.equal(parseRequestLength(FINAL), undefined);
    });

    it("keeps each stream's whole-test report, not its intervals", () => {
        const reports = [INTERVAL, FINAL].map((l) => parseBouncebackLine(l)).filter((r) => r !== undefined);
        assert.deepEqual(bouncebackFinals(reports).map((r) => r.transactions), [126866]);
    });

    it("takes a percentile as the upper edge of its bin, never outside the measured min and max", () => {
        const h = parseHistogramLine(HISTOGRAM);
        assert.ok(h);
        // 17 of 20 round trips in bin 1 (up to 100 µs), 2 in bin 2, 1 in bin 13; max 1255 µs
        assert.equal(histogramQuantile(h, 0.5, 13, 1255), 100);
        assert.equal(histogramQuantile(h, 0.9, 13, 1255), 200);
        assert.equal(histogramQuantile(h, 0.99, 13, 1255), 1255);
        assert.equal(histogramQuantile(h, 0.5, 13, 60), 60);
        assert.equal(histogramQuantile(h, 0.5, 150, 1255), 150);
        assert.equal(histogramQuantile({ binMicros: 100, counts: new Map() }, 0.5, 0, 0), undefined);
    });

    it("merges histograms bin by bin, and refuses to merge different bin widths", () => {
        const a = { binMicros: 100, counts: new Map([[1, 17], [2, 2]]) };
        const b = { binMicros: 100, counts: new Map([[2, 3], [5, 1]]) };
        assert.deepEqual([...(mergeHistograms([a, b])?.counts ?? [])], [[1, 17], [2, 5], [5, 1]]);
        assert.equal(mergeHistograms([a, { ...b, binMicros: 10 }]), undefined);
        assert.equal(mergeHistograms([]), undefined);
    });
});
