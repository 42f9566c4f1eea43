import { HostEnvironment } from "../environment";
import { PeakMemory } from "../memory";
import { SweepCost, SweepRecord } from "../record";
import { DestroyOutcome } from "../runner";

/** Everything a study did and measured: its results.json is this object (plus summaries). */
export interface StudyRecord {
    readonly format: typeof STUDY_FORMAT;
    readonly name: string;
    readonly file: string;
    readonly quick: boolean;
    readonly stack: string;
    readonly startTime: string;
    readonly endTime: string;
    /** Stopped early by SIGINT/SIGTERM: tables after the interrupted one are missing. */
    readonly interrupted: boolean;
    readonly environment: HostEnvironment;
    /** One sweep record per table measured, in table order. */
    readonly tables: readonly SweepRecord[];
    /** The one destroy at the end (each table's own is `kept`). */
    readonly destroy: DestroyOutcome;
    /** The whole study: wall time from start to the end of the destroy, traffic of every table. */
    readonly cost: SweepCost;
    readonly peakMemory: PeakMemory;
}

export const STUDY_FORMAT = "icc-bench-study/2";
