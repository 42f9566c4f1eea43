import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { MacvlanSegment, macvlanNatServerPort, macvlanPort, macvlanSegment } from "../hostscripts/methods/macvlanNat";
import { AttachedContainer, containerPorts, hostObject } from "./hostObject";

/** A server container and the address its clients dial. */
export interface NatServer extends AttachedContainer {
    /** Address held by the host and DNATed to the server. */
    readonly externalAddress: string;
}

export interface MacvlanNatAttachmentArgs {
    /** Parent veth pair, host shim and its address, iptables comment. */
    readonly segment: MacvlanSegment;
    /** TCP port the servers listen on (DNAT keeps it). */
    readonly port: number;
    /** Server containers: a macvlan each, plus an external address and its NAT rules. */
    readonly servers: readonly NatServer[];
    /** Client containers: a macvlan each. */
    readonly clients: readonly AttachedContainer[];
}

/** macvlan sub-interfaces plus iptables NAT: the study's "iptables" method. */
export class MacvlanNatAttachment extends pulumi.ComponentResource {
    public readonly segment: command.local.Command;
    public readonly ports: command.local.Command[];

    constructor(name: string, args: MacvlanNatAttachmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:network:MacvlanNatAttachment", name, {}, opts);
        const seg = args.segment;
        this.segment = hostObject(`${name}-segment`, macvlanSegment(seg), [], this);
        const natPort = (s: NatServer) => macvlanNatServerPort(seg, s.port, { external: s.externalAddress, server: s.port.address, port: args.port });
        this.ports = [
            ...containerPorts(name, this.segment, args.servers, natPort, this),
            ...containerPorts(name, this.segment, args.clients, (c) => macvlanPort(seg, c.port), this),
        ];
        this.registerOutputs({});
    }
}
