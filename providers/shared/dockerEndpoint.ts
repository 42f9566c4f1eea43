// How a Docker endpoint URL is reached with dockerode: by the offline docker plugin and by the
// benchmark runner, which must talk to the same engine.
import type Docker from "dockerode";
import { ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as http from "node:http";
import type { Socket } from "node:net";
import { Duplex } from "node:stream";

export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

/** What dockerode passes on to its modem: an HTTP agent of our own is how ssh:// is reached. */
export type DockerConnection = Docker.DockerOptions & { readonly agent?: http.Agent };

/**
 * The folder of TLS files when none is configured: DOCKER_CERT_PATH, as the official plugin's
 * `certPath` defaults to it.
 */
export function certPathFromEnv(env: NodeJS.ProcessEnv): string | undefined {
    return env.DOCKER_CERT_PATH || undefined;
}

/**
 * dockerode connection options for a docker host URL (unix://, tcp://, ssh://); with `certPath`,
 * TLS to a tcp:// host with the folder's ca.pem (the server is verified against it), cert.pem and
 * key.pem, as the official plugin's `certPath` does.
 */
export function dockerOptions(host: string, env: NodeJS.ProcessEnv, certPath?: string): DockerConnection {
    const url = parseUrl(host);
    if (certPath !== undefined) {
        return tlsOptions(host, url, certPath);
    }
    if (url.protocol === "unix:") {
        if (url.pathname === "") {
            throw new Error(`docker host ${JSON.stringify(host)}: missing socket path`);
        }
        return { socketPath: decodeURIComponent(url.pathname) };
    }
    if (url.protocol === "tcp:" || url.protocol === "http:") {
        if (env.DOCKER_TLS_VERIFY) {
            throw new Error(`docker host ${host}: DOCKER_TLS_VERIFY is set but no folder of TLS files is given (set DOCKER_CERT_PATH, or certPath)`);
        }
        return { protocol: "http", host: url.hostname, port: url.port === "" ? 2375 : Number(url.port) };
    }
    if (url.protocol === "ssh:") {
        return { protocol: "http", host: "docker", port: 80, agent: sshAgent(sshEndpoint(host, url)) };
    }
    throw new Error(
        `docker host ${JSON.stringify(host)}: scheme ${url.protocol} is not supported by icc-bench's Docker client ` +
            "(the offline docker plugin and the benchmark runner; use unix://, tcp:// or ssh://)",
    );
}

/** The Docker CLI's files in a DOCKER_CERT_PATH folder (what `certPath` names), as the docker CLI's TLS flags take them too. */
export const TLS_FILES = { ca: "ca.pem", cert: "cert.pem", key: "key.pem" } as const;

function tlsOptions(host: string, url: URL, certPath: string): DockerConnection {
    if (url.protocol !== "tcp:") {
        throw new Error(`docker host ${JSON.stringify(host)}: TLS files (certPath ${certPath}) go with a tcp:// endpoint only`);
    }
    const read = (file: string): Buffer => {
        try {
            return readFileSync(`${certPath}/${file}`);
        } catch (e) {
            throw new Error(`docker host ${host}: cannot read the TLS file ${certPath}/${file}: ${(e as Error).message}`);
        }
    };
    return {
        protocol: "https",
        host: url.hostname,
        port: url.port === "" ? 2376 : Number(url.port),
        ca: read(TLS_FILES.ca),
        cert: read(TLS_FILES.cert),
        key: read(TLS_FILES.key),
    };
}

/** An ssh:// endpoint as the Docker CLI takes it: ssh://[user@]host[:port]. */
export interface SshEndpoint {
    readonly user?: string;
    readonly host: string;
    readonly port?: number;
}

function sshEndpoint(text: string, url: URL): SshEndpoint {
    if (url.pathname !== "" || url.search !== "" || url.password !== "") {
        throw new Error(`docker host ${JSON.stringify(text)}: an ssh:// endpoint is ssh://[user@]host[:port], with no password, path or query`);
    }
    return {
        ...(url.username === "" ? {} : { user: decodeURIComponent(url.username) }),
        host: url.hostname,
        ...(url.port === "" ? {} : { port: Number(url.port) }),
    };
}

/**
 * The command the Docker CLI runs for ssh:// (docker/cli connhelper): the system's ssh with the
 * user's own keys, agent, known hosts and ~/.ssh/config, running `docker system dial-stdio` on
 * the host, whose stdin and stdout are then the connection to its engine.
 */
export function sshArgv(endpoint: SshEndpoint): string[] {
    return [
        "-o", "ConnectTimeout=30",
        ...(endpoint.user === undefined ? [] : ["-l", endpoint.user]),
        ...(endpoint.port === undefined ? [] : ["-p", String(endpoint.port)]),
        "--", endpoint.host, "docker", "system", "dial-stdio",
    ];
}

/** How much of ssh's stderr an error keeps. */
const STDERR_KEPT = 2000;

/** ssh processes of this process's connections: ended with it (an idle kept-alive connection would outlive it). */
const liveSsh = new Set<ChildProcess>();
process.once("exit", () => liveSsh.forEach((c) => c.kill()));

/**
 * Connections through ssh, kept alive between requests as the CLI's are (one ssh handshake per
 * connection, not per request). The engine's reply ends when ssh does; an ssh that fails ends
 * the connection with its exit status and stderr.
 */
function sshAgent(endpoint: SshEndpoint): http.Agent {
    const agent = new http.Agent({ keepAlive: true });
    agent.createConnection = () => sshConnection(endpoint) as unknown as Socket;
    return agent;
}

function sshConnection(endpoint: SshEndpoint): Duplex {
    const child = spawn("ssh", sshArgv(endpoint), { stdio: ["pipe", "pipe", "pipe"] });
    liveSsh.add(child);
    let stderr = "";
    // Not Duplex.from: ssh's stdin may close (the engine ended the connection) before its last reply bytes are read.
    const connection = new Duplex({
        write: (chunk: Buffer, _encoding, done) => {
            child.stdin.write(chunk, () => done());
        },
        final: (done) => {
            child.stdin.end();
            done();
        },
        read: () => {
            child.stdout.resume();
        },
    });
    child.stdin.on("error", () => undefined);
    child.stdout.on("data", (chunk: Buffer) => {
        if (!connection.push(chunk)) {
            child.stdout.pause();
        }
    });
    child.stderr.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT);
    });
    const failed = (why: string): Error => new Error(`ssh to ${endpoint.host} for its Docker engine: ${why}${stderr === "" ? "" : `: ${stderr.trim()}`}`);
    child.on("error", (e) => connection.destroy(failed(e.message)));
    child.on("close", (code, signal) => {
        liveSsh.delete(child);
        if (code === 0 || connection.destroyed) {
            connection.push(null);
        } else {
            connection.destroy(failed(code === null ? `killed by ${signal}` : `exit ${code}`));
        }
    });
    connection.on("close", () => child.kill());
    // What http.Agent asks of a kept-alive socket: an idle one must not hold this process open.
    const streams = [child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[];
    return Object.assign(connection, {
        setKeepAlive: () => connection,
        setNoDelay: () => connection,
        setTimeout: () => connection,
        ref: () => {
            child.ref();
            streams.forEach((s) => s.ref());
            return connection;
        },
        unref: () => {
            child.unref();
            streams.forEach((s) => s.unref());
            return connection;
        },
    });
}

function parseUrl(host: string): URL {
    try {
        return new URL(host);
    } catch {
        throw new Error(`docker host ${JSON.stringify(host)} is not a URL such as unix:///var/run/docker.sock`);
    }
}
