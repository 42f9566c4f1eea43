import assert from "node:assert/strict";
import { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { PROJECT_DIR } from "../../automation/labStack";
import { Inventory, NOTHING, stackFilter, takeInventory } from "../../host/inventory";
import { SweepRecord } from "../../sweep/record";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";
import { runCli, stackExists } from "./cliRun";

/**
 * `npm run sweep` for real on the small sweep file (2 sizes, 2 methods, 1 s, 1 repeat): real
 * engine, Docker and host; then the same sweep interrupted with SIGINT during its first step.
 */

const SWEEP_SCRIPT = join(PROJECT_DIR, "dist", "scripts", "sweep.js");
const outDir = mkdtempSync(join(tmpdir(), "icc-bench-sweep-e2e-"));
/** sweeps/tiny.yaml on this suite's own subnet. */
const TINY = join(outDir, "tiny.yaml");
writeFileSync(TINY, readFileSync(join(PROJECT_DIR, "sweeps", "tiny.yaml"), "utf8").replace(/^base:\n/m, `base:\n  subnet: ${SUITE_SUBNETS.sweep}\n`));
const STACKS = { full: `sweepe2e${process.pid}`, interrupted: `sweepint${process.pid}` };

function leftovers(stack: string): Inventory {
    return takeInventory(stackFilter(stack));
}

function reportDir(runOut: string): string {
    const dirs = readdirSync(runOut);
    assert.equal(dirs.length, 1, `one report folder in ${runOut}: ${dirs.join(", ")}`);
    assert.match(dirs[0], /^tiny-\d{8}-\d{6}$/);
    return join(runOut, dirs[0]);
}

describe("npm run sweep, end to end", { timeout: 600_000 }, () => {
    after(async () => {
        rmSync(outDir, { recursive: true, force: true });
        for (const stack of Object.values(STACKS)) {
            await removeSuiteStack(stack);
        }
    });

    it("measures every point and method, writes the report with those numbers, leaves nothing behind", async () => {
        const stack = STACKS.full;
        const runOut = join(outDir, "full");
        const run = await runCli(SWEEP_SCRIPT, [TINY, "--out", runOut, "--stack", stack]);
        assert.equal(run.code, 0, run.stdout);

        const dir = reportDir(runOut);
        const record = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as SweepRecord;
        assert.equal(record.interrupted, false);
        assert.equal(record.stack, stack);
        assert.equal(record.destroy.error, undefined);
        assert.deepEqual(record.steps.map((s) => [s.point, s.error]), [["1", undefined], ["2", undefined]]);
        assert.equal(record.measurements.length, 4);
        for (const m of record.measurements) {
            assert.ok(m.result && m.result.meanPerClient > 0, JSON.stringify(m));
            assert.equal(m.result.clients.length, Number(m.point));
            assert.ok(m.result.cpu && m.result.cpu.containers.length === Number(m.point) + 1, "CPU of the server and each client");
        }
        assert.ok(record.cost.trafficSeconds >= 4 && record.cost.wallSeconds > record.cost.trafficSeconds);
        assert.ok(record.peakMemory.treeMiB >= record.peakMemory.sweepMiB && record.peakMemory.sweepMiB > 0);
        assert.match(record.environment.kernel, /\S/);

        const csv = readFileSync(join(dir, "results.csv"), "utf8").trimEnd().split("\n");
        const header = csv[0].split(",");
        assert.equal(csv.length, 5);
        for (const [i, m] of record.measurements.entries()) {
            const row = csv[i + 1].split(",");
            assert.deepEqual([row[header.indexOf("point")], row[header.indexOf("method")], row[header.indexOf("status")]], [m.point, m.method, "ok"]);
            assert.equal(Number(row[header.indexOf("gbpsPerClient")]), m.result?.meanPerClient);
        }

        const [clientHeader, ...clients] = readFileSync(join(dir, "clients.csv"), "utf8").trimEnd().split("\n").map((l) => l.split(","));
        const measuredClients = record.measurements.flatMap((m) => m.result?.clients.map((c) => [m.point, m.method, c.container, String(c.gbps)]) ?? []);
        const columns = ["point", "method", "container", "gbps"].map((c) => clientHeader.indexOf(c));
        assert.deepEqual(clients.map((r) => columns.map((i) => r[i])), measuredClients, "clients.csv: one row per client process, its Gbit/s");

        const md = readFileSync(join(dir, "report.md"), "utf8");
        for (const method of ["pipework", "link"]) {
            const value = (point: string) => record.measurements.find((m) => m.point === point && m.method === method)?.result?.meanPerClient.toFixed(2);
            assert.ok(md.includes(`| ${method} | ${value("1")} | ${value("2")} |`), `${method} row in:\n${md}`);
        }
        assert.ok(run.stdout.includes(md.split("\n").find((l) => l.startsWith("| pipework |")) ?? "?"), "the CLI prints the same table");

        const svg = readFileSync(join(dir, "chart.svg"), "utf8");
        assert.match(svg, /^<svg/);
        assert.ok(svg.includes("pipework") && svg.includes("link"));

        assert.deepEqual(leftovers(stack), NOTHING);
        assert.equal(stackExists(stack), false);
    });

    it("Ctrl-C (SIGINT to the process group), twice: finishes the step, destroys the stack, reports what was measured", async () => {
        const stack = STACKS.interrupted;
        const runOut = join(outDir, "interrupted");
        const ctrlC = (child: ChildProcess): void => {
            process.kill(-(child.pid as number), "SIGINT");
        };
        let signals = 0;
        const run = await runCli(SWEEP_SCRIPT, [TINY, "--out", runOut, "--stack", stack], (line, child) => {
            if ((signals === 0 && line.startsWith("[tiny] point 1/2")) || (signals === 1 && line.startsWith("destroying"))) {
                signals++;
                ctrlC(child);
            }
        });
        assert.equal(signals, 2, run.stdout);
        assert.equal(run.code, 130, run.stdout);
        assert.match(run.stdout, /SIGINT: stopping after the current step, then destroying the stack/);
        assert.match(run.stdout, /SIGINT: still stopping; the stack is being destroyed, please wait/);
        const record = JSON.parse(readFileSync(join(reportDir(runOut), "results.json"), "utf8")) as SweepRecord;
        assert.equal(record.interrupted, true);
        assert.equal(record.steps.length, 1);
        assert.ok(record.measurements.every((m) => m.point === "1" && m.result !== undefined));
        assert.equal(record.destroy.error, undefined);
        assert.deepEqual(leftovers(stack), NOTHING);
        assert.equal(stackExists(stack), false);
    });
});
