import { labStacksHealth, stackFileSettings } from "../automation/labStack";
import { describeLeftovers, filterOfStack, labSwarmMembers, leaveSwarm, removeLeftovers } from "../host/clean";
import { HostTools, THIS_HOST, dockerHostTools } from "../host/hostTools";
import { Leftovers, StackFilter, isEmpty, takeLeftovers } from "../host/inventory";
import { CannotLook } from "../host/look";
import type { PlumbedHost } from "../hostscripts/dockerHost";
import { ConfigError, DEFAULT_IMAGE, LabSettings, STACK_NAME_RE, isDockerEndpoint } from "../model";

/**
 * `npm run host:clean -- --stack NAME [--dry-run]` or `-- --all [--dry-run]`: lists what the
 * host holds of one stack's lab (or of every icc-bench lab) and removes it, without Pulumi, e.g.
 * after the stack's state was lost. --dry-run only lists: the leak check. A stack whose config
 * has `hosts` is cleaned on each of them too, through its Docker endpoint, the swarm membership
 * its lab made included; `--docker ENDPOINT` (repeatable) adds another Docker host. It also names the stacks
 * of the file backend whose checkpoint cannot be loaded (`lab:repair` restores them; with --all
 * they count as found, as they break `pulumi stack ls` of every stack).
 * Exit status: 0 when nothing is left (with --dry-run: when nothing was found), 1 otherwise,
 * 2 on a usage error, 3 when the host could not be looked at (a tool missing, failing or timing
 * out: then nothing is claimed either way).
 */

const USAGE = "usage: npm run host:clean -- (--stack NAME | --all) [--docker ENDPOINT]... [--dry-run]";

export interface HostCleanOptions {
    /** undefined: every icc-bench object. */
    readonly stack?: string;
    readonly dryRun: boolean;
    /** Docker endpoints of other hosts to look at too (a stack's own `hosts` are always looked at). */
    readonly dockers?: readonly string[];
}

function parseArgs(args: readonly string[]): HostCleanOptions | string {
    let stack: string | undefined;
    let all = false;
    let dryRun = false;
    const dockers: string[] = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === "--stack") {
            stack = args[++i];
        } else if (args[i] === "--docker") {
            dockers.push(args[++i] ?? "");
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
    return badDockerEndpoint(dockers) ?? { stack, dryRun, dockers };
}

/** What is wrong with the --docker endpoints given, for a usage error; undefined when nothing. */
export function badDockerEndpoint(dockers: readonly string[]): string | undefined {
    const bad = dockers.find((d) => !isDockerEndpoint(d));
    return bad === undefined ? undefined : `not a Docker endpoint: ${JSON.stringify(bad)} (unix:///path.sock, tcp://host:port or ssh://[user@]host[:port])`;
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

/** The stack's settings from its config file; undefined, said on stderr, when they are not valid (then only this host and --docker ones are looked at). */
function readableSettings(stack: string): LabSettings | undefined {
    try {
        return stackFileSettings(stack);
    } catch (e) {
        if (e instanceof ConfigError) {
            console.error(`host:clean: stacks/Pulumi.${stack}.yaml is not a valid config, so its hosts are not looked at (give them with --docker):\n${e.message}`);
            return undefined;
        }
        throw e;
    }
}

/** This host, the stack's own hosts (its config's `hosts`) and the other Docker hosts asked for. */
function targetsOf(options: HostCleanOptions): HostTools[] {
    const settings = options.stack === undefined ? undefined : readableSettings(options.stack);
    const helper = { image: settings?.image ?? DEFAULT_IMAGE, stack: options.stack ?? "host-clean" };
    const asked: PlumbedHost[] = (options.dockers ?? []).map((d) => ({ name: d, docker: d }));
    const hosts = [...(settings?.hosts ?? []), ...asked].filter((h, i, all) => all.findIndex((o) => o.docker === h.docker) === i);
    return [THIS_HOST, ...hosts.map((h) => dockerHostTools(h, helper))];
}

interface Target {
    readonly tools: HostTools;
    readonly filter: StackFilter | undefined;
}

function leftoversOf(targets: readonly Target[]): Leftovers[] {
    return targets.map((t) => takeLeftovers(t.filter, t.tools));
}

function clean(options: HostCleanOptions): number {
    const scope = options.stack === undefined ? "every icc-bench lab" : `stack ${options.stack}`;
    const targets: Target[] = targetsOf(options).map((tools) => ({ tools, filter: options.stack === undefined ? undefined : filterOfStack(options.stack, tools) }));
    const others = targets.slice(1).map((t) => t.tools);
    const found = leftoversOf(targets);
    targets.forEach((t, i) => print(`host:clean: what ${t.tools.where} holds of ${scope}`, describeLeftovers(found[i])));
    const members = options.stack === undefined ? [] : labSwarmMembers(options.stack, others);
    print(`host:clean: swarm memberships the lab of ${scope} made`, members.map((m) => `${m.tools.where}: node ${m.node}${m.manager ? " (manager)" : ""}`));
    const broken = brokenStacks(options.stack);
    print(`host:clean: stacks of the backend with damaged state`, broken);
    const backendClean = options.stack !== undefined || broken.length === 0;
    const nothing = found.every(isEmpty) && members.length === 0;
    if (options.dryRun || nothing) {
        return nothing && backendClean ? 0 : 1;
    }
    // A swarm's docker_gwbridge the lab made is removable only once its node left the swarm: remove, leave, remove again.
    targets.forEach((t, i) => removeLeftovers(found[i], t.tools));
    const errors = [...leaveSwarm(members), ...targets.flatMap((t) => removeLeftovers(takeLeftovers(t.filter, t.tools), t.tools))];
    errors.forEach((e) => console.error(`host:clean: ${e}`));
    const left = leftoversOf(targets);
    targets.forEach((t, i) => print(`host:clean: left on ${t.tools.where} of ${scope} after removal`, describeLeftovers(left[i])));
    const membersLeft = options.stack === undefined ? [] : labSwarmMembers(options.stack, others);
    print(`host:clean: swarm memberships left`, membersLeft.map((m) => `${m.tools.where}: node ${m.node}`));
    return left.every(isEmpty) && membersLeft.length === 0 && backendClean ? 0 : 1;
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
