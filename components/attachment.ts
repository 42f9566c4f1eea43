import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { HostObjectPlan, methodModule } from "../methods";
import { LabPlan, STACK_LABEL } from "../model";
import { hostObject } from "./hostObject";

export interface AttachmentArgs {
    /** The planned lab: its method's module says what the attachment is made of. */
    readonly plan: LabPlan;
    /** The provider of each Docker host by name (labs across hosts): a network planned on a host is made there. */
    readonly hostProviders?: ReadonlyMap<string, docker.Provider>;
}

/**
 * What connects one lab's containers, as its method's module plans it: the lab-wide host objects
 * (bridges, parents, NAT shims) and Docker networks first, then, once the containers exist
 * (`attach`), the host objects of each container. Its type is the method's, e.g.
 * icc-bench:network:OvsAttachment.
 */
export class Attachment extends pulumi.ComponentResource {
    /** Lab-wide host objects, in creation order. */
    public readonly labWide: command.local.Command[];
    /** The lab's Docker networks, by Docker network name. */
    public readonly networks: ReadonlyMap<string, docker.Network>;
    /** Host objects of each container (after `attach`). */
    public readonly ports: command.local.Command[] = [];
    private readonly name: string;
    private readonly perContainer: HostObjectPlan[];

    constructor(name: string, args: AttachmentArgs, opts?: pulumi.ComponentResourceOptions) {
        const module = methodModule(args.plan.method);
        super(`icc-bench:network:${module.attachmentType}`, name, {}, opts);
        this.name = name;
        const objects = module.hostObjects(args.plan);
        this.perContainer = objects.filter((o) => o.container !== undefined);
        // In the module's order, each made after the one before (a swarm's workers join once its manager has it).
        this.labWide = [];
        for (const o of objects.filter((p) => p.container === undefined)) {
            this.labWide.push(hostObject(`${name}-${o.key}`, o.scripts, [], this, this.labWide[this.labWide.length - 1]));
        }
        const labels = [
            { label: STACK_LABEL, value: args.plan.stack },
            { label: "icc-bench.method", value: args.plan.method },
        ];
        this.networks = new Map(
            module.dockerNetworks(args.plan).map((n) => [
                n.name,
                new docker.Network(
                    `${name}-${n.key}`,
                    {
                        name: n.name,
                        driver: n.driver,
                        // Left out when empty: Docker adds its own to some (an overlay's VXLAN id), which the provider keeps as computed.
                        ...(Object.keys(n.options).length === 0 ? {} : { options: { ...n.options } }),
                        ipamConfigs: [{ subnet: n.subnet, gateway: n.gateway, ...(n.ipRange === undefined ? {} : { ipRange: n.ipRange }) }],
                        labels,
                        ...(n.attachable === undefined ? {} : { attachable: n.attachable }),
                        ...(n.internal === undefined ? {} : { internal: n.internal }),
                    },
                    // A fixed name: a replacement removes the old network first.
                    { parent: this, dependsOn: this.labWide, deleteBeforeReplace: true, ...providerOn(n.host, args.hostProviders) },
                ),
            ]),
        );
    }

    /** Makes each container's host objects; each is made again when its container or a lab-wide object is. */
    attach(containerIds: ReadonlyMap<string, pulumi.Input<string>>): command.local.Command[] {
        const labWideIds = this.labWide.map((c) => c.id);
        this.ports.push(
            ...this.perContainer.map((o) => {
                const id = containerIds.get(o.container as string);
                if (id === undefined) {
                    throw new Error(`${this.name}: no container ${o.container} to attach`);
                }
                return hostObject(`${this.name}-${o.key}`, o.scripts, [...labWideIds, id], this);
            }),
        );
        this.registerOutputs({});
        return this.ports;
    }

    /** Ids of everything it made: a change means a new measurement. */
    get resourceIds(): pulumi.Output<string>[] {
        return [...this.labWide, ...this.ports].map((c) => c.id).concat([...this.networks.values()].map((n) => n.id));
    }
}

/** The provider option of a container or network on a host of a lab across hosts; nothing for the program's own Docker. */
export function providerOn(host: string | undefined, providers: ReadonlyMap<string, docker.Provider> | undefined): { provider?: docker.Provider } {
    if (host === undefined) {
        return {};
    }
    const provider = providers?.get(host);
    if (provider === undefined) {
        throw new Error(`the lab plans a resource on host ${host}, which has no provider`);
    }
    return { provider };
}
