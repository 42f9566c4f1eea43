import type { ContainerPort } from "../hostscripts/hostCommand";
import { CONTAINER_IFNAME } from "../model/constants";
import type { LabContainerPlan, LabPlan } from "../model";
import type { HostObjectPlan } from "./contract";

/** Pieces several method modules share. */

/** A lab-wide host interface: ib + method code + labId + suffix (e.g. "br"). */
export function labInterface(lab: LabPlan, suffix: string): string {
    return `ib${lab.id}${suffix}`;
}

/** Servers, then clients: the order host objects and containers are made in. */
export function labContainers(lab: LabPlan): LabContainerPlan[] {
    return [...lab.servers, ...lab.clients];
}

/** A planned container's attachment: its names on the host and its lab address. */
export function containerPort(lab: LabPlan, c: LabContainerPlan): ContainerPort {
    return {
        container: c.name,
        host: c.ifnames.host,
        peer: c.ifnames.peer,
        inside: CONTAINER_IFNAME,
        address: c.address,
        prefixLength: lab.prefixLength,
        owner: lab.names.mark,
    };
}

/** The host object of one container, keyed by its role and index ("server0"). */
export function perContainer(c: LabContainerPlan, object: Omit<HostObjectPlan, "key" | "container">): HostObjectPlan {
    return { key: `${c.role}${c.index}`, container: c.name, ...object };
}
