import { HelperPlan, PlumbedHost, onHost } from "../hostscripts/dockerHost";
import { LOCAL_PID, PidLookup } from "../hostscripts/ip";
import { Rule, checkRule } from "../hostscripts/iptables";
import { Shell, cmd, ifName, ipv4Cidr, lines, quote, raw } from "../hostscripts/shell";
import { CONTAINER_IFNAME } from "../model/constants";
import type { ContainerPlan, LabPlan } from "../model";
import type { HostFact } from "./contract";

/** Builders of the doctor's facts: each test only reads the host. */

export function fact(what: string, ...test: Shell[]): HostFact {
    return { what, test: lines(...test) };
}

export function linkExists(name: string): HostFact {
    return fact(`interface ${name}`, cmd(raw("ip link show dev"), ifName(name)));
}

/** Read with `ip`, not /sys/class/net, which shows the namespace sysfs was mounted in. */
export function linuxBridgeExists(bridge: string): HostFact {
    return fact(`Linux bridge ${bridge}`, cmd(raw("ip -o link show dev"), ifName(bridge), raw("type bridge | grep -q .")));
}

export function ovsBridgeExists(bridge: string): HostFact {
    return fact(`OVS bridge ${bridge}`, cmd(raw("ovs-vsctl --timeout=5 br-exists"), ifName(bridge)));
}

export function ovsPortOn(port: string, bridge: string): HostFact {
    return fact(`OVS port ${port} on ${bridge}`, cmd(raw(`[ "$(ovs-vsctl --timeout=5 port-to-br`), ifName(port), raw(`2>/dev/null)" =`), ifName(bridge), raw("]")));
}

export function onBridge(port: string, bridge: string): HostFact {
    return fact(`${port} on bridge ${bridge}`, cmd(raw("ip -o link show dev"), ifName(port), raw("master"), ifName(bridge), raw("| grep -q .")));
}

export function addressOn(dev: string, address: string, prefix: number): HostFact {
    return fact(`address ${address}/${prefix} on ${dev}`, cmd(raw("ip -o -4 addr show dev"), ifName(dev), raw("| grep -qF --"), spaced(address, prefix)));
}

/** " a.b.c.d/p ", as `ip -o addr` prints it between other words. */
function spaced(address: string, prefix: number): Shell {
    ipv4Cidr(address, prefix);
    return quote(` ${address}/${prefix} `);
}

export function ruleExists(rule: Rule): HostFact {
    return fact(`iptables ${rule.table} ${rule.chain} ${rule.spec.join(" ").replace(/'/g, "")}`, checkRule(rule));
}

/** The container runs and its lab interface holds its lab address. */
export function containerAddress(lab: LabPlan, c: ContainerPlan, pid: PidLookup = LOCAL_PID): HostFact {
    return fact(
        `${CONTAINER_IFNAME} ${c.address}/${lab.prefixLength} in container ${c.name}`,
        pid.ifRunning(c.name),
        cmd(
            raw(`[ "$pid" -gt 0 ] && nsenter -t "$pid" -n ip -o -4 addr show dev`), ifName(CONTAINER_IFNAME),
            raw("| grep -qF --"), spaced(c.address, lab.prefixLength),
        ),
    );
}

/** A fact of another Docker host, read there by the helper (given the container's pid, when it names one). */
export function factOn(host: PlumbedHost, helper: HelperPlan, f: HostFact, container?: string): HostFact {
    return { what: `${f.what} on host ${host.name}`, test: onHost(host, helper, f.test, container) };
}
