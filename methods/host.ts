import { LOOPBACK } from "../model/constants";
import { NO_DOCKER_NETWORKS, NO_HOST_OBJECTS, REFUSES_NOTHING, defineMethod } from "./contract";

/**
 * Both ends in the host's own network namespace (`networkMode: host`): the baseline without
 * container networking. Servers listen on 127.0.0.1 only, each on a port of the stack's planned
 * block, so they never listen on the host's real addresses and two stacks never share a port.
 */
export const host = defineMethod({
    name: "host",
    code: "h",
    description: "both ends in the host's network namespace (networkMode host), server bound to 127.0.0.1 on a planned port",
    attachmentType: "HostAttachment",
    labInterfaces: [],
    listening: "host-loopback",
    isLimit: false,
    span: "one-host",
    needs: { commands: [], kernelModules: [], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: () => ({ kind: "host" }),
    dial: () => ({ kind: "address", address: LOOPBACK }),
    dockerNetworks: NO_DOCKER_NETWORKS,
    hostObjects: NO_HOST_OBJECTS,
});
