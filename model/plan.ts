import { createHash } from "node:crypto";
import { ConfigError, ConfigProblem, IperfSettings, LabSettings, NAMESPACE } from "./config";
import { Cidr, blockSize, contains, formatCidr, formatIpv4, parseCidr, subBlock } from "./ipv4";
import { METHODS, METHOD_CODES, Method } from "./methods";

/** The benchmarking range of RFC 2544: lab addresses never leave it. */
export const BENCHMARK_RANGE = "198.18.0.0/15";
/** Linux limit on interface names (IFNAMSIZ - 1). */
export const MAX_IFNAME = 15;
/** Name of the lab interface inside every container (what pipework calls it). */
export const CONTAINER_IFNAME = "eth1";
/** Docker label that marks every container of the lab; its value is the stack name. */
export const STACK_LABEL = "icc-bench.stack";
/** Docker labels a deployed stack's containers carry: its subnet and the labId of its host names. */
export const SUBNET_LABEL = "icc-bench.subnet";
export const LAB_ID_LABEL = "icc-bench.labId";
/**
 * Where stacks without an explicit subnet get theirs: apart from hand-made labs
 * (198.19.0.0/17) and Docker's default bridge (198.19.255.0/24).
 */
export const DEFAULT_SUBNET_POOL = "198.18.0.0/16";
/** A default stack subnet: each method's quarter (/24) holds the largest topology allowed. */
export const DEFAULT_SUBNET_PREFIX = 22;

/** Host interface names of one container's attachment. */
export interface PortNames {
    /** The end (or macvlan) that stays on the host, or the macvlan before it moves. */
    readonly host: string;
    /** The container end while it is still in the host namespace. */
    readonly peer: string;
}

/** One container of a lab as planned. */
export interface ContainerPlan {
    readonly role: "server" | "client";
    readonly index: number;
    /** Docker container name, unique per stack and lab. */
    readonly name: string;
    /** Lab address (unused by the link method, whose addresses Docker assigns). */
    readonly address: string;
    readonly port: PortNames;
}

export interface ServerPlan extends ContainerPlan {
    readonly role: "server";
    /** Address clients dial under macvlan-nat; DNATed to `address`. */
    readonly externalAddress: string;
}

export interface ClientPlan extends ContainerPlan {
    readonly role: "client";
    /** Index of the server this container's processes talk to (client index mod servers). */
    readonly serverIndex: number;
    /** Number of iperf client processes in this container. */
    readonly processes: number;
}

/** Host objects shared by a whole lab. */
export interface LabNames {
    /** Linux or OVS bridge (pipework, ovs). */
    readonly bridge: string;
    /** macvlan parent veth pair and the host's macvlan shim (macvlan-nat). */
    readonly parent: string;
    readonly parentPeer: string;
    readonly shim: string;
    /** Mark carried by OVS external_ids and iptables comments. */
    readonly mark: string;
}

/** One method's independent lab. */
export interface LabPlan {
    readonly stack: string;
    readonly method: Method;
    /** Short id unique per stack and method; every host interface name starts with `ib` + it. */
    readonly id: string;
    /** This lab's slice of the stack subnet. */
    readonly subnet: string;
    readonly prefixLength: number;
    /** The host's own address in the slice (macvlan-nat shim). */
    readonly hostAddress: string;
    readonly names: LabNames;
    readonly servers: readonly ServerPlan[];
    readonly clients: readonly ClientPlan[];
}

export interface StackPlan {
    readonly stack: string;
    /** The stack's whole subnet (given or default); each lab has a quarter of it. */
    readonly subnet: string;
    /** Short id in every host interface name of the stack (given or default). */
    readonly labId: string;
    readonly image: string;
    readonly runId: string;
    readonly iperf: IperfSettings;
    readonly labs: readonly LabPlan[];
}

/**
 * Plans every lab of a stack from validated settings: names, addresses, pairings.
 * Throws ConfigError when the subnet cannot hold the topology or a name would not fit.
 */
export function planStack(stack: string, settings: LabSettings): StackPlan {
    const problems = checkCapacity(stack, settings);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    const subnet = parseCidr(stackSubnet(stack, settings)) as Cidr;
    const stackId = settings.labId ?? defaultLabId(stack);
    return {
        stack,
        subnet: formatCidr(subnet),
        labId: stackId,
        image: settings.image,
        runId: settings.runId,
        iperf: settings.iperf,
        labs: settings.methods.map((method) => planLab(stack, stackId, method, subnet, settings)),
    };
}

/** Four hex characters of the stack name's hash: different stacks get different host names. */
export function defaultLabId(stack: string): string {
    return stackHash(stack).slice(0, 4);
}

/** One of the /22s of DEFAULT_SUBNET_POOL, picked by the stack name's hash. */
export function defaultSubnet(stack: string): string {
    const pool = parseCidr(DEFAULT_SUBNET_POOL) as Cidr;
    const bits = DEFAULT_SUBNET_PREFIX - pool.prefix;
    const index = parseInt(stackHash(stack).slice(4, 8), 16) % 2 ** bits;
    return formatCidr(subBlock(pool, bits, index));
}

