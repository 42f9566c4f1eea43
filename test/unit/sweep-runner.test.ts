import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LabDriver, UpOutcome, clock, runSweep } from "../../sweep/runner";
import { parseSweep } from "../../sweep/spec";
import { labResult } from "../fixtures/sweepRecord";

const SPEC = parseSweep(
    "name: fake\nrepeats: 2\nbase:\n  methods: [ovs, link, pipework]\n  iperf:\n    duration: 1\nvary:\n  clientContainers: [1, 4, 2]\n",
    "fake.yaml",
);
const TIMING = { wallSeconds: 3, benchmarkSeconds: 2, deleteSeconds: 0 };

/** Records every config it is given and what was called; fails the ups listed in `failing`. */
class FakeDriver implements LabDriver {
    readonly configs: Record<string, unknown>[] = [];
    readonly calls: string[] = [];

    constructor(private readonly failing: ReadonlySet<number> = new Set(), private readonly destroyError?: string) {}

    readonly retries: boolean[] = [];

    async up(config: Readonly<Record<string, unknown>>, retry = false): Promise<UpOutcome> {
        this.configs.push({ ...config });
        this.retries.push(retry);
        this.calls.push("up");
        if (this.failing.has(this.configs.length)) {
            return { error: "error: iperf clients failed", timing: TIMING };
        }
        const methods = config.methods as string[];
        const clients = (config.topology as { clientContainers: number }).clientContainers;
        return { results: Object.fromEntries(methods.map((m) => [m, labResult(m as "ovs", 10 / clients)])), timing: TIMING };
    }

    async destroy(): Promise<void> {
        this.calls.push("destroy");
        if (this.destroyError) {
            throw new Error(this.destroyError);
        }
    }
}

const quiet = { log: () => undefined, seed: 3 };

describe("runSweep with a fake stack", () => {
    it("one up per point and repeat, in file order, then one destroy", async () => {
        const driver = new FakeDriver();
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false });
        assert.deepEqual(driver.calls, ["up", "up", "up", "up", "up", "up", "destroy"]);
        assert.deepEqual(driver.configs.map((c) => (c.topology as { clientContainers: number }).clientContainers), [1, 1, 4, 4, 2, 2]);
        assert.deepEqual(driver.configs.map((c) => c.runId), ["1-r1", "1-r2", "4-r1", "4-r2", "2-r1", "2-r2"]);
        assert.deepEqual(driver.configs[0].iperf, { duration: 1 });
        assert.equal(out.interrupted, false);
        assert.equal(out.destroy.error, undefined);
        assert.equal(out.measurements.length, 3 * 2 * 3);
        assert.ok(out.measurements.every((m) => m.result !== undefined && m.error === undefined));
    });

    it("each repeat measures every method once, in the order it was deployed with", async () => {
        const driver = new FakeDriver();
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false });
        for (const [i, step] of out.steps.entries()) {
            assert.deepEqual([...step.order].sort(), ["link", "ovs", "pipework"]);
            assert.deepEqual(driver.configs[i].methods, step.order);
            const ms = out.measurements.filter((m) => m.point === step.point && m.repeat === step.repeat);
            assert.deepEqual(ms.map((m) => m.method), step.order);
            assert.deepEqual(ms.map((m) => m.position), [1, 2, 3]);
        }
        assert.ok(new Set(out.steps.map((s) => s.order.join())).size > 1, "orders differ between repeats");
    });

    it("a failed up is retried once with a new runId, the lab read back first; measured then, nothing is failed", async () => {
        const driver = new FakeDriver(new Set([3]));
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false });
        assert.equal(driver.calls.filter((c) => c === "up").length, 7);
        assert.deepEqual(driver.configs.slice(2, 4).map((c) => c.runId), ["4-r1", "4-r1-retry"]);
        assert.deepEqual(driver.retries.slice(2, 4), [false, true]);
        assert.equal(out.steps[2].error, undefined);
        assert.equal(out.steps[2].retried?.error, "error: iperf clients failed");
        assert.ok(out.measurements.every((m) => m.result !== undefined && m.error === undefined));
    });

    it("a step that fails twice is recorded against every method of that repeat and the sweep goes on", async () => {
        const driver = new FakeDriver(new Set([3, 4]));
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false });
        assert.equal(driver.calls.filter((c) => c === "up").length, 7);
        assert.equal(out.steps[2].error, "error: iperf clients failed");
        assert.equal(out.steps[2].retried?.error, "error: iperf clients failed");
        const failed = out.measurements.filter((m) => m.error !== undefined);
        assert.deepEqual(failed.map((m) => [m.point, m.repeat, m.result]), [["4", 1, undefined], ["4", 1, undefined], ["4", 1, undefined]]);
        assert.equal(driver.calls[driver.calls.length - 1], "destroy");
    });

    it("keepStack leaves the stack to the next sweep: no destroy, recorded as kept", async () => {
        const driver = new FakeDriver();
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false, keepStack: true });
        assert.ok(!driver.calls.includes("destroy"));
        assert.deepEqual(out.destroy, { seconds: 0, kept: true });
    });

    it("a stop request ends the sweep after the current step and destroys the stack", async () => {
        const driver = new FakeDriver();
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => driver.configs.length >= 2 });
        assert.deepEqual(driver.calls, ["up", "up", "destroy"]);
        assert.equal(out.interrupted, true);
        assert.equal(out.steps.length, 2);
    });

    it("destroys the stack even when the driver breaks its promise and throws", async () => {
        const driver = new FakeDriver();
        const broken: LabDriver = { up: () => Promise.reject(new Error("engine crashed")), destroy: () => driver.destroy() };
        await assert.rejects(runSweep(SPEC, broken, { ...quiet, stopRequested: () => false }), /engine crashed/);
        assert.deepEqual(driver.calls, ["destroy"]);
    });

    it("a destroy that fails is reported, not swallowed", async () => {
        const out = await runSweep(SPEC, new FakeDriver(new Set(), "error: resource busy"), { ...quiet, stopRequested: () => true });
        assert.equal(out.destroy.error, "error: resource busy");
    });

    it("progress lines say which point and repeat, the elapsed and the remaining time", async () => {
        const lines: string[] = [];
        let t = 0;
        const driver = new FakeDriver();
        const slow: LabDriver = { up: async (c) => ((t += 10_000), driver.up(c)), destroy: () => driver.destroy() };
        await runSweep(SPEC, slow, { seed: 3, log: (l) => lines.push(l), stopRequested: () => false, now: () => t });
        const progress = lines.filter((l) => l.startsWith("[fake]"));
        assert.equal(progress.length, 6);
        assert.match(progress[0], /^\[fake\] point 1\/3 \(clientContainers 1\), repeat 1\/2, order \S+ \S+ \S+ \| elapsed 0:00, remaining ~\?$/);
        // 2 of 6 steps done in 20 s: 4 more at 10 s each
        assert.match(progress[2], /point 2\/3 \(clientContainers 4\), repeat 1\/2, .*elapsed 0:20, remaining ~0:40$/);
        assert.ok(lines.some((l) => /ovs \d+\.\d\d/.test(l) && /Gbit\/s per client; up 3\.0 s \(benchmark 2\.0 s\)/.test(l)));
    });

    it("clock shows m:ss and h:mm:ss", () => {
        assert.equal(clock(5), "0:05");
        assert.equal(clock(754), "12:34");
        assert.equal(clock(3725), "1:02:05");
    });
});
