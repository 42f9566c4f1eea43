import { Measurement, StepRecord, SweepCost } from "./record";
import { SweepPoint } from "./spec";

/** What moving to, measuring and leaving one point cost, seconds. */
export interface PointTiming {
    readonly point: string;
    /** The point's first up, less its benchmark and its deletions: creating what it adds. */
    readonly deploySeconds: number;
    /** Deleting what the next point drops (the final destroy for the last point). */
    readonly teardownSeconds: number;
    /** Mean benchmark command time over the point's repeats (every method, readiness included). */
    readonly measureSeconds: number;
    /** Mean engine time per repeat outside the benchmark. */
    readonly overheadSeconds: number;
}

export function sweepCost(wallSeconds: number, measurements: readonly Measurement[]): SweepCost {
    const trafficSeconds = measurements.reduce((acc, m) => acc + (m.result?.durationSeconds ?? 0), 0);
    return { wallSeconds, trafficSeconds, ratio: trafficSeconds > 0 ? wallSeconds / trafficSeconds : 0 };
}

export function pointTimings(points: readonly SweepPoint[], steps: readonly StepRecord[], destroySeconds: number): PointTiming[] {
    const ofPoint = points.map((p) => steps.filter((s) => s.point === p.label));
    return points.flatMap((point, i) => {
        const own = ofPoint[i];
        if (own.length === 0) {
            return [];
        }
        const next = ofPoint.slice(i + 1).find((s) => s.length > 0)?.[0];
        const first = own[0].timing;
        const mean = (f: (s: StepRecord) => number): number => own.reduce((acc, s) => acc + f(s), 0) / own.length;
        return [
            {
                point: point.label,
                deploySeconds: first.wallSeconds - first.benchmarkSeconds - first.deleteSeconds,
                teardownSeconds: next === undefined ? destroySeconds : next.timing.deleteSeconds,
                measureSeconds: mean((s) => s.timing.benchmarkSeconds),
                overheadSeconds: mean((s) => s.timing.wallSeconds - s.timing.benchmarkSeconds - s.timing.deleteSeconds),
            },
        ];
    });
}
