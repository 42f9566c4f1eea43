import { Method, mulberry32, roundOrders, shuffle } from "../model";
import { LabResult } from "../results/benchmark";
import { Measurement, StepRecord, UpTiming } from "./record";
import { SweepPoint, SweepSpec, pointConfig } from "./spec";
import { FIGURES, headlineOf } from "./summary";
import { LabSize, churn, visitOrder } from "./visitOrder";

/** The stack a sweep drives: the real one (sweep/stackDriver.ts) or a fake in unit tests. */
export interface LabDriver {
    /**
     * Sets the stack config and runs `up`; never rejects: a failed up is an outcome too.
     * `retry`: the same step failed just before; the lab is read back first (refresh), so a
     * container that died is made again.
     */
    up(config: Readonly<Record<string, unknown>>, retry: boolean): Promise<UpOutcome>;
    /** Destroys whatever the stack holds and forgets the stack; rejects when it cannot. */
    destroy(): Promise<void>;
}

/** A successful up gives every round's results by method (the stack output `rounds`). */
export type UpOutcome =
    | { readonly rounds: readonly Readonly<Record<string, LabResult>>[]; readonly timing: UpTiming }
    | { readonly error: string; readonly timing: UpTiming };

export interface RunOptions {
    /** Asked before every step: true stops the sweep (then the stack is destroyed). */
    readonly stopRequested: () => boolean;
    /** Progress lines. */
    readonly log: (line: string) => void;
    readonly seed: number;
    /** Milliseconds since some origin (injected so tests control time). */
    readonly now?: () => number;
    /** Leave the stack for the next sweep on the same driver (the study's tables); a throw still destroys it. */
    readonly keepStack?: boolean;
    /** The lab the stack holds already (the previous table's last point); none: an empty stack. */
    readonly start?: LabSize;
}

export interface RunOutcome {
    readonly steps: StepRecord[];
    readonly measurements: Measurement[];
    readonly interrupted: boolean;
    readonly destroy: DestroyOutcome;
}

/** The final destroy; `kept` when the stack was left for the next sweep instead. */
export interface DestroyOutcome {
    readonly seconds: number;
    readonly error?: string;
    readonly kept?: boolean;
}

/**
 * Runs every point of the sweep, nearest first (sweep/visitOrder.ts): one `up` per point, which moves the lab to the
 * point's size (only what changed is created or deleted) and measures every repeat in one
 * benchmark run, each repeat a round measuring every method once, in an order of its own (round 1
 * shuffled here, later ones by the plan: model/rounds.ts). A failed step is retried once. The
 * stack is destroyed at the end, also after a stop request or a failure; a point that failed
 * twice is recorded and the sweep goes on.
 */
export async function runSweep(spec: SweepSpec, driver: LabDriver, options: RunOptions): Promise<RunOutcome> {
    const now = options.now ?? (() => Date.now());
    const steps: StepRecord[] = [];
    const measurements: Measurement[] = [];
    let interrupted: boolean;
    try {
        interrupted = await measureAll(spec, driver, { ...options, now }, (step) => {
            steps.push(step.record);
            measurements.push(...step.measurements);
        });
    } catch (e) {
        await destroyStack(driver, options, now);
        throw e;
    }
    return { steps, measurements, interrupted, destroy: options.keepStack ? { seconds: 0, kept: true } : await destroyStack(driver, options, now) };
}

interface Step {
    readonly record: StepRecord;
    readonly measurements: Measurement[];
}

/** Every point, one `up` each; true when a stop request ended it early. */
async function measureAll(spec: SweepSpec, driver: LabDriver, options: RunOptions & { now: () => number }, done: (step: Step) => void): Promise<boolean> {
    const started = options.now();
    const random = mulberry32(options.seed);
    const order = visitOrder(spec.points, options.start);
    options.log(orderLine(spec, order, options.start));
    for (const [p, point] of order.entries()) {
        if (options.stopRequested()) {
            return true;
        }
        const first = shuffle(spec.methods, random);
        options.log(progressLine(spec, p, point, first, options.now() - started));
        const step = await runStep(spec, driver, point, first, options.log);
        done(step);
        options.log(`  ${stepSummary(spec.iperf, step.record, step.measurements)}`);
    }
    return false;
}

