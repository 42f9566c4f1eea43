import { NO_DOCKER_NETWORKS, NO_HOST_OBJECTS, REFUSES_NOTHING, defineMethod } from "./contract";

/**
 * Servers and clients in their own hosts' network namespaces (`networkMode: host`), clients on
 * other hosts than the servers, dialling the server host's underlay address on a planned port:
 * the wire between the hosts, the limit of every other method across hosts.
 */
export const hostToHost = defineMethod({
    name: "host-to-host",
    code: "w",
    description: "both ends in their hosts' network namespaces (networkMode host), clients dialling the server host's address: the wire's limit",
    attachmentType: "HostToHostAttachment",
    labInterfaces: [],
    listening: "host-address",
    isLimit: true,
    span: "across-hosts",
    needs: { commands: [], kernelModules: [], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: () => ({ kind: "host" }),
    dial: (_lab, server) => {
        if (server.bind === undefined) {
            throw new Error(`the host-to-host server ${server.name} has no host address to listen on`);
        }
        return { kind: "address", address: server.bind };
    },
    dockerNetworks: NO_DOCKER_NETWORKS,
    hostObjects: NO_HOST_OBJECTS,
});
