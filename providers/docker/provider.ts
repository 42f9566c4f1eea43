// The docker provider: the resource types of resources.ts, official v5 lifecycle semantics.
import Docker from "dockerode";
import * as provider from "@pulumi/pulumi/provider";
import { ProviderConfig, SUPPORTED_CONFIG, effectiveCertPath, effectiveHost, getProviderConfig } from "./config";
import { dockerOptions } from "../shared/dockerEndpoint";
import { IMPLEMENTER } from "./inputs";
import { DockerResource, RESOURCES } from "./resources";
import { PropertyMap, applyDefaults, diffInputs, isRecord, validateInputs } from "../shared/values";

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

/** The served resource of the URN's type; anything else (and unsupported provider config) is refused by name. */
function resourceOf(urn: string, config: ProviderConfig): DockerResource {
    const type = urnType(urn);
    const resource = RESOURCES[type];
    if (resource === undefined) {
        throw new Error(`unsupported resource type ${type}: ${IMPLEMENTER} implements only ${Object.keys(RESOURCES).join(", ")}`);
    }
    if (config.unsupported.length > 0) {
        throw new Error(
            `unsupported docker provider configuration ${config.unsupported.map((k) => `docker:${k}`).join(", ")}: ` +
                `${IMPLEMENTER} supports only ${SUPPORTED_CONFIG.map((k) => `docker:${k}`).join(" and ")}`,
        );
    }
    return resource;
}

/** A Provider talking to the Docker Engine chosen by the provider config (docker:host, docker:certPath). */
export class DockerProvider implements provider.Provider {
    readonly version = PROVIDER_VERSION;
    private client?: { host: string; certPath?: string; docker: Docker };

    constructor(
        private readonly config: () => ProviderConfig = getProviderConfig,
        private readonly env: NodeJS.ProcessEnv = process.env,
    ) {}

    private docker(): Docker {
        const host = effectiveHost(this.config(), this.env);
        const certPath = effectiveCertPath(this.config(), this.env);
        if (this.client?.host !== host || this.client.certPath !== certPath) {
            this.client = { host, certPath, docker: new Docker(dockerOptions(host, this.env, certPath)) };
        }
        return this.client.docker;
    }

    private resource(urn: string): DockerResource {
        return resourceOf(urn, this.config());
    }

    async check(urn: string, _olds: unknown, news: unknown): Promise<provider.CheckResult> {
        const { schema } = this.resource(urn);
        const inputs = asMap(news);
        const failures = validateInputs(schema, inputs);
        return failures.length > 0 ? { inputs, failures } : { inputs: applyDefaults(schema, inputs) };
    }

    async diff(_id: string, urn: string, olds: unknown, news: unknown): Promise<provider.DiffResult> {
        return diffInputs(this.resource(urn).schema, asMap(olds), asMap(news));
    }

    async create(urn: string, news: unknown): Promise<provider.CreateResult> {
        return this.resource(urn).create(this.docker(), asMap(news));
    }

    async read(id: string, urn: string, props?: unknown): Promise<provider.ReadResult> {
        const resource = this.resource(urn);
        const state = asMap(props);
        if (resource.schema.required.some((k) => state[k] === undefined)) {
            throw new Error(`importing ${resource.schema.type} is not supported by ${IMPLEMENTER}`);
        }
        const fresh = await resource.read(this.docker(), id, state);
        // A vanished object: an empty id tells the engine that the resource is gone.
        return fresh === undefined ? { id: "", props: {} } : { id, props: fresh };
    }

    async update(id: string, urn: string, olds: unknown, news: unknown): Promise<provider.UpdateResult> {
        return { outs: await this.resource(urn).update(this.docker(), id, asMap(olds), asMap(news)) };
    }

    async delete(id: string, urn: string, props: unknown): Promise<void> {
        await this.resource(urn).delete(this.docker(), id, asMap(props));
    }

    async invoke(token: string): Promise<provider.InvokeResult> {
        throw new Error(`unsupported function ${token}: ${IMPLEMENTER} implements no functions`);
    }
}
