import { Shell, cmd, ifName, lines, mark, quote, raw, word } from "./shell";

/** The mark the stop hook and host:clean look for on bridges and ports (an OVSDB quoted string). */
function ownerId(owner: string): Shell {
    mark(owner);
    return word(raw("external_ids:icc-bench="), quote(`"${owner}"`));
}

/** Whether an OVS record (bridge or port) carries the lab's mark: the test of an `if`. */
function ownedBy(table: "bridge" | "port", name: string, owner: string): Shell {
    mark(owner);
    return cmd(raw(`[ "$(ovs-vsctl --timeout=10 get ${table}`), ifName(name), raw(`external_ids:icc-bench 2>/dev/null)" =`), quote(`"${owner}"`), raw("]"));
}

/**
 * The OVS bridge, created only when absent, on the kernel datapath when the openvswitch module
 * is there and on the userspace (netdev) datapath otherwise. An OVS bridge or an interface of
 * that name that is not the lab's is refused, never adopted.
 */
export function ensureOvsBridge(bridge: string, owner: string): Shell {
    const b = ifName(bridge);
    return lines(
        cmd(
            raw("if ovs-vsctl --timeout=10 br-exists"), b, raw("; then"), ownedBy("bridge", bridge, owner),
            raw(`|| { echo "icc-bench: OVS bridge"`), b, raw(`"exists and is not this lab's: refusing to adopt or remove it" >&2; exit 3; }`),
            raw("elif ip link show dev"), b, raw(`>/dev/null 2>&1; then echo "icc-bench: interface"`), b, raw(`"exists and is not an OVS bridge of this lab: refusing to adopt or remove it" >&2; exit 3; fi`),
        ),
        raw(`if modprobe -q openvswitch 2>/dev/null || [ -d /sys/module/openvswitch ]; then datapath=system; else datapath=netdev; fi`),
        cmd(raw("ovs-vsctl --may-exist add-br"), b, raw("-- set bridge"), b, raw(`datapath_type="$datapath"`), ownerId(owner)),
        cmd(raw("ip link set dev"), b, raw("alias"), mark(owner)),
        cmd(raw("ip link set dev"), b, raw("up")),
    );
}

/** Removes the lab's OVS bridge; one of that name without the lab's mark stays. */
export function deleteOvsBridge(bridge: string, owner: string): Shell {
    return cmd(raw("if"), ownedBy("bridge", bridge, owner), raw("; then ovs-vsctl --timeout=10 --if-exists del-br"), ifName(bridge), raw("; fi"));
}

export function addOvsPort(bridge: string, portName: string, owner: string): Shell {
    const p = ifName(portName);
    return cmd(raw("ovs-vsctl --may-exist add-port"), ifName(bridge), p, raw("-- set port"), p, ownerId(owner));
}

/** Removes the lab's port; one of that name without the lab's mark stays. */
export function deleteOvsPort(bridge: string, portName: string, owner: string): Shell {
    return cmd(raw("if"), ownedBy("port", portName, owner), raw("; then ovs-vsctl --timeout=10 --if-exists del-port"), ifName(bridge), ifName(portName), raw("; fi"));
}

/** Sets $netdev=1 when the bridge runs on the userspace datapath. */
export function readDatapath(bridge: string): Shell {
    return cmd(raw(`netdev=0; [ "$(ovs-vsctl get bridge`), ifName(bridge), raw(`datapath_type)" != netdev ] || netdev=1`));
}
