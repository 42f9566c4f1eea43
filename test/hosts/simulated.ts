import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { acceptForward, deleteRule, ensureRule } from "../../hostscripts/iptables";
import { DEFAULT_IMAGE } from "../../model";

/**
 * Docker hosts simulated on this machine, for labs across hosts: each a network namespace with a
 * dockerd of its own (socket, data-root, exec-root, pidfile), its default bridge and address pool
 * inside 198.19.128.0/19, the lab's image loaded, and an underlay address on one Linux bridge
 * (the wire) that joins them. Only this harness knows that a host is a namespace: the product
 * sees a Docker endpoint and an address, as it would of any host.
 */

/** A host as a stack's `hosts` names it. */
export interface SimulatedHost {
    readonly name: string;
    /** Its Docker endpoint. */
    readonly docker: string;
    /** Its underlay address on the wire. */
    readonly address: string;
    /** The client's TLS files, for a tcp:// endpoint. */
    readonly certPath?: string;
}

/** At most this many: each takes a /24 for its bridge and a /23 for its pool. */
export const MAX_SIMULATED_HOSTS = 8;

const WIRE = "ibhwire";
const WIRE_MARK = "icc-bench:hosts";
/** The wire is a bridge: with br_netfilter its frames meet Docker's FORWARD policy DROP. */
const WIRE_RULE = acceptForward(WIRE, WIRE_MARK);
/** The wire's subnet: this machine at .1, host i at .(10 + i). */
const WIRE_PREFIX = "198.19.128";
const NETNS_PREFIX = "ib-host";
const RUN_ROOT = "/run/icc-bench/hosts";
/** This machine's ssh client key for the hosts' sshds, and their host keys as it knows them. */
const SSH_ROOT = `${RUN_ROOT}/ssh`;
const CLIENT_KEY = `${SSH_ROOT}/id_ed25519`;
const KNOWN_HOSTS = `${SSH_ROOT}/known_hosts`;
/**
 * The system ssh client's settings for the hosts' addresses only (what `docker -H ssh://`, the
 * docker plugin and the runner all run): this key, these host keys, never a prompt.
 */
const SSH_CLIENT_CONFIG = "/etc/ssh/ssh_config.d/icc-bench-hosts.conf";
const DATA_ROOT = "/var/lib/icc-bench/hosts";
/** The hosts' certificate authority, and this machine's client files for tcp:// with TLS (a DOCKER_CERT_PATH folder). */
const TLS_ROOT = `${RUN_ROOT}/tls`;
const TLS_CLIENT = `${TLS_ROOT}/client`;
/** The port of each dockerd's TLS listener (Docker's for TCP with TLS). */
const TLS_PORT = 2376;

interface HostPaths {
    readonly netns: string;
    readonly run: string;
    readonly data: string;
    readonly socket: string;
    readonly pidfile: string;
    readonly log: string;
    /** The host end of its veth on the wire; inside, it is eth0. */
    readonly veth: string;
    readonly sshdConfig: string;
    readonly sshdPidfile: string;
    readonly sshHostKey: string;
    /** The dockerd's certificate and key, issued by the hosts' authority for its address. */
    readonly tlsCert: string;
    readonly tlsKey: string;
    /** What the host's processes see as /run/openvswitch: its own Open vSwitch's socket and pidfiles. */
    readonly ovsRun: string;
    readonly ovsDb: string;
}

function pathsOf(index: number): HostPaths {
    const run = `${RUN_ROOT}/host${index}`;
    return {
        netns: `${NETNS_PREFIX}${index}`,
        run,
        data: `${DATA_ROOT}/host${index}`,
        socket: `${run}/docker.sock`,
        pidfile: `${run}/dockerd.pid`,
        log: `${run}/dockerd.log`,
        veth: `ibh${index}`,
        sshdConfig: `${run}/sshd_config`,
        sshdPidfile: `${run}/sshd.pid`,
        sshHostKey: `${run}/ssh_host_ed25519_key`,
        tlsCert: `${run}/tls-cert.pem`,
        tlsKey: `${run}/tls-key.pem`,
        ovsRun: `${run}/openvswitch`,
        ovsDb: `${run}/ovs-conf.db`,
    };
}

