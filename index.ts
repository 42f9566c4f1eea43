import * as pulumi from "@pulumi/pulumi";
import { Lab } from "./components";
import { HostNotReady, checkHost } from "./host/preflight";
import { ConfigError, planStack, rawConfigFromPulumi, validateSettings } from "./model";

const stack = pulumi.getStack();
// The whole icc-bench config namespace (unknown keys included) is validated before anything exists.
const config = rawConfigFromPulumi(pulumi.runtime.allConfig());

/** Fails unless the config is valid and this host can run its plan (preview included). */
function checkReady(): void {
    try {
        checkHost(planStack(stack, validateSettings(config)));
    } catch (e) {
        // RunError: the engine prints the message alone, without a stack trace.
        throw e instanceof ConfigError || e instanceof HostNotReady ? new pulumi.RunError(e.message) : e;
    }
}

checkReady();
const lab = new Lab(stack, config);

/** Per method: Gbit/s per client process and per container, means, total, start, duration. */
export const results = lab.results;
