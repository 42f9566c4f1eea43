import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pointTimings, sweepCost } from "../../sweep/cost";
import { chartSpec, chartSvg } from "../../sweep/report/chart";
import { clientsCsvReport, csvReport } from "../../sweep/report/csv";
import { markdownReport, markdownTable, methodTable } from "../../sweep/report/markdown";
import { reportDirName } from "../../sweep/report/write";
import { summarize } from "../../sweep/summary";
import { asRrRecord, labResult, sweepRecord } from "../fixtures/sweepRecord";

/** Table 1's shape with made-up figures: ovs is noisy at 4, link failed once at 2 and always at 4. */
const RECORD = sweepRecord("clientContainers", ["1", "2", "4"], ["ovs", "link"], 3, (point, method, repeat) => {
    const n = point.topology.clientContainers;
    if (method === "link" && (n === 4 || (n === 2 && repeat === 2))) {
        return "error: iperf clients failed";
    }
    return method === "ovs" && n === 4 ? [2, 3, 4][repeat - 1] : 10 / n + repeat * 0.01;
});
const CELLS = summarize(RECORD.spec.points, RECORD.spec.methods, RECORD.measurements);

function rows(table: string): string[][] {
    return table.split("\n").map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
}

describe("the study-shaped table", () => {
    const table = rows(methodTable(RECORD, CELLS, "perClient", true));

    it("has the axis and the points as columns, right-aligned figures", () => {
        assert.deepEqual(table[0], ["client containers", "1", "2", "4"]);
        assert.deepEqual(table[1], ["---", "---:", "---:", "---:"]);
    });

    it("has a row per method with the median, followed by the study's row for that method", () => {
        assert.deepEqual(table.slice(2).map((r) => r[0]), ["ovs", "↳ study (ovs)", "link", "↳ study (link)"]);
        assert.deepEqual(table[2], ["ovs", "10.02", "5.02", "3.00*"]);
        assert.deepEqual(table[3], ["↳ study (ovs)", "13.20", "11.00", "6.60"]);
        assert.deepEqual(table[5], ["↳ study (link)", "12.00", "8.10", "4.90"]);
    });

    it("marks partial and total failures instead of inventing a number", () => {
        assert.deepEqual(table[4], ["link", "10.02", "5.02 (1 failed)", "failed"]);
    });

    it("leaves the study row out where the study did not measure that setup", () => {
        const twoServers = sweepRecord("clientContainers", ["1"], ["ovs"], 1, () => 1);
        const moved = { ...twoServers, spec: { ...twoServers.spec, points: twoServers.spec.points.map((p) => ({ ...p, topology: { ...p.topology, servers: 2 } })) } };
        const t = rows(methodTable(moved, summarize(moved.spec.points, moved.spec.methods, moved.measurements), "perClient", true));
        assert.deepEqual(t.slice(2).map((r) => r[0]), ["ovs"]);
    });

    it("table 3 has no iptables row in the study: macvlan-nat gets none", () => {
        const r = sweepRecord("shapes", ["1x1", "16x16"], ["macvlan-nat", "pipework"], 1, () => 1);
        const t = rows(methodTable(r, summarize(r.spec.points, r.spec.methods, r.measurements), "perClient", true));
        assert.deepEqual(t[0], ["containers x clients", "1x1", "16x16"]);
        assert.deepEqual(t.slice(2).map((x) => x[0]), ["macvlan-nat", "pipework", "↳ study (pipework)"]);
        assert.deepEqual(t[4], ["↳ study (pipework)", "11.16", "0.04"]);
    });

    it("has no study rows for UDP runs or -P above 1: the study measured TCP with -P 1", () => {
        for (const iperf of [{ ...RECORD.spec.iperf, protocol: "udp" as const, udpRate: "1G" }, { ...RECORD.spec.iperf, parallel: 2 }]) {
            const other = { ...RECORD, spec: { ...RECORD.spec, iperf } };
            assert.deepEqual(rows(methodTable(other, CELLS, "perClient", true)).slice(2).map((r) => r[0]), ["ovs", "link"]);
        }
    });

    it("per-container and total tables use their own figure", () => {
        const total = rows(methodTable(RECORD, CELLS, "total", false));
        // 4 clients at 2, 3, 4 Gbit/s each over the repeats: totals 8, 12, 16
        assert.deepEqual(total[2], ["ovs", "10.02", "10.04", "12.00*"]);
        assert.equal(total.length, 4, "no study rows");
    });

    it("escapes nothing it should not: a plain Markdown table", () => {
        assert.equal(markdownTable(["a", "b"], [["x", "1"]], 1), "| a | b |\n| --- | ---: |\n| x | 1 |");
    });
});

