// Docker Engine API operations on containers and networks (through dockerode, never the docker CLI).
import Docker from "dockerode";
import { ContainerSpec, NetworkSpec, RestartPolicy } from "./inputs";
import {
    InspectedContainer,
    InspectedNetwork,
    endpointConfig,
    laterAttachments,
    toCreateOptions,
    toNetworkCreateOptions,
} from "./mapping";

interface DockerError {
    statusCode?: number;
    json?: { message?: string } | null;
    message?: string;
}

function asDockerError(err: unknown): DockerError {
    return typeof err === "object" && err !== null ? (err as DockerError) : { message: String(err) };
}

export function statusCode(err: unknown): number | undefined {
    return asDockerError(err).statusCode;
}

/** The daemon's own message when there is one, worded as the official (Go) client does. */
export function errorMessage(err: unknown): string {
    const e = asDockerError(err);
    const daemon = e.json?.message;
    return daemon !== undefined ? `Error response from daemon: ${daemon}` : (e.message ?? String(err));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function inspect(docker: Docker, id: string): Promise<InspectedContainer | undefined> {
    try {
        return (await docker.getContainer(id).inspect()) as InspectedContainer;
    } catch (err) {
        if (statusCode(err) === 404) {
            return undefined;
        }
        throw new Error(`Error inspecting container ${id}: ${errorMessage(err)}`);
    }
}

async function pull(docker: Docker, image: string): Promise<void> {
    const stream = await docker.pull(image);
    const events = await new Promise<Array<{ error?: string }>>((resolve, reject) => {
        docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) =>
            err ? reject(err) : resolve(out),
        );
    });
    const failed = events.find((e) => e.error);
    if (failed?.error) {
        throw new Error(failed.error);
    }
}

/** The image as is when present locally; otherwise pulled (official behaviour). */
export async function ensureImage(docker: Docker, image: string): Promise<void> {
    try {
        await docker.getImage(image).inspect();
        return;
    } catch (err) {
        if (statusCode(err) !== 404) {
            throw new Error(`Unable to create container with image ${image}: ${errorMessage(err)}`);
        }
    }
    try {
        await pull(docker, image);
    } catch (err) {
        throw new Error(`Unable to create container with image ${image}: unable to pull image ${image}: ${errorMessage(err)}`);
    }
}

/** Waits until a started container has left the "created" state (it runs, or it already exited). */
async function waitStarted(docker: Docker, id: string, timeoutMs = 15_000): Promise<InspectedContainer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const info = await inspect(docker, id);
        if (info === undefined) {
            throw new Error(`container ${id} vanished right after its start`);
        }
        if (info.State.Status !== "created" || Date.now() > deadline) {
            return info;
        }
        await sleep(100);
    }
}

/**
 * Creates (and, if `start`, starts) the container; returns its inspect. Transactional: when
 * the start fails the created container is removed again before the error is reported.
 */
export async function createContainer(docker: Docker, spec: ContainerSpec): Promise<InspectedContainer> {
    await ensureImage(docker, spec.image);
    let container: Docker.Container;
    try {
        container = await docker.createContainer(toCreateOptions(spec));
    } catch (err) {
        throw new Error(`Unable to create container: ${errorMessage(err)}`);
    }
    for (const attachment of laterAttachments(spec)) {
        try {
            await docker.getNetwork(attachment.name).connect({ Container: container.id, EndpointConfig: endpointConfig(attachment) });
        } catch (err) {
            await removeContainer(docker, container.id, 0).catch(() => undefined);
            throw new Error(`Unable to connect to network '${attachment.name}': ${errorMessage(err)}`);
        }
    }
    if (!spec.start) {
        const info = await inspect(docker, container.id);
        if (info === undefined) {
            throw new Error(`container ${container.id} vanished right after its creation`);
        }
        return info;
    }
    try {
        await container.start();
    } catch (err) {
        await removeContainer(docker, container.id, 0).catch(() => undefined);
        throw new Error(`Unable to start container: ${errorMessage(err)}`);
    }
    return waitStarted(docker, container.id);
}

