import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { inflateSync } from "node:zlib";
import { PROJECT_DIR } from "../../automation/labStack";
import { NOTHING, stackFilter, takeInventory } from "../../host/inventory";
import { StudyRecord } from "../../sweep/study/record";
import { SUITE_SUBNETS } from "../suiteStack";
import { runCli, stackExists } from "./cliRun";

/**
 * `npm run study -- --quick` for real on a reduced study file (2 methods, 2 sizes per table,
 * 1 s tests): real engine, Docker and host; its study.html drawn by Debian's headless chromium;
 * then the same study interrupted with SIGINT in its first table.
 */

const STUDY_SCRIPT = join(PROJECT_DIR, "dist", "scripts", "study.js");
const outDir = mkdtempSync(join(tmpdir(), "icc-bench-study-e2e-"));

function studyFile(subnet: string): string {
    const file = join(outDir, `mini-${subnet.split(".")[2]}.yaml`);
    writeFileSync(
        file,
        `name: mini\nrepeats: 3\nbase:\n  methods: [pipework, link]\n  subnet: ${subnet}\n  iperf:\n    duration: 1\n` +
            "tables:\n  clientContainers: [1, 2]\n  serversAndClients: [1, 2]\n  shapes: [1x2, 2x1]\n",
    );
    return file;
}

function studyDir(runOut: string): string {
    const dirs = readdirSync(runOut);
    assert.equal(dirs.length, 1, `one study folder in ${runOut}: ${dirs.join(", ")}`);
    assert.match(dirs[0], /^mini-\d{8}-\d{6}$/);
    return join(runOut, dirs[0]);
}

