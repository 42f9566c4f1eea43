import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerLabels } from "./labels";

export interface IperfClientArgs {
    /** Docker container name. */
    readonly containerName: pulumi.Input<string>;
    /** Image holding iperf2. */
    readonly image: pulumi.Input<string>;
    /** Docker network mode: "none" when an attachment brings the interface, "bridge" for links. */
    readonly networkMode: pulumi.Input<string>;
    /** Stack that owns the container (its icc-bench.stack label). */
    readonly stack: pulumi.Input<string>;
    /** Attachment method of the lab. */
    readonly method: pulumi.Input<string>;
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
        this.container = new docker.Container(
            name,
            {
                name: args.containerName,
                image: args.image,
                // sleep as pid 1 would ignore SIGTERM and make every stop wait for the grace period.
                command: ["sh", "-c", "trap 'exit 0' TERM; sleep infinity & wait"],
                networkMode: args.networkMode,
                labels: containerLabels(args.stack, args.method, "client"),
                envs: args.envs,
                hosts: args.hosts,
                restart: "no",
                mustRun: true,
                destroyGraceSeconds: 5,
            },
            { parent: this, deleteBeforeReplace: true },
        );
        this.registerOutputs({ container: this.container });
    }
}