/** The stack config of a point's up: its topology, every repeat as a round, round 1 in `first` order. */
function stepConfig(spec: SweepSpec, point: SweepPoint, first: readonly Method[], runId: string): Record<string, unknown> {
    return { ...pointConfig(spec, point), methods: first, repeats: spec.repeats, runId };
}

/** Every repeat of a point in one up; a failed up is retried once (a new runId measures again), then reported. */
async function runStep(spec: SweepSpec, driver: LabDriver, point: SweepPoint, first: readonly Method[], log: (line: string) => void): Promise<Step> {
    const attempt = async (runId: string, retry: boolean) => ({ runId, outcome: await driver.up(stepConfig(spec, point, first, runId), retry) });
    const initial = await attempt(point.label, false);
    let last = initial;
    if ("error" in initial.outcome) {
        log(`  failed (${initial.outcome.error.split("\n")[0]}); retrying once`);
        last = await attempt(`${point.label}-retry`, true);
    }
    const { outcome } = last;
    const orders = roundOrders(first, spec.repeats, last.runId);
    const record: StepRecord = {
        point: point.label,
        orders,
        timing: outcome.timing,
        ...("error" in outcome ? { error: outcome.error } : {}),
        ...(last !== initial && "error" in initial.outcome ? { retried: { error: initial.outcome.error, timing: initial.outcome.timing } } : {}),
    };
    const measurements: Measurement[] = orders.flatMap((order, r) =>
        order.map((method, i) => {
            const result = "rounds" in outcome ? outcome.rounds[r]?.[method] : undefined;
            const error = "error" in outcome ? outcome.error : result === undefined ? `no result for this method in round ${r + 1} of the stack outputs` : undefined;
            return { point: point.label, repeat: r + 1, position: i + 1, method, ...(result ? { result } : {}), ...(error ? { error } : {}) };
        }),
    );
    return { record, measurements };
}

export async function destroyStack(driver: LabDriver, options: Pick<RunOptions, "log">, now: () => number): Promise<DestroyOutcome> {
    options.log("destroying the sweep's stack");
    const started = now();
    try {
        await driver.destroy();
        return { seconds: (now() - started) / 1000 };
    } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        options.log(`destroy failed: ${error}`);
        return { seconds: (now() - started) / 1000, error };
    }
}

function orderLine(spec: SweepSpec, order: readonly SweepPoint[], start: LabSize | undefined): string {
    const labels = (points: readonly SweepPoint[]): string => points.map((p) => p.label).join(" ");
    return (
        `[${spec.name}] measuring ${spec.axis} in the order ${labels(order)}: ${churn(order, start)} containers made or removed per method, the teardown included ` +
        `(in file order ${labels(spec.points)}: ${churn(spec.points, start)})`
    );
}

function progressLine(spec: SweepSpec, p: number, point: SweepPoint, first: readonly Method[], elapsedMs: number): string {
    const remaining = p === 0 ? "?" : clock(((elapsedMs / p) * (spec.points.length - p)) / 1000);
    return (
        `[${spec.name}] point ${p + 1}/${spec.points.length} (${spec.axis} ${point.label}), ${spec.repeats} repeat(s) in one run, ` +
        `first order ${first.join(" ")} | elapsed ${clock(elapsedMs / 1000)}, remaining ~${remaining}`
    );
}

function stepSummary(iperf: SweepSpec["iperf"], step: StepRecord, measurements: readonly Measurement[]): string {
    const t = step.timing;
    const timing = `up ${t.wallSeconds.toFixed(1)} s (benchmark ${t.benchmarkSeconds.toFixed(1)} s)`;
    if (step.error !== undefined) {
        return `FAILED after ${timing}: ${step.error.split("\n")[0]}`;
    }
    const headline = headlineOf(iperf);
    const figure = (r: LabResult): string => (FIGURES[headline.figure](r) ?? 0).toFixed(headline.digits);
    const figures = step.orders[0]
        .map((method) => {
            const values = measurements.filter((m) => m.method === method).map((m) => (m.result ? figure(m.result) : "failed"));
            return `${method} ${values.join("/")}`;
        })
        .join(", ");
    const down = measurements.flatMap((m) => (m.result?.serversDown ?? []).map((d) => d.container));
    return `${figures} ${headline.unit} per client; ${timing}${down.length > 0 ? `; WARNING: server stopped during the run: ${down.join(", ")}` : ""}`;
}

/** m:ss or h:mm:ss. */
export function clock(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, "0")}`;
    return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, "0")}` : mmss;
}
