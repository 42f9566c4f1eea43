import { execFileSync } from "node:child_process";
import { BenchmarkClient, benchmarkScript } from "../../hostscripts/benchmark";
import { ContainerPort, HostCommand } from "../../hostscripts/methods/hostCommand";
import { CONTAINER_IFNAME, ContainerPlan, LabPlan, STACK_LABEL, planStack, validateSettings } from "../../model";
import { LabResult, parseBenchmarkOutput } from "../../results/benchmark";

/** Helpers for host tests: real Docker, real ip/ovs-vsctl/iptables, no Pulumi. */

export const IMAGE = process.env.ICC_BENCH_IMAGE ?? "icc-bench/iperf:bookworm";
const IDLE = ["sh", "-c", "trap 'exit 0' TERM; sleep infinity & wait"];

export function sh(script: string): string {
    return execFileSync("sh", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
}

/** Runs a script that must fail; returns its stderr. */
export function shFails(script: string): string {
    try {
        execFileSync("sh", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
    } catch (e) {
        return String((e as { stderr?: string }).stderr ?? e);
    }
    throw new Error(`expected the script to fail:\n${script}`);
}

export function planLab(stack: string, method: string, topology = { servers: 1, clientContainers: 1 }): LabPlan {
    return planStack(stack, validateSettings({ methods: [method], topology, iperf: { duration: 1 } })).labs[0];
}

/** Starts the lab's containers the way the Pulumi components do. */
export function startContainers(lab: LabPlan, envsOf: (c: ContainerPlan) => string[] = () => []): void {
    const network = lab.method === "link" ? "bridge" : "none";
    for (const c of [...lab.servers, ...lab.clients]) {
        const command = c.role === "server" ? ["iperf", "-s", "-p", "5001"] : IDLE;
        const envs = envsOf(c).flatMap((e) => ["-e", e]);
        execFileSync("docker", [
            "run", "-d", "--name", c.name, "--network", network, "--label", `${STACK_LABEL}=${lab.stack}`,
            ...envs, IMAGE, ...command,
        ], { stdio: "ignore" });
    }
}

export function removeContainers(lab: LabPlan): void {
    for (const c of [...lab.servers, ...lab.clients]) {
        execFileSync("sh", ["-c", `docker rm -f '${c.name}' >/dev/null 2>&1 || true`]);
    }
}

export function portOf(c: ContainerPlan, lab: LabPlan): ContainerPort {
    return { container: c.name, host: c.port.host, peer: c.port.peer, inside: CONTAINER_IFNAME, address: c.address, prefixLength: lab.prefixLength };
}

/** Measures the lab with the real benchmark script for 1 s. */
export function measure(lab: LabPlan, targetOf: (serverIndex: number) => string): LabResult {
    const clients: BenchmarkClient[] = lab.clients.map((c) => ({ container: c.name, target: targetOf(c.serverIndex), serverIndex: c.serverIndex, processes: c.processes }));
    const stdout = sh(benchmarkScript([{ method: lab.method, clients }], { duration: 1, interval: 1, parallel: 1, port: 5001 }));
    return parseBenchmarkOutput(stdout)[0];
}

export function createAll(commands: readonly HostCommand[]): void {
    commands.forEach((c) => sh(c.create));
}

/** Deletes in reverse order of creation, as Pulumi does. */
export function deleteAll(commands: readonly HostCommand[]): void {
    [...commands].reverse().forEach((c) => sh(c.delete));
}
