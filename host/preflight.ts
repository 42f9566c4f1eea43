import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { readFileSync } from "node:fs";
import { methodModule } from "../methods";
import { dockerFlags, helperRun } from "../hostscripts/dockerHost";
import {
    ConfigError, ConfigProblem, HOST_PORTS_LABEL, HostSettings, LAB_ID_LABEL, Method, STACK_LABEL, SUBNET_LABEL, StackPlan, SubnetClaim,
    defaultMethods, formatPortBlock, hostPortConflicts, labIdConflicts, subnetConflicts, validateSettings,
} from "../model";

/**
 * Checks, before a lab's first resource is registered (preview included), that this host can
 * run it: root, the host commands its methods use, dockerd, the image, Open vSwitch, and a subnet
 * that no other stack's lab holds.
 */

/** The command that makes a host ready (scripts/setup.sh). */
export const SETUP_COMMAND = "npm run setup";

/** What the host lacks, one sentence each, and how to fix it. */
export class HostNotReady extends Error {
    constructor(readonly missing: readonly string[]) {
        super(
            `icc-bench: this host cannot run the lab yet:\n` +
                missing.map((m) => `  - ${m}`).join("\n") +
                `\nrun: ${SETUP_COMMAND} (scripts/setup.sh, as root: installs the packages, starts dockerd and Open vSwitch, builds the image)`,
        );
        this.name = "HostNotReady";
    }
}

/** What a lab needs of the host. */
export interface HostNeeds {
    readonly methods: readonly Method[];
    readonly image: string;
    /** The Docker hosts of a lab across hosts: each must answer and have the image. */
    readonly hosts?: readonly HostSettings[];
}

/** The Debian package that brings each command a method's scripts run. */
const PACKAGE_OF: Readonly<Record<string, string>> = {
    docker: "docker.io",
    ip: "iproute2",
    nsenter: "util-linux",
    iptables: "iptables",
    ethtool: "ethtool",
    "ovs-vsctl": "openvswitch-switch",
};

interface Run {
    readonly ok: boolean;
    readonly stdout: string;
    /** Last line of stderr (where the CLIs put the cause), or of the spawn error. */
    readonly reason: string;
}

function run(file: string, args: readonly string[]): Run {
    try {
        const stdout = execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 15_000 });
        return { ok: true, stdout, reason: "" };
    } catch (e) {
        const err = e as { stderr?: string; message: string };
        const text = err.stderr && err.stderr.trim() !== "" ? err.stderr : err.message;
        return { ok: false, stdout: "", reason: text.trim().split("\n").pop() ?? "" };
    }
}

