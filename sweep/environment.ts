import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";

/** The host a sweep ran on, for the report's metadata. */
export interface HostEnvironment {
    readonly kernel: string;
    readonly docker: string;
    readonly ovs: string;
    /** "system" (kernel module) or "netdev" (userspace), as the labs' OVS bridges pick it. */
    readonly ovsDatapath: string;
    readonly cpuModel: string;
    readonly cpuCount: number;
    readonly memoryGiB: number;
    readonly image: string;
    readonly imageId: string;
    readonly node: string;
    readonly pulumi: string;
}

/** First line of a command's output, or "unknown" when it cannot run. */
function firstLine(file: string, args: readonly string[]): string {
    try {
        return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 20_000 }).split("\n")[0].trim() || "unknown";
    } catch {
        return "unknown";
    }
}

export function hostEnvironment(image: string): HostEnvironment {
    const cpuList = cpus();
    return {
        kernel: release(),
        docker: firstLine("docker", ["version", "--format", "{{.Server.Version}}"]),
        ovs: firstLine("ovs-vsctl", ["--version"]),
        // Same rule as the OVS bridge script (hostscripts/ovs.ts), without loading the module.
        ovsDatapath: existsSync("/sys/module/openvswitch") ? "system" : "netdev",
        cpuModel: cpuList[0]?.model.trim() ?? "unknown",
        cpuCount: cpuList.length,
        memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
        image,
        imageId: firstLine("docker", ["image", "inspect", "--format", "{{.Id}}", image]),
        node: process.version,
        pulumi: firstLine("pulumi", ["version"]),
    };
}
