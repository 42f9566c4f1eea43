import { sweepCost } from "../cost";
import { hostEnvironment } from "../environment";
import { measureSweep } from "../execute";
import { watchMemory } from "../memory";
import { SweepRecord } from "../record";
import { LabDriver, destroyStack } from "../runner";
import { sweepStackName } from "../spec";
import { stackDriver } from "../stackDriver";
import { STUDY_FORMAT, StudyRecord } from "./record";
import { StudySpec } from "./spec";

export interface StudyOptions {
    /** Default: sweep-<study name>. */
    readonly stack?: string;
    readonly stopRequested: () => boolean;
    readonly log: (line: string) => void;
    /** Default: the real stack (Automation API). */
    readonly driver?: LabDriver;
}

/**
 * Measures the study's tables one after another on one stack, which moves from each point to the
 * next (table 1's last lab becomes table 2's first by deleting what it does not need), and
 * destroys it once at the end, also after a stop request or a throw.
 */
export async function runStudy(spec: StudySpec, options: StudyOptions): Promise<StudyRecord> {
    const stack = options.stack ?? sweepStackName(spec.name);
    const driver = options.driver ?? stackDriver(stack);
    const memory = watchMemory();
    const startTime = new Date();
    const environment = hostEnvironment(spec.tables[0].image);
    const tables: SweepRecord[] = [];
    let interrupted = false;
    try {
        for (const table of spec.tables) {
            if (options.stopRequested()) {
                interrupted = true;
                break;
            }
            const record = await measureSweep(table, { stack, driver, stopRequested: options.stopRequested, log: options.log, keepStack: true });
            tables.push(record);
            if (record.interrupted) {
                interrupted = true;
                break;
            }
        }
    } catch (e) {
        await destroyStack(driver, options, Date.now);
        throw e;
    }
    const destroy = await destroyStack(driver, options, Date.now);
    const endTime = new Date();
    return {
        format: STUDY_FORMAT,
        name: spec.name,
        file: spec.file,
        quick: spec.quick,
        stack,
        startTime: startTime.toISOString(),
        endTime: endTime.toISOString(),
        interrupted,
        environment,
        tables,
        destroy,
        cost: sweepCost((endTime.getTime() - startTime.getTime()) / 1000, tables.flatMap((t) => t.measurements)),
        peakMemory: memory.stop(),
    };
}
