// How a Docker endpoint URL is reached with dockerode: by the offline docker plugin and by the
// benchmark runner, which must talk to the same engine.
import type Docker from "dockerode";

export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

/** dockerode connection options for a docker host URL (unix:// and tcp:// without TLS). */
export function dockerOptions(host: string, env: NodeJS.ProcessEnv): Docker.DockerOptions {
    const url = parseUrl(host);
    if (url.protocol === "unix:") {
        if (url.pathname === "") {
            throw new Error(`docker host ${JSON.stringify(host)}: missing socket path`);
        }
        return { socketPath: decodeURIComponent(url.pathname) };
    }
    if (url.protocol === "tcp:" || url.protocol === "http:") {
        if (env.DOCKER_TLS_VERIFY) {
            throw new Error(`docker host ${host}: TLS (DOCKER_TLS_VERIFY) is not supported by icc-bench's Docker client (the offline docker plugin and the benchmark runner)`);
        }
        return { protocol: "http", host: url.hostname, port: url.port === "" ? 2375 : Number(url.port) };
    }
    throw new Error(
        `docker host ${JSON.stringify(host)}: scheme ${url.protocol} is not supported by icc-bench's Docker client ` +
            "(the offline docker plugin and the benchmark runner; use unix:// or tcp://)",
    );
}

function parseUrl(host: string): URL {
    try {
        return new URL(host);
    } catch {
        throw new Error(`docker host ${JSON.stringify(host)} is not a URL such as unix:///var/run/docker.sock`);
    }
}
