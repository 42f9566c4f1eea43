import { CommandError, StackNotFoundError } from "@pulumi/pulumi/automation";
import { labStacksHealth } from "../automation/labStack";
import { exitWhenFlushed } from "../framing/exit";
import { CheckpointRecovery, RepairReport, UnrecoverableCheckpoint, repairLab } from "../automation/repair";
import { STACK_NAME_RE } from "../model";

/**
 * `npm run lab:repair -- --stack NAME`: the one recovery for a lab whose `pulumi up` was
 * interrupted (Ctrl-C, kill -9) or whose containers, interfaces, bridges or rules were removed
 * by hand. Refreshes the state, drops what the interrupted run left half recorded, and runs `up`
 * making again whatever the host lacks (see automation/repair.ts); a checkpoint the file backend
 * cannot load (a kill during its write) is restored first from what the backend kept. Exit status 0 when the lab is
 * whole and measured, 1 otherwise, 2 on a usage error.
 */

const USAGE = "usage: npm run lab:repair -- --stack NAME";

function stackArgument(args: readonly string[]): string | undefined {
    return args.length === 2 && args[0] === "--stack" && STACK_NAME_RE.test(args[1]) ? args[1] : undefined;
}

function checkpointSummary(c: CheckpointRecovery): string[] {
    const r = c.restored;
    return [
        ...c.found.map((f) => `found: ${f}`),
        ...c.rejected.map((f) => `not taken: ${f}`),
        ...(r === undefined
            ? []
            : [
                  r.imported
                      ? `restored the checkpoint from ${r.kind} ${r.path} (written ${r.written}, ${r.resources} resources): pulumi stack import`
                      : `kept the stack's own checkpoint ${r.path} (written ${r.written}, ${r.resources} resources), the newest whole one`,
              ]),
        ...c.removed.map((f) => `removed ${f}`),
    ];
}

function summary(report: RepairReport): string[] {
    const name = (urn: string) => urn.split("::").pop();
    return [
        ...report.staleLockPids.map((pid) => `removed the stack lock of pid ${pid}, which no longer runs`),
        ...(report.clearedPendingOperations > 0 ? [`dropped ${report.clearedPendingOperations} unfinished operation(s) from the state`] : []),
        ...report.removedContainers.map((c) => `removed container ${c}, which the state did not hold`),
        ...report.removedNetworks.map((n) => `removed Docker network ${n}, which the state did not hold`),
        ...report.replaced.map((r) => `made again: ${name(r.urn)} (missing: ${r.missing.join("; ")})`),
        `up: ${report.up.summary.result}, ${JSON.stringify(report.up.summary.resourceChanges ?? {})}`,
    ];
}

async function main(): Promise<number> {
    const stackName = stackArgument(process.argv.slice(2));
    if (stackName === undefined) {
        console.error(USAGE);
        return 2;
    }
    return repair(stackName);
}

async function repair(stackName: string): Promise<number> {
    const report = await repairLab(stackName, {
        onOutput: (out) => process.stdout.write(out),
        onCheckpoint: (c) => console.log([`lab:repair ${stackName}: its checkpoint:`, ...checkpointSummary(c).map((l) => `  ${l}`)].join("\n")),
    });
    console.log(["", `lab:repair ${stackName}:`, ...summary(report).map((l) => `  ${l}`)].join("\n"));
    return 0;
}

/** The stacks of the file backend, naming those whose checkpoint cannot be loaded. */
function stacksOfBackend(): string {
    const stacks = labStacksHealth();
    if (stacks === undefined) {
        return "pulumi stack ls lists the stacks";
    }
    const named = stacks.map((s) => (s.loads ? s.stack : `${s.stack} (its checkpoint cannot be loaded: lab:repair -- --stack ${s.stack} restores it)`));
    return `the backend holds: ${named.join(", ") || "no stack"}`;
}

function failure(e: unknown): string {
    if (e instanceof UnrecoverableCheckpoint) {
        return e.message;
    }
    if (e instanceof StackNotFoundError) {
        return `no such stack; ${stacksOfBackend()}`;
    }
    if (e instanceof CommandError) {
        // Its output was streamed above already; the error text repeats all of it.
        return "pulumi failed (its output is above)";
    }
    return e instanceof Error ? e.message : String(e);
}

/** Repairs the stack's lab (see the header comment); resolves to its exit status, failures printed. */
export function labRepair(stackName: string): Promise<number> {
    return repair(stackName).catch((e: unknown) => {
        console.error(`lab:repair: ${failure(e)}`);
        return 1;
    });
}

if (require.main === module) {
    main().then(exitWhenFlushed, (e: unknown) => {
        console.error(`lab:repair: ${failure(e)}`);
        exitWhenFlushed(1);
    });
}
