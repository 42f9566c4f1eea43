// The docker provider: docker:index/container:Container only, official v5 lifecycle semantics.
import Docker from "dockerode";
import * as provider from "@pulumi/pulumi/provider";
import { ProviderConfig, dockerOptions, effectiveHost, getProviderConfig } from "./config";
import * as engine from "./engine";
import { RESOURCE_TYPE, applyDefaults, diffInputs, toSpec, validateInputs } from "./inputs";
import { refreshOutputs, toOutputs } from "./mapping";
import { PropertyMap, isRecord, reveal } from "../shared/values";

export const PROVIDER_VERSION = "5.2.0";

/** Type from `urn:pulumi:stack::project::parent$type::name`. */
export function urnType(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) {
        throw new Error(`malformed URN ${JSON.stringify(urn)}`);
    }
    return parts[2].slice(parts[2].lastIndexOf("$") + 1);
}

const asMap = (v: unknown): PropertyMap => (isRecord(v) ? v : {});

function assertSupported(urn: string, config: ProviderConfig): void {
    const type = urnType(urn);
    if (type !== RESOURCE_TYPE) {
        throw new Error(
            `unsupported resource type ${type}: the icc-bench offline docker plugin implements only ${RESOURCE_TYPE}`,
        );
    }
    if (config.unsupported.length > 0) {
        throw new Error(
            `unsupported docker provider configuration ${config.unsupported.map((k) => `docker:${k}`).join(", ")}: ` +
                "the icc-bench offline docker plugin supports only docker:host",
        );
    }
}

function graceSeconds(props: PropertyMap): number {
    const v = reveal(props.destroyGraceSeconds);
    return typeof v === "number" ? v : 0;
}

/** A Provider talking to the Docker Engine chosen by the provider config (docker:host). */
export class DockerProvider implements provider.Provider {
    readonly version = PROVIDER_VERSION;
    private client?: { host: string; docker: Docker };

    constructor(
        private readonly config: () => ProviderConfig = getProviderConfig,
        private readonly env: NodeJS.ProcessEnv = process.env,
    ) {}

    private docker(): Docker {
        const host = effectiveHost(this.config(), this.env);
        if (this.client?.host !== host) {
            this.client = { host, docker: new Docker(dockerOptions(host, this.env)) };
        }
        return this.client.docker;
    }

    private guard(urn: string): void {
        assertSupported(urn, this.config());
    }

    async check(urn: string, _olds: unknown, news: unknown): Promise<provider.CheckResult> {
        this.guard(urn);
        const inputs = asMap(news);
        const failures = validateInputs(inputs);
        return failures.length > 0 ? { inputs, failures } : { inputs: applyDefaults(inputs) };
    }

    async diff(_id: string, urn: string, olds: unknown, news: unknown): Promise<provider.DiffResult> {
        this.guard(urn);
        return diffInputs(asMap(olds), asMap(news));
    }

    async create(urn: string, news: unknown): Promise<provider.CreateResult> {
        this.guard(urn);
        const inputs = asMap(news);
        const info = await engine.createContainer(this.docker(), toSpec(inputs));
        return { id: info.Id, outs: toOutputs(inputs, info) };
    }

    async read(id: string, urn: string, props?: unknown): Promise<provider.ReadResult> {
        this.guard(urn);
        const state = asMap(props);
        if (state.image === undefined) {
            throw new Error(`importing ${RESOURCE_TYPE} is not supported by the icc-bench offline docker plugin`);
        }
        const info = await engine.inspect(this.docker(), id);
        // A vanished container: an empty id tells the engine that the resource is gone.
        return info === undefined ? { id: "", props: {} } : { id, props: refreshOutputs(state, info) };
    }

    async update(id: string, urn: string, olds: unknown, news: unknown): Promise<provider.UpdateResult> {
        this.guard(urn);
        const inputs = asMap(news);
        const spec = toSpec(inputs);
        const docker = this.docker();
        if (spec.restart !== (reveal(asMap(olds).restart) ?? "no")) {
            await engine.updateRestartPolicy(docker, id, spec.restart);
        }
        let info = await engine.inspect(docker, id);
        if (info === undefined) {
            throw new Error(`Unable to update a container: container ${id} does not exist (run pulumi refresh)`);
        }
        if (spec.start && spec.mustRun && !info.State.Running) {
            info = await engine.startContainer(docker, id);
        }
        return { outs: toOutputs(inputs, info) };
    }

    async delete(id: string, urn: string, props: unknown): Promise<void> {
        this.guard(urn);
        await engine.removeContainer(this.docker(), id, graceSeconds(asMap(props)));
    }

    async invoke(token: string): Promise<provider.InvokeResult> {
        throw new Error(`unsupported function ${token}: the icc-bench offline docker plugin implements no functions`);
    }
}