describe("the whole Markdown report", () => {
    const md = markdownReport(RECORD, CELLS);

    it("has every section, the cost figures and the failures", () => {
        for (const heading of ["Gbit/s per client process", "Gbit/s per client container", "Gbit/s in total", "CPU: host busy", "Spread", "Cost", "Failures", "Environment"]) {
            assert.ok(md.includes(`## ${heading}`), heading);
        }
        assert.match(md, /wall time 600\.0 s, traffic time \(sum of iperf durations\) 300\.0 s, ratio \*\*2\.00\*\*/);
        assert.match(md, /sweep process 150 MiB; .* 700 MiB/);
        assert.match(md, /\| 4 \| 1 \| link \| error: iperf clients failed \|/);
        assert.match(md, /\| 4 \| ovs \| 3\/3 \| 3\.00 \| 2\.00 \| 4\.00 \| 1\.00 \| 33\.3% \| noisy \| 6\.60 \|/);
        assert.match(md, /kernel 6\.1\.0; Docker 20\.10\.24; ovs-vsctl \(Open vSwitch\) 3\.1\.0, datapath netdev/);
        assert.doesNotMatch(md, /## UDP/);
    });

    it("has jitter and loss tables for UDP runs", () => {
        const udp = { ...RECORD, spec: { ...RECORD.spec, iperf: { ...RECORD.spec.iperf, protocol: "udp" as const, udpRate: "1G" } } };
        const text = markdownReport(udp, CELLS);
        assert.match(text, /## UDP: jitter \(ms, mean over clients\)/);
        assert.match(text, /## UDP: datagrams lost \(%\)/);
        assert.match(text, /UDP offered 1Gbit\/s per client process/);
    });

    it("lists a run after which a server had stopped as a warning, its figures kept", () => {
        const measurements = RECORD.measurements.map((m, i) =>
            i === 0 && m.result ? { ...m, result: { ...m.result, serversDown: [{ container: "icc-bench-x-ovs-server0", exit: "139" }] } } : m,
        );
        const warned = markdownReport({ ...RECORD, measurements }, CELLS);
        assert.match(warned, /\| 1 \| 1 \| ovs \| warning: server container icc-bench-x-ovs-server0 stopped during the run \(exit 139\); figures kept \|/);
    });
});

describe("CSV", () => {
    const lines = csvReport(RECORD).trimEnd().split("\n");

    it("has one row per point x method x repeat, failures included", () => {
        assert.equal(lines.length, 1 + 3 * 2 * 3);
        assert.match(lines[0], /^sweep,point,size,servers,clientContainers,clientsPerContainer,repeat,position,method,serverHosts,clientHosts,status,gbpsPerClient,/);
        assert.equal(lines.filter((l) => l.includes(",failed,")).length, 4);
    });

    it("holds the measured figures and quotes what needs quoting", () => {
        const header = lines[0].split(",");
        const first = lines[1].split(",");
        assert.equal(first[header.indexOf("gbpsPerClient")], String(10.01));
        assert.equal(first[header.indexOf("hostCpuPercent")], "80");
        const withComma = sweepRecord("clientContainers", ["1"], ["ovs"], 1, () => 'error: "x", then y');
        assert.match(csvReport(withComma), /,"error: ""x"", then y"\n$/);
    });
});

describe("clients.csv", () => {
    it("has one row per client process of every run, and one row with its error per failed run", () => {
        const lines = clientsCsvReport(RECORD).trimEnd().split("\n");
        const header = lines[0].split(",");
        assert.deepEqual(header.slice(0, 11), ["sweep", "point", "repeat", "position", "method", "container", "host", "process", "server", "status", "gbps"]);
        // ovs: 1 + 2 + 4 client processes in each of 3 repeats; link: the same less its failed runs (2 once, 4 always), one row each
        assert.equal(lines.length - 1, 3 * 7 + (3 * 1 + 2 * 2) + 1 + 3);
        const at4 = lines.filter((l) => l.startsWith("unit,4,1,1,ovs,")).map((l) => l.split(","));
        assert.deepEqual(at4.map((r) => r[header.indexOf("container")]), ["c0", "c1", "c2", "c3"]);
        assert.ok(at4.every((r) => r[header.indexOf("status")] === "ok" && Number(r[header.indexOf("gbps")]) === 2));
        assert.match(lines.find((l) => l.startsWith("unit,4,1,2,link,")) ?? "", /,failed,.*error: iperf clients failed$/);
    });

    it("carries each rr client's transactions and round trips", () => {
        const rr = asRrRecord(RECORD, () => 300);
        const measured = rr.measurements.find((m) => m.result !== undefined);
        const withClientRr = {
            ...rr,
            measurements: rr.measurements.map((m) =>
                m === measured && m.result ? { ...m, result: { ...m.result, clients: m.result.clients.map((c) => ({ ...c, rr: { transactions: 50000, transactionsPerSecond: 10000, minMicros: 12, meanMicros: 20, p50Micros: 100, p90Micros: 100, p99Micros: 200, maxMicros: 900 } })) } } : m,
            ),
        };
        const lines = clientsCsvReport(withClientRr).trimEnd().split("\n");
        const header = lines[0].split(",");
        const first = lines[1].split(",");
        assert.deepEqual(["transactionsPerSecond", "meanMicros", "p99Micros"].map((c) => first[header.indexOf(c)]), ["10000", "20", "200"]);
    });
});

describe("labs across hosts in the reports", () => {
    const hosts = { server0: "east", c0: "west", c1: "north" };
    const clocks = { east: { offsetMillis: -0.5, roundTripMillis: 5 }, west: { offsetMillis: 2.25, roundTripMillis: 6 }, north: { offsetMillis: -1.5, roundTripMillis: 6 } };
    const base = sweepRecord("clientContainers", ["2"], ["overlay", "vxlan"], 2, () => 9);
    const record = { ...base, measurements: base.measurements.map((m) => (m.result ? { ...m, result: { ...labResult(m.method, 9, 2), hosts, clocks } } : m)) };

    it("says where each client ran (clients.csv) and where each run's servers and clients ran (results.csv)", () => {
        const clients = clientsCsvReport(record).trimEnd().split("\n").map((l) => l.split(","));
        const at = clients[0].indexOf("host");
        assert.deepEqual(clients.slice(1, 3).map((r) => [r[clients[0].indexOf("container")], r[at]]), [["c0", "west"], ["c1", "north"]]);
        const runs = csvReport(record).trimEnd().split("\n").map((l) => l.split(","));
        assert.deepEqual([runs[1][runs[0].indexOf("serverHosts")], runs[1][runs[0].indexOf("clientHosts")]], ["east", "west north"]);
        const oneHost = csvReport(RECORD).trimEnd().split("\n").map((l) => l.split(","));
        assert.equal(oneHost[1][oneHost[0].indexOf("serverHosts")], "", "nothing on one host");
    });

    it("adds a Hosts section: each method's placement and its clock offsets over its runs", () => {
        const report = markdownReport(record, summarize(record.spec.points, record.spec.methods, record.measurements));
        assert.ok(report.includes("## Hosts\n\n| method | servers -> clients | clock offsets (ms) |"), report);
        assert.ok(report.includes("| overlay | east -> west, north | -1.5 to 2.3 |"), report);
        assert.ok(!markdownReport(RECORD, CELLS).includes("## Hosts"));
    });
});

describe("chart", () => {
    it("plots Gbit/s per client against a log2 axis of the sizes, one colour per method", () => {
        const spec = JSON.stringify(chartSpec(RECORD, CELLS));
        assert.match(spec, /"scale":\{"type":"log","base":2,"nice":false/);
        assert.match(spec, /"axis":\{"values":\[1,2,4\]/);
        assert.match(spec, /"color":\{"field":"method"/);
        assert.match(spec, /"y2":\{"field":"max"\}/);
    });

    it("table 3's shapes are categories: grouped bars in the study's order, no line joining them", () => {
        const r = sweepRecord("shapes", ["1x4", "4x1"], ["ovs", "link"], 1, () => 1);
        const spec = JSON.stringify(chartSpec(r, summarize(r.spec.points, r.spec.methods, r.measurements)));
        assert.match(spec, /"x":\{"field":"label","type":"nominal","sort":\["1x4","4x1"\]/);
        assert.match(spec, /"xOffset":\{"field":"series"/);
        assert.match(spec, /"mark":\{"type":"bar"\}/);
        assert.doesNotMatch(spec, /"type":"line"/);
    });

    it("a y axis spanning 10x or more is logarithmic, its zeros left out and said; a narrow one stays linear", async () => {
        const wide = sweepRecord("shapes", ["1x1", "16x16"], ["link"], 1, (p) => (p.label === "1x1" ? 12 : 0.05));
        const spec = chartSpec(wide, summarize(wide.spec.points, wide.spec.methods, wide.measurements));
        assert.match(JSON.stringify(spec), /"y":\{"field":"value","type":"quantitative","title":"Gbit\/s per client process","scale":\{"type":"log"\}/);
        // the study's 16x16 link figure is 0.00: not drawable on a log axis
        assert.equal((spec.data as { values: unknown[] }).values.length, 3);
        assert.match(JSON.stringify(spec.title), /log y axis; 1 value\(s\) of 0 not drawn/);
        assert.doesNotMatch(JSON.stringify(chartSpec(RECORD, CELLS)), /"scale":\{"type":"log"\}\}/);
        const svg = await chartSvg(wide, summarize(wide.spec.points, wide.spec.methods, wide.measurements));
        assert.equal(svg.match(/<path[^>]*aria-roledescription="bar"/g)?.length, 3);
    });

    it("renders SVG with the measured and the study's values", async () => {
        const svg = await chartSvg(RECORD, CELLS);
        assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        assert.ok(svg.includes("ovs") && svg.includes("link"));
        assert.ok(svg.includes("Gbit/s per client process"));
        // per method: a min-max band, a solid measured line and a dashed study line
        assert.equal(svg.match(/<g class="mark-area role-mark/g)?.length, 2);
        assert.equal(svg.match(/<g class="mark-line role-mark/g)?.length, 4);
        assert.ok(svg.includes('stroke-dasharray="5,4"'));
    });
});

describe("a sweep along iperf's length", () => {
    const r = sweepRecord("length", ["64", "1470", "8000"], ["ovs", "link"], 2, (p, method) => (method === "ovs" ? 1 : 4) * Math.log2(p.size));
    const cells = summarize(r.spec.points, r.spec.methods, r.measurements);

    it("says what it varies, tables the lengths as columns and has no study figure to show", () => {
        const md = markdownReport(r, cells);
        assert.match(md, /^One topology at several iperf lengths \(-l: bytes per write, datagram or request\)\. 3 points x 2 methods x 2 repeats, iperf2 TCP, writes of each column's length in bytes, 5 s per test/m);
        assert.deepEqual(rows(methodTable(r, cells, "perClient", true))[0], ["bytes (iperf -l)", "64", "1470", "8000"]);
        assert.doesNotMatch(md, /↳ study \|/);
    });

    it("charts the figures against a log2 axis of the lengths, no study line", async () => {
        const spec = JSON.stringify(chartSpec(r, cells));
        assert.match(spec, /"axis":\{"values":\[64,1470,8000\],"format":"d"\},"title":"bytes per write, datagram or request \(log2\)"/);
        const svg = await chartSvg(r, cells);
        assert.equal(svg.match(/<g class="mark-line role-mark/g)?.length, 2, "a measured line per method, no dashed study line");
    });
});

describe("cost and point timings", () => {
    it("wall over the sum of the measured iperf durations", () => {
        const cost = sweepCost(100, RECORD.measurements);
        assert.equal(cost.trafficSeconds, 14 * 5);
        assert.equal(cost.ratio, 100 / 70);
    });

    it("deploy is the first up less benchmark and deletions; teardown is the next point's deletions or the destroy", () => {
        const t = pointTimings(RECORD.steps, RECORD.destroy.seconds);
        assert.deepEqual(t.map((x) => [x.point, x.deploySeconds, x.teardownSeconds, x.measureSeconds]), [
            ["1", 8, 1, 22],
            ["2", 7, 1, 22],
            ["4", 7, 12, 22],
        ]);
    });

    it("takes the points in the order they were measured: a point's teardown is what the next one measured deleted", () => {
        const steps = [RECORD.steps[2], RECORD.steps[0], RECORD.steps[1]];
        const t = pointTimings(steps, RECORD.destroy.seconds);
        assert.deepEqual(t.map((x) => [x.point, x.teardownSeconds]), [
            ["4", steps[1].timing.deleteSeconds],
            ["1", steps[2].timing.deleteSeconds],
            ["2", RECORD.destroy.seconds],
        ]);
    });

    it("names the report folder after the sweep and its start time", () => {
        assert.equal(reportDirName("table1", "2026-11-27T12:03:04.567Z"), "table1-20261127-120304");
    });
});

describe("an rr sweep's report", () => {
    const base = sweepRecord("clientContainers", ["1", "8"], ["ovs", "link"], 2, (point, method, repeat) => (method === "ovs" ? 2 : 10) / point.topology.clientContainers + repeat * 0.01);
    const record = asRrRecord(base, (m) => (m.repeat === 1 ? 300 : 400));
    const cells = summarize(record.spec.points, record.spec.methods, record.measurements);
    const md = markdownReport(record, cells);

    it("tables transactions per second and round trips instead of Gbit/s", () => {
        assert.doesNotMatch(md, /## Gbit\/s per client process/);
        const section = (title: string) => rows(md.split(`## ${title}`)[1].split("\n\n")[1]);
        // link at 1 client: 10.01 and 10.02 -> median 10015 transactions/s
        assert.deepEqual(section("Transactions per second per client process, median of 2")[3], ["link", "10015", "1265"]);
        // 300 and 400 over the two repeats: median 350, noisy (CV 14 %)
        assert.deepEqual(section("Round trip, p99 µs (median)")[2], ["ovs", "350*", "350*"]);
        assert.deepEqual(section("CPU: host CPU seconds per 1000 transactions (median)")[2], ["ovs", "0.0200", "0.0200"]);
        assert.match(md, /TCP request\/response \(bounceback, 100-byte requests back to back\)/);
        assert.deepEqual(section("Spread of transactions per second per client process over the repeats")[2], ["1", "ovs", "2/2", "2015", "2010", "2020", "7", "0.4%", "", "–"]);
    });

    it("writes the rr figures into the CSV", () => {
        const lines = csvReport(record).trimEnd().split("\n");
        const header = lines[0].split(",");
        const first = lines[1].split(",");
        assert.equal(first[header.indexOf("transactionsPerClient")], String(2.01 * 1000));
        assert.equal(first[header.indexOf("p99Micros")], "300");
        assert.equal(first[header.indexOf("cpuSecondsPerThousandTransactions")], "0.02");
    });

    it("charts the round trip's p50 with a band up to its p99, no study line", () => {
        const spec = chartSpec(record, cells);
        assert.match(JSON.stringify(spec), /"title":"round trip µs, p50"/);
        assert.match(JSON.stringify(spec.title), /band: p50 to p99/);
        const values = (spec.data as { values: { source: string; value: number; min: number; max: number }[] }).values;
        assert.deepEqual(values.map((v) => [v.source, v.value, v.min, v.max]), Array(4).fill(["measured", 100, 100, 350]));
    });
});
