import { createHash } from "node:crypto";
import { ConfigError, ConfigProblem, IperfSettings, LabSettings } from "./config";
import { HostSettings } from "./hosts";
import { roundOrders } from "./rounds";
import { BENCHMARK_RANGE, LOOPBACK, MAX_IFNAME, NAMESPACE } from "./constants";
import { Cidr, blockSize, contains, formatCidr, formatIpv4, parseCidr, subBlock } from "./ipv4";
import { METHODS, Method, methodModule } from "./methods";

/**
 * Where stacks without an explicit subnet get theirs: apart from hand-made labs
 * (198.19.0.0/17) and the default bridge of a dockerd the setup starts (198.19.255.0/24).
 */
export const DEFAULT_SUBNET_POOL = "198.18.0.0/16";
/** A default stack subnet; the methods selected share it. */
export const DEFAULT_SUBNET_PREFIX = 22;
/**
 * Ports of the host method's servers: a block per stack, picked by its name's hash unless set,
 * below Linux's ephemeral range (32768 and up), where the kernel hands out ports at random.
 */
export const HOST_PORT_BLOCK = 64;
export const HOST_PORT_RANGE = { first: 20000, last: 32767 } as const;

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
    /** Lab address (unused where Docker assigns it or the container has none of its own). */
    readonly address: string;
    /** Names of its attachment's host interfaces, for the methods that make them. */
    readonly ifnames: PortNames;
    /** The Docker host it runs on, by name (labs across hosts only). */
    readonly host?: string;
}

export interface ServerPlan extends ContainerPlan {
    readonly role: "server";
    /** Address clients dial under macvlan-nat; DNATed to `address`. */
    readonly externalAddress: string;
    /** Port iperf -s listens on. */
    readonly port: number;
    /** Address iperf -s binds to (iperf -B), when not every address of its namespace. */
    readonly bind?: string;
}

export interface ClientPlan extends ContainerPlan {
    readonly role: "client";
    /** Index of the server this container's processes talk to (client index mod servers). */
    readonly serverIndex: number;
    /** Number of iperf client processes in this container. */
    readonly processes: number;
}

/** A lab container of either role. */
export type LabContainerPlan = ServerPlan | ClientPlan;

/** Names shared by a whole lab (its interface names come from its method's module). */
export interface LabNames {
    /** Mark carried by OVS external_ids and iptables comments. */
    readonly mark: string;
}

/** Where a lab across hosts runs, and the stack's addresses for what its hosts themselves need. */
export interface LabHosts {
    readonly servers: HostSettings;
    /** The clients' hosts, round robin in this order. */
    readonly clients: readonly HostSettings[];
    /** Address pool of a swarm the lab inits (swarm init --default-addr-pool): the lower half of the stack's hosts slice. */
    readonly swarmPool: string;
    /** Block size of the swarm pool's networks. */
    readonly swarmPoolMaskLength: number;
    /** Subnet of a docker_gwbridge the lab makes on a host: the upper half of the hosts slice. */
    readonly gatewayBridge: string;
    /** Image of the helper that plumbs a host through its Docker endpoint: the stack's, on every host already. */
    readonly helperImage: string;
}

/** One method's independent lab. */
export interface LabPlan {
    readonly stack: string;
    readonly method: Method;
    /** Short id unique per stack and method; every host interface name starts with `ib` + it. */
    readonly id: string;
    /** This lab's slice of the stack subnet (the methods selected share it). */
    readonly subnet: string;
    readonly prefixLength: number;
    /** The first address of the slice: the macvlan-nat shim's, or a Docker network's gateway. */
    readonly hostAddress: string;
    readonly names: LabNames;
    readonly servers: readonly ServerPlan[];
    readonly clients: readonly ClientPlan[];
    /** Labs across hosts: where they run. */
    readonly hosts?: LabHosts;
    /**
     * Labs across hosts: each host's own address on the lab's slice (by host name), from the top
     * of the lower half down in the order of `hosts`, where macvlan-nat (on one host only) puts its
     * external addresses: what a method that gives each host a foot on the lab's network takes.
     */
    readonly hostAddresses?: Readonly<Record<string, string>>;
}

/** A block of ports on the host. */
export interface PortBlock {
    readonly first: number;
    readonly count: number;
}

