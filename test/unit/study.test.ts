import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Method, defaultMethods } from "../../model";
import { SweepRecord } from "../../sweep/record";
import { SweepFileError, SweepPoint } from "../../sweep/spec";
import { STUDY } from "../../sweep/study/figures";
import { compareStats, containersBeatProcesses, inverseScaling, methodRanking, studyRanking } from "../../sweep/study/findings";
import { fitLine, t975 } from "../../sweep/study/fit";
import { studyHtml } from "../../sweep/study/html";
import { studyMethods } from "../../sweep/study/methods";
import { STUDY_FORMAT, StudyRecord } from "../../sweep/study/record";
import { parseStudy } from "../../sweep/study/spec";
import { runStudy } from "../../sweep/study/run";
import { loadStudy, writeStudy } from "../../sweep/study/write";
import { LabDriver } from "../../sweep/runner";
import { describe as stats } from "../../sweep/stats";
import { labResult, sweepRecord } from "../fixtures/sweepRecord";

type Values = (point: SweepPoint, method: Method, repeat: number) => number | string;

/** A recorded-shape table whose host CPU was busy `busy` percent in every run. */
function table(axis: SweepRecord["spec"]["axis"], labels: readonly string[], methods: readonly Method[], repeats: number, values: Values, busy = 100): SweepRecord {
    const r = sweepRecord(axis, labels, methods, repeats, values);
    const measurements = r.measurements.map((m) => (m.result?.cpu ? { ...m, result: { ...m.result, cpu: { ...m.result.cpu, hostBusyPercent: busy } } } : m));
    return { ...r, spec: { ...r.spec, name: `unit-${axis}` }, measurements };
}

const ENV = sweepRecord("clientContainers", ["1"], ["ovs"], 1, () => 1).environment;
const TABLE1 = ["1", "2", "4", "8", "16", "20"];
const FOUR: readonly Method[] = ["macvlan-nat", "pipework", "link", "ovs"];
const close = (a: number, b: number, eps = 1e-4): boolean => Math.abs(a - b) < eps;

describe("statistics of the findings", () => {
    it("t(0.975) from the table, and beyond 30 degrees of freedom close to the exact quantiles", () => {
        assert.equal(t975(1), 12.7062);
        assert.equal(t975(10), 2.2281);
        assert.ok(close(t975(40), 2.0211), `${t975(40)}`);
        assert.ok(close(t975(120), 1.9799), `${t975(120)}`);
        assert.throws(() => t975(0), /degrees of freedom/);
    });

    it("a line through exact points: its slope with an interval of zero width", () => {
        const fit = fitLine([[0, 1], [1, 3], [2, 5]]);
        assert.ok(fit && close(fit.slope, 2) && close(fit.intercept, 1) && close(fit.slopeStdError, 0));
    });

    it("the slope's interval: slope -/+ t(n-2) x standard error, computed by hand", () => {
        // x 1..4, y 2, 4, 5, 8: slope 1.9, intercept 0, residuals 0.1, 0.2, -0.7, 0.4 -> SSR 0.7
        const fit = fitLine([[1, 2], [2, 4], [3, 5], [4, 8]]);
        assert.ok(fit !== undefined);
        const se = Math.sqrt(0.7 / 2 / 5);
        assert.ok(close(fit.slope, 1.9) && close(fit.intercept, 0) && close(fit.slopeStdError, se));
        assert.ok(close(fit.slopeInterval[0], 1.9 - 4.3027 * se) && close(fit.slopeInterval[1], 1.9 + 4.3027 * se));
    });

    it("no fit with fewer than 3 points or one x only", () => {
        assert.equal(fitLine([[1, 1], [2, 2]]), undefined);
        assert.equal(fitLine([[1, 1], [1, 2], [1, 3]]), undefined);
    });

    it("two cells compare beyond 2 stddev with repeats, beyond 10% with one repeat, a noisy one only beyond its noise", () => {
        assert.equal(compareStats(stats([10, 10.1, 9.9]) as never, stats([9, 9.1, 8.9]) as never).order, "greater");
        assert.equal(compareStats(stats([10, 10.5, 9.5]) as never, stats([9.6, 10.1, 9.1]) as never).order, "undecided");
        assert.equal(compareStats(stats([10]) as never, stats([9.5]) as never).order, "undecided");
        assert.equal(compareStats(stats([8]) as never, stats([10]) as never).order, "less");
        assert.match(JSON.stringify(compareStats(stats([5, 10, 15]) as never, stats([1, 1, 1]) as never)), /too noisy \(CV above 10%\): difference 9\.00 within the noise \(10\.00\)/);
        // noisy (CV 14 %) but far below: the study's ovs against link at 1 client
        assert.equal(compareStats(stats([0.63, 0.73, 0.83]) as never, stats([10.3, 11.8, 13.3]) as never).order, "less");
    });
});

