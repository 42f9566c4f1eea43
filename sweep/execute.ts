import { randomInt } from "node:crypto";
import { sweepCost } from "./cost";
import { hostEnvironment } from "./environment";
import { watchMemory } from "./memory";
import { RECORD_FORMAT, SweepRecord } from "./record";
import { ReportFiles, writeReport } from "./report/write";
import { LabDriver, RunOptions, runSweep } from "./runner";
import { SweepSpec, sweepStackName } from "./spec";
import { stackDriver } from "./stackDriver";

export interface ExecuteOptions {
    /** Folder that receives the report folder. */
    readonly outDir: string;
    /** Default: sweep-<name>. */
    readonly stack?: string;
    readonly stopRequested: () => boolean;
    readonly log: (line: string) => void;
    /** Default: the real stack (Automation API). */
    readonly driver?: LabDriver;
}

export type MeasureOptions = Omit<ExecuteOptions, "outDir"> & Pick<RunOptions, "keepStack" | "start">;

/** Runs the sweep on its own stack (or the given driver's) and records it; the stack is gone afterwards unless kept. */
export async function measureSweep(spec: SweepSpec, options: MeasureOptions): Promise<SweepRecord> {
    const stack = options.stack ?? sweepStackName(spec.name);
    const seed = spec.seed ?? randomInt(2 ** 32 - 1);
    const memory = watchMemory();
    const startTime = new Date();
    const environment = hostEnvironment(spec.image);
    const outcome = await runSweep(spec, options.driver ?? stackDriver(stack), {
        stopRequested: options.stopRequested,
        log: options.log,
        seed,
        ...(options.keepStack ? { keepStack: true } : {}),
        ...(options.start ? { start: options.start } : {}),
    });
    const endTime = new Date();
    return {
        format: RECORD_FORMAT,
        spec,
        stack,
        seed,
        startTime: startTime.toISOString(),
        endTime: endTime.toISOString(),
        interrupted: outcome.interrupted,
        environment,
        steps: outcome.steps,
        measurements: outcome.measurements,
        destroy: outcome.destroy,
        cost: sweepCost((endTime.getTime() - startTime.getTime()) / 1000, outcome.measurements),
        peakMemory: memory.stop(),
    };
}

/** Runs the sweep on its own stack, then writes its report; the stack is gone afterwards. */
export async function executeSweep(spec: SweepSpec, options: ExecuteOptions): Promise<{ record: SweepRecord; files: ReportFiles }> {
    const record = await measureSweep(spec, options);
    return { record, files: await writeReport(record, options.outDir) };
}
