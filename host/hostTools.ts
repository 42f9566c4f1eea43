import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { HelperPlan, PlumbedHost, dockerFlags, helperRun } from "../hostscripts/dockerHost";
import { CLAIM_INFIX } from "../hostscripts/ip";
import { attempt, look, lookThrough } from "./look";

/**
 * How the inventory and the clean-up reach a host's tools: this host's directly, another Docker
 * host's through its endpoint (docker -H; ip, iptables and the rest in the helper container that
 * plumbs it, hostscripts/dockerHost.ts). Every value found is passed as an argv word, never as
 * shell text (the one fixed script lists the claim records).
 */
export interface HostTools {
    /** For people: "this host", or "host NAME (ENDPOINT)". */
    readonly where: string;
    /** The stdout of `tool args` there; throws CannotLook when the tool is missing, fails or times out. */
    readonly look: (tool: string, args: readonly string[]) => string;
    /** Runs a removal there; its error text, or undefined when it succeeded. */
    readonly attempt: (tool: string, args: readonly string[]) => string | undefined;
    /** Interface names that creates recorded while making them (hostscripts/ip.ts), with the mark they recorded. */
    readonly claims: () => Map<string, string>;
    /** Whether its temporary folders and network namespaces are this process's to read (this host only). */
    readonly local: boolean;
}

/** A claim record's file name: icc-bench-<stack>-claim-<interface>. */
function claimOf(file: string, mark: string): [string, string] {
    return [file.slice(file.lastIndexOf(CLAIM_INFIX) + CLAIM_INFIX.length), mark];
}

export const THIS_HOST: HostTools = {
    where: "this host",
    look: (tool, args) => look(tool, args),
    attempt,
    claims: () =>
        new Map(
            readdirSync("/run")
                .filter((f) => f.startsWith("icc-bench-") && f.includes(CLAIM_INFIX))
                .map((f) => claimOf(f, readFileSync(join("/run", f), "utf8"))),
        ),
    local: true,
};

/** docker run's status when the entrypoint is not in the image. */
const NOT_IN_IMAGE = 127;

/**
 * The arguments of `sh` that run ovs-vsctl in the helper. A host whose /run has no Open vSwitch
 * database has no OVS records (as this host without ovs-vsctl has none): told by the status of an
 * entrypoint the image lacks. One whose database does not answer is a tool that fails.
 */
const OVS_VSCTL_THERE = ["-c", `[ -S /run/openvswitch/db.sock ] || exit ${NOT_IN_IMAGE}; exec ovs-vsctl "$@"`, "ovs-vsctl"];

/** A Docker host reached through its endpoint; its own tools run in the helper, from `helper.image`. */
export function dockerHostTools(host: PlumbedHost, helper: HelperPlan): HostTools {
    const inHelper = (tool: string, args: readonly string[]): string[] =>
        tool === "ovs-vsctl" ? ["--entrypoint", "sh", helper.image, ...OVS_VSCTL_THERE, ...args] : ["--entrypoint", tool, helper.image, ...args];
    const argv = (tool: string, args: readonly string[]): string[] =>
        tool === "docker" ? [...dockerFlags(host), ...args] : [...dockerFlags(host), ...helperRun(helper), ...inHelper(tool, args)];
    return {
        where: `host ${host.name} (${host.docker})`,
        look: (tool, args) => lookThrough("docker", argv(tool, args), tool, args, undefined, tool === "docker" ? undefined : NOT_IN_IMAGE),
        attempt: (tool, args) => attempt("docker", argv(tool, args)),
        // One `grep -H` over the records: "PATH:MARK" lines (grep exits 1 when there are none).
        claims: () =>
            new Map(
                lookThrough("docker", argv("sh", ["-c", `grep -H . /run/icc-bench-*${CLAIM_INFIX}* 2>/dev/null || true`]), "sh", ["-c", "grep claims"])
                    .split("\n")
                    .filter((l) => l.includes(":"))
                    .map((l) => claimOf(l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1))),
            ),
        local: false,
    };
}
