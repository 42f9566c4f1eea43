import * as pulumi from "@pulumi/pulumi";
import { Lab } from "./components";
import { HostNotReady, checkHost, withHostMethods } from "./host/preflight";
import { ConfigError, planStack, rawConfigFromPulumi, validateSettings } from "./model";

const stack = pulumi.getStack();
// The whole icc-bench config namespace (unknown keys included) is validated before anything exists;
// without `methods`, the lab measures every method this host supports.
const { config, skipped } = withHostMethods(rawConfigFromPulumi(pulumi.runtime.allConfig()));
for (const s of skipped) {
    void pulumi.log.info(`icc-bench: method ${s.method} left out on this host: ${s.reasons.join("; ")}`);
}

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

/** Per method: Gbit/s per client process and per container, means, total, start, duration, fraction of the limit. */
export const results = lab.results;
