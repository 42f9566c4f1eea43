import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { after, describe, it } from "node:test";
import { DEFAULT_IMAGE } from "../../model";
import { hostsDown, hostsUp, simulatedHost } from "../hosts/simulated";

/** Two simulated Docker hosts: each its own engine on its own bridge, the image on both, one wire between them. */

const docker = (host: string, ...args: string[]) =>
    execFileSync("docker", ["-H", host, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 }).trim();

const LABEL = ["--label", "icc-bench.stack=simhosts"];

function simulatedLeftovers(): string[] {
    const netns = existsSync("/run/netns") ? readdirSync("/run/netns").filter((n) => n.startsWith("ib-host")) : [];
    const links = execFileSync("ip", ["-o", "link", "show"], { encoding: "utf8" })
        .split("\n")
        .map((l) => l.split(": ")[1]?.split("@")[0])
        .filter((n): n is string => n !== undefined && /^ibh/.test(n));
    const rules = execFileSync("iptables-save", [], { encoding: "utf8" }).split("\n").filter((l) => l.includes("icc-bench:hosts"));
    const sshds = execFileSync("ps", ["-eo", "args="], { encoding: "utf8" }).split("\n").filter((l) => l.includes("/run/icc-bench/hosts/"));
    const files = ["/run/icc-bench/hosts/host1", "/var/lib/icc-bench/hosts/host1", "/run/icc-bench/hosts/ssh", "/etc/ssh/ssh_config.d/icc-bench-hosts.conf"].filter(existsSync);
    return [...netns, ...links, ...rules, ...sshds, ...files];
}

describe("simulated hosts", () => {
    after(hostsDown);

    it("are two engines of their own, in range, with the lab's image, that reach each other over the wire", async () => {
        const hosts = await hostsUp(2);
        assert.deepEqual(hosts, [simulatedHost(1), simulatedHost(2)]);
        const roots = [...hosts.map((h) => h.docker), "unix:///var/run/docker.sock"].map((h) => docker(h, "info", "-f", "{{.DockerRootDir}}"));
        assert.equal(new Set(roots).size, 3, `each host is an engine of its own, apart from this machine's: ${roots.join(" ")}`);
        for (const h of hosts) {
            assert.match(docker(h.docker, "network", "inspect", "bridge", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}"), /^198\.19\.13\d\.0\/24$/);
            assert.match(docker(h.docker, "image", "inspect", DEFAULT_IMAGE, "-f", "{{.Id}}"), /^sha256:/);
        }
        // iperf in each host's own namespace: host2 serves on its underlay address, host1 dials it.
        docker(hosts[1].docker, "run", "-d", "--rm", ...LABEL, "--name", "simhosts-server", "--network", "host", DEFAULT_IMAGE, "timeout", "30", "iperf", "-s", "-B", hosts[1].address);
        try {
            const report = docker(hosts[0].docker, "run", "--rm", ...LABEL, "--network", "host", DEFAULT_IMAGE, "timeout", "20", "iperf", "-c", hosts[1].address, "-t", "1", "-y", "C");
            const bits = Number(report.split("\n").pop()?.split(",")[8]);
            assert.ok(bits > 0, report);
        } finally {
            execFileSync("docker", ["-H", hosts[1].docker, "rm", "-f", "simhosts-server"], { stdio: "ignore" });
        }
    });

    it("are made again without change, and removed leaving nothing behind, their containers included", async () => {
        const h1 = simulatedHost(1).docker;
        docker(h1, "run", "-d", ...LABEL, "--name", "simhosts-sleeper", DEFAULT_IMAGE, "sleep", "600");
        const started = docker(h1, "inspect", "-f", "{{.State.StartedAt}}", "simhosts-sleeper");
        await hostsUp(2);
        assert.equal(docker(h1, "inspect", "-f", "{{.State.Running}} {{.State.StartedAt}}", "simhosts-sleeper"), `true ${started}`, "the engine was left running");
        await hostsDown();
        assert.deepEqual(simulatedLeftovers(), []);
        await hostsDown();
    });

    it("with ssh: each host's sshd on its address, logging in to its own engine with this machine's key; removed with the rest", async () => {
        const hosts = await hostsUp(2, "ssh");
        assert.deepEqual(hosts, [simulatedHost(1, "ssh"), simulatedHost(2, "ssh")]);
        assert.deepEqual(hosts.map((h) => h.docker), ["ssh://root@198.19.128.11", "ssh://root@198.19.128.12"]);
        assert.deepEqual(hosts.map((h) => docker(h.docker, "info", "-f", "{{.DockerRootDir}}")), ["/var/lib/icc-bench/hosts/host1", "/var/lib/icc-bench/hosts/host2"]);
        await hostsDown();
        assert.deepEqual(simulatedLeftovers(), []);
    });
});
