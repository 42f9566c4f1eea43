import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { ovsBridge, ovsPort } from "../hostscripts/methods/ovs";
import { AttachedContainer, containerPorts, hostObject } from "./hostObject";

export interface OvsAttachmentArgs {
    /** Name of the lab's OVS bridge. */
    readonly bridge: string;
    /** Value of external_ids:icc-bench on the bridge and its ports. */
    readonly owner: string;
    /** Containers to attach, one veth each. */
    readonly containers: readonly AttachedContainer[];
}

/** Open vSwitch: one bridge per lab, one port per container (the study's "ovs"). */
export class OvsAttachment extends pulumi.ComponentResource {
    public readonly bridge: command.local.Command;
    public readonly ports: command.local.Command[];

    constructor(name: string, args: OvsAttachmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:network:OvsAttachment", name, {}, opts);
        this.bridge = hostObject(`${name}-bridge`, ovsBridge(args.bridge, args.owner), [], this);
        this.ports = containerPorts(name, this.bridge, args.containers, (c) => ovsPort(args.bridge, args.owner, c.port), this);
        this.registerOutputs({});
    }
}
