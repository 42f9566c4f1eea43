import { Shell, cmd, ifName, lines, mark, quote, raw, word } from "./shell";

/** The mark the stop hook and host:clean look for on bridges and ports (an OVSDB quoted string). */
function ownerId(owner: string): Shell {
    mark(owner);
    return word(raw("external_ids:icc-bench="), quote(`"${owner}"`));
}

/**
 * The OVS bridge, created only when absent, on the kernel datapath when the openvswitch module
 * is there and on the userspace (netdev) datapath otherwise.
 */
export function ensureOvsBridge(bridge: string, owner: string): Shell {
    const b = ifName(bridge);
    return lines(
        raw(`if modprobe -q openvswitch 2>/dev/null || [ -d /sys/module/openvswitch ]; then datapath=system; else datapath=netdev; fi`),
        cmd(raw("ovs-vsctl --may-exist add-br"), b, raw("-- set bridge"), b, raw(`datapath_type="$datapath"`), ownerId(owner)),
        cmd(raw("ip link set dev"), b, raw("up")),
    );
}

export function deleteOvsBridge(bridge: string): Shell {
    return cmd(raw("ovs-vsctl --if-exists del-br"), ifName(bridge));
}

export function addOvsPort(bridge: string, portName: string, owner: string): Shell {
    const p = ifName(portName);
    return cmd(raw("ovs-vsctl --may-exist add-port"), ifName(bridge), p, raw("-- set port"), p, ownerId(owner));
}

export function deleteOvsPort(bridge: string, portName: string): Shell {
    return cmd(raw("ovs-vsctl --if-exists del-port"), ifName(bridge), ifName(portName), raw("2>/dev/null || true"));
}

/** Sets $netdev=1 when the bridge runs on the userspace datapath. */
export function readDatapath(bridge: string): Shell {
    return cmd(raw(`netdev=0; [ "$(ovs-vsctl get bridge`), ifName(bridge), raw(`datapath_type)" != netdev ] || netdev=1`));
}
