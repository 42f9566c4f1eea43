import { rmSync } from "node:fs";
import { METHOD_MODULES } from "../methods";
import { LAB_ID_LABEL, STACK_LABEL } from "../model";
import { HostTools, THIS_HOST } from "./hostTools";
import { Leftovers, StackFilter, linkExists, stackFilter, takeInventory } from "./inventory";

/**
 * Removes what the host holds of icc-bench labs without Pulumi (e.g. after a stack's state was
 * lost): containers, OVS bridges and ports, iptables rules, interfaces, namespaces, files.
 * Nothing found here is ever run as shell: every command gets an argv array.
 */

/** A lab-wide interface: ib, a method's letter, the labId, then one of that method's suffixes (bridge, shim, parent...). */
export function labIdOfLabWideName(name: string): string | undefined {
    for (const m of METHOD_MODULES) {
        for (const suffix of m.labInterfaces) {
            const id = name.startsWith(`ib${m.code}`) && name.endsWith(suffix) ? name.slice(3, name.length - suffix.length) : "";
            if (/^[a-z0-9]{1,10}$/.test(id)) {
                return id;
            }
        }
    }
    return undefined;
}

/**
 * The objects of one stack. The labIds in its interface names come from its containers' labels
 * and from the names of its marked OVS bridges and DOCKER-USER rules, so that a lab whose
 * containers are gone is found too; the default labId when there is none. Throws CannotLook
 * when docker (or a tool of the inventory) cannot answer.
 */
export function filterOfStack(stack: string, tools: HostTools = THIS_HOST): StackFilter {
    const labelled = tools
        .look("docker", ["ps", "-a", "--filter", `label=${STACK_LABEL}=${stack}`, "--format", `{{.Label "${LAB_ID_LABEL}"}}`])
        .split("\n")
        .map((l) => l.trim());
    const marked = takeInventory({ stack, interfacePrefixes: [] }, tools);
    const bridges = marked.ovs.filter((o) => o.startsWith("bridge ")).map((o) => o.slice("bridge ".length));
    const ruleInterfaces = marked.iptables.map(splitRuleWords).flatMap((w) => (w.includes("-i") ? [w[w.indexOf("-i") + 1]] : []));
    const named = [...bridges, ...ruleInterfaces].map((n) => labIdOfLabWideName(n) ?? "");
    return stackFilter(stack, [...new Set([...labelled, ...named])].filter((id) => id !== ""));
}

/**
 * Splits an iptables-save rule into its words: double-quoted words (as iptables-save writes
 * comments) lose their quotes and backslash escapes.
 */
export function splitRuleWords(line: string): string[] {
    const words: string[] = [];
    let i = 0;
    while (i < line.length) {
        if (line[i] === " ") {
            i++;
            continue;
        }
        let word = "";
        if (line[i] === '"') {
            for (i++; i < line.length && line[i] !== '"'; i++) {
                if (line[i] === "\\" && i + 1 < line.length) {
                    i++;
                }
                word += line[i];
            }
            i++;
        } else {
            for (; i < line.length && line[i] !== " "; i++) {
                word += line[i];
            }
        }
        words.push(word);
    }
    return words;
}

/** The iptables argv that deletes an inventory rule ("TABLE -A CHAIN ..."). */
export function deleteRuleArgs(rule: string): string[] {
    const [table, append, chain, ...spec] = splitRuleWords(rule);
    if (append !== "-A" || chain === undefined) {
        throw new Error(`not an iptables-save rule: ${rule}`);
    }
    return ["-w", "-t", table, "-D", chain, ...spec];
}

/** Removes everything listed; returns the errors of removals that failed. */
export function removeLeftovers(found: Leftovers, tools: HostTools = THIS_HOST): string[] {
    const attempt = tools.attempt;
    const errors: (string | undefined)[] = [];
    if (found.containers.length > 0) {
        errors.push(attempt("docker", ["rm", "-f", ...found.containers]));
    }
    // After the containers: a network with endpoints cannot be removed.
    if (found.networks.length > 0) {
        errors.push(attempt("docker", ["network", "rm", ...found.networks]));
    }
    for (const entry of found.ovs) {
        const [table, name] = entry.split(" ");
        errors.push(attempt("ovs-vsctl", ["--timeout=10", "--if-exists", table === "bridge" ? "del-br" : "del-port", name]));
    }
    for (const rule of found.iptables) {
        errors.push(attempt("iptables", deleteRuleArgs(rule)));
    }
    // Deleting one end of a veth pair takes the other with it.
    for (const name of found.interfaces) {
        if (linkExists(name, tools)) {
            errors.push(attempt("ip", ["link", "del", "dev", name]));
        }
    }
    for (const name of found.namespaces) {
        errors.push(attempt("ip", ["netns", "delete", name]));
    }
    for (const path of found.files) {
        rmSync(path, { recursive: true, force: true });
    }
    return errors.filter((e): e is string => e !== undefined);
}

/** What the host holds, as "kind name" lines. */
export function describeLeftovers(found: Leftovers): string[] {
    const kinds: [string, readonly string[]][] = [
        ["container", found.containers],
        ["network", found.networks],
        ["ovs", found.ovs],
        ["iptables", found.iptables],
        ["interface", found.interfaces],
        ["netns", found.namespaces],
        ["file", found.files],
    ];
    return kinds.flatMap(([kind, items]) => items.map((item) => `${kind} ${item}`));
}

/** A swarm membership a stack's lab made: its node carries the stack's label (hostscripts/swarm.ts). */
export interface LabSwarmMember {
    readonly tools: HostTools;
    readonly node: string;
    readonly manager: boolean;
}

/** The members among these hosts whose node the stack's lab labelled, as their managers tell it. */
export function labSwarmMembers(stack: string, hosts: readonly HostTools[]): LabSwarmMember[] {
    const nodes = hosts.map((tools) => {
        const [state, node, manager] = tools.look("docker", ["info", "-f", "{{.Swarm.LocalNodeState}} {{.Swarm.NodeID}} {{.Swarm.ControlAvailable}}"]).trim().split(" ");
        return { tools, state, node, manager: manager === "true" };
    });
    const active = nodes.filter((n) => n.state === "active");
    const labelled = new Set(
        active.filter((n) => n.manager).flatMap((n) => n.tools.look("docker", ["node", "ls", "-q", "--filter", `node.label=${STACK_LABEL}=${stack}`]).split("\n").map((l) => l.trim())),
    );
    return active.filter((n) => labelled.has(n.node)).map(({ tools, node, manager }) => ({ tools, node, manager }));
}

/** Leaves the swarm on each member, workers before managers; returns the errors. */
export function leaveSwarm(members: readonly LabSwarmMember[]): string[] {
    const ordered = [...members.filter((m) => !m.manager), ...members.filter((m) => m.manager)];
    return ordered.map((m) => m.tools.attempt("docker", m.manager ? ["swarm", "leave", "--force"] : ["swarm", "leave"])).filter((e): e is string => e !== undefined);
}