function stackHash(stack: string): string {
    return createHash("sha256").update(stack).digest("hex");
}

function stackSubnet(stack: string, settings: LabSettings): string {
    return settings.subnet ?? defaultSubnet(stack);
}

/** Stack names go into container names and host object marks. */
export const STACK_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/** Bits that split the stack subnet into one slice per method (in METHODS order). */
const SLICE_BITS = 2;

/** Offsets inside a slice: .1 host, then servers, then clients; NAT addresses at the top. */
function addressesNeeded(settings: LabSettings): number {
    const { servers, clientContainers } = settings.topology;
    // network, host, servers, clients, externals, broadcast
    return 2 + servers + clientContainers + servers + 1;
}

function checkCapacity(stack: string, settings: LabSettings): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const value = stackSubnet(stack, settings);
    const subnet = parseCidr(value);
    const range = parseCidr(BENCHMARK_RANGE) as Cidr;
    const key = `${NAMESPACE}:subnet`;
    if (subnet === undefined) {
        problems.push({ key, value, allowed: "an IPv4 network address with its prefix, such as 198.18.0.0/22" });
    } else if (!contains(range, subnet)) {
        problems.push({ key, value, allowed: `a subnet inside the benchmarking range ${BENCHMARK_RANGE}` });
    } else {
        const sliceSize = blockSize(subnet.prefix + SLICE_BITS);
        const needed = addressesNeeded(settings);
        if (subnet.prefix + SLICE_BITS > 32 || needed > sliceSize) {
            const { servers, clientContainers } = settings.topology;
            problems.push({
                key,
                value,
                allowed:
                    `a subnet whose quarter (one per method) holds ${needed} addresses for ` +
                    `${servers} server(s) and ${clientContainers} client container(s): prefix /${largestPrefix(needed)} or shorter`,
            });
        }
    }
    if (!STACK_NAME_RE.test(stack)) {
        problems.push({ key: "stack name", value: stack, allowed: "1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit" });
    }
    const longest = longestIfName(settings.labId ?? defaultLabId(stack), settings);
    if (longest.length > MAX_IFNAME) {
        problems.push({
            key: `${NAMESPACE}:labId`,
            value: settings.labId,
            allowed: `an id short enough that host interface names fit ${MAX_IFNAME} characters (${longest} has ${longest.length})`,
        });
    }
    return problems;
}

function largestPrefix(addresses: number): number {
    return 32 - SLICE_BITS - Math.ceil(Math.log2(addresses));
}

function longestIfName(stackId: string, settings: LabSettings): string {
    const { servers, clientContainers } = settings.topology;
    const top = Math.max(servers, clientContainers) - 1;
    const role = servers - 1 >= clientContainers - 1 ? "s" : "c";
    return portNames(`${METHOD_CODES.ovs}${stackId}`, role, top).peer;
}

function portNames(labId: string, role: "s" | "c", index: number): PortNames {
    const host = `ib${labId}${role}${index}`;
    return { host, peer: `${host}x` };
}

function planLab(stack: string, stackId: string, method: Method, subnet: Cidr, settings: LabSettings): LabPlan {
    const id = `${METHOD_CODES[method]}${stackId}`;
    const slice = subBlock(subnet, SLICE_BITS, METHODS.indexOf(method));
    const at = (offset: number): string => formatIpv4(slice.network + offset);
    const { servers, clientContainers, clientsPerContainer } = settings.topology;
    const firstServer = 2;
    const firstClient = firstServer + servers;
    // NAT addresses count down from the top of the slice, so adding a client moves no server's.
    const lastExternal = blockSize(slice.prefix) - 2;
    const containerName = (role: string, index: number): string => `icc-bench-${stack}-${method}-${role}${index}`;
    return {
        stack,
        method,
        id,
        subnet: `${formatIpv4(slice.network)}/${slice.prefix}`,
        prefixLength: slice.prefix,
        hostAddress: at(1),
        names: {
            bridge: `ib${id}br`,
            parent: `ib${id}pa`,
            parentPeer: `ib${id}pb`,
            shim: `ib${id}sh`,
            mark: `icc-bench:${stack}:${method}`,
        },
        servers: range(servers).map((i) => ({
            role: "server",
            index: i,
            name: containerName("server", i),
            address: at(firstServer + i),
            externalAddress: at(lastExternal - i),
            port: portNames(id, "s", i),
        })),
        clients: range(clientContainers).map((i) => ({
            role: "client",
            index: i,
            name: containerName("client", i),
            address: at(firstClient + i),
            serverIndex: i % servers,
            processes: clientsPerContainer,
            port: portNames(id, "c", i),
        })),
    };
}

function range(n: number): number[] {
    return Array.from({ length: n }, (_, i) => i);
}