function onPath(command: string): boolean {
    return (process.env.PATH ?? "").split(delimiter).some((dir) => {
        try {
            accessSync(join(dir, command), constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });
}

function absentCommands(methods: readonly Method[]): string[] {
    return [...new Set(["docker", ...methods.flatMap((m) => methodModule(m).needs.commands)])].filter((c) => !onPath(c));
}

function missingRoot(): string[] {
    const uid = process.getuid?.() ?? 0;
    return uid === 0 ? [] : [`root: the lab runs ip, iptables, nsenter and ovs-vsctl, which need root, but this runs as uid ${uid} (run as root)`];
}

/** The docker CLI's arguments for a host of a lab across hosts (-H its endpoint), or for the program's own Docker. */
function dockerArgs(host: HostSettings | undefined, args: readonly string[]): string[] {
    return host === undefined ? [...args] : [...dockerFlags(host), ...args];
}

function missingDocker(image: string, host?: HostSettings): string[] {
    const which = host === undefined ? "dockerd" : `host ${host.name}'s dockerd (${host.docker})`;
    const daemon = run("docker", dockerArgs(host, ["version", "--format", "{{.Server.Version}}"]));
    if (!daemon.ok) {
        const fix = host === undefined ? "" : "; start it there, or correct its `docker` endpoint in `hosts`";
        return [`${which} does not answer (docker version: ${daemon.reason})${fix}`];
    }
    const found = run("docker", dockerArgs(host, ["image", "inspect", "--format", "{{.Id}}", image]));
    if (found.ok) {
        return [];
    }
    return host === undefined
        ? [`the image ${image} is not on this host (the setup builds icc-bench/iperf:bookworm; docker pull or load any other)`]
        : [`the image ${image} is not on host ${host.name} (docker save ${image} | docker -H ${host.docker} load)`];
}

/** Open vSwitch on this host, for a method on one host that needs it (across hosts, see missingOvsOn). */
function missingOvs(method: Method): string[] {
    const module = methodModule(method);
    if (!module.needs.openvswitch || module.span === "across-hosts" || !onPath("ovs-vsctl")) {
        return [];
    }
    const ovs = run("ovs-vsctl", ["--timeout=5", "show"]);
    return ovs.ok ? [] : [`Open vSwitch does not answer, and the ${method} method needs it (ovs-vsctl show: ${ovs.reason})`];
}

/** The stack label of the preflight's helpers (each removed as it ends). */
const PREFLIGHT = "preflight";

/** Open vSwitch on a host of a lab across hosts, asked there by the helper (the lab's image has ovs-vsctl), for the methods that need it on every host. */
function missingOvsOn(host: HostSettings, image: string, methods: readonly Method[]): string[] {
    const needing = methods.filter((m) => methodModule(m).span === "across-hosts" && methodModule(m).needs.openvswitch);
    if (needing.length === 0) {
        return [];
    }
    const ovs = run("docker", [...dockerFlags(host), ...helperRun({ image, stack: PREFLIGHT }), "--entrypoint", "ovs-vsctl", image, "--timeout=5", "show"]);
    return ovs.ok ? [] : [`host ${host.name}: Open vSwitch does not answer there, and the ${needing.join(", ")} method needs it on every host (ovs-vsctl show, run there by the lab's helper: ${ovs.reason})`];
}

/**
 * A method's kernel module (named like the link type it makes, macvlan or ipvlan) is there when
 * /sys/module lists it, or when a link of that type can be made on a veth in a throwaway network
 * namespace (`unshare -n`: gone with the process, nothing of it stays on the host). The latter
 * covers modules built in without parameters and loadable ones, also where /lib/modules is absent.
 */
function missingKernelModules(method: Method): string[] {
    return methodModule(method).needs.kernelModules.flatMap((name) => {
        if (existsDir(`/sys/module/${name}`)) {
            return [];
        }
        if (!onPath("unshare")) {
            return [`the ${method} method needs the kernel module ${name}, and without unshare (Debian package util-linux) this host cannot tell whether it has it`];
        }
        const probe = run("unshare", ["-n", "sh", "-c", `ip link add ibk0 type veth peer name ibk1 && ip link add ibk2 link ibk0 type "$0"`, name]);
        return probe.ok ? [] : [`the ${method} method needs the kernel module ${name}, which this kernel lacks (making a link of type ${name} in a throwaway network namespace failed: ${probe.reason})`];
    });
}

function existsDir(path: string): boolean {
    try {
        accessSync(path, constants.F_OK);
        return true;
    } catch {
        return false;
    }
}

/** Why this host cannot run a method (its commands, kernel modules, Open vSwitch); empty when it can. */
export function methodUnsupported(method: Method): string[] {
    const absent = absentCommands([method]).filter((c) => c !== "docker");
    return [...absent.map((c) => `the command ${c} is not on PATH (Debian package ${PACKAGE_OF[c] ?? c}), and the ${method} method runs it`), ...missingOvs(method), ...missingKernelModules(method)];
}

/** A method this host cannot run, and why. */
export interface SkippedMethod {
    readonly method: Method;
    readonly reasons: readonly string[];
}

/** The Docker hosts of a lab across hosts, and the image its helper runs from. */
interface LabHostsToCheck {
    readonly hosts: readonly HostSettings[];
    readonly image: string;
}

/**
 * The methods a lab gets when its config names none: every method of its span (one host, or
 * across the `hosts` given) that this host, and each of those hosts, supports.
 */
export function hostMethods(acrossHosts = false, hosts?: LabHostsToCheck): { readonly methods: Method[]; readonly skipped: SkippedMethod[] } {
    const onHosts = (method: Method): string[] => (hosts === undefined ? [] : hosts.hosts.flatMap((h) => missingOvsOn(h, hosts.image, [method])));
    const checked = defaultMethods(acrossHosts).map((method) => ({ method, reasons: [...methodUnsupported(method), ...onHosts(method)] }));
    return { methods: checked.filter((c) => c.reasons.length === 0).map((c) => c.method), skipped: checked.filter((c) => c.reasons.length > 0) };
}

/**
 * A raw stack config with `methods` filled in when it names none: every method this host
 * supports (the others are listed in `skipped`, for the preview to say).
 */
export function withHostMethods(raw: Readonly<Record<string, unknown>>): { readonly config: Record<string, unknown>; readonly skipped: SkippedMethod[] } {
    if (raw.methods !== undefined) {
        return { config: { ...raw }, skipped: [] };
    }
    const { methods, skipped } = hostMethods(raw.hosts !== undefined, hostsToCheck(raw));
    return { config: { ...raw, methods }, skipped };
}

/** A raw config's hosts when they are valid (when not, validation says so before anything else happens). */
function hostsToCheck(raw: Readonly<Record<string, unknown>>): LabHostsToCheck | undefined {
    if (raw.hosts === undefined) {
        return undefined;
    }
    try {
        const settings = validateSettings({ hosts: raw.hosts, methods: ["host-to-host"], ...(raw.image === undefined ? {} : { image: raw.image }) });
        return settings.hosts === undefined ? undefined : { hosts: settings.hosts, image: settings.image };
    } catch {
        return undefined;
    }
}

/** Everything the host (or each of the lab's hosts) lacks for a lab with these needs; empty when it is ready. */
export function missingHostPieces(needs: HostNeeds): string[] {
    const docker = absentCommands([]);
    const engines = needs.hosts === undefined ? missingDocker(needs.image) : needs.hosts.flatMap((h) => missingDocker(needs.image, h));
    const switches = engines.length > 0 ? [] : (needs.hosts ?? []).flatMap((h) => missingOvsOn(h, needs.image, needs.methods));
    return [
        ...missingRoot(),
        ...docker.map((c) => `the command ${c} is not on PATH (Debian package ${PACKAGE_OF[c]})`),
        ...(docker.length > 0 ? [] : [...engines, ...switches]),
        ...needs.methods.flatMap(methodUnsupported),
    ];
}

/** What other stacks' labs hold on this host, or on a host of a lab across hosts (subnets, labIds, host ports), from their containers' labels. */
export function subnetClaims(host?: HostSettings): SubnetClaim[] {
    const format = [STACK_LABEL, SUBNET_LABEL, LAB_ID_LABEL, HOST_PORTS_LABEL].map((l) => `{{.Label "${l}"}}`).join("\t");
    const listed = run("docker", dockerArgs(host, ["ps", "-a", "--filter", `label=${SUBNET_LABEL}`, "--format", format]));
    if (!listed.ok) {
        throw new Error(`icc-bench: cannot list the labs on ${host === undefined ? "this host" : `host ${host.name}`} (docker ps: ${listed.reason})`);
    }
    return listed.stdout
        .split("\n")
        .filter((l) => l.includes("\t"))
        .map((l) => {
            const [stack, subnet, labId, hostPorts] = l.split("\t");
            return { stack, subnet, ...(labId ? { labId } : {}), ...(hostPorts ? { hostPorts } : {}) };
        });
}

/** Ports bound on this host (TCP listening, UDP bound), from /proc/net tables as the kernel prints them. */
export function boundPorts(tables: readonly { readonly protocol: "tcp" | "udp"; readonly text: string }[]): Set<number> {
    const ports = new Set<number>();
    for (const { protocol, text } of tables) {
        for (const line of text.split("\n").slice(1)) {
            const [, local, , state] = line.trim().split(/\s+/);
            const port = local?.split(":")[1];
            // TCP_LISTEN is 0A; an unconnected bound UDP socket shows TCP_CLOSE, 07.
            if (port !== undefined && state === (protocol === "tcp" ? "0A" : "07")) {
                ports.add(parseInt(port, 16));
            }
        }
    }
    return ports;
}

function hostBoundPorts(): Set<number> {
    const tables = (["tcp", "tcp6", "udp", "udp6"] as const).flatMap((name) => {
        try {
            return [{ protocol: name.startsWith("tcp") ? ("tcp" as const) : ("udp" as const), text: readFileSync(`/proc/net/${name}`, "utf8") }];
        } catch {
            return [];
        }
    });
    if (tables.length === 0) {
        throw new Error("icc-bench: cannot read /proc/net/tcp or /proc/net/udp to check the host method's ports");
    }
    return boundPorts(tables);
}

/** A host method's ports must be free, unless this stack's own host lab holds them already. */
function hostPortsTaken(plan: StackPlan, claims: readonly SubnetClaim[]): ConfigProblem[] {
    const usesHostPorts = plan.labs.some((l) => methodModule(l.method).listening === "host-loopback");
    if (!usesHostPorts) {
        return [];
    }
    const conflicts = hostPortConflicts(plan.stack, plan.hostPorts, claims);
    if (conflicts.length > 0 || claims.some((c) => c.stack === plan.stack && c.hostPorts !== undefined)) {
        return conflicts;
    }
    const bound = hostBoundPorts();
    const taken = Array.from({ length: plan.hostPorts.count }, (_, i) => plan.hostPorts.first + i).filter((p) => bound.has(p));
    return taken.length === 0
        ? []
        : [
              {
                  key: "icc-bench:hostPort",
                  value: plan.hostPorts.first,
                  allowed: `a first port whose block (${formatPortBlock(plan.hostPorts)}) no program on this host has bound, but ${taken.join(", ")} ${taken.length === 1 ? "is" : "are"} in use`,
              },
          ];
}

/** Throws HostNotReady, or a ConfigError when another stack holds the subnet, labId or host ports. */
export function checkHost(plan: StackPlan): void {
    const missing = missingHostPieces({ methods: plan.labs.map((l) => l.method), image: plan.image, ...(plan.hosts === undefined ? {} : { hosts: plan.hosts }) });
    if (missing.length > 0) {
        throw new HostNotReady(missing);
    }
    const claims = plan.hosts === undefined ? subnetClaims() : plan.hosts.flatMap((h) => subnetClaims(h));
    const conflicts = [...subnetConflicts(plan.stack, plan.subnet, claims), ...labIdConflicts(plan.stack, plan.labId, claims), ...hostPortsTaken(plan, claims)];
    if (conflicts.length > 0) {
        throw new ConfigError(conflicts);
    }
}
