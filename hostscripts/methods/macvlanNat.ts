import {
    addAddress, addMacvlan, containerPid, containerPidIfRunning, deleteAddress, deleteContainerLink, deleteLink,
    ensureVethPair, moveIntoContainer, setUp,
} from "../ip";
import { Rule, acceptForward, deleteRules, dnat, ensureRules, hairpinMasquerade } from "../iptables";
import { Shell, cmd, createScript, deleteScript, ifName, lines, raw } from "../shell";
import { ContainerPort, HostCommand } from "./hostCommand";

/** Host objects shared by one macvlan-nat lab. */
export interface MacvlanSegment {
    /** veth pair whose first end is the macvlan parent (hosts rarely have a spare NIC). */
    readonly parent: string;
    readonly parentPeer: string;
    /** The host's own macvlan on the parent: macvlan children cannot reach their parent. */
    readonly shim: string;
    readonly hostAddress: string;
    readonly prefixLength: number;
    readonly mark: string;
}

export function macvlanSegment(seg: MacvlanSegment): HostCommand {
    const forward = acceptForward(seg.shim, seg.mark);
    const create = lines(
        ensureVethPair(seg.parent, seg.parentPeer),
        cmd(raw("ip link show dev"), ifName(seg.shim), raw(">/dev/null 2>&1 ||"), addMacvlan(seg.shim, seg.parent)),
        addAddress(seg.shim, seg.hostAddress, seg.prefixLength),
        setUp(seg.shim),
        ensureRules([forward]),
    );
    const teardown = lines(deleteRules([forward]), deleteLink(seg.shim), deleteLink(seg.parent));
    return { create: createScript(create, teardown), delete: deleteScript(teardown) };
}

/** Create steps and idempotent teardown of one object; `undo` also works before the create. */
interface Steps {
    readonly create: Shell;
    readonly teardown: Shell;
}

function macvlanPortSteps(seg: MacvlanSegment, port: ContainerPort): Steps {
    // A create killed between the move and the rename leaves the peer in the container under its own name.
    const teardown = lines(deleteLink(port.peer), deleteContainerLink(port.peer), deleteContainerLink(port.inside));
    const create = lines(
        containerPid(port.container),
        teardown,
        addMacvlan(port.peer, seg.parent),
        moveIntoContainer(port.peer, port.inside, port.address, port.prefixLength),
    );
    return { create, teardown: lines(containerPidIfRunning(port.container), teardown) };
}

function toCommand(...parts: Steps[]): HostCommand {
    const create = lines(parts.map((p) => p.create));
    const teardown = lines(parts.map((p) => p.teardown));
    return { create: createScript(create, teardown), delete: deleteScript(teardown) };
}

/** A macvlan (bridge mode) on the lab's parent, moved into the container. */
export function macvlanPort(seg: MacvlanSegment, port: ContainerPort): HostCommand {
    return toCommand(macvlanPortSteps(seg, port));
}

/** A server's externally visible address: held by the shim, DNATed to the server. */
export interface NatEntry {
    readonly external: string;
    readonly server: string;
    readonly port: number;
}

/** A server's DNAT and hairpin MASQUERADE rules. */
export function natRules(mark: string, nat: NatEntry): Rule[] {
    return [dnat(nat.external, nat.server, nat.port, mark), hairpinMasquerade(nat.server, nat.port, mark)];
}

function natSteps(seg: MacvlanSegment, nat: NatEntry): Steps {
    const rules = natRules(seg.mark, nat);
    return {
        create: lines(addAddress(seg.shim, nat.external, 32), ensureRules(rules)),
        teardown: lines(deleteRules(rules), deleteAddress(seg.shim, nat.external, 32)),
    };
}

/** A server's macvlan plus its external address and NAT rules. */
export function macvlanNatServerPort(seg: MacvlanSegment, port: ContainerPort, nat: NatEntry): HostCommand {
    return toCommand(macvlanPortSteps(seg, port), natSteps(seg, nat));
}
