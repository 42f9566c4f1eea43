import { GIVEN_PID, plumbOn } from "../hostscripts/dockerHost";
import { applyMtu, deleteLink, ensureBridge, ensureVxlan, floodTo, readMtu, setMaster } from "../hostscripts/ip";
import { acceptForward, deleteRule, ensureRule } from "../hostscripts/iptables";
import { createScript, deleteScript, lines, raw } from "../hostscripts/shell";
import { parseCidr } from "../model/ipv4";
import type { HostSettings, LabContainerPlan, LabPlan } from "../model";
import { containerPort, helperOf, hostOf, hostsOf, labInterface, labContainers, labMembers, perContainer, PLUMBED_ACROSS_HOSTS } from "./common";
import { defineMethod, type HostObjectPlan } from "./contract";
import { containerAddress, factOn, linkExists, linuxBridgeExists, onBridge, ruleExists } from "./facts";
import { vethPort } from "./vethPort";

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
    const host = hostOf(lab, c);
    const bridge = labInterface(lab, BRIDGE);
    const port = containerPort(lab, c);
    // The bridge's MTU is its VXLAN device's: a container end of 1500 would send frames the tunnel drops.
    const scripts = vethPort(
        port,
        {
            join: (hostEnd) => lines(setMaster(hostEnd, bridge), readMtu(bridge), applyMtu(hostEnd, "host")),
            leave: () => raw(":"),
            afterMove: (inside) => applyMtu(inside, "container"),
        },
        GIVEN_PID,
    );
    const helper = helperOf(lab);
    return perContainer(c, {
        scripts: plumbOn(host, helper, scripts, c.name),
        facts: [
            factOn(host, helper, linkExists(c.ifnames.host)),
            factOn(host, helper, onBridge(c.ifnames.host, bridge)),
            factOn(host, helper, containerAddress(lab, c, GIVEN_PID), c.name),
        ],
    });
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