/** How a stack reaches a simulated host's dockerd: its socket, ssh to its sshd (hosts:up --ssh), or TCP with TLS. */
export type Reach = "socket" | "ssh" | "tls";

/** The i-th simulated host (1-based), as `hosts:up` makes it. */
export function simulatedHost(index: number, reach: Reach = "socket"): SimulatedHost {
    const address = `${WIRE_PREFIX}.${10 + index}`;
    const name = `host${index}`;
    switch (reach) {
        case "socket":
            return { name, docker: `unix://${pathsOf(index).socket}`, address };
        case "ssh":
            return { name, docker: `ssh://root@${address}`, address };
        case "tls":
            return { name, docker: `tcp://${address}:${TLS_PORT}`, address, certPath: TLS_CLIENT };
    }
}

/** Runs a command in a simulated host's network namespace (for tests that look at what a lab left there). */
export function inHost(host: SimulatedHost, file: string, args: readonly string[]): string {
    return run(...inNetns(pathsOf(indexOf(host)), file, args));
}

function indexOf(host: SimulatedHost): number {
    const index = Number(/^host(\d+)$/.exec(host.name)?.[1] ?? NaN);
    if (!Number.isInteger(index)) {
        throw new Error(`${host.name} is not a simulated host`);
    }
    return index;
}

/** The marked Open vSwitch records (bridges and ports) of a simulated host's own Open vSwitch, as "table name". */
export function markedOvsOn(host: SimulatedHost, mark: string): string[] {
    const db = `unix:${pathsOf(indexOf(host)).ovsRun}/db.sock`;
    return ["bridge", "port"].flatMap((table) =>
        run("ovs-vsctl", [`--db=${db}`, "--timeout=10", "--format=csv", "--no-headings", "--columns=name,external_ids", "find", table, `external_ids:icc-bench!=""`])
            .split("\n")
            .filter((l) => l.includes(mark))
            .map((l) => `${table} ${l.split(",")[0]}`),
    );
}

function run(file: string, args: readonly string[]): string {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
}

function succeeds(file: string, args: readonly string[]): boolean {
    return spawnSync(file, args, { stdio: "ignore", timeout: 30_000 }).status === 0;
}

const inNetns = (paths: HostPaths, file: string, args: readonly string[]): [string, string[]] => ["nsenter", [`--net=/run/netns/${paths.netns}`, file, ...args]];

function answers(paths: HostPaths): boolean {
    return existsSync(paths.socket) && succeeds("docker", ["-H", `unix://${paths.socket}`, "info"]);
}

function makeWire(): void {
    if (!succeeds("ip", ["link", "show", "dev", WIRE])) {
        run("ip", ["link", "add", WIRE, "type", "bridge"]);
        run("ip", ["link", "set", WIRE, "alias", WIRE_MARK]);
    }
    run("ip", ["addr", "replace", `${WIRE_PREFIX}.1/24`, "dev", WIRE]);
    run("ip", ["link", "set", WIRE, "up"]);
    run("sh", ["-c", ensureRule(WIRE_RULE)]);
}


function makeNamespace(index: number, paths: HostPaths): void {
    if (!existsSync(`/run/netns/${paths.netns}`)) {
        run("ip", ["netns", "add", paths.netns]);
    }
    const inside = (args: string[]) => run(...inNetns(paths, "ip", args));
    inside(["link", "set", "lo", "up"]);
    if (!succeeds(...inNetns(paths, "ip", ["link", "show", "dev", "eth0"]))) {
        spawnSync("ip", ["link", "del", paths.veth], { stdio: "ignore" });
        run("ip", ["link", "add", paths.veth, "type", "veth", "peer", "name", `${paths.veth}p`]);
        run("ip", ["link", "set", paths.veth, "alias", WIRE_MARK]);
        run("ip", ["link", "set", `${paths.veth}p`, "netns", paths.netns]);
        inside(["link", "set", `${paths.veth}p`, "name", "eth0"]);
    }
    run("ip", ["link", "set", paths.veth, "master", WIRE, "up"]);
    inside(["addr", "replace", `${simulatedHost(index).address}/24`, "dev", "eth0"]);
    inside(["link", "set", "eth0", "up"]);
}

