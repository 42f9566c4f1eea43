import { labStacksHealth } from "../automation/labStack";
import { describeLeftovers, filterOfStack, removeLeftovers } from "../host/clean";
import { StackFilter, isEmpty, takeLeftovers } from "../host/inventory";
import { CannotLook } from "../host/look";
import { STACK_NAME_RE } from "../model";

/**
 * `npm run host:clean -- --stack NAME [--dry-run]` or `-- --all [--dry-run]`: lists what the
 * host holds of one stack's lab (or of every icc-bench lab) and removes it, without Pulumi, e.g.
 * after the stack's state was lost. --dry-run only lists: the leak check. It also names the stacks
 * of the file backend whose checkpoint cannot be loaded (`lab:repair` restores them; with --all
 * they count as found, as they break `pulumi stack ls` of every stack).
 * Exit status: 0 when nothing is left (with --dry-run: when nothing was found), 1 otherwise,
 * 2 on a usage error, 3 when the host could not be looked at (a tool missing, failing or timing
 * out: then nothing is claimed either way).
 */

const USAGE = "usage: npm run host:clean -- (--stack NAME | --all) [--dry-run]";

export interface HostCleanOptions {
    /** undefined: every icc-bench object. */
    readonly stack?: string;
    readonly dryRun: boolean;
}

function parseArgs(args: readonly string[]): HostCleanOptions | string {
    let stack: string | undefined;
    let all = false;
    let dryRun = false;
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--stack") {
            stack = args[++i];
        } else if (args[i] === "--all") {
            all = true;
        } else if (args[i] === "--dry-run") {
            dryRun = true;
        } else {
            return `unknown argument ${JSON.stringify(args[i])}`;
        }
    }
    if (all === (stack !== undefined)) {
        return "give exactly one of --stack NAME and --all";
    }
    if (stack !== undefined && !STACK_NAME_RE.test(stack)) {
        return `not a stack name: ${JSON.stringify(stack)}`;
    }
    return { stack, dryRun };
}

function print(title: string, lines: readonly string[]): void {
    console.log(lines.length === 0 ? `${title}: nothing` : `${title}:\n${lines.map((l) => `  ${l}`).join("\n")}`);
}

/** The stacks in scope whose checkpoint cannot be loaded, as lines for people. */
function brokenStacks(stack: string | undefined): string[] {
    return (labStacksHealth() ?? [])
        .filter((h) => h.problems.length > 0 && (stack === undefined || h.stack === stack))
        .map((h) => `stack ${h.stack}${h.loads ? "" : ": its checkpoint cannot be loaded"} (${h.problems.join("; ")}); npm run lab:repair -- --stack ${h.stack} restores it`);
}

function main(args: readonly string[]): number {
    const options = parseArgs(args);
    if (typeof options === "string") {
        console.error(`host:clean: ${options}\n${USAGE}`);
        return 2;
    }
    return hostClean(options);
}

function clean(options: HostCleanOptions): number {
    const scope = options.stack === undefined ? "every icc-bench lab" : `stack ${options.stack}`;
    const filter: StackFilter | undefined = options.stack === undefined ? undefined : filterOfStack(options.stack);
    const found = takeLeftovers(filter);
    print(`host:clean: what this host holds of ${scope}`, describeLeftovers(found));
    const broken = brokenStacks(options.stack);
    print(`host:clean: stacks of the backend with damaged state`, broken);
    const backendClean = options.stack !== undefined || broken.length === 0;
    if (options.dryRun || isEmpty(found)) {
        return isEmpty(found) && backendClean ? 0 : 1;
    }
    const errors = removeLeftovers(found);
    errors.forEach((e) => console.error(`host:clean: ${e}`));
    const left = takeLeftovers(filter);
    print(`host:clean: left of ${scope} after removal`, describeLeftovers(left));
    return isEmpty(left) && backendClean ? 0 : 1;
}

/** Lists (and unless dryRun removes) what the host holds; the exit status of the header comment. */
export function hostClean(options: HostCleanOptions): number {
    try {
        return clean(options);
    } catch (e) {
        if (e instanceof CannotLook) {
            console.error(`host:clean: ${e.message}`);
            return 3;
        }
        throw e;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
