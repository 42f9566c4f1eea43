import { execFileSync } from "node:child_process";
import { STACK_LABEL } from "../model";

/** Everything on this host that carries the icc-bench mark, by kind. */
export interface Inventory {
    /** Container names labelled icc-bench.stack. */
    readonly containers: string[];
    /** Host interfaces whose names start with "ib". */
    readonly interfaces: string[];
    /** OVS bridges and ports with external_ids:icc-bench. */
    readonly ovs: string[];
    /** iptables-save lines (any table) with an icc-bench comment. */
    readonly iptables: string[];
}

function output(file: string, args: string[]): string {
    try {
        return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 20_000 });
    } catch {
        return "";
    }
}

function nonEmptyLines(text: string): string[] {
    return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

/**
 * Lists the icc-bench objects on this host; with `stack`, only that stack's containers and
 * marked OVS/iptables objects, and interfaces whose names start with one of `interfacePrefixes`.
 */
export function takeInventory(filter?: { stack: string; interfacePrefixes: readonly string[] }): Inventory {
    const label = filter ? `${STACK_LABEL}=${filter.stack}` : STACK_LABEL;
    const mark = filter ? `icc-bench:${filter.stack}:` : "icc-bench";
    const prefixes = filter?.interfacePrefixes ?? ["ib"];
    const interfaces = nonEmptyLines(output("ip", ["-o", "link", "show"]))
        .map((l) => l.split(": ")[1]?.split("@")[0] ?? "")
        .filter((name) => prefixes.some((p) => name.startsWith(p)));
    const ovs = ["bridge", "port"].flatMap((table) =>
        nonEmptyLines(output("ovs-vsctl", ["--timeout=5", "--format=csv", "--no-headings", "--columns=name,external_ids", "find", table, `external_ids:icc-bench!=""`]))
            .filter((l) => l.includes(mark))
            .map((l) => `${table} ${l}`),
    );
    return {
        containers: nonEmptyLines(output("docker", ["ps", "-a", "--filter", `label=${label}`, "--format", "{{.Names}}"])),
        interfaces,
        ovs,
        iptables: nonEmptyLines(output("iptables-save", [])).filter((l) => l.includes(mark)),
    };
}

export function isEmpty(inventory: Inventory): boolean {
    return Object.values(inventory).every((items: string[]) => items.length === 0);
}
