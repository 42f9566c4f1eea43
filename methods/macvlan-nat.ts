import type { ContainerPort, HostCommand } from "../hostscripts/hostCommand";
import { addAddress, addMacvlan, deleteAddress, deleteLink, ensureVethPair, refuseForeignLink, setUp } from "../hostscripts/ip";
import { Rule, acceptForward, deleteRules, dnat, ensureRules, hairpinMasquerade } from "../hostscripts/iptables";
import { cmd, createScript, deleteScript, ifName, lines, raw } from "../hostscripts/shell";
import { NAMESPACE } from "../model/constants";
import type { LabPlan, LabSettings } from "../model";
import { containerPort, labInterface, perContainer } from "./common";
import { NO_DOCKER_NETWORKS, defineMethod } from "./contract";
import { addressOn, containerAddress, linkExists, ruleExists } from "./facts";
import { Steps, macvlanPortSteps, toCommand } from "./macvlanPort";

/** macvlan sub-interfaces plus iptables NAT: the study's "iptables" method. */

/** Host objects shared by one macvlan-nat lab. */
interface MacvlanSegment {
    /** veth pair whose first end is the macvlan parent (hosts rarely have a spare NIC). */
    readonly parent: string;
    readonly parentPeer: string;
    /** The host's own macvlan on the parent: macvlan children cannot reach their parent. */
    readonly shim: string;
    readonly hostAddress: string;
    readonly prefixLength: number;
    readonly mark: string;
}

function macvlanSegment(seg: MacvlanSegment): HostCommand {
    const forward = acceptForward(seg.shim, seg.mark);
    const create = lines(
        ensureVethPair(seg.parent, seg.parentPeer, seg.mark),
        refuseForeignLink(seg.shim, seg.mark),
        cmd(raw("if ! ip link show dev"), ifName(seg.shim), raw(">/dev/null 2>&1; then")),
        addMacvlan(seg.shim, ifName(seg.parent), seg.mark),
        raw("fi"),
        addAddress(seg.shim, seg.hostAddress, seg.prefixLength),
        setUp(seg.shim),
        ensureRules([forward]),
    );
    const teardown = lines(deleteRules([forward]), deleteLink(seg.shim, seg.mark), deleteLink(seg.parent, seg.mark));
    return { create: createScript(create, teardown), delete: deleteScript(teardown) };
}

/** A macvlan (bridge mode) on the lab's parent, moved into the container. */
function macvlanPort(seg: MacvlanSegment, port: ContainerPort): HostCommand {
    return toCommand(macvlanPortSteps(port, ifName(seg.parent)));
}

/** A server's externally visible address: held by the shim, DNATed to the server. */
export interface NatEntry {
    readonly external: string;
    readonly server: string;
    readonly port: number;
}

/** A server's DNAT and hairpin MASQUERADE rules. */
export function natRules(mark: string, nat: NatEntry): Rule[] {
    return [dnat(nat.external, nat.server, nat.port, mark), hairpinMasquerade(nat.server, nat.port, mark)];
}

function natSteps(seg: MacvlanSegment, nat: NatEntry): Steps {
    const rules = natRules(seg.mark, nat);
    return {
        create: lines(addAddress(seg.shim, nat.external, 32), ensureRules(rules)),
        teardown: lines(deleteRules(rules), deleteAddress(seg.shim, nat.external, 32)),
    };
}

/** A server's macvlan plus its external address and NAT rules. */
function macvlanNatServerPort(seg: MacvlanSegment, port: ContainerPort, nat: NatEntry): HostCommand {
    return toCommand(macvlanPortSteps(port, ifName(seg.parent)), natSteps(seg, nat));
}

function segmentOf(lab: LabPlan): MacvlanSegment {
    return {
        parent: labInterface(lab, "pa"),
        parentPeer: labInterface(lab, "pb"),
        shim: labInterface(lab, "sh"),
        mark: lab.names.mark,
        hostAddress: lab.hostAddress,
        prefixLength: lab.prefixLength,
    };
}

/** The NAT of every server: its external address DNATed to its own, on its port. */
export function natEntries(lab: LabPlan): NatEntry[] {
    return lab.servers.map((s) => ({ external: s.externalAddress, server: s.address, port: s.port }));
}

/**
 * Its DNAT rules forward TCP only. Forwarding UDP too would not give a measurement: the DNAT and
 * the hairpin MASQUERADE rewrite both ends of a stream, so a UDP server's report (the only
 * record of what arrived) could not be matched to the client that sent it.
 */
function refuse(settings: LabSettings) {
    return settings.iperf.protocol === "udp"
        ? [{ key: `${NAMESPACE}:iperf.protocol`, value: "udp", allowed: "tcp while methods include macvlan-nat (its DNAT rules forward TCP only; its NAT rewrites both ends of a stream, so a UDP server's report could not be matched to its client)" }]
        : [];
}

export const macvlanNat = defineMethod({
    name: "macvlan-nat",
    code: "m",
    description: "the study's \"iptables\": macvlan per container, clients dial an address the host DNATs",
    attachmentType: "MacvlanNatAttachment",
    labInterfaces: ["pa", "pb", "sh"],
    listening: "own-address",
    isLimit: false,
    span: "one-host",
    needs: { commands: ["ip", "nsenter", "iptables"], kernelModules: [], openvswitch: false },
    refuse,
    networking: () => ({ kind: "none" }),
    dial: (_lab, server) => ({ kind: "address", address: server.externalAddress }),
    dockerNetworks: NO_DOCKER_NETWORKS,
    hostObjects: (lab) => {
        const seg = segmentOf(lab);
        const nats = natEntries(lab);
        return [
            {
                key: "segment",
                scripts: macvlanSegment(seg),
                facts: [
                    linkExists(seg.parent),
                    linkExists(seg.shim),
                    addressOn(seg.shim, seg.hostAddress, seg.prefixLength),
                    ruleExists(acceptForward(seg.shim, seg.mark)),
                ],
            },
            ...lab.servers.map((s, i) =>
                perContainer(s, {
                    scripts: macvlanNatServerPort(seg, containerPort(lab, s), nats[i]),
                    facts: [containerAddress(lab, s), addressOn(seg.shim, s.externalAddress, 32), ...natRules(seg.mark, nats[i]).map(ruleExists)],
                }),
            ),
            ...lab.clients.map((c) => perContainer(c, { scripts: macvlanPort(seg, containerPort(lab, c)), facts: [containerAddress(lab, c)] })),
        ];
    },
});
