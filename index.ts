import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Lab } from "./components";
import { HostNotReady, checkHost } from "./host/preflight";
import { ConfigError, LAB_ID_LABEL, SUBNET_LABEL, StackPlan, planStack, rawConfigFromPulumi, validateSettings } from "./model";

const stack = pulumi.getStack();
// The whole icc-bench config namespace (unknown keys included) is validated before anything exists.
const config = rawConfigFromPulumi(pulumi.runtime.allConfig());

/** The stack's plan, once the config is valid and the host can run it (preview included). */
function readyPlan(): StackPlan {
    try {
        const plan = planStack(stack, validateSettings(config));
        checkHost(plan);
        return plan;
    } catch (e) {
        // RunError: the engine prints the message alone, without a stack trace.
        throw e instanceof ConfigError || e instanceof HostNotReady ? new pulumi.RunError(e.message) : e;
    }
}

/** Adds labels to every container: other stacks' previews and host:clean read them. */
function labelContainers(labels: Readonly<Record<string, string>>): pulumi.ResourceTransformation {
    const extra = Object.entries(labels).map(([label, value]) => ({ label, value }));
    return ({ type, props, opts }) => {
        if (type !== "docker:index/container:Container") {
            return undefined;
        }
        const labels: pulumi.Input<pulumi.Input<docker.types.input.ContainerLabel>[]> = props.labels ?? [];
        return { props: { ...props, labels: pulumi.output(labels).apply((ls) => [...ls, ...extra]) }, opts };
    };
}

const plan = readyPlan();
const lab = new Lab(stack, config, {
    transformations: [labelContainers({ [SUBNET_LABEL]: plan.subnet, [LAB_ID_LABEL]: plan.labId })],
});

/** Per method: Gbit/s per client process and per container, means, total, start, duration. */
export const results = lab.results;
