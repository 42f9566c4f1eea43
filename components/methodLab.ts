import * as pulumi from "@pulumi/pulumi";
import { BenchmarkClient } from "../hostscripts/benchmark";
import { containerPort, macvlanSegmentOf } from "../hostscripts/methods/lab";
import { ContainerPlan, LabPlan } from "../model";
import { AttachedContainer } from "./hostObject";
import { IperfClient } from "./iperfClient";
import { IperfServer } from "./iperfServer";
import { LinkAttachment } from "./linkAttachment";
import { MacvlanNatAttachment } from "./macvlanNatAttachment";
import { OvsAttachment } from "./ovsAttachment";
import { PipeworkAttachment } from "./pipeworkAttachment";

export interface MethodLabArgs {
    /** The planned lab: method, names, addresses, pairings. */
    readonly plan: LabPlan;
    /** Image holding iperf2. */
    readonly image: pulumi.Input<string>;
    /** TCP port of the iperf servers. */
    readonly port: number;
    /** Labels every container carries besides the stack/method/role ones. */
    readonly ownerLabels: Readonly<Record<string, string>>;
}

/** One method's lab: its servers, its clients and the attachment that connects them. */
export class MethodLab extends pulumi.ComponentResource {
    public readonly servers: IperfServer[];
    public readonly clients: IperfClient[];
    /** What the benchmark runs on this lab: each client container and the address it dials. */
    public readonly benchmarkClients: pulumi.Output<BenchmarkClient[]>;
    /** Ids of every container and host object of the lab: a change means a new measurement. */
    public readonly resourceIds: pulumi.Output<string>[];

    constructor(name: string, args: MethodLabArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:lab:MethodLab", name, {}, opts);
        const plan = args.plan;
        const link = plan.method === "link";
        const common = { image: args.image, stack: plan.stack, method: plan.method, networkMode: link ? "bridge" : "none", ownerLabels: args.ownerLabels };
        this.servers = plan.servers.map(
            (s) => new IperfServer(`${name}-${s.role}${s.index}`, { ...common, containerName: s.name, port: args.port }, { parent: this }),
        );
        const linkAttachment = link
            ? new LinkAttachment(`${name}-net`, { servers: this.servers.map((s) => s.container), port: args.port }, { parent: this })
            : undefined;
        this.clients = plan.clients.map(
            (c) =>
                new IperfClient(
                    `${name}-${c.role}${c.index}`,
                    { ...common, containerName: c.name, ...linkAttachment?.clientLink(c.serverIndex) },
                    { parent: this },
                ),
        );
        const attachmentIds = linkAttachment ? [] : this.attach(name, args);
        const targets = linkAttachment?.serverAddresses ?? plan.servers.map((s) => pulumi.output(plan.method === "macvlan-nat" ? s.externalAddress : s.address));
        this.benchmarkClients = pulumi.all(targets).apply((addresses) =>
            plan.clients.map((c) => ({ container: c.name, target: addresses[c.serverIndex], serverIndex: c.serverIndex, processes: c.processes })),
        );
        this.resourceIds = [...this.servers, ...this.clients].map((c) => c.container.id).concat(attachmentIds);
        this.registerOutputs({ benchmarkClients: this.benchmarkClients });
    }

    /** Creates the method's attachment; returns the ids of its host objects. */
    private attach(name: string, args: MethodLabArgs): pulumi.Output<string>[] {
        const plan = args.plan;
        const attached = (plans: readonly ContainerPlan[], made: (IperfServer | IperfClient)[]): AttachedContainer[] =>
            plans.map((p, i) => ({ key: `${p.role}${p.index}`, port: containerPort(p, plan), containerId: made[i].container.id }));
        const servers = attached(plan.servers, this.servers);
        const clients = attached(plan.clients, this.clients);
        const opts = { parent: this };
        switch (plan.method) {
            case "ovs": {
                const a = new OvsAttachment(`${name}-net`, { bridge: plan.names.bridge, owner: plan.names.mark, containers: [...servers, ...clients] }, opts);
                return [a.bridge, ...a.ports].map((c) => c.id);
            }
            case "pipework": {
                const a = new PipeworkAttachment(`${name}-net`, { bridge: plan.names.bridge, mark: plan.names.mark, containers: [...servers, ...clients] }, opts);
                return [a.bridge, ...a.ports].map((c) => c.id);
            }
            case "macvlan-nat": {
                const segment = macvlanSegmentOf(plan);
                const natServers = servers.map((s, i) => ({ ...s, externalAddress: plan.servers[i].externalAddress }));
                const a = new MacvlanNatAttachment(`${name}-net`, { segment, port: args.port, servers: natServers, clients }, opts);
                return [a.segment, ...a.ports].map((c) => c.id);
            }
            case "link":
                return [];
        }
    }
}
