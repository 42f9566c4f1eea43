import { disableTxOffload } from "../hostscripts/ip";
import { addOvsPort, deleteOvsBridge, deleteOvsPort, ensureOvsBridge, readDatapath } from "../hostscripts/ovs";
import { cmd, createScript, deleteScript, ifName, raw } from "../hostscripts/shell";
import type { LabPlan } from "../model";
import { containerPort, labContainers, labInterface, perContainer } from "./common";
import { NO_DOCKER_NETWORKS, REFUSES_NOTHING, defineMethod } from "./contract";
import { containerAddress, fact, linkExists } from "./facts";
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
                facts: [fact(`OVS bridge ${bridge}`, cmd(raw("ovs-vsctl --timeout=5 br-exists"), ifName(bridge))), linkExists(bridge)],
            },
            ...labContainers(lab).map((c) =>
                perContainer(c, {
                    scripts: vethPort(containerPort(lab, c), {
                        join: (hostEnd) => addOvsPort(bridge, hostEnd, owner),
                        leave: (hostEnd) => deleteOvsPort(bridge, hostEnd, owner),
                        afterMove: (inside) => cmd(readDatapath(bridge), raw('; if [ "$netdev" = 1 ]; then'), disableTxOffload(inside), raw("; fi")),
                    }),
                    facts: [
                        linkExists(c.ifnames.host),
                        fact(
                            `OVS port ${c.ifnames.host} on ${bridge}`,
                            cmd(raw(`[ "$(ovs-vsctl --timeout=5 port-to-br`), ifName(c.ifnames.host), raw(`2>/dev/null)" =`), ifName(bridge), raw("]")),
                        ),
                        containerAddress(lab, c),
                    ],
                }),
            ),
        ];
    },
});