describe("finding 1: per-container throughput about 1/N once saturated", () => {
    const scaled = (slope: number, wobble: (repeat: number) => number = (r) => 1 + (r - 2) * 0.01): Values => (p, _m, r) => 10 * p.size ** slope * wobble(r);

    it("holds on 1/N data", () => {
        const f = inverseScaling([table("clientContainers", TABLE1, ["ovs", "link"], 3, scaled(-1))], ENV);
        assert.equal(f.verdict, "holds");
        assert.match(f.evidence[0], /^table 1, saturated at N = 2, 4, 8, 16, 20: ovs: slope -1\.00, 95% interval \[-1\.0\d, -0\.9\d\] over 15 runs: holds$/);
    });

    it("does not hold when throughput falls far slower than 1/N", () => {
        const f = inverseScaling([table("clientContainers", TABLE1, ["ovs"], 3, scaled(-0.3)), table("serversAndClients", ["1", "2", "4", "20"], ["ovs"], 3, scaled(-1))], ENV);
        assert.equal(f.verdict, "does not hold");
        assert.match(f.evidence[0], /slope -0\.30, .*: does not hold$/);
        assert.match(f.evidence[1], /^table 2, saturated at N = 2, 4, 20: ovs: slope -1\.00.*: holds$/);
    });

    it("cannot be judged when the repeats scatter too much, or the CPU is not saturated", () => {
        const noisy = inverseScaling([table("clientContainers", TABLE1, ["ovs"], 3, scaled(-1, (r) => [0.4, 1, 2.2][r - 1]))], ENV);
        assert.equal(noisy.verdict, "cannot be judged");
        assert.match(noisy.evidence[0], /interval \[.*\] over 15 runs: cannot be judged/);
        const idle = inverseScaling([table("clientContainers", TABLE1, ["ovs"], 3, scaled(-1), 50)], ENV);
        assert.equal(idle.verdict, "cannot be judged");
        assert.match(idle.evidence[0], /saturated at N = none: ovs: too few saturated measurements/);
    });

    it("takes each method's saturated sizes from its own runs: a method that cannot load the cores leaves the others' fits alone", () => {
        const both = table("clientContainers", TABLE1, ["ovs", "link"], 3, scaled(-1));
        const ovsIdle = { ...both, measurements: both.measurements.map((m) => (m.method === "ovs" && m.result?.cpu ? { ...m, result: { ...m.result, cpu: { ...m.result.cpu, hostBusyPercent: 58 } } } : m)) };
        const f = inverseScaling([ovsIdle], ENV);
        assert.deepEqual(f.evidence.map((e) => e.replace(/: slope .*: /, ": fit: ")), [
            "table 1, saturated at N = none: ovs: too few saturated measurements for a fit (need 3 at 2 sizes or more): cannot be judged",
            "table 1, saturated at N = 2, 4, 8, 16, 20: link: fit: holds",
        ]);
    });
});

