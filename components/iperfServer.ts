import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { serverCommand } from "../hostscripts/containerCommands";
import { LabContainerArgs, labContainer } from "./labContainer";

export interface IperfServerArgs extends LabContainerArgs {
    /** Port iperf listens on. */
    readonly port: number;
    /** Address iperf binds to (iperf -B); every address of its namespace when absent. */
    readonly bind?: string;
}

/** A container running `iperf -s` (restarted if it dies): iperf2 serves many concurrent clients. */
export class IperfServer extends pulumi.ComponentResource {
    public readonly container: docker.Container;

    constructor(name: string, args: IperfServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:container:IperfServer", name, {}, opts);
        const command = serverCommand(args.port, args.bind);
        this.container = labContainer(name, args, "server", { command }, this);
        this.registerOutputs({ container: this.container });
    }
}
