import { NAMESPACE } from "./constants";
import { HostSettings, PlacementSettings, readHosts, readPlacement, spansHosts } from "./hosts";
import { ConfigError, ConfigProblem, Reader } from "./reader";
import { METHODS, Method, isMethod, methodModule } from "./methods";

/** How many of each kind of container a lab runs. */
export interface TopologySettings {
    readonly servers: number;
    readonly clientContainers: number;
    readonly clientsPerContainer: number;
}

/** iperf2 client options shared by every client process. */
export interface IperfSettings {
    readonly duration: number;
    readonly interval: number;
    readonly parallel: number;
    readonly port: number;
    /** Absent for TCP (the study's). */
    readonly protocol?: IperfProtocol;
    /** Offered rate per client process under UDP (iperf -b), e.g. "1G"; absent for TCP. */
    readonly udpRate?: string;
    /** Absent for stream (throughput, the study's); rr: TCP request/response (iperf --bounceback). */
    readonly mode?: IperfMode;
    /** Bytes per write (TCP), per datagram (UDP) or per request (rr) (iperf -l); absent: iperf's default. */
    readonly length?: number;
}

/** TCP as in the study, or UDP at an offered rate (throughput, jitter and loss). */
export type IperfProtocol = "tcp" | "udp";

/** stream: data one way as fast as it goes (or at udpRate); rr: one request, one response, back to back. */
export type IperfMode = "stream" | "rr";

/**
 * iperf -l bounds: the largest UDP payload, and what iperf 2.1.8 works with: a bounceback request
 * under 64 bytes never completes; a datagram under 16 bytes gets no server report, and one over
 * 1470 bytes is counted short by the UDP server, which reads 1470 bytes of it (8000-byte datagrams
 * at 105 Mbit/s were reported as 19 Mbit/s received, none lost).
 */
export const LENGTH_LIMITS = { max: 65507, minTcp: 1, minUdp: 16, maxUdp: 1470, minRr: 64 } as const;

/** Validated settings of one stack: everything the planner needs besides the stack name. */
export interface LabSettings {
    readonly methods: readonly Method[];
    readonly topology: TopologySettings;
    readonly iperf: IperfSettings;
    /** Lab addresses; without it the planner picks the stack's default (see defaultSubnet). */
    readonly subnet?: string;
    readonly image: string;
    readonly labId?: string;
    /** First port of the host method's servers; without it the planner picks the stack's default. */
    readonly hostPort?: number;
    readonly runId: string;
    /** Rounds of one benchmark run: every method measured once per round (see roundOrders). */
    readonly repeats: number;
    /** Docker hosts of a lab across hosts; absent: one host, the program's own Docker. */
    readonly hosts?: readonly HostSettings[];
    /** Where servers and clients run, given or defaulted, whenever `hosts` is set. */
    readonly placement?: PlacementSettings;
}

export { ConfigError, ConfigProblem } from "./reader";

export const DEFAULT_IMAGE = "icc-bench/iperf:bookworm";

export const LIMITS = {
    servers: 64,
    clientContainers: 64,
    clientsPerContainer: 64,
    clientProcesses: 1024,
    duration: 3600,
    parallel: 128,
    repeats: 50,
} as const;

const TOP_KEYS = ["methods", "topology", "iperf", "subnet", "image", "labId", "hostPort", "runId", "repeats", "hosts", "placement"] as const;
/** Keys whose Pulumi config value is the text itself: a labId 1234 or 1e45 stays text, not a number. */
const TEXT_KEYS: ReadonlySet<string> = new Set<(typeof TOP_KEYS)[number]>(["subnet", "image", "labId", "runId"]);
const TOPOLOGY_KEYS = ["servers", "clientContainers", "clientsPerContainer"] as const;
const IPERF_KEYS = ["duration", "interval", "parallel", "port", "protocol", "udpRate", "mode", "length"] as const;
const DEFAULT_UDP_RATE = "1G";
/** iperf -b with a unit: K, M or G bits per second, not zero. */
export const UDP_RATE_RE = /^(?=.*[1-9])\d{1,6}(\.\d{1,3})?[KMG]$/;

