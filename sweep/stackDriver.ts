import { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { LabConfig, labStack, removeLabStack, setLabConfig } from "../automation/labStack";
import { MARK } from "../framing/benchmark";
import { LabResult } from "../results/benchmark";
import { UpTiming } from "./record";
import { LabDriver, UpOutcome } from "./runner";

/** Spans of what one `up` did, from its engine events as they arrive. */
class UpClock {
    private benchmark: [number, number] | undefined;
    private deletes: [number, number] | undefined;

    constructor(private readonly now: () => number) {}

    readonly onEvent = (e: EngineEvent): void => {
        const pre = e.resourcePreEvent?.metadata;
        const done = e.resOutputsEvent?.metadata ?? e.resOpFailedEvent?.metadata;
        const m = pre ?? done;
        if (m === undefined || m.op === "same" || m.op === "read") {
            return;
        }
        const isBenchmark = m.urn.endsWith("-benchmark-run") && m.type === "command:local:Command";
        if (isBenchmark && !m.op.startsWith("delete")) {
            this.benchmark = span(this.benchmark, this.now(), pre !== undefined);
        } else if (!isBenchmark && m.op === "delete") {
            this.deletes = span(this.deletes, this.now(), pre !== undefined);
        }
    };

    timing(wallSeconds: number): UpTiming {
        const seconds = (s: [number, number] | undefined): number => (s === undefined ? 0 : (s[1] - s[0]) / 1000);
        return { wallSeconds, benchmarkSeconds: seconds(this.benchmark), deleteSeconds: seconds(this.deletes) };
    }
}

/** Widens [start, end] by an event at `at`: a step starting, or one finishing. */
function span(current: [number, number] | undefined, at: number, starting: boolean): [number, number] {
    if (current === undefined) {
        return [at, at];
    }
    return starting ? [Math.min(current[0], at), current[1]] : [current[0], Math.max(current[1], at)];
}

/**
 * The engine's error without the CLI's whole log (which repeats the benchmark plan and output): the
 * lab's own messages ("icc-bench: ..." with the indented lines that follow one ending in ":", such
 * as the failed clients, and iperf's errors) when there are any, else its "error:" lines, shortened.
 */
export function shortError(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e);
    const raw = text.split("\n");
    const lines = [...new Set(raw.map((l) => l.trim()))];
    const own = [...new Set(ownLines(raw))];
    const errors = lines.filter((l) => /^error:/i.test(l) && !/update failed/i.test(l)).map((l) => (l.length > 300 ? `${l.slice(0, 300)}...` : l));
    const chosen = own.length > 0 ? own : errors.length > 0 ? errors : lines.slice(0, 3);
    return chosen.slice(0, MAX_ERROR_LINES).join("\n");
}

const MAX_ERROR_LINES = 12;

/** The lab's own lines of an error text, each list that follows one of them kept indented. */
function ownLines(raw: readonly string[]): string[] {
    const own: string[] = [];
    let listing = false;
    for (const line of raw) {
        const trimmed = line.trim();
        if (trimmed.startsWith("icc-bench: ") || trimmed.startsWith(`${MARK.err} `)) {
            own.push(trimmed.replace(`${MARK.err} `, "iperf: "));
            listing = trimmed.endsWith(":");
        } else if (listing && line.startsWith("  ") && trimmed !== "") {
            own.push(`  ${trimmed}`);
        } else {
            listing = false;
        }
    }
    return own;
}

/**
 * The sweep's stack, made by the first `up` (automation/labStack.ts) and removed by destroy:
 * its resources, its state and its config file.
 */
export function stackDriver(name: string): LabDriver {
    let stack: Stack | undefined;
    return {
        async up(config: LabConfig, retry: boolean): Promise<UpOutcome> {
            const started = Date.now();
            const clock = new UpClock(Date.now);
            try {
                if (stack === undefined) {
                    stack = await labStack(name, config, { finalCheckpointOnly: true });
                } else {
                    await setLabConfig(stack, config);
                }
                const result = await stack.up({ onEvent: clock.onEvent, refresh: retry });
                const rounds = (result.outputs.rounds?.value ?? []) as Record<string, LabResult>[];
                return { rounds, timing: clock.timing((Date.now() - started) / 1000) };
            } catch (e) {
                return { error: shortError(e), timing: clock.timing((Date.now() - started) / 1000) };
            }
        },
        async destroy(): Promise<void> {
            if (stack !== undefined) {
                await removeLabStack(stack);
            }
        },
    };
}
