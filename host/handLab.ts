import { execFileSync } from "node:child_process";
import { IDLE_COMMAND, serverCommand } from "../hostscripts/containerCommands";
import { ContainerNetworking, Dial, DockerNetworkPlan, HostObjectPlan, methodModule } from "../methods";
import { DEFAULT_IMAGE, LabContainerPlan, LabPlan, STACK_LABEL, TopologySettings, planStack, validateSettings } from "../model";

/**
 * A lab made without Pulumi: the same host scripts and Docker networks the components make,
 * with `docker` commands. Host tests and the fidelity benchmark use it to compare against the
 * deployed lab.
 */

export const IMAGE = process.env.ICC_BENCH_IMAGE ?? DEFAULT_IMAGE;

export function sh(script: string): string {
    return execFileSync("sh", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
}

function docker(args: readonly string[]): string {
    return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
}

/** The default subnet of hand-made labs: apart from the stacks' default, so both can run at once. */
export const HAND_SUBNET = "198.19.0.0/17";

export function planLab(stack: string, method: string, topology: Partial<TopologySettings> = {}, subnet = HAND_SUBNET): LabPlan {
    return planStack(stack, validateSettings({ methods: [method], topology, subnet })).labs[0];
}

/** The lab's host objects in creation order: lab-wide ones, then one per container. */
export function hostObjects(lab: LabPlan): HostObjectPlan[] {
    return methodModule(lab.method).hostObjects(lab);
}

function labWide(lab: LabPlan): HostObjectPlan[] {
    return hostObjects(lab).filter((o) => o.container === undefined);
}

function perContainer(lab: LabPlan): HostObjectPlan[] {
    return hostObjects(lab).filter((o) => o.container !== undefined);
}

function networkCreateArgs(lab: LabPlan, n: DockerNetworkPlan): string[] {
    const options = Object.entries(n.options).flatMap(([k, v]) => ["-o", `${k}=${v}`]);
    return ["network", "create", "--driver", n.driver, "--subnet", n.subnet, "--gateway", n.gateway, ...options, "--label", `${STACK_LABEL}=${lab.stack}`, n.name];
}

/** The lab-wide host objects, then the lab's Docker networks (what the containers join). */
export function createNetworks(lab: LabPlan): void {
    labWide(lab).forEach((o) => sh(o.scripts.create));
    methodModule(lab.method).dockerNetworks(lab).forEach((n) => docker(networkCreateArgs(lab, n)));
}

function networkArgs(n: ContainerNetworking): string[] {
    switch (n.kind) {
        case "none":
        case "host":
            return ["--network", n.kind];
        case "default-bridge":
            return ["--network", "bridge"];
        case "network":
            return ["--network", n.network, "--ip", n.address];
        case "netns-of":
            return ["--network", `container:${n.container}`];
    }
}

function run(lab: LabPlan, c: LabContainerPlan, extra: readonly string[], command: readonly string[]): void {
    const networking = networkArgs(methodModule(lab.method).networking(lab, c));
    docker(["run", "-d", "--name", c.name, ...networking, "--label", `${STACK_LABEL}=${lab.stack}`, ...extra, IMAGE, ...command]);
}

/** Starts the lab's containers as the components do: iperf -s servers, then idle clients. */
export function startContainers(lab: LabPlan): void {
    const module = methodModule(lab.method);
    lab.servers.forEach((s) => run(lab, s, [], serverCommand(s.port, s.bind)));
    for (const c of lab.clients) {
        const server = lab.servers[c.serverIndex];
        const environment = module.clientEnvironment?.(targetOf(lab, c.serverIndex), server.port);
        const extra = [...(environment?.envs ?? []).flatMap((e) => ["-e", e]), ...(environment?.hosts ?? []).flatMap((h) => ["--add-host", `${h.host}:${h.ip}`])];
        run(lab, c, extra, IDLE_COMMAND);
    }
}

/** Each container's host objects (after the containers are started). */
export function attachContainers(lab: LabPlan): void {
    perContainer(lab).forEach((o) => sh(o.scripts.create));
}

/** The whole lab, in the order Pulumi makes it. */
export function makeLab(lab: LabPlan): void {
    createNetworks(lab);
    startContainers(lab);
    attachContainers(lab);
}

/** Everything the lab made, in reverse order; succeeds when parts (or all) are gone already. */
export function removeLab(lab: LabPlan): void {
    [...perContainer(lab)].reverse().forEach((o) => sh(o.scripts.delete));
    removeContainers(lab);
    for (const n of methodModule(lab.method).dockerNetworks(lab)) {
        sh(`docker network rm '${n.name}' >/dev/null 2>&1 || true`);
    }
    [...labWide(lab)].reverse().forEach((o) => sh(o.scripts.delete));
}

/** Removes the lab's containers; those already gone are no error. */
export function removeContainers(lab: LabPlan): void {
    const names = [...lab.clients, ...lab.servers].map((c) => c.name);
    try {
        docker(["rm", "-f", ...names]);
    } catch (e) {
        const stderr = String((e as { stderr?: string }).stderr ?? e);
        if (!stderr.split("\n").every((l) => l.trim() === "" || l.includes("No such container"))) {
            throw e;
        }
    }
}

function resolve(d: Dial): string {
    switch (d.kind) {
        case "address":
            return d.address;
        case "name":
            return d.name;
        case "default-bridge-address":
            return docker(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", d.container]).trim();
    }
}

/** What a client dials for server i. */
export function targetOf(lab: LabPlan, serverIndex: number): string {
    return resolve(methodModule(lab.method).dial(lab, lab.servers[serverIndex]));
}
