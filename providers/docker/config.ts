// Provider configuration (docker:host) and how the Docker Engine is reached.
//
// The provider server of @pulumi/pulumi/provider answers Configure itself and never hands the
// configuration to the Provider object. The engine sends it in ConfigureRequest.variables
// ("docker:config:host" -> value); installConfigureHook() records those variables by wrapping
// the request deserializer of the Configure method in the generated service definition,
// before main() registers that service.
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { DEFAULT_DOCKER_HOST, certPathFromEnv } from "../shared/dockerEndpoint";

/** Provider config keys this plugin understands (without the "docker:config:" prefix). */
export const SUPPORTED_CONFIG = ["host", "certPath"] as const;

/** Keys with no effect on this plugin that are accepted silently. */
const IGNORED_CONFIG = ["disableDockerDaemonCheck"];

export interface ProviderConfig {
    /** docker:host if configured. */
    host?: string;
    /** docker:certPath if configured: a folder with ca.pem, cert.pem and key.pem for TLS. */
    certPath?: string;
    /** Config keys set but not supported (reported as errors by every resource operation). */
    unsupported: string[];
}

/** The provider config from Configure's variables ("docker:config:KEY" -> value). */
export function parseConfigVariables(vars: ReadonlyMap<string, string>): ProviderConfig {
    const config: ProviderConfig = { unsupported: [] };
    for (const [fullKey, value] of vars.entries()) {
        const key = fullKey.replace(/^docker:config:/, "");
        if (key === "host" || key === "certPath") {
            config[key] = value === "" ? undefined : value;
        } else if (!IGNORED_CONFIG.includes(key)) {
            config.unsupported.push(key);
        }
    }
    return config;
}

/** The docker:host to use: the configured one, else DOCKER_HOST, else the default socket. */
export function effectiveHost(config: ProviderConfig, env: NodeJS.ProcessEnv): string {
    return config.host ?? (env.DOCKER_HOST || DEFAULT_DOCKER_HOST);
}

/** The TLS files to use: the configured folder, else DOCKER_CERT_PATH, else none. */
export function effectiveCertPath(config: ProviderConfig, env: NodeJS.ProcessEnv): string | undefined {
    return config.certPath ?? certPathFromEnv(env);
}

let currentConfig: ProviderConfig = { unsupported: [] };

export function getProviderConfig(): ProviderConfig {
    return currentConfig;
}

/** Records the provider config carried by every Configure request (call before main()). */
export function installConfigureHook(): void {
    const method = providerGrpc.ResourceProviderService.configure;
    const deserialize = method.requestDeserialize;
    method.requestDeserialize = (bytes: Buffer) => {
        const req = deserialize(bytes);
        currentConfig = parseConfigVariables(new Map(req.getVariablesMap().getEntryList()));
        return req;
    };
}