describe("finding 2: clients in different containers beat as many in one", () => {
    const shapes = ["1x2", "1x4", "2x1", "4x1"];

    it("holds when Kx1 is faster than 1xK beyond the noise, for every method and K", () => {
        const f = containersBeatProcesses([table("shapes", shapes, ["ovs", "link"], 3, (p, _m, r) => (p.topology.clientContainers > 1 ? 6 : 4) + r * 0.01)]);
        assert.equal(f.verdict, "holds");
        assert.deepEqual(f.evidence, [
            "2x1 against 1x2, ovs: 6.02 against 4.02 Gbit/s per client: holds",
            "2x1 against 1x2, link: 6.02 against 4.02 Gbit/s per client: holds",
            "4x1 against 1x4, ovs: 6.02 against 4.02 Gbit/s per client: holds",
            "4x1 against 1x4, link: 6.02 against 4.02 Gbit/s per client: holds",
        ]);
    });

    it("does not hold when one container is faster for some method", () => {
        const f = containersBeatProcesses([table("shapes", shapes, ["ovs", "link"], 3, (p, m, r) => ((p.topology.clientContainers > 1) === (m === "ovs") ? 6 : 4) + r * 0.01)]);
        assert.equal(f.verdict, "does not hold");
        assert.ok(f.evidence.includes("4x1 against 1x4, link: 4.02 against 6.02 Gbit/s per client: does not hold"));
    });

    it("cannot be judged when the cells are noisy, or the pairs were not measured", () => {
        const f = containersBeatProcesses([table("shapes", shapes, ["ovs"], 3, (p, _m, r) => (p.topology.clientContainers > 1 ? [3, 6, 9] : [2, 4, 6])[r - 1])]);
        assert.equal(f.verdict, "cannot be judged");
        assert.match(f.evidence[0], /: cannot be judged \(too noisy \(CV above 10%\): difference 2\.00 within the noise \(6\.00\)\)$/);
        assert.equal(containersBeatProcesses([table("shapes", ["1x1", "2x2"], ["ovs"], 1, () => 1)]).verdict, "cannot be judged");
    });
});

describe("finding 3: the study's ranking at 1 client", () => {
    const at1 = (values: Readonly<Record<string, number>>, spread: (r: number) => number = (r) => r * 0.01): SweepRecord =>
        table("clientContainers", ["1", "2"], FOUR, 3, (_p, m, r) => values[m] + spread(r));

    it("the study ranks ovs > link > pipework > iptables (macvlan-nat)", () => {
        assert.deepEqual(studyRanking(), ["ovs", "link", "pipework", "macvlan-nat"]);
    });

    it("holds when this host ranks them the same, beyond the noise", () => {
        const f = methodRanking([at1({ ovs: 13, link: 12, pipework: 11, "macvlan-nat": 10 })], ENV);
        assert.equal(f.verdict, "holds");
        assert.equal(f.evidence[0], "this host (table 1, 1): ovs 13.02 > link 12.02 > pipework 11.02 > macvlan-nat 10.02 Gbit/s");
    });

    it("does not hold when OVS falls behind, with the userspace datapath as the reason", () => {
        const f = methodRanking([at1({ ovs: 3, link: 12, pipework: 11, "macvlan-nat": 10 })], ENV);
        assert.equal(f.verdict, "does not hold");
        assert.match(f.evidence.join("\n"), /ovs > link in the study, here ovs 3\.02 < link 12\.02: reason: OVS runs on the userspace datapath \(netdev\) here/);
        const kernel = methodRanking([at1({ ovs: 13, link: 10, pipework: 11, "macvlan-nat": 9 })], { ...ENV, ovsDatapath: "system" });
        assert.match(kernel.evidence.join("\n"), /link > pipework in the study, here link 10\.02 < pipework 11\.02: reason not known/);
    });

    it("cannot be judged when the methods are within each other's noise", () => {
        const f = methodRanking([at1({ ovs: 10, link: 10, pipework: 10, "macvlan-nat": 10 }, (r) => [-1, 0, 1][r - 1])], ENV);
        assert.equal(f.verdict, "cannot be judged");
        assert.match(f.evidence[1], /^ovs against link: (difference .* within the noise|too noisy)/);
    });
});

