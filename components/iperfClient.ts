import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { IDLE_COMMAND } from "../hostscripts/containerCommands";
import { LabContainerArgs, labContainer } from "./labContainer";

export interface IperfClientArgs extends LabContainerArgs {
    /** Environment entries (KEY=value), e.g. what `--link` used to inject. */
    readonly envs?: pulumi.Input<pulumi.Input<string>[]>;
    /** Extra /etc/hosts entries, e.g. the link alias. */
    readonly hosts?: pulumi.Input<pulumi.Input<docker.types.input.ContainerHost>[]>;
}

/**
 * A container that idles until the benchmark runs its iperf client processes with
 * `docker exec`, so the same containers can be measured again without being recreated.
 */
export class IperfClient extends pulumi.ComponentResource {
    public readonly container: docker.Container;

    constructor(name: string, args: IperfClientArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:container:IperfClient", name, {}, opts);
        const command = [...IDLE_COMMAND];
        this.container = labContainer(name, args, "client", { command, envs: args.envs, hosts: args.hosts }, this);
        this.registerOutputs({ container: this.container });
    }
}