/**
 * Run in the host's network namespace and a mount namespace of its own, where /run/openvswitch is
 * the host's: its Open vSwitch (ovsdb-server and ovs-vswitchd, the userspace datapath), then its
 * dockerd, whose containers (the lab's helper among them, with the host's /run) see the same.
 */
const HOST_PROCESSES = `set -e
ovs="$1" db="$2" run="$3"; shift 3
mkdir -p /run/openvswitch
mount --bind "$ovs" /run/openvswitch
[ -f "$db" ] || ovsdb-tool create "$db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$db" --remote=punix:/run/openvswitch/db.sock --pidfile=/run/openvswitch/ovsdb-server.pid --detach --log-file="$run/ovsdb-server.log"
ovs-vsctl --no-wait init
ovs-vswitchd --pidfile=/run/openvswitch/ovs-vswitchd.pid --detach --log-file="$run/ovs-vswitchd.log"
exec dockerd "$@"`;

async function startDockerd(index: number, paths: HostPaths): Promise<void> {
    if (answers(paths)) {
        return;
    }
    mkdirSync(paths.run, { recursive: true });
    mkdirSync(paths.data, { recursive: true });
    mkdirSync(paths.ovsRun, { recursive: true });
    const tls = ["--host", `tcp://${simulatedHost(index).address}:${TLS_PORT}`, "--tlsverify", `--tlscacert=${TLS_ROOT}/ca.pem`, `--tlscert=${paths.tlsCert}`, `--tlskey=${paths.tlsKey}`];
    const [file, args] = inNetns(paths, "unshare", [
        "--mount", "--propagation", "private", "sh", "-c", HOST_PROCESSES, "host", paths.ovsRun, paths.ovsDb, paths.run,
        "--host", `unix://${paths.socket}`, ...tls, "--data-root", paths.data, "--exec-root", `${paths.run}/exec`, "--pidfile", paths.pidfile,
        "--bip", `198.19.${130 + index}.1/24`, "--default-address-pool", `base=198.19.${140 + 2 * index}.0/23,size=24`,
    ]);
    spawn("sh", ["-c", `exec "$@" >>"${paths.log}" 2>&1`, "host", file, ...args], { detached: true, stdio: "ignore" }).unref();
    for (let i = 0; i < 120; i++) {
        if (answers(paths)) {
            return;
        }
        await sleep(500);
    }
    throw new Error(`the dockerd of simulated host ${index} did not answer on ${paths.socket}:\n${readFileSync(paths.log, "utf8").slice(-2000)}`);
}

function imageId(docker: readonly string[]): string {
    const inspected = spawnSync("docker", [...docker, "image", "inspect", "--format", "{{.Id}}", DEFAULT_IMAGE], { encoding: "utf8", timeout: 30_000 });
    return inspected.status === 0 ? inspected.stdout.trim() : "";
}

/** The lab's image as this machine has it (the setup may have built it again since). */
function loadImage(paths: HostPaths): void {
    if (imageId(["-H", `unix://${paths.socket}`]) !== imageId([])) {
        execFileSync("sh", ["-c", 'docker save "$1" | docker -H "$2" load >/dev/null', "sh", DEFAULT_IMAGE, `unix://${paths.socket}`], { stdio: ["ignore", "ignore", "pipe"], timeout: 300_000 });
    }
}

