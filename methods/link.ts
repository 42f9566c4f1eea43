import { NO_DOCKER_NETWORKS, NO_HOST_OBJECTS, REFUSES_NOTHING, defineMethod } from "./contract";

/**
 * Docker links on the default bridge (the study's "link"), wherever the host's dockerd put it.
 * @pulumi/docker v5 has no `links`, so each client gets what `--link <server>:iserv` gave: the
 * environment and a hosts entry, from the server's address on the bridge.
 */

/** The alias the study's clients were linked with: `--link serverN:iserv`. */
export const LINK_ALIAS = "iserv";

/** The environment `docker run --link <server>:<alias>` injected: what the study's clients read as $ISERV_PORT_5001_TCP_ADDR. */
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

export const link = defineMethod({
    name: "link",
    code: "l",
    description: "Docker's default bridge; clients get what `--link server:iserv` gave (env and hosts entry)",
    attachmentType: "LinkAttachment",
    labInterfaces: [],
    listening: "own-address",
    isLimit: false,
    span: "one-host",
    needs: { commands: [], kernelModules: [], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: () => ({ kind: "default-bridge" }),
    dial: (_lab, server) => ({ kind: "default-bridge-address", container: server.name }),
    dockerNetworks: NO_DOCKER_NETWORKS,
    hostObjects: NO_HOST_OBJECTS,
    clientEnvironment: (address, port) => ({ envs: linkEnvironment(LINK_ALIAS, address, port), hosts: [{ host: LINK_ALIAS, ip: address }] }),
});
