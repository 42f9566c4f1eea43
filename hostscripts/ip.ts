import { Shell, cmd, containerName, ifName, ipv4, ipv4Cidr, lines, mark, number, quote, raw, validIpv4, word } from "./shell";

/** Shell variable holding the network-namespace pid of the container being attached. */
const PID = raw(`"$pid"`);

/** Sets $pid to the container's pid; fails with a message when it is not running. */
export function containerPid(name: string): Shell {
    const n = containerName(name);
    return lines(
        cmd(raw("pid=$(docker inspect --format '{{.State.Pid}}'"), n, raw(")")),
        cmd(raw(`[ "$pid" -gt 0 ] || { echo "icc-bench: container"`), n, raw(`"is not running" >&2; exit 1; }`)),
    );
}

/** Sets $pid when the container runs, else pid=0; never fails. */
export function containerPidIfRunning(name: string): Shell {
    return cmd(raw("pid=$(docker inspect --format '{{.State.Pid}}'"), containerName(name), raw("2>/dev/null || echo 0)"));
}

/** How a script sets $pid to the pid of the container it attaches. */
export interface PidLookup {
    /** Fails with a message when the container does not run. */
    readonly running: (container: string) => Shell;
    /** pid=0 when it does not run; never fails. */
    readonly ifRunning: (container: string) => Shell;
}

/** Asks the program's own Docker. */
export const LOCAL_PID: PidLookup = { running: containerPid, ifRunning: containerPidIfRunning };

/** Runs an ip/ethtool command inside the container's network namespace. */
function inContainer(...parts: Shell[]): Shell {
    return cmd(raw("nsenter -t"), PID, raw("-n"), ...parts);
}

/*
 * Every host interface the lab makes carries its mark as its alias (ifalias). A name that exists
 * without the mark is someone else's: creates refuse it, deletes leave it alone. Making a link and
 * marking it are two steps, so a create first records the name it is about to make in a file of
 * the stack's and removes the record once the link is marked: a create killed in between
 * (kill -9) leaves an unmarked link that its record still shows to be the lab's.
 */

/** Suffix of a record's file name before the interface name. */
export const CLAIM_INFIX = "-claim-";

/** The file a stack's create records an interface name in while making it (host:clean removes it too). */
export function claimPath(name: string, owner: string): string {
    mark(owner);
    ifName(name);
    const [, stack] = owner.split(":");
    return `/run/icc-bench-${stack}${CLAIM_INFIX}${name}`;
}

function claim(name: string, owner: string): Shell {
    return cmd(raw("printf %s"), mark(owner), raw(">"), quote(claimPath(name, owner)));
}

function release(name: string, owner: string): Shell {
    return cmd(raw("rm -f"), quote(claimPath(name, owner)));
}

/**
 * The interface's alias, "" when it has none or does not exist. Read with `ip` (the last field
 * of `ip -o link`), not /sys/class/net, which shows the namespace sysfs was mounted in.
 */
function aliasOf(name: string): Shell {
    return word(raw(`"$(ip -o link show dev `), ifName(name), raw(` 2>/dev/null | sed -n 's/.*\\\\    alias //p')"`));
}

/** A test: the existing interface is the lab's (its alias is the mark, or it is unmarked and recorded as being made). */
function owned(name: string, owner: string): Shell {
    return cmd(
        raw("{ [ "), aliasOf(name), raw("="), mark(owner), raw("] || { [ -z "), aliasOf(name), raw(`] && [ "$(cat`), quote(claimPath(name, owner)), raw(`2>/dev/null)" =`), mark(owner),
        raw("]; }; }"),
    );
}

/** Gives an interface the lab's mark. */
export function markLink(name: string, owner: string): Shell {
    return cmd(raw("ip link set dev"), ifName(name), raw("alias"), mark(owner));
}

/** Fails, naming it, when an interface of that name exists that is not the lab's. */
export function refuseForeignLink(name: string, owner: string): Shell {
    const n = ifName(name);
    return cmd(
        raw("if ip link show dev"), n, raw(">/dev/null 2>&1 && !"), owned(name, owner), raw("; then"),
        raw(`printf "icc-bench: interface %s exists and is not this lab's (it does not carry the mark %s): refusing to adopt or remove it\\n"`), n, mark(owner),
        raw(">&2; exit 3; fi"),
    );
}

