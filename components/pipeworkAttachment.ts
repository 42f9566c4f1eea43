import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { pipeworkBridge, pipeworkPort } from "../hostscripts/methods/pipework";
import { AttachedContainer, containerPorts, hostObject } from "./hostObject";

export interface PipeworkAttachmentArgs {
    /** Name of the lab's Linux bridge. */
    readonly bridge: string;
    /** Comment of the DOCKER-USER rule that lets the bridge forward. */
    readonly mark: string;
    /** Containers to attach, one veth pair each. */
    readonly containers: readonly AttachedContainer[];
}

/** veth pairs on a Linux bridge: what `pipework br1 <container> <ip>/<mask>` does. */
export class PipeworkAttachment extends pulumi.ComponentResource {
    public readonly bridge: command.local.Command;
    public readonly ports: command.local.Command[];

    constructor(name: string, args: PipeworkAttachmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:network:PipeworkAttachment", name, {}, opts);
        this.bridge = hostObject(`${name}-bridge`, pipeworkBridge(args.bridge, args.mark), [], this);
        this.ports = containerPorts(name, this.bridge, args.containers, (c) => pipeworkPort(args.bridge, c.port), this);
        this.registerOutputs({});
    }
}
