import { disableTxOffload } from "./ip";
import { Shell, cmd, ifName, ipv4, lines, mark, number, quote, raw, word } from "./shell";

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

/** Turns tx checksum offload off on the container end when the bridge runs on the userspace datapath (see disableTxOffload). */
export function offloadOffOnNetdev(bridge: string, inside: string): Shell {
    return cmd(readDatapath(bridge), raw('; if [ "$netdev" = 1 ]; then'), disableTxOffload(inside), raw("; fi"));
}

/** Gives the bridge (its own interface, and what it sends) the MAC of `dev`, so that frames to it reach `dev` as its port. */
export function takeMacOf(bridge: string, dev: string): Shell {
    return lines(
        cmd(raw("mac=$(ip -o link show dev"), ifName(dev), raw(`| sed -n 's/.* link\\/ether \\([0-9a-f:]*\\) .*/\\1/p')`)),
        cmd(raw(`[ -n "$mac" ] || { echo "icc-bench: interface"`), ifName(dev), raw(`"has no MAC address" >&2; exit 1; }`)),
        cmd(raw("ovs-vsctl --timeout=10 set bridge"), ifName(bridge), raw(`other_config:hwaddr="\\"$mac\\""`)),
    );
}

/**
 * An OVS VXLAN tunnel port of the lab to `remote` (from `local`), carrying `vni`: the port is
 * made when absent and its options set again either way.
 */
export function addVxlanTunnel(bridge: string, portName: string, tunnel: { readonly local: string; readonly remote: string; readonly vni: number }, owner: string): Shell {
    if (!Number.isInteger(tunnel.vni) || tunnel.vni < 1 || tunnel.vni > 0xffffff) {
        throw new Error(`refusing VXLAN id ${tunnel.vni}`);
    }
    const p = ifName(portName);
    return cmd(
        raw("ovs-vsctl --timeout=10 --may-exist add-port"), ifName(bridge), p, raw("-- set interface"), p, raw("type=vxlan"),
        word(raw("options:remote_ip="), ipv4(tunnel.remote)), word(raw("options:local_ip="), ipv4(tunnel.local)), word(raw("options:key="), number(tunnel.vni)),
        raw("-- set port"), p, ownerId(owner),
    );
}