/** Removes an interface the lab made; anything else of that name stays. */
export function deleteLink(name: string, owner: string): Shell {
    const n = ifName(name);
    return lines(
        cmd(raw("if ip link show dev"), n, raw(">/dev/null 2>&1 &&"), owned(name, owner), raw("; then ip link del dev"), n, raw("; fi")),
        release(name, owner),
    );
}

/** Makes a link of the lab by `add`, recorded while it is not marked yet. */
function addMarked(names: readonly string[], owner: string, add: Shell): Shell {
    return lines(
        names.map((n) => refuseForeignLink(n, owner)),
        names.map((n) => claim(n, owner)),
        add,
        names.map((n) => markLink(n, owner)),
        names.map((n) => release(n, owner)),
    );
}

/** Removes an interface inside the container (only when $pid names a running container). */
export function deleteContainerLink(name: string): Shell {
    return cmd(raw(`if [ "$pid" -gt 0 ]; then`), inContainer(raw("ip link del dev"), ifName(name)), raw("2>/dev/null || true; fi"));
}

/** A veth pair, both ends marked; refused when either name is someone else's. */
export function addVethPair(host: string, peer: string, owner: string): Shell {
    return addMarked([host, peer], owner, cmd(raw("ip link add"), ifName(host), raw("type veth peer name"), ifName(peer)));
}

/** A macvlan (bridge mode) on `parent` (ifName of one, or UNDERLAY), marked; refused when the name is someone else's. */
export function addMacvlan(name: string, parent: Shell, owner: string): Shell {
    return addMarked([name], owner, cmd(raw("ip link add"), ifName(name), raw("link"), parent, raw("type macvlan mode bridge")));
}

/** A macvlan of the lab (bridge mode) on `parent`, created when absent and up; someone else's of that name is refused. */
export function ensureMacvlan(name: string, parent: Shell, owner: string): Shell {
    return lines(refuseForeignLink(name, owner), unlessExists(name, addMacvlan(name, parent, owner)), setUp(name));
}

/** The interface findUnderlay found. */
export const UNDERLAY = raw(`"$underlay"`);

/** Sets $underlay to the interface that holds the host's own `address`; fails, naming it, when none does. */
export function findUnderlay(address: string): Shell {
    return lines(
        cmd(raw("underlay=$(ip -o -4 addr show to"), quote(`${validIpv4(address)}/32`), raw("| awk '{ print $2; exit }')")),
        cmd(raw(`[ -n "$underlay" ] || { echo "icc-bench: no interface of this host holds"`), ipv4(address), raw(`"(its address in hosts)" >&2; exit 1; }`)),
    );
}

export function setUp(name: string): Shell {
    return cmd(raw("ip link set dev"), ifName(name), raw("up"));
}

export function addAddress(name: string, address: string, prefix: number): Shell {
    return cmd(raw("ip addr replace"), ipv4Cidr(address, prefix), raw("dev"), ifName(name));
}

export function deleteAddress(name: string, address: string, prefix: number): Shell {
    return cmd(raw("ip addr del"), ipv4Cidr(address, prefix), raw("dev"), ifName(name), raw("2>/dev/null || true"));
}

/** Runs `create` unless the interface exists (then it is the lab's own: see refuseForeignLink). */
function unlessExists(name: string, create: Shell): Shell {
    return lines(cmd(raw("if ! ip link show dev"), ifName(name), raw(">/dev/null 2>&1; then")), create, raw("fi"));
}

/** A Linux bridge of the lab, created when absent; someone else's of that name is refused. */
export function ensureBridge(name: string, owner: string): Shell {
    return lines(
        refuseForeignLink(name, owner),
        unlessExists(name, addMarked([name], owner, cmd(raw("ip link add"), ifName(name), raw("type bridge")))),
        setUp(name),
    );
}

/** A veth pair of the lab, created when absent (a macvlan parent); someone else's names are refused. */
export function ensureVethPair(host: string, peer: string, owner: string): Shell {
    return lines(refuseForeignLink(host, owner), refuseForeignLink(peer, owner), unlessExists(host, addVethPair(host, peer, owner)), setUp(host), setUp(peer));
}

/** The standard VXLAN port (IANA): what firewalls between hosts let through. */
export const VXLAN_PORT = 4789;

