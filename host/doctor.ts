import { execFileSync } from "node:child_process";
import { containerPidIfRunning } from "../hostscripts/ip";
import { Rule, acceptForward, checkRule } from "../hostscripts/iptables";
import { natRules } from "../hostscripts/methods/macvlanNat";
import { labHostCommands, macvlanSegmentOf } from "../hostscripts/methods/lab";
import { Shell, cmd, ifName, ipv4Cidr, lines, quote, raw, word } from "../hostscripts/shell";
import { CONTAINER_IFNAME, ContainerPlan, LabPlan, ServerPlan, StackPlan } from "../model";

/**
 * Which of a lab's host objects are gone from the host. The command provider never looks at the
 * host on refresh, so an interface, bridge or rule removed by hand stays "created" in the state;
 * the doctor finds such objects so that `up --replace` can make them again.
 */

/** One thing a host object's create script made that must exist while the object does. */
export interface HostFact {
    /** For people, e.g. "interface ibo3dc4c0". */
    readonly what: string;
    /** Exits 0 when the thing is there. */
    readonly test: Shell;
}

/** A host object of the plan: the create script its resource runs, and what that script makes. */
export interface PlannedHostObject {
    /** The local.Command's `create`: identifies the resource in the stack's state. */
    readonly create: string;
    readonly facts: readonly HostFact[];
}

/** A planned host object with facts missing on the host. */
export interface BrokenHostObject {
    readonly create: string;
    readonly missing: readonly string[];
}

function fact(what: string, ...test: Shell[]): HostFact {
    return { what, test: lines(...test) };
}

function linkExists(name: string): HostFact {
    return fact(`interface ${name}`, cmd(raw("ip link show dev"), ifName(name)));
}

function addressOn(dev: string, address: string, prefix: number): HostFact {
    return fact(
        `address ${address}/${prefix} on ${dev}`,
        cmd(raw("ip -o -4 addr show dev"), ifName(dev), raw("| grep -qF --"), spaced(address, prefix)),
    );
}

/** " a.b.c.d/p ", as `ip -o addr` prints it between other words. */
function spaced(address: string, prefix: number): Shell {
    ipv4Cidr(address, prefix);
    return quote(` ${address}/${prefix} `);
}

function ruleExists(rule: Rule): HostFact {
    return fact(`iptables ${rule.table} ${rule.chain} ${rule.spec.join(" ").replace(/'/g, "")}`, checkRule(rule));
}

/** The container runs and its lab interface holds its lab address. */
function containerAddress(lab: LabPlan, c: ContainerPlan): HostFact {
    return fact(
        `${CONTAINER_IFNAME} ${c.address}/${lab.prefixLength} in container ${c.name}`,
        containerPidIfRunning(c.name),
        cmd(
            raw(`[ "$pid" -gt 0 ] && nsenter -t "$pid" -n ip -o -4 addr show dev`), ifName(CONTAINER_IFNAME),
            raw("| grep -qF --"), spaced(c.address, lab.prefixLength),
        ),
    );
}

function networkFacts(lab: LabPlan): HostFact[] {
    const { bridge } = lab.names;
    switch (lab.method) {
        case "ovs":
            return [fact(`OVS bridge ${bridge}`, cmd(raw("ovs-vsctl --timeout=5 br-exists"), ifName(bridge))), linkExists(bridge)];
        case "pipework":
            return [
                fact(`Linux bridge ${bridge}`, cmd(raw("[ -d"), word(raw("/sys/class/net/"), ifName(bridge), raw("/bridge")), raw("]"))),
                ruleExists(acceptForward(bridge, lab.names.mark)),
            ];
        case "macvlan-nat": {
            const seg = macvlanSegmentOf(lab);
            return [
                linkExists(seg.parent),
                linkExists(seg.shim),
                addressOn(seg.shim, seg.hostAddress, seg.prefixLength),
                ruleExists(acceptForward(seg.shim, seg.mark)),
            ];
        }
        case "link":
            return [];
    }
}

/** What a container's port makes (for a macvlan-nat server, without its NAT). */
function portFacts(lab: LabPlan, c: ContainerPlan): HostFact[] {
    const { bridge } = lab.names;
    const host = c.port.host;
    switch (lab.method) {
        case "ovs":
            return [
                linkExists(host),
                fact(`OVS port ${host} on ${bridge}`, cmd(raw(`[ "$(ovs-vsctl --timeout=5 port-to-br`), ifName(host), raw(`2>/dev/null)" =`), ifName(bridge), raw("]"))),
                containerAddress(lab, c),
            ];
        case "pipework":
            return [
                linkExists(host),
                fact(`${host} on bridge ${bridge}`, cmd(raw("[ -e"), word(raw("/sys/class/net/"), ifName(bridge), raw("/brif/"), ifName(host)), raw("]"))),
                containerAddress(lab, c),
            ];
        case "macvlan-nat":
            return [containerAddress(lab, c)];
        case "link":
            return [];
    }
}

function serverFacts(lab: LabPlan, s: ServerPlan, serverPort: number): HostFact[] {
    if (lab.method !== "macvlan-nat") {
        return portFacts(lab, s);
    }
    const { shim, mark: comment } = lab.names;
    return [
        ...portFacts(lab, s),
        addressOn(shim, s.externalAddress, 32),
        ...natRules(comment, { external: s.externalAddress, server: s.address, port: serverPort }).map(ruleExists),
    ];
}

/** Every host object of the stack's labs with what it makes, in labHostCommands order. */
export function plannedHostObjects(plan: StackPlan): PlannedHostObject[] {
    return plan.labs.flatMap((lab) => {
        const commands = labHostCommands(lab, plan.iperf.port);
        if (commands.length === 0) {
            return [];
        }
        const facts = [
            networkFacts(lab),
            ...lab.servers.map((s) => serverFacts(lab, s, plan.iperf.port)),
            ...lab.clients.map((c) => portFacts(lab, c)),
        ];
        if (facts.length !== commands.length) {
            throw new Error(`doctor: ${lab.method} has ${commands.length} host commands but ${facts.length} fact lists`);
        }
        return commands.map((c, i) => ({ create: c.create, facts: facts[i] }));
    });
}

/**
 * Runs every fact's test in one shell and returns the objects with missing facts.
 * The tests only read: ip, ovs-vsctl, iptables -C, docker inspect, nsenter ... ip.
 */
export function findBroken(objects: readonly PlannedHostObject[]): BrokenHostObject[] {
    const all = objects.flatMap((o, i) => o.facts.map((f, j) => ({ key: `${i}.${j}`, test: f.test })));
    if (all.length === 0) {
        return [];
    }
    const script = lines(all.map((t) => lines(raw("if ! {"), t.test, raw(`} >/dev/null 2>&1; then echo ${t.key}; fi`))));
    const failed = new Set(execFileSync("sh", ["-c", script], { encoding: "utf8", timeout: 120_000 }).split("\n").filter((l) => l !== ""));
    return objects
        .map((o, i) => ({ create: o.create, missing: o.facts.filter((_, j) => failed.has(`${i}.${j}`)).map((f) => f.what) }))
        .filter((b) => b.missing.length > 0);
}
