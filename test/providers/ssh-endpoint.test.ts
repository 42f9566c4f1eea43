import Docker from "dockerode";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { DEFAULT_IMAGE, STACK_LABEL } from "../../model";
import { dockerOptions } from "../../providers/shared/dockerEndpoint";
import { hostsDown, hostsUp, simulatedHost } from "../hosts/simulated";

/**
 * ssh:// as icc-bench's Docker client reaches it (the offline docker plugin and the runner share
 * it): the system's ssh running `docker system dial-stdio` on a simulated host's sshd.
 */

const NAME = "ibsshendpoint";

/** An exec as the runner's clock reading makes it: says ready, waits for a line, prints, ends. */
async function clockExec(container: Docker.Container): Promise<string> {
    const exec = await container.exec({ Cmd: ["sh", "-c", "echo ready; read -r go; echo \"done $go\""], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: true });
    let out = "";
    stream.on("data", (b: Buffer) => {
        out += b.toString("latin1");
    });
    stream.write("now\n");
    await new Promise<void>((resolve, reject) => {
        stream.on("end", resolve);
        stream.on("error", reject);
    });
    return `${(await exec.inspect()).ExitCode} ${out.includes("ready") && out.includes("done now")}`;
}

/** ssh processes to the host whose parent is gone (ssh outliving the process that started it). */
function orphanedSsh(address: string): string[] {
    return execFileSync("ps", ["-eo", "ppid=,args="], { encoding: "utf8" })
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => /^1 ssh /.test(l) && l.includes(address) && l.includes("dial-stdio"));
}

describe("a Docker endpoint over ssh://", () => {
    const host = simulatedHost(2, "ssh");
    let docker: Docker;

    before(async () => {
        await hostsUp(2, "ssh");
        docker = new Docker(dockerOptions(host.docker, {}));
    });

    after(async () => {
        execFileSync("docker", ["-H", simulatedHost(2).docker, "rm", "-f", NAME], { stdio: "ignore" });
        await hostsDown();
    });

    it("reaches the host's own engine, as the Docker CLI does", async () => {
        const cli = execFileSync("docker", ["-H", host.docker, "info", "-f", "{{.DockerRootDir}}"], { encoding: "utf8" }).trim();
        assert.equal((await docker.info()).DockerRootDir, cli);
        assert.match(cli, /icc-bench\/hosts\/host2$/);
    });

    it("carries many hijacked execs at once, each reply whole (the engine may end a connection before its last bytes are read)", async () => {
        const container = await docker.createContainer({ Image: DEFAULT_IMAGE, name: NAME, Cmd: ["sleep", "300"], Labels: { [STACK_LABEL]: "ssh-endpoint" }, HostConfig: { NetworkMode: "none" } });
        await container.start();
        const results: string[] = [];
        for (let round = 0; round < 5; round++) {
            results.push(...(await Promise.all(Array.from({ length: 8 }, () => clockExec(container)))));
        }
        assert.deepEqual(results, Array(40).fill("0 true"));
        await container.remove({ force: true });
    });

    it("names the host and ssh's own words when ssh fails", async () => {
        const nowhere = new Docker(dockerOptions("ssh://root@198.19.128.19", {}));
        await assert.rejects(nowhere.info(), /ssh to 198\.19\.128\.19 for its Docker engine: exit 255: ssh: connect to host 198\.19\.128\.19 port 22/);
    });

    it("leaves no ssh behind once its process is done with it", async () => {
        const child = execFileSync(process.execPath, ["-e", `
            const Docker = require(${JSON.stringify(require.resolve("dockerode"))});
            const { dockerOptions } = require(${JSON.stringify(require.resolve("../../providers/shared/dockerEndpoint"))});
            new Docker(dockerOptions(${JSON.stringify(host.docker)}, {})).info().then((i) => console.log(i.DockerRootDir));
        `], { encoding: "utf8", timeout: 60_000 });
        assert.match(child, /host2/, "it exits by itself: an idle kept-alive connection does not hold it open");
        for (let i = 0; i < 20 && orphanedSsh(host.address).length > 0; i++) {
            await new Promise((r) => setTimeout(r, 100));
        }
        assert.deepEqual(orphanedSsh(host.address), []);
    });
});