const IMAGE_RE = /^[a-z0-9][a-z0-9._/-]{0,126}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/;
const LAB_ID_RE = /^[a-z0-9]{1,10}$/;
const RUN_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;
const CIDR_RE = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * Validates the stack's raw config (keys without the namespace) into LabSettings.
 * Throws one ConfigError naming every bad key, its value and what is allowed.
 * Address and name capacity checks that depend on the whole plan live in plan.ts.
 */
export function validateSettings(raw: unknown): LabSettings {
    const r = new Reader(`${NAMESPACE}:`);
    const top = r.object("", raw, TOP_KEYS);
    const hosts = readHosts(r, top.hosts);
    const placement = readPlacement(r, top.placement, hosts);
    const settings: LabSettings = {
        methods: readMethods(r, top.methods, hosts !== undefined),
        topology: readTopology(r, r.object("topology", top.topology, TOPOLOGY_KEYS)),
        iperf: readIperf(r, r.object("iperf", top.iperf, IPERF_KEYS)),
        subnet: top.subnet === undefined ? undefined : r.pattern("subnet", top.subnet, "", CIDR_RE, "an IPv4 CIDR such as 198.18.0.0/22"),
        image: r.pattern("image", top.image, DEFAULT_IMAGE, IMAGE_RE, "a Docker image reference such as icc-bench/iperf:bookworm"),
        labId: top.labId === undefined ? undefined : r.pattern("labId", top.labId, "", LAB_ID_RE, "1 to 10 lowercase letters or digits"),
        hostPort: top.hostPort === undefined ? undefined : r.number("hostPort", top.hostPort, 0, 1024, 65535 - LIMITS.servers, true),
        runId: readRunId(r, top.runId),
        repeats: r.number("repeats", top.repeats, 1, 1, LIMITS.repeats, true),
        ...(hosts === undefined ? {} : { hosts, placement }),
    };
    r.problems.push(...settings.methods.flatMap((m) => [...spanProblems(m, settings), ...methodModule(m).refuse(settings)]));
    if (r.problems.length > 0) {
        throw new ConfigError(r.problems);
    }
    return settings;
}

/** The methods a lab runs when its config names none: those of its span (one host, or across `hosts`). */
export function defaultMethods(acrossHosts: boolean): Method[] {
    return METHODS.filter((m) => (methodModule(m).span === "across-hosts") === acrossHosts);
}

function readMethods(r: Reader, value: unknown, acrossHosts: boolean): Method[] {
    const allowed = `a non-empty list of distinct methods out of ${METHODS.join(", ")}`;
    if (value === undefined) {
        return defaultMethods(acrossHosts);
    }
    if (!Array.isArray(value) || value.length === 0) {
        return r.fail("methods", value, allowed, []);
    }
    const bad = value.filter((m) => !isMethod(m));
    if (bad.length > 0 || new Set(value).size !== value.length) {
        return r.fail("methods", bad.length > 0 ? bad : value, allowed, []);
    }
    return value as Method[];
}

/** A method across hosts needs clients placed on another host than the servers; one on one host, no `hosts`. */
function spanProblems(method: Method, settings: LabSettings): ConfigProblem[] {
    const across = methodModule(method).span === "across-hosts";
    if (across && !spansHosts(settings.placement)) {
        return [{
            key: `${NAMESPACE}:methods`,
            value: method,
            allowed: `${method} only with \`hosts\` (two or more) and a placement with clients on another host than the servers'; the methods on one host are ${defaultMethods(false).join(", ")}`,
        }];
    }
    if (!across && settings.hosts !== undefined) {
        return [{
            key: `${NAMESPACE}:methods`,
            value: method,
            allowed: `with \`hosts\`, the methods across hosts (${defaultMethods(true).join(", ")}): ${method} runs its lab on the program's own Docker host, without \`hosts\``,
        }];
    }
    return [];
}

