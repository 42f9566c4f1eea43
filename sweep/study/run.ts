import { sweepCost } from "../cost";
import { hostEnvironment } from "../environment";
import { measureSweep } from "../execute";
import { watchMemory } from "../memory";
import { SweepRecord } from "../record";
import { LabDriver, destroyStack } from "../runner";
import { sweepStackName } from "../spec";
import { stackDriver } from "../stackDriver";
import { LabSize } from "../visitOrder";
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

/** The lab a table left on the stack: its last point's. */
function labLeft(table: SweepRecord | undefined): LabSize | undefined {
    const last = table?.steps[table.steps.length - 1];
    return table?.spec.points.find((p) => p.label === last?.point)?.topology;
}

/**
 * Measures the study's tables one after another on one stack, which moves from each point to the
 * next creating or deleting only the difference (each table starts from the point nearest the lab
 * the previous one left), and destroys it once at the end, also after a stop request or a throw.
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
            const start = labLeft(tables[tables.length - 1]);
            const record = await measureSweep(table, { stack, driver, stopRequested: options.stopRequested, log: options.log, keepStack: true, ...(start ? { start } : {}) });
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
