import Docker from "dockerode";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DEFAULT_IMAGE, STACK_LABEL } from "../../model";
import { dockerFlags } from "../../hostscripts/dockerHost";
import { dockerOptions } from "../../providers/shared/dockerEndpoint";
import { hostsDown, hostsUp, simulatedHost } from "../hosts/simulated";

/**
 * Another host's engine as icc-bench's Docker client reaches it (the offline docker plugin and the
 * runner share it): ssh:// (the system's ssh running `docker system dial-stdio` on a simulated
 * host's sshd), and tcp:// with TLS (the host's dockerd requires a client certificate of its
 * authority; the client verifies the host's against ca.pem).
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

/** Many hijacked execs at once on a container of the host, each reply whole: what the runner does. */
async function manyExecs(docker: Docker): Promise<string[]> {
    const container = await docker.createContainer({ Image: DEFAULT_IMAGE, name: NAME, Cmd: ["sleep", "300"], Labels: { [STACK_LABEL]: "remote-endpoint" }, HostConfig: { NetworkMode: "none" } });
    await container.start();
    const results: string[] = [];
    for (let round = 0; round < 5; round++) {
        results.push(...(await Promise.all(Array.from({ length: 8 }, () => clockExec(container)))));
    }
    await container.remove({ force: true });
    return results;
}

before(async () => {
    await hostsUp(2, "ssh");
});

after(async () => {
    execFileSync("docker", ["-H", simulatedHost(2).docker, "rm", "-f", NAME], { stdio: "ignore" });
    await hostsDown();
});

describe("a Docker endpoint over tcp:// with TLS", () => {
    const host = simulatedHost(1, "tls");
    const certPath = host.certPath ?? "";
    let other = "";

    after(() => {
        rmSync(other, { recursive: true, force: true });
    });

    it("reaches the host's own engine with the folder's files, as the Docker CLI does with them", async () => {
        const docker = new Docker(dockerOptions(host.docker, {}, certPath));
        const cli = execFileSync("docker", [...dockerFlags(host), "info", "-f", "{{.DockerRootDir}}"], { encoding: "utf8" }).trim();
        assert.equal((await docker.info()).DockerRootDir, cli);
        assert.match(cli, /icc-bench\/hosts\/host1$/);
    });

    it("carries many hijacked execs at once, each reply whole", async () => {
        assert.deepEqual(await manyExecs(new Docker(dockerOptions(host.docker, {}, certPath))), Array(40).fill("0 true"));
    });

    it("is refused without a client certificate, and refuses a host its ca.pem did not sign", async () => {
        await assert.rejects(new Docker(dockerOptions(host.docker, {})).info(), /socket hang up|ECONNRESET|400|Client sent an HTTP request to an HTTPS server/);
        other = mkdtempSync(join(tmpdir(), "icc-bench-other-ca-"));
        execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", join(other, "ca-key.pem"), "-out", join(other, "ca.pem"), "-days", "1", "-subj", "/CN=another authority"], { stdio: "ignore" });
        for (const f of ["cert.pem", "key.pem"]) {
            copyFileSync(join(certPath, f), join(other, f));
        }
        await assert.rejects(new Docker(dockerOptions(host.docker, {}, other)).info(), /self[- ]signed|unable to verify|unable to get local issuer/i);
    });
});

describe("a Docker endpoint over ssh://", () => {
    const host = simulatedHost(2, "ssh");
    let docker: Docker;

    before(() => {
        docker = new Docker(dockerOptions(host.docker, {}));
    });

    it("reaches the host's own engine, as the Docker CLI does", async () => {
        const cli = execFileSync("docker", ["-H", host.docker, "info", "-f", "{{.DockerRootDir}}"], { encoding: "utf8" }).trim();
        assert.equal((await docker.info()).DockerRootDir, cli);
        assert.match(cli, /icc-bench\/hosts\/host2$/);
    });

    it("carries many hijacked execs at once, each reply whole (the engine may end a connection before its last bytes are read)", async () => {
        assert.deepEqual(await manyExecs(docker), Array(40).fill("0 true"));
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