/** Headless chromium, nothing of its own on the network, a fresh profile. */
function chromium(args: readonly string[]): string {
    const profile = mkdtempSync(join(outDir, "chromium-"));
    return execFileSync(
        "chromium",
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`, ...args],
        { encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 2 ** 20, stdio: ["ignore", "pipe", "ignore"] },
    );
}

/** Distinct byte values of a PNG's pixel data (a blank page has one colour: a handful). */
function distinctPixelBytes(png: Buffer): number {
    const idat: Buffer[] = [];
    for (let at = 8; at < png.length; ) {
        const length = png.readUInt32BE(at);
        if (png.toString("latin1", at + 4, at + 8) === "IDAT") {
            idat.push(png.subarray(at + 8, at + 8 + length));
        }
        at += 12 + length;
    }
    return new Set(inflateSync(Buffer.concat(idat))).size;
}

describe("npm run study, end to end", { timeout: 900_000 }, () => {
    after(() => rmSync(outDir, { recursive: true, force: true }));

    it("--quick on a reduced study: every table measured, every file written with those numbers, drawn by chromium, nothing left", async () => {
        const stack = `sweepstudy${process.pid}`;
        const runOut = join(outDir, "full");
        const run = await runCli(STUDY_SCRIPT, [studyFile(SUITE_SUBNETS.studyQuick), "--quick", "--out", runOut, "--stack", stack]);
        assert.equal(run.code, 0, run.stdout);
        assert.deepEqual(takeInventory(stackFilter(stack)), NOTHING);
        assert.equal(stackExists(stack), false);

        const dir = studyDir(runOut);
        assert.deepEqual(readdirSync(dir).sort(), ["chart-table1.svg", "chart-table2.svg", "chart-table3.svg", "results.csv", "results.json", "study.html", "study.md"]);
        const record = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as StudyRecord;
        assert.deepEqual([record.interrupted, record.quick, record.destroy.error], [false, true, undefined]);
        assert.deepEqual(record.tables.map((t) => [t.spec.axis, t.spec.repeats, t.steps.length, t.destroy.kept]), [
            ["clientContainers", 1, 2, true],
            ["serversAndClients", 1, 2, true],
            ["shapes", 1, 2, true],
        ]);
        const measurements = record.tables.flatMap((t) => t.measurements);
        assert.equal(measurements.length, 12);
        assert.ok(measurements.every((m) => m.result !== undefined && m.result.meanPerClient > 0 && m.result.durationSeconds > 0), JSON.stringify(measurements.filter((m) => !m.result)));
        assert.ok(record.cost.trafficSeconds >= 12 && record.cost.wallSeconds > record.cost.trafficSeconds);
        assert.ok(record.peakMemory.treeMiB >= record.peakMemory.sweepMiB && record.peakMemory.sweepMiB > 0);

        const md = readFileSync(join(dir, "study.md"), "utf8");
        for (const table of record.tables) {
            for (const method of ["pipework", "link"]) {
                const cells = table.spec.points.map((p) => table.measurements.find((m) => m.point === p.label && m.method === method)?.result?.meanPerClient.toFixed(2));
                assert.ok(md.includes(`| ${method} | ${cells.join(" | ")} |`), `${table.spec.name} ${method} row in:\n${md}`);
            }
        }
        assert.equal(md.match(/^### \d\. .*: \*\*(holds|does not hold|cannot be judged)\*\*$/gm)?.length, 3);
        assert.match(md, new RegExp(`ratio \\*\\*${record.cost.ratio.toFixed(2)}\\*\\*`));
        assert.ok(run.stdout.includes(md.split("\n").find((l) => l.startsWith("| pipework |")) ?? "?"), "the CLI prints the same table");
        const csv = readFileSync(join(dir, "results.csv"), "utf8").trimEnd().split("\n");
        assert.equal(csv.length, 13);

        // The page as a browser draws it: every table, the findings, every chart with its marks.
        const html = join(dir, "study.html");
        const dom = chromium(["--dump-dom", `file://${html}`]);
        const tables = md.split("\n").filter((l) => /^\| --- /.test(l)).length;
        assert.equal(dom.match(/<table>/g)?.length, tables);
        assert.equal(dom.match(/<h2>Table [123]: /g)?.length, 3);
        assert.equal(dom.match(/<h3>\d\. [^<]*<strong class="v-/g)?.length, 3);
        const svgs = dom.split("<svg").slice(1);
        assert.equal(svgs.length, 3);
        for (const svg of svgs) {
            assert.ok((svg.match(/role-mark/g)?.length ?? 0) >= 2 && /<path/.test(svg), "a chart with its marks");
        }
        assert.equal((svgs[2].match(/aria-roledescription="bar"/g) ?? []).length > 0, true, "table 3 drawn as bars");
        const shot = join(outDir, "study.png");
        chromium([`--screenshot=${shot}`, "--window-size=1280,2400", "--hide-scrollbars", `file://${html}`]);
        const png = readFileSync(shot);
        assert.equal(png.toString("latin1", 1, 4), "PNG");
        assert.ok(statSync(shot).size > 50_000 && distinctPixelBytes(png) > 64, "a drawn page, not a blank one");
        if (process.env.ICC_BENCH_KEEP_SCREENSHOT) {
            writeFileSync(process.env.ICC_BENCH_KEEP_SCREENSHOT, png);
        }

        // Rendered again from its results.json alone: the same page.
        const again = await runCli(STUDY_SCRIPT, ["--render", dir]);
        assert.equal(again.code, 0, again.stdout);
        assert.equal(readFileSync(join(dir, "study.md"), "utf8"), md);
    });

    it("Ctrl-C in the first table: finishes the step, destroys the stack, keeps what it measured", async () => {
        const stack = `sweepstudyint${process.pid}`;
        const runOut = join(outDir, "interrupted");
        let signals = 0;
        const run = await runCli(STUDY_SCRIPT, [studyFile(SUITE_SUBNETS.studyInterrupted), "--quick", "--out", runOut, "--stack", stack], (line, child) => {
            if (signals === 0 && line.startsWith("[mini-table1] point 2/2")) {
                signals++;
                process.kill(-(child.pid as number), "SIGINT");
            }
        });
        assert.equal(signals, 1, run.stdout);
        assert.equal(run.code, 130, run.stdout);
        assert.match(run.stdout, /SIGINT: stopping after the current step, then destroying the stack/);
        const record = JSON.parse(readFileSync(join(studyDir(runOut), "results.json"), "utf8")) as StudyRecord;
        assert.equal(record.interrupted, true);
        assert.deepEqual(record.tables.map((t) => t.spec.axis), ["clientContainers"]);
        const measured = record.tables[0].measurements;
        assert.ok(measured.length >= 2 && measured.every((m) => m.result !== undefined), JSON.stringify(measured));
        assert.equal(record.destroy.error, undefined);
        assert.match(readFileSync(join(studyDir(runOut), "study.md"), "utf8"), /\(interrupted\)/);
        assert.deepEqual(takeInventory(stackFilter(stack)), NOTHING);
        assert.equal(stackExists(stack), false);
    });
});
