import { Measurement, StepRecord, SweepCost } from "./record";

/** What moving to, measuring and leaving one point cost, seconds. */
export interface PointTiming {
    readonly point: string;
    /** The point's up, less its benchmark and its deletions: creating what it adds, and the engine's own time. */
    readonly deploySeconds: number;
    /** Deleting what the next point drops (the final destroy for the last point). */
    readonly teardownSeconds: number;
    /** Benchmark command time per repeat (every method, readiness included). */
    readonly measureSeconds: number;
}

export function sweepCost(wallSeconds: number, measurements: readonly Measurement[]): SweepCost {
    const trafficSeconds = measurements.reduce((acc, m) => acc + (m.result?.durationSeconds ?? 0), 0);
    return { wallSeconds, trafficSeconds, ratio: trafficSeconds > 0 ? wallSeconds / trafficSeconds : 0 };
}

/** Per point that was stepped to (one up each), in the order they were: what deploying, measuring and leaving it took. */
export function pointTimings(steps: readonly StepRecord[], destroySeconds: number): PointTiming[] {
    return steps.map((step, i, stepped) => {
        const t = step.timing;
        const next = stepped[i + 1];
        return {
            point: step.point,
            deploySeconds: t.wallSeconds - t.benchmarkSeconds - t.deleteSeconds,
            teardownSeconds: next === undefined ? destroySeconds : next.timing.deleteSeconds,
            measureSeconds: t.benchmarkSeconds / Math.max(step.orders.length, 1),
        };
    });
}
