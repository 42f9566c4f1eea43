import { LOOPBACK } from "../model/constants";
import { NO_DOCKER_NETWORKS, NO_HOST_OBJECTS, REFUSES_NOTHING, defineMethod } from "./contract";

/**
 * Every client runs in its server container's network namespace (`networkMode:
 * container:<server>`) and dials 127.0.0.1: loopback inside one namespace, the limit of this
 * machine for the same iperf settings. Every other method's result is also given as a fraction of it.
 */
export const sharedNetns = defineMethod({
    name: "shared-netns",
    code: "s",
    description: "clients in their server's network namespace (networkMode container:<server>), dialling 127.0.0.1: the machine's limit",
    attachmentType: "SharedNetnsAttachment",
    labInterfaces: [],
    listening: "own-address",
    isLimit: true,
    span: "one-host",
    needs: { commands: [], kernelModules: [], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: (lab, c) => (c.role === "client" ? { kind: "netns-of", container: lab.servers[c.serverIndex].name } : { kind: "none" }),
    dial: () => ({ kind: "address", address: LOOPBACK }),
    dockerNetworks: NO_DOCKER_NETWORKS,
    hostObjects: NO_HOST_OBJECTS,
});