/** An EC key and a certificate for it, signed by the hosts' authority, or by itself (the authority's own). */
function issue(key: string, cert: string, subject: string, extensions: readonly string[], signedBy: "authority" | "itself" = "authority"): void {
    const csr = `${cert}.csr`;
    run("openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr, "-subj", `/CN=${subject}`]);
    const extfile = `${cert}.ext`;
    writeFileSync(extfile, `${extensions.join("\n")}\n`);
    const signer = signedBy === "itself" ? ["-key", key] : ["-CA", `${TLS_ROOT}/ca.pem`, "-CAkey", `${TLS_ROOT}/ca-key.pem`, "-CAcreateserial"];
    run("openssl", ["x509", "-req", "-in", csr, ...signer, "-days", "7", "-extfile", extfile, "-out", cert]);
    rmSync(csr);
    rmSync(extfile);
}

/** The authority, this machine's client files and each host's dockerd certificate (for its address); kept once made. */
function tlsFiles(indexes: readonly number[]): void {
    mkdirSync(TLS_CLIENT, { recursive: true, mode: 0o700 });
    if (!existsSync(`${TLS_ROOT}/ca.pem`)) {
        issue(`${TLS_ROOT}/ca-key.pem`, `${TLS_ROOT}/ca.pem`, "icc-bench simulated hosts CA", ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign"], "itself");
    }
    if (!existsSync(`${TLS_CLIENT}/cert.pem`)) {
        issue(`${TLS_CLIENT}/key.pem`, `${TLS_CLIENT}/cert.pem`, "icc-bench client", ["extendedKeyUsage=clientAuth"]);
        writeFileSync(`${TLS_CLIENT}/ca.pem`, readFileSync(`${TLS_ROOT}/ca.pem`));
    }
    for (const index of indexes) {
        const paths = pathsOf(index);
        if (!existsSync(paths.tlsCert)) {
            mkdirSync(paths.run, { recursive: true });
            issue(paths.tlsKey, paths.tlsCert, `host${index}`, [`subjectAltName=IP:${simulatedHost(index).address}`, "extendedKeyUsage=serverAuth"]);
        }
    }
}

function ensureKey(path: string, comment: string): void {
    if (!existsSync(path)) {
        run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path]);
    }
}

/** This machine's key, the hosts' keys it trusts, and its ssh client's settings for their addresses. */
function sshClient(indexes: readonly number[]): void {
    mkdirSync(SSH_ROOT, { recursive: true, mode: 0o700 });
    ensureKey(CLIENT_KEY, "icc-bench simulated hosts");
    writeFileSync(`${SSH_ROOT}/authorized_keys`, readFileSync(`${CLIENT_KEY}.pub`), { mode: 0o600 });
    const known = indexes.map((i) => `${simulatedHost(i).address} ${readFileSync(`${pathsOf(i).sshHostKey}.pub`, "utf8").trim()}`);
    writeFileSync(KNOWN_HOSTS, `${known.join("\n")}\n`);
    writeFileSync(
        SSH_CLIENT_CONFIG,
        [
            `# ${WIRE_MARK}: the simulated Docker hosts (npm run hosts:up -- N --ssh); hosts:down removes this file.`,
            `Host ${indexes.map((i) => simulatedHost(i).address).join(" ")}`,
            `    IdentityFile ${CLIENT_KEY}`,
            "    IdentitiesOnly yes",
            `    UserKnownHostsFile ${KNOWN_HOSTS}`,
            "    StrictHostKeyChecking yes",
            "    BatchMode yes",
            "",
        ].join("\n"),
    );
}

/** An sshd in the host's namespace on its underlay address; its sessions' docker is the host's dockerd. */
function startSshd(index: number, paths: HostPaths): void {
    ensureKey(paths.sshHostKey, `icc-bench simulated host ${index}`);
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    writeFileSync(
        paths.sshdConfig,
        [
            `ListenAddress ${simulatedHost(index).address}`,
            "Port 22",
            `HostKey ${paths.sshHostKey}`,
            `PidFile ${paths.sshdPidfile}`,
            `AuthorizedKeysFile ${SSH_ROOT}/authorized_keys`,
            "PermitRootLogin prohibit-password",
            "AllowUsers root",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            `SetEnv DOCKER_HOST=unix://${paths.socket}`,
            "",
        ].join("\n"),
    );
    if (!existsSync(paths.sshdPidfile) || !signal(Number(readFileSync(paths.sshdPidfile, "utf8").trim()), 0)) {
        run(...inNetns(paths, "/usr/sbin/sshd", ["-f", paths.sshdConfig]));
    }
}

/**
 * Makes (or completes) simulated hosts 1..count, each dockerd on its socket and on TCP with TLS
 * (client certificates of the hosts' own authority required), each also with an sshd when
 * `reach` is ssh; re-runnable.
 */
