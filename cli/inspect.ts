import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { parseArgs } from "node:util";
import { PROJECT_DIR } from "../automation/labStack";
import { withHostMethods } from "../host/preflight";
import { ContainerNetworking, Dial, methodModule } from "../methods";
import { LabContainerPlan, LabPlan, STACK_NAME_RE, StackPlan, planStack, rawConfigFromPulumi, validateSettings } from "../model";
import { LabResult } from "../results/benchmark";
import { EXIT, Subcommand, UsageError } from "./exit";

/** One lab container as `inspect` shows it. */
export interface InspectRow {
    readonly method: string;
    readonly container: string;
    readonly role: "server" | "client";
    /** Its lab address, or "-" where Docker assigns it. */
    readonly address: string;
    /** How it joins Docker's networking: none (a host object brings eth1), the default bridge, a lab network, host, container:<server>. */
    readonly networking: string;
    /** Its attachment's host interface, where the method makes one per container. */
    readonly hostInterface: string;
    /** For a client: what it dials and the port; "-" for a server. */
    readonly dials: string;
    /** For a client container: Gbit/s of the last run (its processes summed), "failed", or "-". */
    readonly lastGbps: string;
}

/** `attached`: a host object of the method brings the container its lab interface. */
function networkingOf(n: ContainerNetworking, attached: boolean): string {
    switch (n.kind) {
        case "none":
            return attached ? "none (eth1 from the lab)" : "none (loopback only)";
        case "default-bridge":
            return "Docker default bridge";
        case "host":
            return "host";
        case "network":
            return `network ${n.network}`;
        case "netns-of":
            return `container:${n.container}`;
    }
}

function addressOf(lab: LabPlan, c: LabContainerPlan, n: ContainerNetworking, attached: boolean): string {
    switch (n.kind) {
        case "network":
            return n.address;
        case "none":
            return attached ? c.address : "127.0.0.1";
        case "host":
            return c.role === "server" && c.bind ? c.bind : "-";
        case "netns-of":
            return "127.0.0.1";
        default:
            return methodModule(lab.method).listening === "host-loopback" ? "-" : "(Docker's)";
    }
}

function dialOf(d: Dial): string {
    switch (d.kind) {
        case "address":
            return d.address;
        case "name":
            return d.name;
        case "default-bridge-address":
            return `${d.container} (its default-bridge address)`;
    }
}

function lastGbps(container: string, result: LabResult | undefined): string {
    if (result === undefined) {
        return "-";
    }
    if (result.failures.some((f) => f.container === container)) {
        return "failed";
    }
    const measured = result.containers.find((c) => c.container === container);
    return measured === undefined ? "-" : measured.gbps.toFixed(2);
}

/** Every container of every lab of the plan, with what the last results (stack outputs) say of it. */
export function inspectRows(plan: StackPlan, results: Readonly<Record<string, LabResult>>): InspectRow[] {
    return plan.labs.flatMap((lab) => {
        const module = methodModule(lab.method);
        const withPort = new Set(module.hostObjects(lab).flatMap((o) => (o.container === undefined ? [] : [o.container])));
        return [...lab.servers, ...lab.clients].map((c) => {
            const networking = module.networking(lab, c);
            const server = c.role === "client" ? lab.servers[c.serverIndex] : undefined;
            return {
                method: lab.method,
                container: c.name,
                role: c.role,
                address: addressOf(lab, c, networking, withPort.has(c.name)),
                networking: networkingOf(networking, withPort.has(c.name)),
                hostInterface: withPort.has(c.name) ? c.ifnames.host : "-",
                dials: server === undefined ? "-" : `${dialOf(module.dial(lab, server))}:${server.port}`,
                lastGbps: c.role === "client" ? lastGbps(c.name, results[lab.method]) : "-",
            };
        });
    });
}

const COLUMNS: readonly [keyof InspectRow, string][] = [
    ["method", "method"],
    ["container", "container"],
    ["role", "role"],
    ["address", "address"],
    ["networking", "networking"],
    ["hostInterface", "host interface"],
    ["dials", "dials"],
    ["lastGbps", "last Gbit/s"],
];

/** The rows as containerlab's inspect prints its lab: a boxed table. */
export function formatInspect(rows: readonly InspectRow[]): string {
    const cells = [COLUMNS.map(([, title]) => title), ...rows.map((r) => COLUMNS.map(([key]) => r[key]))];
    const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
    const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+`;
    const line = (row: readonly string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(" | ")} |`;
    return [rule, line(cells[0]), rule, ...cells.slice(1).map(line), rule].join("\n");
}

const HELP = `usage: icc-bench inspect --stack NAME [--json]

Prints the stack's lab as containerlab's inspect does: per method every container, its role,
address, networking, host interface, the server it dials and the last results (stack outputs).
The plan comes from the stack's config through the method registry, as the program makes it.
  --stack NAME   the stack (pulumi stack ls)
  --json         the rows as JSON
exit: 0 printed, 1 the stack cannot be read, 2 usage error`;

export const inspect: Subcommand = {
    summary: "print a stack's containers, addresses, interfaces, targets and last results",
    help: HELP,
    async run(argv) {
        const { values } = parseArgs({ args: [...argv], options: { stack: { type: "string" }, json: { type: "boolean", default: false } }, strict: true });
        if (values.stack === undefined || !STACK_NAME_RE.test(values.stack)) {
            throw new UsageError("give --stack NAME (a stack name)");
        }
        const stack = await LocalWorkspace.selectStack({ stackName: values.stack, workDir: PROJECT_DIR });
        const config = Object.fromEntries(Object.entries(await stack.getAllConfig()).map(([k, v]) => [k, v.value]));
        const plan = planStack(stack.name, validateSettings(withHostMethods(rawConfigFromPulumi(config)).config));
        const outputs = await stack.outputs();
        const rows = inspectRows(plan, (outputs.results?.value ?? {}) as Record<string, LabResult>);
        console.log(values.json ? JSON.stringify(rows, null, 2) : formatInspect(rows));
        return EXIT.ok;
    },
};