function readTopology(r: Reader, t: Record<string, unknown>): TopologySettings {
    const topology = {
        servers: r.number("topology.servers", t.servers, 1, 1, LIMITS.servers, true),
        clientContainers: r.number("topology.clientContainers", t.clientContainers, 1, 1, LIMITS.clientContainers, true),
        clientsPerContainer: r.number("topology.clientsPerContainer", t.clientsPerContainer, 1, 1, LIMITS.clientsPerContainer, true),
    };
    const processes = topology.clientContainers * topology.clientsPerContainer;
    if (processes > LIMITS.clientProcesses) {
        r.fail("topology", t, `at most ${LIMITS.clientProcesses} client processes (clientContainers x clientsPerContainer), got ${processes}`, undefined);
    }
    return topology;
}

function readIperf(r: Reader, i: Record<string, unknown>): IperfSettings {
    const duration = r.positive("iperf.duration", i.duration, 5, LIMITS.duration);
    return {
        duration,
        interval: r.number("iperf.interval", i.interval, 1, 0.5, duration, false),
        parallel: r.number("iperf.parallel", i.parallel, 1, 1, LIMITS.parallel, true),
        port: r.number("iperf.port", i.port, 5001, 1, 65535, true),
        ...readProtocol(r, i),
        ...readModeAndLength(r, i),
    };
}

function readModeAndLength(r: Reader, i: Record<string, unknown>): Pick<IperfSettings, "mode" | "length"> {
    const udp = i.protocol === "udp";
    const mode = r.pattern("iperf.mode", i.mode, "stream", /^(stream|rr)$/, "stream or rr") as IperfMode;
    if (mode === "rr" && udp) {
        r.fail("iperf.mode", i.mode, "stream while iperf.protocol is udp (rr is TCP request/response)", undefined);
    }
    const min = mode === "rr" ? LENGTH_LIMITS.minRr : udp ? LENGTH_LIMITS.minUdp : LENGTH_LIMITS.minTcp;
    const max = udp ? LENGTH_LIMITS.maxUdp : LENGTH_LIMITS.max;
    const length = i.length === undefined ? undefined : r.number("iperf.length", i.length, min, min, max, true);
    return { ...(mode === "rr" ? { mode } : {}), ...(length === undefined ? {} : { length }) };
}

function readProtocol(r: Reader, i: Record<string, unknown>): Pick<IperfSettings, "protocol" | "udpRate"> {
    const protocol = r.pattern("iperf.protocol", i.protocol, "tcp", /^(tcp|udp)$/, "tcp or udp") as IperfProtocol;
    if (protocol !== "udp") {
        return i.udpRate === undefined ? {} : r.fail("iperf.udpRate", i.udpRate, "only with iperf.protocol udp", {});
    }
    const udpRate = r.pattern("iperf.udpRate", i.udpRate, DEFAULT_UDP_RATE, UDP_RATE_RE, "bits per second with a unit K, M or G, such as 500M or 1.5G");
    return { protocol, udpRate };
}

function readRunId(r: Reader, value: unknown): string {
    return r.pattern("runId", value, "1", RUN_ID_RE, "1 to 64 letters, digits, '.', '_' or '-'");
}

/**
 * Turns Pulumi's flat config map ("icc-bench:topology" -> JSON or plain text) into a raw object
 * for validateSettings: text keys as given, the others parsed as JSON when they are. Keys of
 * other namespaces are left out.
 */
export function rawConfigFromPulumi(all: Readonly<Record<string, string>>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(all)) {
        const [namespace, key] = splitKey(fullKey);
        if (namespace === NAMESPACE) {
            raw[key] = TEXT_KEYS.has(key) ? text : parseValue(text);
        }
    }
    return raw;
}

function splitKey(fullKey: string): [string, string] {
    const colon = fullKey.indexOf(":");
    return colon < 0 ? ["", fullKey] : [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
}

function parseValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