describe("the study file", () => {
    it("default methods are studyMethods(); each table fixes what the study held fixed", () => {
        const s = parseStudy("repeats: 2\nbase:\n  iperf:\n    duration: 5\n", "sweeps/study.yaml", false);
        assert.equal(s.name, "study");
        assert.deepEqual(s.tables.map((t) => [t.name, t.axis, t.repeats, t.iperf.duration]), [
            ["study-table1", "clientContainers", 2, 5],
            ["study-table2", "serversAndClients", 2, 5],
            ["study-table3", "shapes", 2, 5],
        ]);
        assert.deepEqual(s.tables[0].methods, studyMethods());
        // Every method this host supports, in the registry's order (the limit among them).
        assert.deepEqual(studyMethods(), defaultMethods(false).filter((m) => studyMethods().includes(m)));
        assert.ok(studyMethods().includes("shared-netns") && studyMethods().includes("ovs"));
        assert.deepEqual(s.tables.map((t) => t.points.map((p) => p.label)), [STUDY.clientContainers.columns, STUDY.serversAndClients.columns, STUDY.shapes.columns]);
        assert.deepEqual(s.tables[1].points[3].topology, { servers: 20, clientContainers: 20, clientsPerContainer: 1 });
        assert.deepEqual(s.tables[2].points[9].topology, { servers: 1, clientContainers: 16, clientsPerContainer: 16 });
    });

    it("--quick: one repeat and 2 s tests, or shorter when the file asks", () => {
        const quick = parseStudy("repeats: 3\n", "s.yaml", true);
        assert.deepEqual([quick.quick, quick.tables[0].repeats, quick.tables[0].iperf.duration], [true, 1, 2]);
        assert.equal(parseStudy("base:\n  iperf:\n    duration: 1\n", "s.yaml", true).tables[2].iperf.duration, 1);
    });

    it("a reduced file: some tables, some methods, its own subnet, validated as sweeps are", () => {
        const s = parseStudy("name: mini\nbase:\n  methods: [link, pipework]\n  subnet: 198.19.176.0/22\ntables:\n  shapes: [1x2, 2x1]\n", "mini.yaml", false);
        assert.deepEqual([s.tables.length, s.tables[0].methods, s.tables[0].base.subnet], [1, ["link", "pipework"], "198.19.176.0/22"]);
        assert.throws(() => parseStudy("tables:\n  rows: [1]\n", "s.yaml", false), (e: unknown) => e instanceof SweepFileError && /study:tables/.test(e.message));
        assert.throws(() => parseStudy("tables:\n  shapes: [1x2, 3]\n", "s.yaml", false), /vary\.shapes: got 3/);
        assert.throws(() => parseStudy("colour: red\n", "s.yaml", false), /study:colour/);
    });
});

describe("runStudy on a fake stack", () => {
    it("one stack for every table, each table starting nearest the lab the previous one left, one destroy at the end", async () => {
        const spec = parseStudy("name: mini\nrepeats: 1\nbase:\n  methods: [link]\ntables:\n  clientContainers: [1, 4]\n  shapes: [1x2, 4x1, 2x2]\n", "mini.yaml", false);
        const calls: string[] = [];
        const driver: LabDriver = {
            up: async (config) => {
                const t = config.topology as { clientContainers: number; clientsPerContainer: number };
                calls.push(`${t.clientContainers}x${t.clientsPerContainer}`);
                return { rounds: [{ link: labResult("link", 1) }], timing: { wallSeconds: 1, benchmarkSeconds: 1, deleteSeconds: 0 } };
            },
            destroy: async () => void calls.push("destroy"),
        };
        const record = await runStudy(spec, { driver, stopRequested: () => false, log: () => undefined });
        // Table 3 starts at 4 containers, where table 1 ended, and shrinks from there.
        assert.deepEqual(calls, ["1x1", "4x1", "4x1", "2x2", "1x2", "destroy"]);
        assert.deepEqual(record.tables.map((t) => t.steps.map((s) => s.point)), [["1", "4"], ["4x1", "2x2", "1x2"]]);
    });
});

describe("study.html", () => {
    it("tables, lists, headings and each image's SVG inline; nothing it would fetch", () => {
        const md = "# T\n\nsome `code` and **holds**\n\n| a | b |\n| --- | ---: |\n| x | 1 |\n| ↳ study (x) | 2 |\n\n- one\n- two \\| three<br>four\n\n![chart one](c.svg)\n";
        const html = studyHtml(md, new Map([["c.svg", '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>']]));
        assert.match(html, /<title>T<\/title>/);
        assert.match(html, /<strong class="v-holds">holds<\/strong>/);
        assert.match(html, /<tr><th>a<\/th><th class="num">b<\/th><\/tr>/);
        assert.match(html, /<tr class="study"><td>↳ study \(x\)<\/td><td class="num">2<\/td><\/tr>/);
        assert.match(html, /<li>two \| three<br>four<\/li>/);
        assert.match(html, /<figure role="img" aria-label="chart one">\n<svg/);
        assert.doesNotMatch(html, /<script|<link|src=|href=/);
        assert.throws(() => studyHtml("![x](missing.svg)\n", new Map()), /no SVG for the image missing\.svg/);
    });
});

