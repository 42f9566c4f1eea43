import type { LabPlan } from "../model";
import { labInterface } from "./common";
import { NO_HOST_OBJECTS, REFUSES_NOTHING, defineMethod } from "./contract";

/**
 * A Docker user-defined bridge network per lab, the way containers are connected today: fixed
 * addresses from the lab's slice, clients dial the server by its container name (Docker's
 * embedded DNS). The Linux bridge Docker makes for it is named like the lab's own interfaces.
 */

export function bridgeNetworkOf(lab: LabPlan): string {
    return `icc-bench-${lab.stack}-bridge`;
}

export const bridge = defineMethod({
    name: "bridge",
    code: "b",
    description: "a Docker user-defined bridge network (driver bridge), clients dial the server's container name (Docker's DNS)",
    attachmentType: "BridgeAttachment",
    labInterfaces: ["br"],
    listening: "own-address",
    isLimit: false,
    span: "one-host",
    needs: { commands: [], kernelModules: [], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: (lab, c) => ({ kind: "network", network: bridgeNetworkOf(lab), address: c.address }),
    dial: (_lab, server) => ({ kind: "name", name: server.name }),
    dockerNetworks: (lab) => [
        {
            key: "network",
            name: bridgeNetworkOf(lab),
            driver: "bridge",
            subnet: lab.subnet,
            gateway: lab.hostAddress,
            options: { "com.docker.network.bridge.name": labInterface(lab, "br") },
        },
    ],
    hostObjects: NO_HOST_OBJECTS,
});
