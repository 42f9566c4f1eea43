import { Method } from "../model";
import { LabResult } from "../results/benchmark";
import { HostEnvironment } from "./environment";
import { PeakMemory } from "./memory";
import { DestroyOutcome } from "./runner";
import { SweepSpec } from "./spec";

/** How long one `up` took, split by what the engine did (from its events). */
export interface UpTiming {
    readonly wallSeconds: number;
    /** The benchmark command: every round, each measuring every lab one after another. */
    readonly benchmarkSeconds: number;
    /** Deleting what the previous point had and this one does not. */
    readonly deleteSeconds: number;
}

/** One `up` of the sweep: every repeat of one point in one benchmark run, each repeat a round. */
export interface StepRecord {
    readonly point: string;
    /** The methods in measuring order, per repeat (repeat 1 first). */
    readonly orders: readonly (readonly Method[])[];
    readonly timing: UpTiming;
    /** Why the up failed (its retry included); the point's methods are then failed in every repeat. */
    readonly error?: string;
    /** The first attempt, when it failed and the step was retried once. */
    readonly retried?: { readonly error: string; readonly timing: UpTiming };
}

/** One method measured in one repeat of one point. */
export interface Measurement {
    readonly point: string;
    readonly repeat: number;
    /** 1-based place of the method in the repeat's order. */
    readonly position: number;
    readonly method: Method;
    readonly result?: LabResult;
    readonly error?: string;
}

/** Everything a sweep did and measured: the JSON report is this object. */
export interface SweepRecord {
    readonly format: typeof RECORD_FORMAT;
    readonly spec: SweepSpec;
    readonly stack: string;
    /** Seed of the method shuffles. */
    readonly seed: number;
    readonly startTime: string;
    readonly endTime: string;
    /** Stopped early by SIGINT/SIGTERM. */
    readonly interrupted: boolean;
    readonly environment: HostEnvironment;
    readonly steps: readonly StepRecord[];
    readonly measurements: readonly Measurement[];
    /** The final destroy (and stack removal), or `kept` for the study's next table. */
    readonly destroy: DestroyOutcome;
    readonly cost: SweepCost;
    readonly peakMemory: PeakMemory;
}

export interface SweepCost {
    readonly wallSeconds: number;
    /** Sum of the measured iperf durations of every lab run. */
    readonly trafficSeconds: number;
    /** wall / traffic. */
    readonly ratio: number;
}

export const RECORD_FORMAT = "icc-bench-sweep/2";
