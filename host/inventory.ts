import { readdirSync } from "node:fs";
import { join } from "node:path";
import { METHOD_MODULES } from "../methods";
import { STACK_LABEL, defaultLabId } from "../model";
import { HostTools, THIS_HOST } from "./hostTools";
import { CannotLook } from "./look";

/** Everything on this host that carries the icc-bench mark, by kind. */
export interface Inventory {
    /** Container names labelled icc-bench.stack. */
    readonly containers: string[];
    /** Host interfaces (veth, macvlan, bridge, OVS) whose names start with "ib" and that carry the lab's mark as their alias. */
    readonly interfaces: string[];
    /** OVS bridges and ports with external_ids:icc-bench, as "bridge NAME" or "port NAME". */
    readonly ovs: string[];
    /** iptables-save rules (any table) with an icc-bench comment, as "TABLE -A CHAIN ...". */
    readonly iptables: string[];
    /** Docker networks labelled icc-bench.stack. */
    readonly networks: string[];
}

/** The inventory plus what a lab could leave besides: network namespaces and files. */
export interface Leftovers extends Inventory {
    /** `ip netns` names starting with "ib" or "icc-bench". */
    readonly namespaces: string[];
    /** Paths in the temporary folders whose names start with "icc-bench-" (the stack's, with a filter). */
    readonly files: string[];
}

/** One stack's objects: its label and marks, and interfaces starting with one of the prefixes. */
export interface StackFilter {
    readonly stack: string;
    readonly interfacePrefixes: readonly string[];
}

/** The interface prefixes of a stack whose labs use these labIds (the default one when none). */
export function stackFilter(stack: string, labIds: readonly string[] = []): StackFilter {
    const ids = labIds.length > 0 ? labIds : [defaultLabId(stack)];
    return { stack, interfacePrefixes: ids.flatMap((id) => METHOD_MODULES.map((m) => `ib${m.code}${id}`)) };
}

/** Kinds of link a lab makes; anything else (a NIC, an InfiniBand ib0) is never listed. */
const LAB_LINK_KINDS = ["veth", "macvlan", "bridge", "vxlan", "tun", "openvswitch"];
/** Where a lab's files would be; setup-toolchain.sh's own working folders are not the lab's. */
const TEMP_DIRS = ["/tmp", "/var/tmp", "/run", "/dev/shm"];
const TOOLCHAIN_TEMP = "icc-bench-toolchain.";

function nonEmptyLines(text: string): string[] {
    return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

interface IpLink {
    readonly ifname: string;
    readonly ifalias?: string;
    readonly linkinfo?: { readonly info_kind?: string };
}

/** Every link of the host namespace, with its kind. */
function hostLinks(tools: HostTools): IpLink[] {
    return JSON.parse(tools.look("ip", ["-j", "-d", "link", "show"])) as IpLink[];
}

/** Whether the host has a link of this name now. */
export function linkExists(name: string, tools: HostTools = THIS_HOST): boolean {
    return hostLinks(tools).some((l) => l.ifname === name);
}

/**
 * The lab's interfaces: of a lab kind, named with one of the prefixes, marked by the lab: its
 * alias, or the record of a create killed between making and marking it (HostTools.claims).
 */
function labInterfaces(prefixes: readonly string[], mark: string, tools: HostTools): string[] {
    const claims = tools.claims();
    const markOf = (l: IpLink): string => l.ifalias || (claims.get(l.ifname) ?? "");
    return hostLinks(tools)
        .filter((l) => LAB_LINK_KINDS.includes(l.linkinfo?.info_kind ?? "") && markOf(l).startsWith(mark))
        .map((l) => l.ifname)
        .filter((name) => prefixes.some((p) => name.startsWith(p)));
}

/**
 * Marked OVS bridges and ports. A host without ovs-vsctl has none: OVS objects live in ovsdb,
 * which ships with ovs-vsctl (Debian's openvswitch-switch), and the ovs method's preflight needs
 * it, so no lab made any there. ovs-vsctl installed but failing (ovsdb not running) is CannotLook.
 */
function ovsObjects(mark: string, tools: HostTools): string[] {
    return ["bridge", "port"].flatMap((table) =>
        nonEmptyLines(ovsFind(table, tools))
            .filter((l) => l.includes(mark))
            .map((l) => `${table} ${l.split(",")[0]}`),
    );
}

function ovsFind(table: string, tools: HostTools): string {
    try {
        return tools.look("ovs-vsctl", ["--timeout=5", "--format=csv", "--no-headings", "--columns=name,external_ids", "find", table, `external_ids:icc-bench!=""`]);
    } catch (e) {
        if (e instanceof CannotLook && e.reason === "missing") {
            return "";
        }
        throw e;
    }
}

/** iptables-save rules carrying `mark`, each prefixed with its table. */
function iptablesRules(mark: string, tools: HostTools): string[] {
    let table = "";
    const rules: string[] = [];
    for (const line of nonEmptyLines(tools.look("iptables-save", []))) {
        if (line.startsWith("*")) {
            table = line.slice(1);
        } else if (line.startsWith("-A ") && line.includes(mark)) {
            rules.push(`${table} ${line}`);
        }
    }
    return rules;
}

/**
 * Lists the icc-bench objects on this host; throws CannotLook when a tool (docker, ip,
 * iptables-save, an installed ovs-vsctl) is missing, fails or times out. With `filter`, only that stack's containers and
 * marked OVS/iptables objects, and interfaces whose names start with one of its prefixes.
 */
export function takeInventory(filter?: StackFilter, tools: HostTools = THIS_HOST): Inventory {
    const label = filter ? `${STACK_LABEL}=${filter.stack}` : STACK_LABEL;
    const mark = filter ? `icc-bench:${filter.stack}:` : "icc-bench";
    return {
        containers: nonEmptyLines(tools.look("docker", ["ps", "-a", "--filter", `label=${label}`, "--format", "{{.Names}}"])),
        interfaces: labInterfaces(filter?.interfacePrefixes ?? ["ib"], mark, tools),
        ovs: ovsObjects(mark, tools),
        iptables: iptablesRules(mark, tools),
        networks: nonEmptyLines(tools.look("docker", ["network", "ls", "--filter", `label=${label}`, "--format", "{{.Name}}"])),
    };
}

function labFiles(prefix: string): string[] {
    return TEMP_DIRS.flatMap((dir) => {
        try {
            return readdirSync(dir)
                .filter((name) => name.startsWith(prefix) && !name.startsWith(TOOLCHAIN_TEMP))
                .map((name) => join(dir, name));
        } catch {
            return [];
        }
    });
}

/** takeInventory, plus network namespaces and (this host's) files. */
export function takeLeftovers(filter?: StackFilter, tools: HostTools = THIS_HOST): Leftovers {
    const namespaces = nonEmptyLines(tools.look("ip", ["netns", "list"]))
        .map((l) => l.split(" ")[0])
        .filter((name) => (filter ? filter.interfacePrefixes.some((p) => name.startsWith(p)) : name.startsWith("ib") || name.startsWith("icc-bench")));
    return {
        ...takeInventory(filter, tools),
        namespaces,
        files: tools.local ? labFiles(filter ? `icc-bench-${filter.stack}-` : "icc-bench-") : [],
    };
}

/** An inventory with nothing in it: what a clean host gives. */
export const NOTHING: Inventory = { containers: [], interfaces: [], ovs: [], iptables: [], networks: [] };

export function isEmpty(inventory: Inventory): boolean {
    return Object.values(inventory).every((items: string[]) => items.length === 0);
}