export interface StackPlan {
    readonly stack: string;
    /** The stack's whole subnet (given or default); each lab has a slice of it. */
    readonly subnet: string;
    /** Short id in every host interface name of the stack (given or default). */
    readonly labId: string;
    readonly image: string;
    readonly runId: string;
    readonly iperf: IperfSettings;
    /** Ports the host method's servers take on the host (given or default). */
    readonly hostPorts: PortBlock;
    readonly labs: readonly LabPlan[];
    /** The Docker hosts of a lab across hosts; absent: the program's own Docker. */
    readonly hosts?: readonly HostSettings[];
    /** Methods in measuring order, per round of the benchmark run (round 1 first). */
    readonly rounds: readonly (readonly Method[])[];
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
    const hostPorts = { first: settings.hostPort ?? defaultHostPort(stack), count: HOST_PORT_BLOCK };
    const slices = sliceOrder(settings.methods);
    const bits = sliceBits(sliceCount(settings));
    const hosts = labHosts(settings, subnet, bits, slices.length);
    return {
        stack,
        subnet: formatCidr(subnet),
        labId: stackId,
        image: settings.image,
        runId: settings.runId,
        iperf: settings.iperf,
        hostPorts,
        labs: slices.map((method, i) => planLab({ stack, stackId, method, slice: subBlock(subnet, bits, i), settings, hostPorts, hosts })),
        ...(settings.hosts === undefined ? {} : { hosts: settings.hosts }),
        rounds: roundOrders(settings.methods, settings.repeats, settings.runId),
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

/** The first port of one of the blocks of HOST_PORT_RANGE, picked by the stack name's hash. */
export function defaultHostPort(stack: string): number {
    const blocks = Math.floor((HOST_PORT_RANGE.last + 1 - HOST_PORT_RANGE.first) / HOST_PORT_BLOCK);
    return HOST_PORT_RANGE.first + (parseInt(stackHash(stack).slice(8, 12), 16) % blocks) * HOST_PORT_BLOCK;
}

function stackHash(stack: string): string {
    return createHash("sha256").update(stack).digest("hex");
}

function stackSubnet(stack: string, settings: LabSettings): string {
    return settings.subnet ?? defaultSubnet(stack);
}

/** Stack names go into container names and host object marks. */
export const STACK_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/** The selected methods in registry order: the order their labs take slices of the subnet. */
function sliceOrder(methods: readonly Method[]): Method[] {
    return METHODS.filter((m) => methods.includes(m));
}

/** Slices of the stack subnet: one per method, and across hosts one more for the hosts' own networks (the last). */
function sliceCount(settings: LabSettings): number {
    return settings.methods.length + (settings.hosts === undefined ? 0 : 1);
}

/** The smallest hosts slice: its halves hold a swarm pool of two networks and a docker_gwbridge. */
const MAX_HOSTS_SLICE_PREFIX = 26;

function labHosts(settings: LabSettings, subnet: Cidr, bits: number, index: number): LabHosts | undefined {
    const placement = settings.placement;
    if (placement === undefined) {
        return undefined;
    }
    const slice = subBlock(subnet, bits, index);
    const pool = subBlock(slice, 1, 0);
    return {
        servers: hostNamed(settings, placement.servers),
        clients: placement.clients.map((c) => hostNamed(settings, c)),
        swarmPool: formatCidr(pool),
        swarmPoolMaskLength: pool.prefix + 1,
        gatewayBridge: formatCidr(subBlock(slice, 1, 1)),
        helperImage: settings.image,
    };
}

/** Bits that split the stack subnet into `slices` slices (a power of two of them). */
function sliceBits(methods: number): number {
    return Math.ceil(Math.log2(Math.max(methods, 1)));
}

/**
 * Offsets inside a slice: .0 network, .1 host, servers from .2 up and their NAT addresses (across
 * hosts: the hosts' own addresses) from the top of the lower half down; clients from the upper
 * half up, the last address broadcast. No address moves when servers or clients are added: a
 * container made again never takes (or collides with the fixed MAC of) an address another
 * container of the lab still holds.
 */
function addressesNeeded(settings: LabSettings): number {
    const { servers, clientContainers } = settings.topology;
    const lowerHalf = 2 + servers + Math.max(servers, settings.hosts?.length ?? 0);
    const upperHalf = clientContainers + 1;
    return 2 * Math.max(lowerHalf, upperHalf);
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
        const bits = sliceBits(sliceCount(settings));
        const needed = addressesNeeded(settings);
        if (settings.hosts !== undefined && subnet.prefix + bits > MAX_HOSTS_SLICE_PREFIX) {
            problems.push({
                key,
                value,
                allowed: `across hosts, a subnet whose ${2 ** bits} slices (one per method of ${settings.methods.length}, one for the hosts' own networks: a swarm's address pool and docker_gwbridge) are each /${MAX_HOSTS_SLICE_PREFIX} or larger: prefix /${MAX_HOSTS_SLICE_PREFIX - bits} or shorter`,
            });
        } else if (subnet.prefix + bits > 32 || needed > blockSize(subnet.prefix + bits)) {
            const { servers, clientContainers } = settings.topology;
            problems.push({
                key,
                value,
                allowed:
                    `a subnet whose ${2 ** bits} slices (one per method of ${settings.methods.length}${settings.hosts === undefined ? "" : ", one for the hosts' own networks"}) hold ${needed} addresses each (servers and their NAT addresses in the lower half, clients in the upper) for ` +
                    `${servers} server(s) and ${clientContainers} client container(s): prefix /${largestPrefix(needed, bits)} or shorter`,
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

function largestPrefix(addresses: number, bits: number): number {
    return 32 - bits - Math.ceil(Math.log2(addresses));
}

function longestIfName(stackId: string, settings: LabSettings): string {
    const { servers, clientContainers } = settings.topology;
    const top = Math.max(servers, clientContainers) - 1;
    const role = servers - 1 >= clientContainers - 1 ? "s" : "c";
    // Every method code is one letter: the first method's names are as long as any.
    return portNames(`${methodModule(settings.methods[0] ?? METHODS[0]).code}${stackId}`, role, top).peer;
}

function portNames(labId: string, role: "s" | "c", index: number): PortNames {
    const host = `ib${labId}${role}${index}`;
    return { host, peer: `${host}x` };
}

/** What planning one method's lab takes. */
interface LabInputs {
    readonly stack: string;
    readonly stackId: string;
    readonly method: Method;
    readonly slice: Cidr;
    readonly settings: LabSettings;
    readonly hostPorts: PortBlock;
    /** Where a lab across hosts runs; absent on one host. */
    readonly hosts: LabHosts | undefined;
}

function planLab({ stack, stackId, method, slice, settings, hostPorts, hosts }: LabInputs): LabPlan {
    const module = methodModule(method);
    const id = `${module.code}${stackId}`;
    const at = (offset: number): string => formatIpv4(slice.network + offset);
    const { servers, clientContainers, clientsPerContainer } = settings.topology;
    const half = blockSize(slice.prefix) / 2;
    const firstServer = 2;
    const lastExternal = half - 1;
    const firstClient = half;
    const onLoopback = module.listening === "host-loopback";
    const onHostAddress = module.listening === "host-address";
    const serverHost = hosts?.servers;
    const clientHost = (i: number): { host?: string } => (hosts === undefined ? {} : { host: hosts.clients[i % hosts.clients.length].name });
    const containerName = (role: string, index: number): string => `icc-bench-${stack}-${method}-${role}${index}`;
    return {
        stack,
        method,
        id,
        subnet: `${formatIpv4(slice.network)}/${slice.prefix}`,
        prefixLength: slice.prefix,
        hostAddress: at(1),
        names: { mark: `icc-bench:${stack}:${method}` },
        servers: range(servers).map((i) => ({
            role: "server",
            index: i,
            name: containerName("server", i),
            address: at(firstServer + i),
            externalAddress: at(lastExternal - i),
            port: onLoopback || onHostAddress ? hostPorts.first + i : settings.iperf.port,
            ...(onLoopback ? { bind: LOOPBACK } : onHostAddress && serverHost !== undefined ? { bind: serverHost.address } : {}),
            ifnames: portNames(id, "s", i),
            ...(serverHost === undefined ? {} : { host: serverHost.name }),
        })),
        clients: range(clientContainers).map((i) => ({
            role: "client",
            index: i,
            name: containerName("client", i),
            address: at(firstClient + i),
            serverIndex: i % servers,
            processes: clientsPerContainer,
            ifnames: portNames(id, "c", i),
            ...clientHost(i),
        })),
        ...(hosts === undefined ? {} : { hosts, hostAddresses: Object.fromEntries((settings.hosts ?? []).map((h, k) => [h.name, at(lastExternal - k)])) }),
    };
}

function hostNamed(settings: LabSettings, name: string): HostSettings {
    const host = settings.hosts?.find((h) => h.name === name);
    if (host === undefined) {
        throw new Error(`the placement names the host ${name}, which is not in hosts`);
    }
    return host;
}

function range(n: number): number[] {
    return Array.from({ length: n }, (_, i) => i);
}
