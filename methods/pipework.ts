import { deleteLink, ensureBridge, setMaster } from "../hostscripts/ip";
import { acceptForward, deleteRule, ensureRule } from "../hostscripts/iptables";
import { createScript, deleteScript, lines, raw } from "../hostscripts/shell";
import type { LabPlan } from "../model";
import { containerPort, labContainers, labInterface, perContainer } from "./common";
import { NO_DOCKER_NETWORKS, REFUSES_NOTHING, defineMethod } from "./contract";
import { containerAddress, linkExists, linuxBridgeExists, onBridge, ruleExists } from "./facts";
import { vethPort } from "./vethPort";

/** What `pipework <bridge> <container> <address>/<prefix>` does: a Linux bridge, a veth pair per container. */

export function pipeworkBridgeOf(lab: LabPlan): string {
    return labInterface(lab, "br");
}

export const pipework = defineMethod({
    name: "pipework",
    code: "p",
    description: "what `pipework br1 <container> <ip>/<mask>` does: a Linux bridge, a veth pair per container",
    attachmentType: "PipeworkAttachment",
    labInterfaces: ["br"],
    listening: "own-address",
    isLimit: false,
    span: "one-host",
    needs: { commands: ["ip", "nsenter", "iptables"], kernelModules: [], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: () => ({ kind: "none" }),
    dial: (_lab, server) => ({ kind: "address", address: server.address }),
    dockerNetworks: NO_DOCKER_NETWORKS,
    hostObjects: (lab) => {
        const bridge = pipeworkBridgeOf(lab);
        // Without it br_netfilter sends the bridge's traffic through Docker's FORWARD policy DROP.
        const rule = acceptForward(bridge, lab.names.mark);
        const teardown = lines(deleteRule(rule), deleteLink(bridge, lab.names.mark));
        return [
            {
                key: "bridge",
                scripts: { create: createScript(lines(ensureBridge(bridge, lab.names.mark), ensureRule(rule)), teardown), delete: deleteScript(teardown) },
                facts: [linuxBridgeExists(bridge), ruleExists(rule)],
            },
            ...labContainers(lab).map((c) =>
                perContainer(c, {
                    scripts: vethPort(containerPort(lab, c), { join: (hostEnd) => setMaster(hostEnd, bridge), leave: () => raw(":") }),
                    facts: [
                        linkExists(c.ifnames.host),
                        onBridge(c.ifnames.host, bridge),
                        containerAddress(lab, c),
                    ],
                }),
            ),
        ];
    },
});
