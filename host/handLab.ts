import { execFileSync } from "node:child_process";
import { IDLE_COMMAND, serverCommand } from "../hostscripts/containerCommands";
import { HostCommand } from "../hostscripts/methods/hostCommand";
import { labHostCommands } from "../hostscripts/methods/lab";
import { ContainerPlan, DEFAULT_IMAGE, LabPlan, STACK_LABEL, TopologySettings, planStack, validateSettings } from "../model";

/**
 * A lab made without Pulumi: docker run, then the same host scripts the components run.
 * Host tests and the fidelity benchmark use it to compare against the deployed lab.
 */

export const IMAGE = process.env.ICC_BENCH_IMAGE ?? DEFAULT_IMAGE;
const SERVER_PORT = 5001;

export function sh(script: string): string {
    return execFileSync("sh", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
}

/** The default subnet of hand-made labs: apart from the stacks' default, so both can run at once. */
export const HAND_SUBNET = "198.19.0.0/17";

export function planLab(stack: string, method: string, topology: Partial<TopologySettings> = {}, subnet = HAND_SUBNET): LabPlan {
    return planStack(stack, validateSettings({ methods: [method], topology, subnet })).labs[0];
}

/** Starts the lab's containers as the components do: iperf -s servers, idle clients. */
export function startContainers(lab: LabPlan, envsOf: (c: ContainerPlan) => string[] = () => []): void {
    const network = lab.method === "link" ? "bridge" : "none";
    for (const c of [...lab.servers, ...lab.clients]) {
        const command = c.role === "server" ? serverCommand(SERVER_PORT) : IDLE_COMMAND;
        const envs = envsOf(c).flatMap((e) => ["-e", e]);
        execFileSync("docker", ["run", "-d", "--name", c.name, "--network", network, "--label", `${STACK_LABEL}=${lab.stack}`, ...envs, IMAGE, ...command], {
            stdio: "ignore",
        });
    }
}

export function removeContainers(lab: LabPlan): void {
    for (const c of [...lab.servers, ...lab.clients]) {
        execFileSync("docker", ["rm", "-f", c.name], { stdio: "ignore" });
    }
}

/** The host commands of one lab, in creation order (none for link). */
export function hostCommands(lab: LabPlan): HostCommand[] {
    return labHostCommands(lab, SERVER_PORT);
}

/** The address a client dials for server i (link: read from Docker, as --link would). */
export function targetOf(lab: LabPlan, serverIndex: number): string {
    const server = lab.servers[serverIndex];
    switch (lab.method) {
        case "macvlan-nat":
            return server.externalAddress;
        case "link":
            return sh(`docker inspect -f '{{.NetworkSettings.IPAddress}}' '${server.name}'`).trim();
        default:
            return server.address;
    }
}

export function createAll(commands: readonly HostCommand[]): void {
    commands.forEach((c) => sh(c.create));
}

/** Deletes in reverse order of creation, as Pulumi does. */
export function deleteAll(commands: readonly HostCommand[]): void {
    [...commands].reverse().forEach((c) => sh(c.delete));
}