export async function updateRestartPolicy(docker: Docker, id: string, restart: RestartPolicy): Promise<void> {
    try {
        await docker.getContainer(id).update({ RestartPolicy: { Name: restart, MaximumRetryCount: 0 } });
    } catch (err) {
        throw new Error(`Unable to update a container: ${errorMessage(err)}`);
    }
}

export async function startContainer(docker: Docker, id: string): Promise<InspectedContainer> {
    try {
        await docker.getContainer(id).start();
    } catch (err) {
        if (statusCode(err) !== 304) {
            throw new Error(`Unable to start container: ${errorMessage(err)}`);
        }
    }
    return waitStarted(docker, id);
}

async function waitRemoved(docker: Docker, id: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await inspect(docker, id)) !== undefined) {
        if (Date.now() > deadline) {
            throw new Error(`Error waiting for container removal '${id}': still present after ${timeoutMs / 1000}s`);
        }
        await sleep(200);
    }
}

/**
 * Stops the container with the grace period when it is > 0, then force-removes it with its
 * anonymous volumes. A container that is already gone (or being removed) is fine.
 */
export async function removeContainer(docker: Docker, id: string, graceSeconds: number): Promise<void> {
    const container = docker.getContainer(id);
    if (graceSeconds > 0) {
        try {
            await container.stop({ t: graceSeconds });
        } catch (err) {
            const code = statusCode(err);
            if (code !== 304 && code !== 404) {
                throw new Error(`Error stopping container ${id}: ${errorMessage(err)}`);
            }
        }
    }
    try {
        await container.remove({ force: true, v: true });
    } catch (err) {
        const code = statusCode(err);
        if (code === 404) {
            return;
        }
        if (code !== 409) {
            throw new Error(`Error deleting container ${id}: ${errorMessage(err)}`);
        }
    }
    await waitRemoved(docker, id);
}

// ---------------------------------------------------------------- networks

export async function inspectNetwork(docker: Docker, id: string): Promise<InspectedNetwork | undefined> {
    try {
        return (await docker.getNetwork(id).inspect()) as InspectedNetwork;
    } catch (err) {
        if (statusCode(err) === 404) {
            return undefined;
        }
        throw new Error(`Error inspecting network ${id}: ${errorMessage(err)}`);
    }
}

/** Creates the network; returns its inspect. */
export async function createNetwork(docker: Docker, spec: NetworkSpec): Promise<InspectedNetwork> {
    let id: string;
    try {
        id = (await docker.createNetwork(toNetworkCreateOptions(spec))).id;
    } catch (err) {
        throw new Error(`Unable to create network: ${errorMessage(err)}`);
    }
    return inspectWhole(docker, id);
}

/** How long a network's inspect may take to show every field, as the official provider allows. */
const NETWORK_FIELDS_TIMEOUT_MS = 30_000;

/**
 * The network's inspect once it shows every field. A swarm-scoped network just created on a
 * manager is first inspected without its driver and IPAM config (swarm makes it asynchronously);
 * the official provider reads it again until it does (a StateChangeConf of 30 s).
 */
async function inspectWhole(docker: Docker, id: string): Promise<InspectedNetwork> {
    const deadline = Date.now() + NETWORK_FIELDS_TIMEOUT_MS;
    for (;;) {
        const info = await inspectNetwork(docker, id);
        if (info === undefined) {
            throw new Error(`network ${id} vanished right after its creation`);
        }
        if (info.Driver !== "" || Date.now() > deadline) {
            return info;
        }
        await sleep(200);
    }
}

/**
 * Removes the network, waiting while it still has endpoints (containers being removed), as the
 * official provider does for 30 s. A network that is already gone is fine.
 */
export async function removeNetwork(docker: Docker, id: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            await docker.getNetwork(id).remove();
            return;
        } catch (err) {
            if (statusCode(err) === 404) {
                return;
            }
            const busy = errorMessage(err).includes("has active endpoints");
            if (!busy || Date.now() > deadline) {
                throw new Error(`Error removing network ${id}: ${errorMessage(err)}`);
            }
        }
        await sleep(500);
    }
}
