import { plumbOn } from "../hostscripts/dockerHost";
import { UNDERLAY, addAddress, applyMtu, deleteLink, ensureMacvlan, findUnderlay, setUp, tunnelMtu } from "../hostscripts/ip";
import { addOvsPort, addVxlanTunnel, deleteOvsBridge, deleteOvsPort, ensureOvsBridge, offloadOffOnNetdev, takeMacOf } from "../hostscripts/ovs";
import { createScript, deleteScript, lines } from "../hostscripts/shell";
import type { HostSettings, LabContainerPlan, LabPlan } from "../model";
import { helperOf, hostOf, hostsOf, labContainers, labInterface, labMembers, PLUMBED_ACROSS_HOSTS } from "./common";
import { defineMethod, type HostObjectPlan } from "./contract";
import { addressOn, factOn, linkExists, ovsBridgeExists, ovsPortOn } from "./facts";
import { plumbedVethPort } from "./vethPort";
import { vxlanId } from "./vxlan";

/**
 * Open vSwitch across hosts: on each host an OVS bridge per lab, joined to the other hosts' by
 * OVS VXLAN tunnel ports, a veth per container as `ovs` makes it. OVS's tunnels leave a host
 * through an OVS bridge holding the tunnel's own address (its userspace datapath sends nothing
 * through the kernel's stack): the lab gives each host a second bridge with the host's address on
 * the lab's slice, whose one port is a macvlan of the host's underlay interface, so the host's own
 * interface and addresses stay as they were. Every host is plumbed through its Docker
 * endpoint (hostscripts/dockerHost), its Open vSwitch reached there.
 */

/** Suffixes of each host's lab bridge, tunnel bridge and the tunnel bridge's macvlan port. */
const BRIDGE = "br";
const TUNNEL_BRIDGE = "ph";
const UPLINK = "ul";

/** A host's own address on the lab's slice: its tunnel end. */
function tunnelEnd(lab: LabPlan, host: HostSettings): string {
    const address = lab.hostAddresses?.[host.name];
    if (address === undefined) {
        throw new Error(`the ${lab.method} lab of ${lab.stack} has no address for host ${host.name}`);
    }
    return address;
}

/** The tunnel port towards the i-th host of the lab (labMembers order). */
function tunnelPort(lab: LabPlan, i: number): string {
    return labInterface(lab, `t${i}`);
}

function hostSwitch(lab: LabPlan, host: HostSettings): HostObjectPlan {
    const owner = lab.names.mark;
    const [bridge, tunnelBridge, uplink] = [BRIDGE, TUNNEL_BRIDGE, UPLINK].map((s) => labInterface(lab, s));
    const local = tunnelEnd(lab, host);
    const remotes = labMembers(hostsOf(lab))
        .map((h, i) => ({ port: tunnelPort(lab, i), host: h }))
        .filter((r) => r.host.name !== host.name);
    const undo = lines(deleteOvsBridge(bridge, owner), deleteOvsBridge(tunnelBridge, owner), deleteLink(uplink, owner));
    const create = lines(
        findUnderlay(host.address),
        ensureOvsBridge(bridge, owner),
        ensureOvsBridge(tunnelBridge, owner),
        ensureMacvlan(uplink, UNDERLAY, owner),
        takeMacOf(tunnelBridge, uplink),
        addOvsPort(tunnelBridge, uplink, owner),
        // With the slice's prefix: OVS takes a kernel route for a tunnel only from an address of the route's subnet on its device.
        addAddress(tunnelBridge, local, lab.prefixLength),
        setUp(tunnelBridge),
        remotes.map((r) => addVxlanTunnel(bridge, r.port, { local, remote: tunnelEnd(lab, r.host), vni: vxlanId(lab) }, owner)),
    );
    const helper = helperOf(lab);
    return {
        key: `host-${host.name}`,
        scripts: plumbOn(host, helper, { create: createScript(create, undo), delete: deleteScript(undo) }),
        facts: [ovsBridgeExists(bridge), linkExists(uplink), addressOn(tunnelBridge, local, lab.prefixLength), ...remotes.map((r) => ovsPortOn(r.port, bridge))].map((f) => factOn(host, helper, f)),
    };
}

function containerPortOnBridge(lab: LabPlan, c: LabContainerPlan): HostObjectPlan {
    const owner = lab.names.mark;
    const bridge = labInterface(lab, BRIDGE);
    const sw = {
        // Frames from a container must fit the tunnel: its MTU is the underlay's less VXLAN's headers.
        join: (hostEnd: string) => lines(addOvsPort(bridge, hostEnd, owner), findUnderlay(hostOf(lab, c).address), tunnelMtu(), applyMtu(hostEnd, "host")),
        leave: (hostEnd: string) => deleteOvsPort(bridge, hostEnd, owner),
        afterMove: (inside: string) => lines(applyMtu(inside, "container"), offloadOffOnNetdev(bridge, inside)),
    };
    return plumbedVethPort(lab, c, sw, ovsPortOn(c.ifnames.host, bridge));
}

export const ovsVxlan = defineMethod({
    name: "ovs-vxlan",
    code: "t",
    description: "an Open vSwitch bridge per host joined by OVS VXLAN tunnel ports, a veth per container as ovs makes it",
    attachmentType: "OvsVxlanAttachment",
    labInterfaces: [BRIDGE, TUNNEL_BRIDGE, UPLINK],
    ...PLUMBED_ACROSS_HOSTS,
    needs: { ...PLUMBED_ACROSS_HOSTS.needs, openvswitch: true },
    hostObjects: (lab) => [...labMembers(hostsOf(lab)).map((h) => hostSwitch(lab, h)), ...labContainers(lab).map((c) => containerPortOnBridge(lab, c))],
});
