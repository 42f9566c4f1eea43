import { GIVEN_PID, plumbOn } from "../hostscripts/dockerHost";
import { UNDERLAY, findUnderlay } from "../hostscripts/ip";
import { lines } from "../hostscripts/shell";
import type { LabContainerPlan, LabPlan } from "../model";
import { containerPort, helperOf, hostOf, labContainers, perContainer, PLUMBED_ACROSS_HOSTS } from "./common";
import { defineMethod, type HostObjectPlan } from "./contract";
import { containerAddress, factOn } from "./facts";
import { macvlanPortSteps, toCommand } from "./macvlanPort";

/**
 * No overlay at all: each container a macvlan sub-interface (bridge mode) of its host's underlay
 * interface, the one holding the host's address in `hosts`, so every container is on the hosts'
 * shared L2 with its lab address. Made on each host through its Docker endpoint.
 */

function containerMacvlan(lab: LabPlan, c: LabContainerPlan): HostObjectPlan {
    const host = hostOf(lab, c);
    const helper = helperOf(lab);
    const port = macvlanPortSteps(containerPort(lab, c), UNDERLAY, GIVEN_PID);
    return perContainer(c, {
        scripts: plumbOn(host, helper, toCommand({ create: lines(findUnderlay(host.address), port.create), teardown: port.teardown }), c.name),
        facts: [factOn(host, helper, containerAddress(lab, c, GIVEN_PID), c.name)],
    });
}

export const macvlanL2 = defineMethod({
    name: "macvlan-l2",
    code: "y",
    description: "a macvlan sub-interface of its host's underlay interface per container: the hosts' shared L2, no overlay",
    attachmentType: "MacvlanL2Attachment",
    labInterfaces: [],
    ...PLUMBED_ACROSS_HOSTS,
    hostObjects: (lab) => labContainers(lab).map((c) => containerMacvlan(lab, c)),
});
