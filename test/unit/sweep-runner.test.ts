import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LabDriver, UpOutcome, clock, runSweep } from "../../sweep/runner";
import { parseSweep } from "../../sweep/spec";
import { Method, roundOrders } from "../../model";
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
        // As the stack would: one round per repeat, in the plan's orders.
        const clients = (config.topology as { clientContainers: number }).clientContainers;
        const orders = roundOrders(config.methods as Method[], config.repeats as number, config.runId as string);
        return { rounds: orders.map((order, r) => Object.fromEntries(order.map((m) => [m, labResult(m, 10 / clients, 1, r + 1)]))), timing: TIMING };
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
    it("one up per point, every repeat in it, nearest lab first (1, 2, 4 for the file's 1, 4, 2), then one destroy", async () => {
        const driver = new FakeDriver();
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false });
        assert.deepEqual(driver.calls, ["up", "up", "up", "destroy"]);
        assert.deepEqual(driver.configs.map((c) => (c.topology as { clientContainers: number }).clientContainers), [1, 2, 4]);
        assert.deepEqual(driver.configs.map((c) => [c.runId, c.repeats]), [["1", 2], ["2", 2], ["4", 2]]);
        assert.deepEqual(driver.configs[0].iperf, { duration: 1 });
        assert.equal(out.interrupted, false);
        assert.equal(out.destroy.error, undefined);
        assert.equal(out.measurements.length, 3 * 2 * 3);
        assert.ok(out.measurements.every((m) => m.result !== undefined && m.error === undefined));
    });

    it("each repeat is a round measuring every method once, in the order the stack measured it", async () => {
        const driver = new FakeDriver();
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false });
        for (const [i, step] of out.steps.entries()) {
            assert.equal(step.orders.length, 2);
            assert.deepEqual(step.orders[0], driver.configs[i].methods, "round 1 in the order the config gives");
            for (const [r, order] of step.orders.entries()) {
                assert.deepEqual([...order].sort(), ["link", "ovs", "pipework"]);
                const ms = out.measurements.filter((m) => m.point === step.point && m.repeat === r + 1);
                assert.deepEqual(ms.map((m) => m.method), order);
                assert.deepEqual(ms.map((m) => m.position), [1, 2, 3]);
                assert.ok(ms.every((m) => m.result?.round === r + 1), "each repeat's figures are its round's");
            }
        }
        assert.ok(new Set(out.steps.flatMap((s) => s.orders.map((o) => o.join()))).size > 1, "orders differ between repeats");
    });

    it("a failed up is retried once with a new runId, the lab read back first; measured then, nothing is failed", async () => {
        const driver = new FakeDriver(new Set([2]));
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false });
        assert.equal(driver.calls.filter((c) => c === "up").length, 4);
        assert.deepEqual(driver.configs.slice(1, 3).map((c) => c.runId), ["2", "2-retry"]);
        assert.deepEqual(driver.retries.slice(1, 3), [false, true]);
        assert.equal(out.steps[1].error, undefined);
        assert.equal(out.steps[1].retried?.error, "error: iperf clients failed");
        assert.deepEqual(out.steps[1].orders, roundOrders(driver.configs[2].methods as Method[], 2, "2-retry"), "the orders of the run that measured");
        assert.ok(out.measurements.every((m) => m.result !== undefined && m.error === undefined));
    });

    it("a step that fails twice is recorded against every method of every repeat of that point and the sweep goes on", async () => {
        const driver = new FakeDriver(new Set([2, 3]));
        const out = await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false });
        assert.equal(driver.calls.filter((c) => c === "up").length, 4);
        assert.equal(out.steps[1].error, "error: iperf clients failed");
        assert.equal(out.steps[1].retried?.error, "error: iperf clients failed");
        const failed = out.measurements.filter((m) => m.error !== undefined);
        assert.deepEqual(failed.map((m) => [m.point, m.repeat, m.result]), [...Array(3).fill(["2", 1, undefined]), ...Array(3).fill(["2", 2, undefined])]);
        assert.equal(out.measurements.filter((m) => m.result !== undefined).length, 2 * 2 * 3);
        assert.equal(driver.calls[driver.calls.length - 1], "destroy");
    });

    it("starts from the lab a previous table left: nearest that first", async () => {
        const driver = new FakeDriver();
        await runSweep(SPEC, driver, { ...quiet, stopRequested: () => false, start: { servers: 1, clientContainers: 5 } });
        assert.deepEqual(driver.configs.map((c) => (c.topology as { clientContainers: number }).clientContainers), [4, 2, 1]);
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

    it("progress lines say which point, its repeats, the elapsed and the remaining time", async () => {
        const lines: string[] = [];
        let t = 0;
        const driver = new FakeDriver();
        const slow: LabDriver = { up: async (c) => ((t += 10_000), driver.up(c)), destroy: () => driver.destroy() };
        await runSweep(SPEC, slow, { seed: 3, log: (l) => lines.push(l), stopRequested: () => false, now: () => t });
        const progress = lines.filter((l) => l.startsWith("[fake]"));
        assert.equal(progress.length, 4);
        assert.equal(progress.shift(), "[fake] measuring clientContainers in the order 1 2 4: 10 containers made or removed per method, the teardown included (in file order 1 4 2: 10)");
        assert.match(progress[0], /^\[fake\] point 1\/3 \(clientContainers 1\), 2 repeat\(s\) in one run, first order \S+ \S+ \S+ \| elapsed 0:00, remaining ~\?$/);
        // 1 of 3 points done in 10 s: 2 more at 10 s each
        assert.match(progress[1], /point 2\/3 \(clientContainers 2\), 2 repeat\(s\) in one run, .*elapsed 0:10, remaining ~0:20$/);
        assert.ok(lines.some((l) => /ovs \d+\.\d\d\/\d+\.\d\d/.test(l) && /Gbit\/s per client; up 3\.0 s \(benchmark 2\.0 s\)/.test(l)));
    });

    it("clock shows m:ss and h:mm:ss", () => {
        assert.equal(clock(5), "0:05");
        assert.equal(clock(754), "12:34");
        assert.equal(clock(3725), "1:02:05");
    });
});
