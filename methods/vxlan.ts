import { plumbOn } from "../hostscripts/dockerHost";
import { applyMtu, deleteLink, ensureBridge, ensureVxlan, floodTo, readMtu, setMaster } from "../hostscripts/ip";
import { acceptForward, deleteRule, ensureRule } from "../hostscripts/iptables";
import { createScript, deleteScript, lines, raw } from "../hostscripts/shell";
import { parseCidr } from "../model/ipv4";
import type { HostSettings, LabContainerPlan, LabPlan } from "../model";
import { helperOf, hostsOf, labInterface, labContainers, labMembers, PLUMBED_ACROSS_HOSTS } from "./common";
import { defineMethod, type HostObjectPlan } from "./contract";
import { factOn, linuxBridgeExists, onBridge, ruleExists } from "./facts";
import { plumbedVethPort } from "./vethPort";

/**
 * The classic hand-made overlay: on each host a Linux bridge joined to the other hosts' by a
 * unicast VXLAN device (static remotes, no multicast), and a veth pair per container as
 * `pipework` makes it. Every host is plumbed through its Docker endpoint (hostscripts/dockerHost).
 */

/** Suffixes of each host's bridge and VXLAN device. */
const BRIDGE = "br";
const VXLAN = "vx";

/**
 * The lab's VXLAN id: the low 24 bits of its slice's address. Slices of stacks on one host never
 * overlap (subnet claims), so two labs on a host share an id only when their subnets differ in
 * their first octet alone.
 */
export function vxlanId(lab: LabPlan): number {
    return (parseCidr(lab.subnet)?.network ?? 0) & 0xffffff;
}

function hostSwitch(lab: LabPlan, host: HostSettings): HostObjectPlan {
    const bridge = labInterface(lab, BRIDGE);
    const vxlan = labInterface(lab, VXLAN);
    const rule = acceptForward(bridge, lab.names.mark);
    const remotes = labMembers(hostsOf(lab)).filter((h) => h.name !== host.name);
    const create = lines(
        ensureBridge(bridge, lab.names.mark),
        ensureRule(rule),
        ensureVxlan(vxlan, vxlanId(lab), host.address, lab.names.mark),
        remotes.map((r) => floodTo(vxlan, r.address)),
        setMaster(vxlan, bridge),
    );
    const undo = lines(deleteLink(vxlan, lab.names.mark), deleteRule(rule), deleteLink(bridge, lab.names.mark));
    const helper = helperOf(lab);
    return {
        key: `host-${host.name}`,
        scripts: plumbOn(host, helper, { create: createScript(create, undo), delete: deleteScript(undo) }),
        facts: [linuxBridgeExists(bridge), ruleExists(rule), onBridge(vxlan, bridge)].map((f) => factOn(host, helper, f)),
    };
}

function containerLink(lab: LabPlan, c: LabContainerPlan): HostObjectPlan {
    const bridge = labInterface(lab, BRIDGE);
    // The bridge's MTU is its VXLAN device's: a container end of 1500 would send frames the tunnel drops.
    const sw = {
        join: (hostEnd: string) => lines(setMaster(hostEnd, bridge), readMtu(bridge), applyMtu(hostEnd, "host")),
        leave: () => raw(":"),
        afterMove: (inside: string) => applyMtu(inside, "container"),
    };
    return plumbedVethPort(lab, c, sw, onBridge(c.ifnames.host, bridge));
}

export const vxlan = defineMethod({
    name: "vxlan",
    code: "x",
    description: "a Linux bridge per host joined by unicast VXLAN devices, a veth pair per container as pipework makes it",
    attachmentType: "VxlanAttachment",
    labInterfaces: [BRIDGE, VXLAN],
    ...PLUMBED_ACROSS_HOSTS,
    hostObjects: (lab) => [...labMembers(hostsOf(lab)).map((h) => hostSwitch(lab, h)), ...labContainers(lab).map((c) => containerLink(lab, c))],
});
