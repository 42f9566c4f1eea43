// The lifecycle of each served resource type against the Docker Engine (official v5 semantics).
import type Docker from "dockerode";
import * as engine from "./engine";
import { CONTAINER, CONTAINER_TYPE, NETWORK, NETWORK_TYPE, toContainerSpec, toNetworkSpec } from "./inputs";
import { refreshOutputs, toNetworkOutputs, toOutputs } from "./mapping";
import { PropertyMap, ResourceSchema, reveal } from "../shared/values";

/** What the provider does for one resource type; `read` gives undefined when the object is gone. */
export interface DockerResource {
    readonly schema: ResourceSchema;
    create(docker: Docker, inputs: PropertyMap): Promise<{ id: string; outs: PropertyMap }>;
    read(docker: Docker, id: string, state: PropertyMap): Promise<PropertyMap | undefined>;
    update(docker: Docker, id: string, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap>;
    delete(docker: Docker, id: string, state: PropertyMap): Promise<void>;
}

function graceSeconds(props: PropertyMap): number {
    const v = reveal(props.destroyGraceSeconds);
    return typeof v === "number" ? v : 0;
}

const container: DockerResource = {
    schema: CONTAINER,
    async create(docker, inputs) {
        const info = await engine.createContainer(docker, toContainerSpec(inputs));
        return { id: info.Id, outs: toOutputs(inputs, info) };
    },
    async read(docker, id, state) {
        const info = await engine.inspect(docker, id);
        return info === undefined ? undefined : refreshOutputs(state, info);
    },
    async update(docker, id, olds, news) {
        const spec = toContainerSpec(news);
        if (spec.restart !== (reveal(olds.restart) ?? "no")) {
            await engine.updateRestartPolicy(docker, id, spec.restart);
        }
        let info = await engine.inspect(docker, id);
        if (info === undefined) {
            throw new Error(`Unable to update a container: container ${id} does not exist (run pulumi refresh)`);
        }
        if (spec.start && spec.mustRun && !info.State.Running) {
            info = await engine.startContainer(docker, id);
        }
        return toOutputs(news, info);
    },
    async delete(docker, id, state) {
        await engine.removeContainer(docker, id, graceSeconds(state));
    },
};

const network: DockerResource = {
    schema: NETWORK,
    async create(docker, inputs) {
        const info = await engine.createNetwork(docker, toNetworkSpec(inputs));
        return { id: info.Id, outs: toNetworkOutputs(inputs, info, true) };
    },
    async read(docker, id, state) {
        const info = await engine.inspectNetwork(docker, id);
        return info === undefined ? undefined : toNetworkOutputs(state, info, false);
    },
    async update() {
        // Every input is ForceNew (official schema): a change is always a replace.
        throw new Error(`${NETWORK_TYPE} has no property that updates in place`);
    },
    async delete(docker, id) {
        await engine.removeNetwork(docker, id);
    },
};

/** The served resource types. */
export const RESOURCES: Readonly<Record<string, DockerResource>> = {
    [CONTAINER_TYPE]: container,
    [NETWORK_TYPE]: network,
};
