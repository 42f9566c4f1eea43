import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { HostObjectPlan, methodModule } from "../methods";
import { LabPlan, STACK_LABEL } from "../model";
import { hostObject } from "./hostObject";

export interface AttachmentArgs {
    /** The planned lab: its method's module says what the attachment is made of. */
    readonly plan: LabPlan;
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
        this.labWide = objects.filter((o) => o.container === undefined).map((o) => hostObject(`${name}-${o.key}`, o.scripts, [], this));
        const labels = [
            { label: STACK_LABEL, value: args.plan.stack },
            { label: "icc-bench.method", value: args.plan.method },
        ];
        this.networks = new Map(
            module.dockerNetworks(args.plan).map((n) => [
                n.name,
                new docker.Network(
                    `${name}-${n.key}`,
                    { name: n.name, driver: n.driver, options: { ...n.options }, ipamConfigs: [{ subnet: n.subnet, gateway: n.gateway }], labels },
                    // A fixed name: a replacement removes the old network first.
                    { parent: this, dependsOn: this.labWide, deleteBeforeReplace: true },
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
