import * as pulumi from "@pulumi/pulumi";
import { Lab } from "./components";
import { HostNotReady, checkHost, withHostMethods } from "./host/preflight";
import { ConfigError, LabSettings, planStack, rawConfigFromPulumi, validateSettings } from "./model";

const stack = pulumi.getStack();
// The whole icc-bench config namespace (unknown keys included) is validated before anything exists;
// without `methods`, the lab measures every method this host supports.
const { config, skipped } = withHostMethods(rawConfigFromPulumi(pulumi.runtime.allConfig()));
for (const s of skipped) {
    void pulumi.log.info(`icc-bench: method ${s.method} left out on this host: ${s.reasons.join("; ")}`);
}

/** The validated settings, once this host is found able to run their plan (preview included). */
function readySettings(): LabSettings {
    try {
        const settings = validateSettings(config);
        checkHost(planStack(stack, settings));
        return settings;
    } catch (e) {
        // RunError: the engine prints the message alone, without a stack trace.
        throw e instanceof ConfigError || e instanceof HostNotReady ? new pulumi.RunError(e.message) : e;
    }
}

const lab = new Lab(stack, readySettings());

/** Per method: Gbit/s per client process and per container, means, total, start, duration, fraction of the limit (round 1). */
export const results = lab.results;
/** The same, for every round of the run (config `repeats`), round 1 first. */
export const rounds = lab.rounds;
