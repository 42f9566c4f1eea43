import type { ContainerPort, HostCommand } from "../hostscripts/hostCommand";
import { LOCAL_PID, PidLookup, addMacvlan, deleteContainerLink, deleteLink, moveIntoContainer } from "../hostscripts/ip";
import { Shell, createScript, deleteScript, lines } from "../hostscripts/shell";

/** A container's macvlan sub-interface (macvlan-nat on the lab's parent, macvlan-l2 on a host's underlay). */

/** Create steps and idempotent teardown of one object; `teardown` also works before the create. */
export interface Steps {
    readonly create: Shell;
    readonly teardown: Shell;
}

/** A macvlan (bridge mode) on `parent`, moved into the container, renamed and addressed. */
export function macvlanPortSteps(port: ContainerPort, parent: Shell, pid: PidLookup = LOCAL_PID): Steps {
    // A create killed between the move and the rename leaves the peer in the container under its own name.
    const teardown = lines(deleteLink(port.peer, port.owner), deleteContainerLink(port.peer), deleteContainerLink(port.inside));
    const create = lines(
        pid.running(port.container),
        teardown,
        addMacvlan(port.peer, parent, port.owner),
        moveIntoContainer(port.peer, port.inside, port.address, port.prefixLength),
    );
    return { create, teardown: lines(pid.ifRunning(port.container), teardown) };
}

export function toCommand(...parts: Steps[]): HostCommand {
    const create = lines(parts.map((p) => p.create));
    const teardown = lines(parts.map((p) => p.teardown));
    return { create: createScript(create, teardown), delete: deleteScript(teardown) };
}
