import { CONTAINER_IFNAME, ContainerPlan, LabPlan } from "../../model";
import { ContainerPort, HostCommand } from "./hostCommand";
import { MacvlanSegment, macvlanNatServerPort, macvlanPort, macvlanSegment } from "./macvlanNat";
import { ovsBridge, ovsPort } from "./ovs";
import { pipeworkBridge, pipeworkPort } from "./pipework";

/** A planned container's attachment: its names on the host and its lab address. */
export function containerPort(c: ContainerPlan, lab: LabPlan): ContainerPort {
    return { container: c.name, host: c.port.host, peer: c.port.peer, inside: CONTAINER_IFNAME, address: c.address, prefixLength: lab.prefixLength };
}

/** The host objects shared by a macvlan-nat lab. */
export function macvlanSegmentOf(lab: LabPlan): MacvlanSegment {
    const { parent, parentPeer, shim, mark } = lab.names;
    return { parent, parentPeer, shim, mark, hostAddress: lab.hostAddress, prefixLength: lab.prefixLength };
}

/**
 * Every host command of a lab in creation order (the network, then servers, then clients;
 * none for link): what the components create one resource each for, as a flat list.
 */
export function labHostCommands(lab: LabPlan, serverPort: number): HostCommand[] {
    const ports = [...lab.servers, ...lab.clients].map((c) => containerPort(c, lab));
    const { bridge, mark } = lab.names;
    switch (lab.method) {
        case "pipework":
            return [pipeworkBridge(bridge, mark), ...ports.map((p) => pipeworkPort(bridge, p))];
        case "ovs":
            return [ovsBridge(bridge, mark), ...ports.map((p) => ovsPort(bridge, mark, p))];
        case "macvlan-nat": {
            const seg = macvlanSegmentOf(lab);
            const servers = lab.servers.map((s) => macvlanNatServerPort(seg, containerPort(s, lab), { external: s.externalAddress, server: s.address, port: serverPort }));
            return [macvlanSegment(seg), ...servers, ...lab.clients.map((c) => macvlanPort(seg, containerPort(c, lab)))];
        }
        case "link":
            return [];
    }
}
