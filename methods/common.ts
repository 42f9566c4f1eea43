import type { HelperPlan } from "../hostscripts/dockerHost";
import type { ContainerPort } from "../hostscripts/hostCommand";
import { CONTAINER_IFNAME } from "../model/constants";
import type { HostSettings, LabContainerPlan, LabHosts, LabPlan } from "../model";
import { NO_DOCKER_NETWORKS, REFUSES_NOTHING, type Dial, type HostObjectPlan, type MethodModule } from "./contract";

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

/** Where a lab across hosts runs; a method across hosts is never planned without it. */
export function hostsOf(lab: LabPlan): LabHosts {
    if (lab.hosts === undefined) {
        throw new Error(`the ${lab.method} lab of ${lab.stack} has no hosts`);
    }
    return lab.hosts;
}

/** Every host of a lab across hosts once, the servers' first. */
export function labMembers(hosts: LabHosts): HostSettings[] {
    return [hosts.servers, ...hosts.clients].filter((h, i, all) => all.findIndex((o) => o.name === h.name) === i);
}

/** The host a container of a lab across hosts runs on. */
export function hostOf(lab: LabPlan, c: LabContainerPlan): HostSettings {
    const host = labMembers(hostsOf(lab)).find((h) => h.name === c.host);
    if (host === undefined) {
        throw new Error(`the ${lab.method} container ${c.name} has no host of the lab`);
    }
    return host;
}

/** The helper that plumbs the lab's hosts. */
export function helperOf(lab: LabPlan): HelperPlan {
    return { image: hostsOf(lab).helperImage, stack: lab.stack };
}

/**
 * What the methods that plumb each host through its Docker endpoint share (vxlan, macvlan-l2):
 * containers with no Docker network (a host object brings their interface), servers on their lab
 * address, nothing on the program's host but the docker CLI.
 */
export const PLUMBED_ACROSS_HOSTS = {
    listening: "own-address",
    isLimit: false,
    span: "across-hosts",
    needs: { commands: ["docker"], kernelModules: [], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: () => ({ kind: "none" }),
    dial: (_lab: LabPlan, server: { readonly address: string }): Dial => ({ kind: "address", address: server.address }),
    dockerNetworks: NO_DOCKER_NETWORKS,
} as const satisfies Partial<MethodModule>;
