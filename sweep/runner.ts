import { Method } from "../model";
import { LabResult } from "../results/benchmark";
import { Measurement, StepRecord, UpTiming } from "./record";
import { SweepPoint, SweepSpec, pointConfig } from "./spec";

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

export type UpOutcome =
    | { readonly results: Readonly<Record<string, LabResult>>; readonly timing: UpTiming }
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
 * Runs every point of the sweep, in file order, `repeats` times each: one `up` per repeat, which
 * moves the lab to the point's size (only what changed is created or deleted) and measures every
 * method in an order shuffled per repeat. A failed step is retried once. The stack is destroyed
 * at the end, also after a stop request or a failure; a point that failed twice is recorded and
 * the sweep goes on.
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

/** Every point x repeat, one `up` each; true when a stop request ended it early. */
async function measureAll(spec: SweepSpec, driver: LabDriver, options: RunOptions & { now: () => number }, done: (step: Step) => void): Promise<boolean> {
    const started = options.now();
    const random = mulberry32(options.seed);
    const total = spec.points.length * spec.repeats;
    let count = 0;
    for (const [p, point] of spec.points.entries()) {
        for (let repeat = 1; repeat <= spec.repeats; repeat++) {
            if (options.stopRequested()) {
                return true;
            }
            const order = shuffle(spec.methods, random);
            options.log(progressLine(spec, p, point, repeat, order, count, total, options.now() - started));
            const step = await runStep(spec, driver, point, repeat, order, options.log);
            done(step);
            count++;
            options.log(`  ${stepSummary(step.record, step.measurements)}`);
        }
    }
    return false;
}

/** One repeat of a point; a failed up is retried once (a new runId measures again), then reported. */
async function runStep(spec: SweepSpec, driver: LabDriver, point: SweepPoint, repeat: number, order: readonly Method[], log: (line: string) => void): Promise<Step> {
    const config = { ...pointConfig(spec, point), methods: order, runId: `${point.label}-r${repeat}` };
    const first = await driver.up(config, false);
    let outcome = first;
    if ("error" in first) {
        log(`  failed (${first.error.split("\n")[0]}); retrying once`);
        outcome = await driver.up({ ...config, runId: `${config.runId}-retry` }, true);
    }
    const base = { point: point.label, repeat };
    const record: StepRecord = {
        ...base,
        order,
        timing: outcome.timing,
        ...("error" in outcome ? { error: outcome.error } : {}),
        ...(outcome !== first && "error" in first ? { retried: { error: first.error, timing: first.timing } } : {}),
    };
    const measurements: Measurement[] = order.map((method, i) => {
        const result = "results" in outcome ? outcome.results[method] : undefined;
        const error = "error" in outcome ? outcome.error : result === undefined ? "no result for this method in the stack outputs" : undefined;
        return { ...base, position: i + 1, method, ...(result ? { result } : {}), ...(error ? { error } : {}) };
    });
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

function progressLine(spec: SweepSpec, p: number, point: SweepPoint, repeat: number, order: readonly Method[], done: number, total: number, elapsedMs: number): string {
    const remaining = done === 0 ? "?" : clock(((elapsedMs / done) * (total - done)) / 1000);
    return (
        `[${spec.name}] point ${p + 1}/${spec.points.length} (${spec.axis} ${point.label}), repeat ${repeat}/${spec.repeats}, ` +
        `order ${order.join(" ")} | elapsed ${clock(elapsedMs / 1000)}, remaining ~${remaining}`
    );
}

function stepSummary(step: StepRecord, measurements: readonly Measurement[]): string {
    const t = step.timing;
    const timing = `up ${t.wallSeconds.toFixed(1)} s (benchmark ${t.benchmarkSeconds.toFixed(1)} s)`;
    if (step.error !== undefined) {
        return `FAILED after ${timing}: ${step.error.split("\n")[0]}`;
    }
    const figures = measurements.map((m) => `${m.method} ${m.result ? m.result.meanPerClient.toFixed(2) : "failed"}`).join(", ");
    const down = measurements.flatMap((m) => (m.result?.serversDown ?? []).map((d) => d.container));
    return `${figures} Gbit/s per client; ${timing}${down.length > 0 ? `; WARNING: server stopped during the run: ${down.join(", ")}` : ""}`;
}

/** m:ss or h:mm:ss. */
export function clock(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, "0")}`;
    return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, "0")}` : mmss;
}

/** A small seeded PRNG: the method orders of a sweep can be replayed from its recorded seed. */
export function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Fisher-Yates. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}
