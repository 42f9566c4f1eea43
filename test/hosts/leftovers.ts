import { execFileSync } from "node:child_process";
import { dockerFlags } from "../../hostscripts/dockerHost";
import { STACK_LABEL } from "../../model";
import { SimulatedHost, inHost, markedOvsOn } from "./simulated";

/** What a stack's lab left on a simulated host, read through its endpoint and in its namespace. */

export function docker(host: SimulatedHost, ...args: string[]): string {
    return execFileSync("docker", [...dockerFlags(host), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 }).trim();
}

/** A host's swarm as `docker info` tells it: state and node id. */
export function swarmOf(host: SimulatedHost): string {
    return docker(host, "info", "-f", "{{.Swarm.LocalNodeState}} {{.Swarm.NodeID}}");
}

/** Names of the containers a host's engine has of a stack (its helpers included). */
export function containersOn(host: SimulatedHost, stack: string): string[] {
    return docker(host, "ps", "-a", "--filter", `label=${STACK_LABEL}=${stack}`, "--format", "{{.Names}}").split("\n").filter((l) => l !== "").sort();
}

/** Networks a host's engine has besides its own three (bridge, host, none). */
export function networksOn(host: SimulatedHost): string[] {
    return docker(host, "network", "ls", "--format", "{{.Name}}").split("\n").filter((n) => !["bridge", "host", "none"].includes(n)).sort();
}

/** The lab interfaces in a host's network namespace (every one starts ib; the wire's end inside is eth0). */
export function labInterfacesOn(host: SimulatedHost): string[] {
    return inHost(host, "ip", ["-o", "link"]).split("\n").map((l) => l.split(": ")[1]?.split("@")[0]).filter((n): n is string => n !== undefined && n.startsWith("ib"));
}

/** iptables rules in a host's network namespace that carry the stack's mark. */
export function labRulesOn(host: SimulatedHost, stack: string): string[] {
    return inHost(host, "iptables-save", []).split("\n").filter((l) => l.includes(`icc-bench:${stack}:`));
}

/** Everything of the stack on the host, and its swarm state; nothing left is NOTHING_ON_A_HOST. */
export function leftoversOn(host: SimulatedHost, stack: string): Record<string, string[] | string> {
    return {
        containers: containersOn(host, stack),
        networks: networksOn(host),
        interfaces: labInterfacesOn(host),
        rules: labRulesOn(host, stack),
        ovs: markedOvsOn(host, `icc-bench:${stack}:`),
        swarm: swarmOf(host).split(" ")[0],
    };
}

export const NOTHING_ON_A_HOST = { containers: [], networks: [], interfaces: [], rules: [], ovs: [], swarm: "inactive" };