/**
 * A unicast VXLAN device of the lab on the interface that holds `local` (no multicast group, no
 * learning from remotes' floods: see floodTo), created when absent; someone else's of that name
 * is refused. Its MTU is the kernel's: that interface's less VXLAN's 50 bytes.
 */
export function ensureVxlan(name: string, vni: number, local: string, owner: string): Shell {
    if (!Number.isInteger(vni) || vni < 1 || vni > 0xffffff) {
        throw new Error(`refusing VXLAN id ${vni}`);
    }
    return lines(
        refuseForeignLink(name, owner),
        findUnderlay(local),
        unlessExists(name, addMarked([name], owner, cmd(raw("ip link add"), ifName(name), raw("type vxlan id"), number(vni), raw("local"), ipv4(local), raw("dev"), UNDERLAY, raw(`dstport ${VXLAN_PORT} nolearning`)))),
        setUp(name),
    );
}

/** Sends the VXLAN device's broadcasts and unknown destinations to `remote` too (head-end replication), once. */
export function floodTo(vxlan: string, remote: string): Shell {
    const dev = ifName(vxlan);
    const dst = ipv4(remote);
    return cmd(raw("bridge fdb show dev"), dev, raw("| grep -q"), quote(`^00:00:00:00:00:00 dst ${validIpv4(remote)} `), raw("|| bridge fdb append 00:00:00:00:00:00 dev"), dev, raw("dst"), dst);
}

export function setMaster(name: string, bridge: string): Shell {
    return cmd(raw("ip link set dev"), ifName(name), raw("master"), ifName(bridge));
}

/**
 * The MAC of a lab address (locally administered, like Docker's 02:42:<address>): a port made
 * again keeps its MAC, so the neighbours' ARP entries for its address stay right.
 */
export function labMac(address: string): string {
    ipv4(address);
    return ["02", "1b", ...address.split(".").map((o) => Number(o).toString(16).padStart(2, "0"))].join(":");
}

/**
 * Moves `hostSideName` into the container ($pid), renames it `inside`, addresses it and brings
 * it up; what `pipework` does after making the link.
 */
export function moveIntoContainer(hostSideName: string, inside: string, address: string, prefix: number): Shell {
    return lines(
        cmd(raw("ip link set dev"), ifName(hostSideName), raw("netns"), PID),
        inContainer(raw("ip link set dev"), ifName(hostSideName), raw("name"), ifName(inside)),
        inContainer(raw("ip link set dev"), ifName(inside), raw("address"), quote(labMac(address))),
        inContainer(raw("ip addr replace"), ipv4Cidr(address, prefix), raw("dev"), ifName(inside)),
        inContainer(raw("ip link set dev"), ifName(inside), raw("up")),
    );
}

function mtuOf(dev: Shell): Shell {
    return cmd(raw("mtu=$(ip -o link show dev"), dev, raw(`| sed -n 's/.* mtu \\([0-9]*\\) .*/\\1/p')`));
}

/** Sets $mtu to the interface's MTU. */
export function readMtu(name: string): Shell {
    return mtuOf(ifName(name));
}

/** Bytes a VXLAN tunnel adds to each frame (outer Ethernet, IPv4, UDP and VXLAN headers). */
const VXLAN_OVERHEAD = 50;

/** Sets $mtu to what a frame may carry through a VXLAN tunnel over the underlay (findUnderlay), as the kernel's VXLAN device sets its own. */
export function tunnelMtu(): Shell {
    return lines(mtuOf(UNDERLAY), raw(`mtu=$((mtu - ${VXLAN_OVERHEAD}))`));
}

/** Gives an interface, on the host and inside the container ($pid), the MTU in $mtu (see readMtu). */
export function applyMtu(name: string, where: "host" | "container"): Shell {
    const set = cmd(raw("ip link set dev"), ifName(name), raw('mtu "$mtu"'));
    return where === "host" ? set : inContainer(set);
}

/** TCP over OVS's userspace datapath hangs unless the container end computes its own checksums. */
export function disableTxOffload(inside: string): Shell {
    return inContainer(raw("ethtool -K"), ifName(inside), raw("tx off >/dev/null"));
}

/** For messages only. */
export function describe(text: string): Shell {
    return cmd(raw("echo"), quote(`icc-bench: ${text}`));
}
