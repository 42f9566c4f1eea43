import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

/** The alias the study's clients were linked with: `--link serverN:iserv`. */
export const LINK_ALIAS = "iserv";

/**
 * The environment `docker run --link <server>:<alias>` injected (legacy links): what the study's
 * clients read as $ISERV_PORT_5001_TCP_ADDR.
 */
export function linkEnvironment(alias: string, address: string, port: number): string[] {
    const prefix = `${alias.toUpperCase()}_PORT`;
    const url = `tcp://${address}:${port}`;
    return [
        `${prefix}=${url}`,
        `${prefix}_${port}_TCP=${url}`,
        `${prefix}_${port}_TCP_ADDR=${address}`,
        `${prefix}_${port}_TCP_PORT=${port}`,
        `${prefix}_${port}_TCP_PROTO=tcp`,
    ];
}

export interface LinkAttachmentArgs {
    /** Server containers on Docker's default bridge. */
    readonly servers: readonly docker.Container[];
    /** TCP port the servers listen on. */
    readonly port: number;
}

/**
 * Docker links on the default bridge. @pulumi/docker v5 has no `links`, so this gives each client
 * what `--link` gave: the environment and a hosts entry, read from the server's network data.
 * It makes no host objects of its own.
 */
export class LinkAttachment extends pulumi.ComponentResource {
    /** Address of each server on the default bridge, by server index. */
    public readonly serverAddresses: pulumi.Output<string>[];
    private readonly port: number;

    constructor(name: string, args: LinkAttachmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:network:LinkAttachment", name, {}, opts);
        this.port = args.port;
        this.serverAddresses = args.servers.map((s, i) => s.networkDatas.apply((nets) => bridgeAddress(i, nets)));
        this.registerOutputs({ serverAddresses: this.serverAddresses });
    }

    /** envs and hosts for a client container linked to server `serverIndex`. */
    clientLink(serverIndex: number): { envs: pulumi.Output<string[]>; hosts: pulumi.Output<docker.types.input.ContainerHost[]> } {
        const address = this.serverAddresses[serverIndex];
        return {
            envs: address.apply((ip) => linkEnvironment(LINK_ALIAS, ip, this.port)),
            hosts: address.apply((ip) => [{ host: LINK_ALIAS, ip }]),
        };
    }
}

function bridgeAddress(serverIndex: number, nets: docker.types.output.ContainerNetworkData[]): string {
    const address = nets.find((n) => n.networkName === "bridge")?.ipAddress;
    if (!address) {
        throw new Error(`link server ${serverIndex} has no address on Docker's default bridge`);
    }
    return address;
}
