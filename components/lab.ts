import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { methodModule } from "../methods";
import {
    HOST_PORTS_LABEL,
    HostSettings,
    IperfSettings,
    LAB_ID_LABEL,
    LabPlan,
    Method,
    PlacementSettings,
    PROJECT_LABEL,
    SUBNET_LABEL,
    StackPlan,
    TopologySettings,
    formatPortBlock,
    limitMethod,
    planStack,
    validateSettings,
} from "../model";
import { LabResult, resultsByRound } from "../results/benchmark";
import { Benchmark } from "./benchmark";
import { MethodLab } from "./methodLab";

/**
 * A lab's settings as a program gives them: the stack config's keys (see the README), each
 * optional with the same default. Values are validated like stack config at run time too.
 */
export interface LabArgs {
    /** Attachment methods, each its own lab; every registered method when absent. */
    readonly methods?: readonly Method[];
    /** Servers, client containers and iperf client processes per container. */
    readonly topology?: Partial<TopologySettings>;
    /** iperf2 client options: duration, interval, parallel, port, protocol, udpRate, mode, length. */
    readonly iperf?: Partial<IperfSettings>;
    /** Lab addresses inside 198.18.0.0/15; a /22 picked by the stack name when absent. */
    readonly subnet?: string;
    /** Image holding iperf2; icc-bench/iperf:bookworm when absent. */
    readonly image?: string;
    /** Short id in host interface names (1 to 10 lowercase letters/digits); from the stack name when absent. */
    readonly labId?: string;
    /** First port of the host method's servers; a block picked by the stack name when absent. */
    readonly hostPort?: number;
    /** Change it to measure again without touching the lab. */
    readonly runId?: string;
    /** Rounds in one benchmark run, every method once per round (round 1 in `methods` order, later ones shuffled); 1 when absent. */
    readonly repeats?: number;
    /** Docker hosts of a lab across hosts, each { name, docker, address }; the program's own Docker when absent. */
    readonly hosts?: readonly HostSettings[];
    /** Which host runs the servers and which the clients; servers on the first host, clients round robin over the others when absent. */
    readonly placement?: Partial<PlacementSettings>;
}

/** The Lab of each project/stack this program made, by owner: a stack holds one Lab. */
const LABS_OF_OWNER = new Map<string, string>();

/**
 * A whole icc-bench lab: one independent MethodLab per attachment method and one Benchmark that
 * measures them one after another. Its owner is the Pulumi project and stack (the labels and
 * marks host:clean and lab:repair look for; container, network and host interface names derive
 * from the stack); `name` only names its Pulumi resources. A stack holds one Lab (give it every
 * method in `methods`): a second one with another name is refused, since it would take the same
 * host names. Bad settings throw a ConfigError before any resource is registered.
 */
export class Lab extends pulumi.ComponentResource {
    public readonly labs: MethodLab[];
    public readonly benchmark: Benchmark;
    /** Round 1's results by method, each with its fraction of the limit method's when that was measured. */
    public readonly results: pulumi.Output<Record<string, LabResult>>;
    /** Every round's results by method (`repeats` of them, round 1 first), fractions per round. */
    public readonly rounds: pulumi.Output<Record<string, LabResult>[]>;

    constructor(name: string, args: LabArgs, opts?: pulumi.ComponentResourceOptions) {
        const owner = { project: pulumi.getProject(), stack: pulumi.getStack() };
        const plan = planStack(owner.stack, validateSettings(args));
        claimStack(owner, name);
        super("icc-bench:lab:Lab", name, {}, opts);
        const hostProviders = new Map((plan.hosts ?? []).map((h) => [h.name, new docker.Provider(`${name}-host-${h.name}`, { host: h.docker, ...certPathOf(h) }, { parent: this })]));
        this.labs = plan.labs.map(
            (lab) =>
                new MethodLab(
                    `${name}-${lab.method}`,
                    { plan: lab, image: plan.image, ownerLabels: ownerLabels(owner.project, plan, lab), ...(plan.hosts === undefined ? {} : { hostProviders }) },
                    { parent: this },
                ),
        );
        this.benchmark = new Benchmark(
            `${name}-benchmark`,
            {
                labs: this.labs.map((l, i) => ({
                    method: plan.labs[i].method,
                    clients: l.benchmarkClients,
                    servers: plan.labs[i].servers.map((s) => ({ container: s.name, port: s.port, ...(s.bind ? { bind: s.bind } : {}), ...(s.host === undefined ? {} : { host: s.host }) })),
                })),
                ...(plan.hosts === undefined ? {} : { hosts: plan.hosts.map((h) => ({ name: h.name, docker: h.docker, ...certPathOf(h) })) }),
                iperf: plan.iperf,
                rounds: plan.rounds,
                runId: plan.runId,
                labResourceIds: this.labs.flatMap((l) => l.resourceIds),
            },
            { parent: this },
        );
        const limit = limitMethod(plan.hosts === undefined ? "one-host" : "across-hosts");
        this.rounds = this.benchmark.results.apply((rs) => resultsByRound(rs, limit));
        this.results = this.rounds.apply((rs) => rs[0] ?? {});
        this.registerOutputs({ results: this.results, rounds: this.rounds });
    }
}

/** A host's TLS folder as a field of its provider and its benchmark entry, absent when it has none. */
function certPathOf(host: HostSettings): { readonly certPath?: string } {
    return host.certPath === undefined ? {} : { certPath: host.certPath };
}

/** Refuses a second Lab of another name in the same project and stack. */
function claimStack(owner: { readonly project: string; readonly stack: string }, name: string): void {
    const key = `${owner.project}/${owner.stack}`;
    const first = LABS_OF_OWNER.get(key) ?? name;
    if (first !== name) {
        throw new Error(
            `icc-bench: stack ${owner.stack} of project ${owner.project} already has the Lab "${first}"; a stack holds one Lab, ` +
                `since its container and host interface names, subnet and host ports derive from the stack: give Lab "${first}" every method (its \`methods\`) instead of making "${name}"`,
        );
    }
    LABS_OF_OWNER.set(key, name);
}

/** What other stacks' previews (conflicts) and host:clean (interface names) read off the containers. */
function ownerLabels(project: string, plan: StackPlan, lab: LabPlan): Record<string, string> {
    const onHostPorts = methodModule(lab.method).listening !== "own-address";
    return {
        [PROJECT_LABEL]: project,
        [SUBNET_LABEL]: plan.subnet,
        [LAB_ID_LABEL]: plan.labId,
        ...(onHostPorts ? { [HOST_PORTS_LABEL]: formatPortBlock(plan.hostPorts) } : {}),
    };
}
