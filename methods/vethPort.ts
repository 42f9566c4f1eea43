import { GIVEN_PID, plumbOn } from "../hostscripts/dockerHost";
import { LOCAL_PID, PidLookup, addVethPair, deleteContainerLink, deleteLink, moveIntoContainer, setUp } from "../hostscripts/ip";
import { Shell, createScript, deleteScript, lines } from "../hostscripts/shell";
import { ContainerPort, HostCommand } from "../hostscripts/hostCommand";
import type { LabContainerPlan, LabPlan } from "../model";
import { containerPort, helperOf, hostOf, perContainer } from "./common";
import type { HostFact, HostObjectPlan } from "./contract";
import { containerAddress, factOn, linkExists } from "./facts";

/** How a veth's host end joins the lab's switch, and how it leaves. */
export interface Switch {
    readonly join: (hostEnd: string) => Shell;
    readonly leave: (hostEnd: string) => Shell;
    /** Extra steps inside the container once its end is up ($pid is set). */
    readonly afterMove?: (inside: string) => Shell;
}

/** A veth pair per container: host end on the switch, other end moved in (pipework, OVS, vxlan). */
export function vethPort(port: ContainerPort, sw: Switch, pid: PidLookup = LOCAL_PID): HostCommand {
    // A create killed between the move and the rename leaves the peer in the container under its own name.
    const teardown = lines(
        sw.leave(port.host),
        deleteLink(port.host, port.owner),
        deleteLink(port.peer, port.owner),
        deleteContainerLink(port.peer),
        deleteContainerLink(port.inside),
    );
    const create = lines(
        pid.running(port.container),
        teardown,
        addVethPair(port.host, port.peer, port.owner),
        sw.join(port.host),
        setUp(port.host),
        moveIntoContainer(port.peer, port.inside, port.address, port.prefixLength),
        sw.afterMove ? sw.afterMove(port.inside) : lines(),
    );
    const undo = lines(pid.ifRunning(port.container), teardown);
    return { create: createScript(create, undo), delete: deleteScript(undo) };
}

/**
 * A container's veth on its host's switch in a lab across hosts, made on that host through its
 * Docker endpoint; the doctor checks the host end, that it is on the switch, and the address.
 */
export function plumbedVethPort(lab: LabPlan, c: LabContainerPlan, sw: Switch, onSwitch: HostFact): HostObjectPlan {
    const host = hostOf(lab, c);
    const helper = helperOf(lab);
    return perContainer(c, {
        scripts: plumbOn(host, helper, vethPort(containerPort(lab, c), sw, GIVEN_PID), c.name),
        facts: [
            factOn(host, helper, linkExists(c.ifnames.host)),
            factOn(host, helper, onSwitch),
            factOn(host, helper, containerAddress(lab, c, GIVEN_PID), c.name),
        ],
    });
}