export async function hostsUp(count: number, reach: Reach = "socket"): Promise<SimulatedHost[]> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_SIMULATED_HOSTS) {
        throw new Error(`simulated hosts: ${count} is not a count from 1 to ${MAX_SIMULATED_HOSTS}`);
    }
    makeWire();
    const indexes = Array.from({ length: count }, (_, i) => i + 1);
    for (const index of indexes) {
        makeNamespace(index, pathsOf(index));
    }
    tlsFiles(indexes);
    await Promise.all(indexes.map((index) => startDockerd(index, pathsOf(index))));
    indexes.forEach((index) => loadImage(pathsOf(index)));
    if (reach === "ssh") {
        indexes.forEach((index) => startSshd(index, pathsOf(index)));
        sshClient(indexes);
    }
    return indexes.map((i) => simulatedHost(i, reach));
}

/** The indexes of the simulated hosts on this machine: every namespace of theirs, and every run folder. */
function presentIndexes(): number[] {
    const netns = existsSync("/run/netns") ? readdirSync("/run/netns") : [];
    const runs = existsSync(RUN_ROOT) ? readdirSync(RUN_ROOT) : [];
    const found = [...netns.map((n) => n.match(/^ib-host(\d+)$/)?.[1]), ...runs.map((r) => r.match(/^host(\d+)$/)?.[1])];
    return [...new Set(found.filter((i): i is string => i !== undefined).map(Number))].sort((a, b) => a - b);
}

/** Sends a signal; false when no such process runs. */
function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
    try {
        process.kill(pid, sig);
        return true;
    } catch {
        return false;
    }
}

/** Stops a host's process by its pidfile (dockerd stops its containers), by force after 30 s. */
async function stopProcess(pidfile: string): Promise<void> {
    const pid = existsSync(pidfile) ? Number(readFileSync(pidfile, "utf8").trim()) : 0;
    if (pid > 0 && signal(pid, "SIGTERM")) {
        for (let i = 0; i < 60 && signal(pid, 0); i++) {
            await sleep(500);
        }
        signal(pid, "SIGKILL");
    }
}

/** Stops a simulated host's Open vSwitch (its database socket goes with it), as on a host that has none; hostsUp does not start it again. */
export async function stopOpenvswitch(host: SimulatedHost): Promise<void> {
    const paths = pathsOf(indexOf(host));
    await stopProcess(`${paths.ovsRun}/ovs-vswitchd.pid`);
    await stopProcess(`${paths.ovsRun}/ovsdb-server.pid`);
}

/** A dockerd's exec-root and data-root hold mounts (netns files, overlays): unmounted deepest first. */
export function unmountUnder(root: string): void {
    const mountedUnder = (): string[] =>
        readFileSync("/proc/mounts", "utf8")
            .split("\n")
            .map((l) => l.split(" ")[1])
            .filter((m) => m !== undefined && m.startsWith(`${root}/`));
    // A path can be listed twice (one mount on another) and go with its first umount: read again before each.
    for (const m of [...new Set(mountedUnder())].sort().reverse()) {
        if (mountedUnder().includes(m)) {
            run("umount", [m]);
        }
    }
}

/** Removes every simulated host (its dockerd, containers, namespace, folders) and the wire. */
export async function hostsDown(): Promise<void> {
    for (const index of presentIndexes()) {
        const paths = pathsOf(index);
        await stopProcess(paths.sshdPidfile);
        await stopProcess(paths.pidfile);
        await stopOpenvswitch(simulatedHost(index));
        unmountUnder(paths.run);
        unmountUnder(paths.data);
        if (existsSync(`/run/netns/${paths.netns}`)) {
            run("ip", ["netns", "delete", paths.netns]);
        }
        spawnSync("ip", ["link", "del", paths.veth], { stdio: "ignore" });
        rmSync(paths.run, { recursive: true, force: true });
        rmSync(paths.data, { recursive: true, force: true });
    }
    rmSync(SSH_CLIENT_CONFIG, { force: true });
    rmSync(SSH_ROOT, { recursive: true, force: true });
    rmSync(TLS_ROOT, { recursive: true, force: true });
    run("sh", ["-c", deleteRule(WIRE_RULE)]);
    if (succeeds("ip", ["link", "show", "dev", WIRE]) && run("ip", ["-o", "link", "show", "dev", WIRE]).includes(`alias ${WIRE_MARK}`)) {
        run("ip", ["link", "del", WIRE]);
    }
}
