import { STACK_LABEL } from "../model/constants";
import type { DockerEndpoint } from "../model/hosts";
import { TLS_FILES } from "../providers/shared/dockerEndpoint";
import type { HostCommand } from "./hostCommand";
import type { PidLookup } from "./ip";
import { Shell, cmd, containerName, deleteScript, dockerEndpoint, lines, quote, raw, validCertPath, validDockerEndpoint } from "./shell";

/**
 * Host plumbing on a Docker host the program reaches only through its Docker endpoint: the
 * script runs in a short-lived helper container in that host's network and PID namespaces,
 * from the lab's own image (ip, nsenter, iptables, ethtool). Chosen over SSH because the
 * endpoint is all a lab's host must offer: no login, no second credential, and the same path
 * whether the endpoint is a socket, TCP or SSH. The host's /run is the helper's, so iptables'
 * lock and the lab's interface claims are the host's own.
 */

/** A Docker host as its plumbing reaches it. */
export interface PlumbedHost extends DockerEndpoint {
    readonly name: string;
}

export interface HelperPlan {
    /** The helper's image: the lab's, already on every host of the lab. */
    readonly image: string;
    /** The stack: the helper carries its label, so a helper left running is found with the lab's containers. */
    readonly stack: string;
}

/**
 * Only what plumbing needs: links and addresses, entering another process's namespaces, and
 * reading it. Not --privileged: runc cannot apply every capability on some hosts (this CI's VM).
 */
const CAPABILITIES = ["NET_ADMIN", "NET_RAW", "SYS_ADMIN", "SYS_PTRACE"];

/** The docker CLI's TLS flags for an endpoint with TLS files (what DOCKER_TLS_VERIFY and DOCKER_CERT_PATH give it). */
function tlsFlags(endpoint: DockerEndpoint): string[] {
    if (endpoint.certPath === undefined) {
        return [];
    }
    const folder = validCertPath(endpoint.certPath);
    return ["--tlsverify", `--tlscacert=${folder}/${TLS_FILES.ca}`, `--tlscert=${folder}/${TLS_FILES.cert}`, `--tlskey=${folder}/${TLS_FILES.key}`];
}

/** The docker CLI's flags that reach an endpoint, as argv: -H, and TLS where it has its files. */
export function dockerFlags(endpoint: DockerEndpoint): string[] {
    return ["-H", validDockerEndpoint(endpoint.docker), ...tlsFlags(endpoint)];
}

export function docker(host: DockerEndpoint, ...args: Shell[]): Shell {
    return cmd(raw("docker -H"), dockerEndpoint(host.docker), ...tlsFlags(host).map(quote), ...args);
}

/** Sets $pid to the container's pid on the host, 0 when it does not run there. */
function pidOn(host: PlumbedHost, container: string): Shell {
    return cmd(raw("pid=$("), docker(host, raw("inspect --format '{{.State.Pid}}'"), containerName(container), raw("2>/dev/null || echo 0")), raw(")"));
}

/**
 * Runs `script` on the host; with `container`, the script finds that container's pid on the
 * host in $pid (0 when it does not run). The helper's exit status is the script's.
 */
export function onHost(host: PlumbedHost, helper: HelperPlan, script: Shell, container?: string): Shell {
    return lines(
        container === undefined ? raw("pid=0") : pidOn(host, container),
        docker(host, ...helperRun(helper).map(quote), raw('-e pid="$pid" --entrypoint sh'), quote(helper.image), raw("-c"), quote(script)),
    );
}

/** `docker run` of the helper, up to its entrypoint and image: also what host:clean runs a host's tools with. */
export function helperRun(helper: HelperPlan): string[] {
    return [
        "run", "--rm", "--network", "host", "--pid", "host", "--security-opt", "apparmor=unconfined", "-v", "/run:/run",
        ...CAPABILITIES.flatMap((c) => ["--cap-add", c]),
        "--label", `${STACK_LABEL}=${helper.stack}`,
    ];
}

/** A host object's scripts, each run by the helper on the host (see onHost). */
export function plumbOn(host: PlumbedHost, helper: HelperPlan, scripts: HostCommand, container?: string): HostCommand {
    return { create: deleteScript(onHost(host, helper, scripts.create, container)), delete: deleteScript(onHost(host, helper, scripts.delete, container)) };
}

/** In a script the helper runs: $pid is given (see onHost), only checked. */
export const GIVEN_PID: PidLookup = {
    running: (container) => cmd(raw(`[ "$pid" -gt 0 ] || { echo "icc-bench: container"`), containerName(container), raw(`"is not running" >&2; exit 1; }`)),
    ifRunning: () => raw(":"),
};
