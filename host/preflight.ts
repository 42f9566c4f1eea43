import { execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { ConfigError, Method, STACK_LABEL, SUBNET_LABEL, StackPlan, SubnetClaim, subnetConflicts } from "../model";

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
}

/** Host commands each method's scripts run, with the Debian package that brings each. */
const COMMANDS: Readonly<Record<Method, readonly string[]>> = {
    "macvlan-nat": ["ip", "nsenter", "iptables"],
    pipework: ["ip", "nsenter", "iptables"],
    link: [],
    ovs: ["ip", "nsenter", "ethtool", "ovs-vsctl"],
};
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
    return [...new Set(["docker", ...methods.flatMap((m) => COMMANDS[m])])].filter((c) => !onPath(c));
}

function missingRoot(): string[] {
    const uid = process.getuid?.() ?? 0;
    return uid === 0 ? [] : [`root: the lab runs ip, iptables, nsenter and ovs-vsctl, which need root, but this runs as uid ${uid} (run as root)`];
}

function missingDocker(image: string): string[] {
    const daemon = run("docker", ["version", "--format", "{{.Server.Version}}"]);
    if (!daemon.ok) {
        return [`dockerd does not answer (docker version: ${daemon.reason})`];
    }
    const found = run("docker", ["image", "inspect", "--format", "{{.Id}}", image]);
    return found.ok ? [] : [`the image ${image} is not on this host (the setup builds icc-bench/iperf:bookworm; docker pull or load any other)`];
}

function missingOvs(methods: readonly Method[]): string[] {
    if (!methods.includes("ovs")) {
        return [];
    }
    const ovs = run("ovs-vsctl", ["--timeout=5", "show"]);
    return ovs.ok ? [] : [`Open vSwitch does not answer, and the ovs method needs it (ovs-vsctl show: ${ovs.reason})`];
}

/** Everything the host lacks for a lab with these needs; empty when it is ready. */
export function missingHostPieces(needs: HostNeeds): string[] {
    const absent = absentCommands(needs.methods);
    return [
        ...missingRoot(),
        ...absent.map((c) => `the command ${c} is not on PATH (Debian package ${PACKAGE_OF[c]})`),
        ...(absent.includes("docker") ? [] : missingDocker(needs.image)),
        ...(absent.includes("ovs-vsctl") ? [] : missingOvs(needs.methods)),
    ];
}

/** The subnets other stacks' labs hold on this host, from their containers' labels. */
export function subnetClaims(): SubnetClaim[] {
    const format = `{{.Label "${STACK_LABEL}"}}\t{{.Label "${SUBNET_LABEL}"}}`;
    const listed = run("docker", ["ps", "-a", "--filter", `label=${SUBNET_LABEL}`, "--format", format]);
    return listed.stdout
        .split("\n")
        .filter((l) => l.includes("\t"))
        .map((l) => {
            const [stack, subnet] = l.split("\t");
            return { stack, subnet };
        });
}

/** Throws HostNotReady, or a ConfigError when another stack holds an overlapping subnet. */
export function checkHost(plan: StackPlan): void {
    const missing = missingHostPieces({ methods: plan.labs.map((l) => l.method), image: plan.image });
    if (missing.length > 0) {
        throw new HostNotReady(missing);
    }
    const conflicts = subnetConflicts(plan.stack, plan.subnet, subnetClaims());
    if (conflicts.length > 0) {
        throw new ConfigError(conflicts);
    }
}
