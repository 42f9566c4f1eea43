import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { containerLabels } from "./labels";

export interface IperfServerArgs {
    /** Docker container name. */
    readonly containerName: pulumi.Input<string>;
    /** Image holding iperf2 (e.g. icc-bench/iperf:bookworm). */
    readonly image: pulumi.Input<string>;
    /** TCP port iperf listens on. */
    readonly port: pulumi.Input<number>;
    /** Docker network mode: "none" when an attachment brings the interface, "bridge" for links. */
    readonly networkMode: pulumi.Input<string>;
    /** Stack that owns the container (its icc-bench.stack label). */
    readonly stack: pulumi.Input<string>;
    /** Attachment method of the lab. */
    readonly method: pulumi.Input<string>;
}

/** A container running `iperf -s`: iperf2 serves many concurrent clients. */
export class IperfServer extends pulumi.ComponentResource {
    public readonly container: docker.Container;

    constructor(name: string, args: IperfServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:container:IperfServer", name, {}, opts);
        this.container = new docker.Container(
            name,
            {
                name: args.containerName,
                image: args.image,
                command: pulumi.output(args.port).apply((port) => ["iperf", "-s", "-p", String(port)]),
                networkMode: args.networkMode,
                labels: containerLabels(args.stack, args.method, "server"),
                restart: "no",
                mustRun: true,
                destroyGraceSeconds: 5,
            },
            { parent: this, deleteBeforeReplace: true },
        );
        this.registerOutputs({ container: this.container });
    }
}