describe("--render: a recorded study written again from its results.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "icc-bench-study-unit-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const tables = [
        table("clientContainers", TABLE1, FOUR, 2, (p, m, r) => (m === "ovs" ? 3 : 12) / p.size + r * 0.01),
        table("serversAndClients", ["1", "2", "4", "20"], FOUR, 2, (p, _m, r) => 12 / p.size + r * 0.01),
        table("shapes", STUDY.shapes.columns, FOUR, 2, (p, m, r) => (p.label === "16x16" && m === "link" && r === 2 ? "error: iperf clients failed" : 12 / p.size + r * 0.01)),
    ];
    const record: StudyRecord = {
        format: STUDY_FORMAT,
        name: "unit",
        file: "sweeps/unit.yaml",
        quick: false,
        stack: "sweep-unit",
        startTime: "2026-11-27T12:00:00.000Z",
        endTime: "2026-11-27T12:30:00.000Z",
        interrupted: false,
        environment: ENV,
        tables,
        destroy: { seconds: 20 },
        cost: { wallSeconds: 1800, trafficSeconds: 1200, ratio: 1.5 },
        peakMemory: { sweepMiB: 180, treeMiB: 1400, sampleSeconds: 1 },
    };

    it("writes study.md, study.html, a chart per table, results.csv and results.json, the same from the loaded record", async () => {
        writeFileSync(join(dir, "results.json"), JSON.stringify(record));
        const files = await writeStudy(loadStudy(dir), dir);
        assert.deepEqual(readdirSync(dir).sort(), ["chart-table1.svg", "chart-table2.svg", "chart-table3.svg", "results.csv", "results.json", "study.html", "study.md"]);
        const md = readFileSync(files.markdown, "utf8");
        for (const heading of ["## The study's findings", "## Table 1: ", "## Table 2: ", "## Table 3: ", "## Cost", "## Failures", "## Environment"]) {
            assert.ok(md.includes(heading), heading);
        }
        assert.match(md, /### 3\. At 1 client the methods rank ovs > link > pipework > iptables: \*\*does not hold\*\*/);
        assert.match(md, /\| ovs \| 3\.01 \| 1\.52 \| 0\.77 \|/);
        assert.match(md, /\| ↳ study \(ovs\) \| 13\.20 \| 11\.00 \|/);
        assert.match(md, /\| link \| 12\.02 \| 6\.01 \| 3\.01 \| 0\.77 \| 6\.01 \| 3\.01 \| 0\.77 \| 3\.01 \| 0\.77 \| 0\.06 \(1 failed\) \|/);
        assert.match(md, /ratio \*\*1\.50\*\* \(goal at most 1\.25: not met\)/);
        assert.match(md, /study process 180 MiB; .* 1400 MiB/);
        const html = readFileSync(files.html, "utf8");
        assert.equal(html.match(/<table>/g)?.length, md.split("\n").filter((l) => /^\| --- /.test(l)).length);
        assert.equal(html.match(/<figure[^>]*>\n<svg/g)?.length, 3);
        assert.doesNotMatch(html, /<script|<link|src=|href=/);
        const csv = readFileSync(files.csv, "utf8").trimEnd().split("\n");
        assert.equal(csv.length, 1 + (6 + 4 + 10) * 4 * 2);
        assert.equal(csv.filter((l) => l.startsWith("sweep,")).length, 1);
        const json = JSON.parse(readFileSync(files.json, "utf8")) as { tables: { summary: unknown[] }[] };
        assert.deepEqual(json.tables.map((t) => t.summary.length), [24, 16, 40]);
        assert.throws(() => loadStudy(join(dir, "nowhere")), /ENOENT/);
    });

    it("refuses a folder whose results.json is not a study", () => {
        const other = mkdtempSync(join(dir, "sweep-"));
        writeFileSync(join(other, "results.json"), JSON.stringify(tables[0]));
        assert.throws(() => loadStudy(other), /not an icc-bench study result \(format "icc-bench-sweep\/2"/);
    });
});
