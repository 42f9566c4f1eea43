import { addOvsPort, deleteOvsBridge, deleteOvsPort, ensureOvsBridge, offloadOffOnNetdev } from "../hostscripts/ovs";
import { createScript, deleteScript } from "../hostscripts/shell";
import type { LabPlan } from "../model";
import { containerPort, labContainers, labInterface, perContainer } from "./common";
import { NO_DOCKER_NETWORKS, REFUSES_NOTHING, defineMethod } from "./contract";
import { containerAddress, linkExists, ovsBridgeExists, ovsPortOn } from "./facts";
import { vethPort } from "./vethPort";

/** Open vSwitch: one bridge per lab, a veth per container whose host end is an OVS port (the study's "ovs"). */

export function ovsBridgeOf(lab: LabPlan): string {
    return labInterface(lab, "br");
}

export const ovs = defineMethod({
    name: "ovs",
    code: "o",
    description: "one Open vSwitch bridge per lab, a veth per container (host end an OVS port)",
    attachmentType: "OvsAttachment",
    labInterfaces: ["br"],
    listening: "own-address",
    isLimit: false,
    span: "one-host",
    needs: { commands: ["ip", "nsenter", "ethtool", "ovs-vsctl"], kernelModules: [], openvswitch: true },
    refuse: REFUSES_NOTHING,
    networking: () => ({ kind: "none" }),
    dial: (_lab, server) => ({ kind: "address", address: server.address }),
    dockerNetworks: NO_DOCKER_NETWORKS,
    hostObjects: (lab) => {
        const bridge = ovsBridgeOf(lab);
        const owner = lab.names.mark;
        const teardown = deleteOvsBridge(bridge, owner);
        return [
            {
                key: "bridge",
                scripts: { create: createScript(ensureOvsBridge(bridge, owner), teardown), delete: deleteScript(teardown) },
                facts: [ovsBridgeExists(bridge), linkExists(bridge)],
            },
            ...labContainers(lab).map((c) =>
                perContainer(c, {
                    scripts: vethPort(containerPort(lab, c), {
                        join: (hostEnd) => addOvsPort(bridge, hostEnd, owner),
                        leave: (hostEnd) => deleteOvsPort(bridge, hostEnd, owner),
                        afterMove: (inside) => offloadOffOnNetdev(bridge, inside),
                    }),
                    facts: [linkExists(c.ifnames.host), ovsPortOn(c.ifnames.host, bridge), containerAddress(lab, c)],
                }),
            ),
        ];
    },
});
