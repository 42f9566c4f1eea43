import { parseIpv4 } from "./ipv4";
import { Reader } from "./reader";

/** How a Docker engine is reached, as the Docker CLI takes it (-H, and --tlsverify with DOCKER_CERT_PATH's files). */
export interface DockerEndpoint {
    /** Its Docker endpoint as the Docker CLI writes it: unix:///path.sock, tcp://host:port or ssh://[user@]host[:port]. */
    readonly docker: string;
    /** A folder with ca.pem, cert.pem and key.pem: TLS to a tcp:// endpoint, the server verified against ca.pem. */
    readonly certPath?: string;
}

/** A Docker host of a lab across hosts. */
export interface HostSettings extends DockerEndpoint {
    /** Its name in `placement` and in the results. */
    readonly name: string;
    /** The address the other hosts reach it on (the underlay). */
    readonly address: string;
}

/** Which host runs the servers and which the clients (round robin over `clients`). */
export interface PlacementSettings {
    readonly servers: string;
    readonly clients: readonly string[];
}

export const MAX_HOSTS = 16;
const HOST_KEYS = ["name", "docker", "address", "certPath"] as const;
const PLACEMENT_KEYS = ["servers", "clients"] as const;
/** A host's name: it goes into results and the benchmark plan. */
export const HOST_NAME_RE = /^[a-z][a-z0-9-]{0,15}$/;
const HOSTNAME = "[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?";
const PORT = "(?::(?:[1-9]\\d{0,4}))?";
const SSH_USER = "(?:[A-Za-z_][A-Za-z0-9._-]{0,31}@)?";
/** The endpoints icc-bench's Docker client (the offline docker plugin, the runner) reaches: a socket path, plain TCP, or ssh as the Docker CLI runs it. */
const DOCKER_ENDPOINT_RE = new RegExp(`^(?:unix://(?:/[A-Za-z0-9._-]+)+|tcp://${HOSTNAME}${PORT}|ssh://${SSH_USER}${HOSTNAME}${PORT})$`);

/** An absolute path of plain names: what `certPath` takes. */
export const CERT_PATH_RE = /^(?:\/[A-Za-z0-9._-]+)+$/;

/** Whether text is a Docker endpoint icc-bench's Docker client reaches (what `hosts[].docker` takes). */
export function isDockerEndpoint(text: string): boolean {
    return DOCKER_ENDPOINT_RE.test(text);
}

/** The `hosts` list: absent means one host, the program's own Docker, as without the key. */
export function readHosts(r: Reader, value: unknown): HostSettings[] | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_HOSTS) {
        return r.fail("hosts", value, `a list of 1 to ${MAX_HOSTS} hosts, each { name, docker, address }`, []);
    }
    const hosts = value.map((h, i) => readHost(r, `hosts[${i}]`, h));
    for (const field of ["name", "docker", "address"] as const) {
        const seen = hosts.map((h) => h[field]).filter((v) => v !== "");
        if (new Set(seen).size !== seen.length) {
            r.fail(`hosts`, value, `hosts with distinct ${field}s`, undefined);
        }
    }
    return hosts;
}

function readHost(r: Reader, key: string, value: unknown): HostSettings {
    const host = r.object(key, value, HOST_KEYS);
    const required = (field: string): unknown => (host[field] === undefined ? r.fail(`${key}.${field}`, undefined, "a value (every host has name, docker and address)", "") : host[field]);
    const name = required("name");
    const docker = required("docker");
    const address = required("address");
    const certPath = readCertPath(r, key, host.certPath, docker);
    return {
        name: name === "" ? "" : r.pattern(`${key}.name`, name, "", HOST_NAME_RE, "1 to 16 lowercase letters, digits or '-', starting with a letter"),
        docker: docker === "" ? "" : r.pattern(`${key}.docker`, docker, "", DOCKER_ENDPOINT_RE, "a Docker endpoint: unix:///path/to/docker.sock, tcp://host:port (TLS with certPath) or ssh://user@host[:port]"),
        address: address === "" ? "" : typeof address === "string" && parseIpv4(address) !== undefined ? address : r.fail(`${key}.address`, address, "an IPv4 address the other hosts reach this host on", ""),
        ...(certPath === undefined ? {} : { certPath }),
    };
}

/** TLS files of a tcp:// endpoint; nothing else takes them (a socket or ssh has its own security). */
function readCertPath(r: Reader, key: string, value: unknown, docker: unknown): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (typeof docker === "string" && !docker.startsWith("tcp://")) {
        return r.fail(`${key}.certPath`, value, "nothing unless docker is a tcp:// endpoint (TLS is for TCP; unix:// and ssh:// have none)", undefined);
    }
    return r.pattern(`${key}.certPath`, value, "", CERT_PATH_RE, "an absolute path of a folder with ca.pem, cert.pem and key.pem (letters, digits, '.', '_', '-')");
}

/**
 * Where the servers and the clients run: given, or the servers on the first host and the clients
 * round robin over the others (over the first too when it is the only one).
 */
export function readPlacement(r: Reader, value: unknown, hosts: readonly HostSettings[] | undefined): PlacementSettings | undefined {
    if (hosts === undefined) {
        return value === undefined ? undefined : r.fail("placement", value, "nothing without hosts (a lab on one host has nothing to place)", undefined);
    }
    const names = hosts.map((h) => h.name);
    const placement = r.object("placement", value, PLACEMENT_KEYS);
    const known = `one of the hosts ${names.join(", ")}`;
    const isHost = (v: unknown): v is string => typeof v === "string" && names.includes(v);
    const servers = placement.servers === undefined ? names[0] : isHost(placement.servers) ? placement.servers : r.fail("placement.servers", placement.servers, known, names[0]);
    const others = names.filter((n) => n !== servers);
    const clients =
        placement.clients === undefined
            ? others.length > 0 ? others : [servers]
            : Array.isArray(placement.clients) && placement.clients.length > 0 && placement.clients.every(isHost) && new Set(placement.clients).size === placement.clients.length
              ? (placement.clients as string[])
              : r.fail("placement.clients", placement.clients, `a non-empty list of distinct hosts, each ${known}`, [servers]);
    return { servers, clients };
}

/** Whether the placement puts a client on another host than the servers'. */
export function spansHosts(placement: PlacementSettings | undefined): boolean {
    return placement !== undefined && placement.clients.some((c) => c !== placement.servers);
}
