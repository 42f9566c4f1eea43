import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { BenchmarkClient } from "../runner/plan";
import { ContainerNetworking, Dial, MethodModule, methodModule } from "../methods";
import { LabPlan } from "../model";
import { Attachment, providerOn } from "./attachment";
import { IperfClient } from "./iperfClient";
import { IperfServer } from "./iperfServer";
import { ContainerNetworkArgs } from "./labContainer";

export interface MethodLabArgs {
    /** The planned lab: method, names, addresses, pairings. */
    readonly plan: LabPlan;
    /** Image holding iperf2. */
    readonly image: pulumi.Input<string>;
    /** Labels every container carries besides the stack/method/role ones. */
    readonly ownerLabels: Readonly<Record<string, string>>;
    /** The provider of each Docker host by name (labs across hosts); every container on the program's own Docker when absent. */
    readonly hostProviders?: ReadonlyMap<string, docker.Provider>;
}

/** What a lab's networking refers to by name: its Docker networks and its server containers. */
interface LabParts {
    readonly networks: ReadonlyMap<string, docker.Network>;
    readonly servers: ReadonlyMap<string, docker.Container>;
}

/** One method's lab: its servers, its clients and the attachment its method module plans. */
export class MethodLab extends pulumi.ComponentResource {
    public readonly servers: IperfServer[];
    public readonly clients: IperfClient[];
    public readonly attachment: Attachment;
    /** What the benchmark runs on this lab: each client container and what it dials. */
    public readonly benchmarkClients: pulumi.Output<BenchmarkClient[]>;
    /** Ids of every container and host object of the lab: a change means a new measurement. */
    public readonly resourceIds: pulumi.Output<string>[];

    constructor(name: string, args: MethodLabArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:lab:MethodLab", name, {}, opts);
        const plan = args.plan;
        const module = methodModule(plan.method);
        this.attachment = new Attachment(`${name}-net`, { plan, ...(args.hostProviders === undefined ? {} : { hostProviders: args.hostProviders }) }, { parent: this });
        const common = { image: args.image, stack: plan.stack, method: plan.method, ownerLabels: args.ownerLabels };
        const parts: LabParts = { networks: this.attachment.networks, servers: new Map() };
        this.servers = plan.servers.map(
            (s) =>
                new IperfServer(
                    `${name}-${s.role}${s.index}`,
                    { ...common, ...providerOn(s.host, args.hostProviders), containerName: s.name, port: s.port, bind: s.bind, networking: networkingArgs(module.networking(plan, s), parts) },
                    { parent: this },
                ),
        );
        const servers = new Map(plan.servers.map((s, i) => [s.name, this.servers[i].container]));
        const lab: LabParts = { ...parts, servers };
        const targets = plan.servers.map((s) => dialled(module.dial(plan, s), lab));
        this.clients = plan.clients.map(
            (c) =>
                new IperfClient(
                    `${name}-${c.role}${c.index}`,
                    {
                        ...common,
                        ...providerOn(c.host, args.hostProviders),
                        containerName: c.name,
                        networking: networkingArgs(module.networking(plan, c), lab),
                        ...clientEnvironment(module, targets[c.serverIndex], plan.servers[c.serverIndex].port),
                    },
                    { parent: this },
                ),
        );
        const containers = [...this.servers, ...this.clients];
        const names = [...plan.servers, ...plan.clients].map((c) => c.name);
        this.attachment.attach(new Map(containers.map((c, i) => [names[i], c.container.id])));
        this.benchmarkClients = pulumi.all(targets).apply((addresses) =>
            plan.clients.map((c) => ({
                container: c.name,
                target: addresses[c.serverIndex],
                port: plan.servers[c.serverIndex].port,
                serverIndex: c.serverIndex,
                processes: c.processes,
                ...(c.host === undefined ? {} : { host: c.host }),
            })),
        );
        this.resourceIds = containers.map((c) => c.container.id).concat(this.attachment.resourceIds);
        this.registerOutputs({ benchmarkClients: this.benchmarkClients });
    }
}

function lookup<T>(map: ReadonlyMap<string, T>, name: string, what: string): T {
    const found = map.get(name);
    if (found === undefined) {
        throw new Error(`the lab plans no ${what} ${name}`);
    }
    return found;
}

/** The container args of a networking the method's module planned. */
function networkingArgs(n: ContainerNetworking, lab: LabParts): ContainerNetworkArgs {
    switch (n.kind) {
        case "none":
            return { networkMode: "none" };
        case "default-bridge":
            return { networkMode: "bridge" };
        case "host":
            return { networkMode: "host" };
        case "network":
            return { networksAdvanced: [{ name: lookup(lab.networks, n.network, "Docker network").name, ipv4Address: n.address }] };
        case "netns-of":
            return { networkMode: pulumi.interpolate`container:${lookup(lab.servers, n.container, "server container").id}` };
    }
}

/** What a client dials, once Docker knows it. */
function dialled(d: Dial, lab: LabParts): pulumi.Output<string> {
    switch (d.kind) {
        case "address":
            return pulumi.output(d.address);
        case "name":
            return pulumi.output(d.name);
        case "default-bridge-address":
            return lookup(lab.servers, d.container, "server container").networkDatas.apply((nets) => defaultBridgeAddress(d.container, nets));
    }
}

/** envs and hosts of a client whose method gives them (link: what --link injected). */
function clientEnvironment(
    module: MethodModule,
    target: pulumi.Output<string>,
    port: number,
): { envs?: pulumi.Output<string[]>; hosts?: pulumi.Output<docker.types.input.ContainerHost[]> } {
    const environment = module.clientEnvironment;
    if (environment === undefined) {
        return {};
    }
    return {
        envs: target.apply((ip) => [...environment(ip, port).envs]),
        hosts: target.apply((ip) => environment(ip, port).hosts.map((h) => ({ ...h }))),
    };
}

function defaultBridgeAddress(container: string, nets: docker.types.output.ContainerNetworkData[]): string {
    const address = nets.find((n) => n.networkName === "bridge")?.ipAddress;
    if (!address) {
        throw new Error(`${container} has no address on Docker's default bridge`);
    }
    return address;
}
