import { deleteLink, ensureVethPair } from "../hostscripts/ip";
import { createScript, deleteScript } from "../hostscripts/shell";
import type { LabPlan } from "../model";
import { labInterface } from "./common";
import type { DockerNetworkPlan, HostObjectPlan } from "./contract";
import { linkExists } from "./facts";

/**
 * A parent for Docker's macvlan and ipvlan drivers that the lab owns: hosts rarely have a spare
 * NIC, so it is one end of a veth pair the lab makes (and removes) itself.
 */

/** Suffixes of the pair's ends. */
export const PARENT_INTERFACES = ["pa", "pb"] as const;

export function parentOf(lab: LabPlan): string {
    return labInterface(lab, PARENT_INTERFACES[0]);
}

export function vethParent(lab: LabPlan): HostObjectPlan {
    const parent = parentOf(lab);
    const teardown = deleteLink(parent, lab.names.mark);
    return {
        key: "parent",
        scripts: { create: createScript(ensureVethPair(parent, labInterface(lab, PARENT_INTERFACES[1]), lab.names.mark), teardown), delete: deleteScript(teardown) },
        facts: [linkExists(parent)],
    };
}

/** The lab's Docker network on its veth parent, named after the stack and method. */
export function parentNetworkName(lab: LabPlan): string {
    return `icc-bench-${lab.stack}-${lab.method}`;
}

export function parentNetwork(lab: LabPlan, driver: "macvlan" | "ipvlan", mode: Readonly<Record<string, string>>): DockerNetworkPlan {
    return {
        key: "network",
        name: parentNetworkName(lab),
        driver,
        subnet: lab.subnet,
        gateway: lab.hostAddress,
        options: { parent: parentOf(lab), ...mode },
    };
}
