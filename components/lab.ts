import * as pulumi from "@pulumi/pulumi";
import { methodModule } from "../methods";
import { HOST_PORTS_LABEL, LAB_ID_LABEL, LIMIT_METHOD, LabPlan, LabSettings, SUBNET_LABEL, StackPlan, formatPortBlock, planStack, validateSettings } from "../model";
import { LabResult, withFractionOfLimit } from "../results/benchmark";
import { Benchmark } from "./benchmark";
import { MethodLab } from "./methodLab";

/** Raw lab settings as a program gives them; validated like stack config. */
export type LabArgs = Readonly<Partial<Record<keyof LabSettings, unknown>>>;

/**
 * A whole icc-bench lab: one independent MethodLab per attachment method and one Benchmark that
 * measures them one after another. `name` names its host objects and containers (use the stack).
 * Bad settings throw a ConfigError before any resource is registered.
 */
export class Lab extends pulumi.ComponentResource {
    public readonly labs: MethodLab[];
    public readonly benchmark: Benchmark;
    /** Results by method, each with its fraction of the limit method's when that was measured. */
    public readonly results: pulumi.Output<Record<string, LabResult>>;

    constructor(name: string, args: LabArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = planStack(name, validateSettings(args));
        super("icc-bench:lab:Lab", name, {}, opts);
        this.labs = plan.labs.map(
            (lab) => new MethodLab(`${name}-${lab.method}`, { plan: lab, image: plan.image, ownerLabels: ownerLabels(plan, lab) }, { parent: this }),
        );
        this.benchmark = new Benchmark(
            `${name}-benchmark`,
            {
                labs: this.labs.map((l, i) => ({
                    method: plan.labs[i].method,
                    clients: l.benchmarkClients,
                    servers: plan.labs[i].servers.map((s) => ({ container: s.name, port: s.port, ...(s.bind ? { bind: s.bind } : {}) })),
                })),
                iperf: plan.iperf,
                runId: plan.runId,
                labResourceIds: this.labs.flatMap((l) => l.resourceIds),
            },
            { parent: this },
        );
        this.results = this.benchmark.results.apply((rs) => Object.fromEntries(withFractionOfLimit(rs, LIMIT_METHOD).map((r) => [r.method, r])));
        this.registerOutputs({ results: this.results });
    }
}

/** What other stacks' previews (conflicts) and host:clean (interface names) read off the containers. */
function ownerLabels(plan: StackPlan, lab: LabPlan): Record<string, string> {
    const onHostPorts = methodModule(lab.method).listening === "host-loopback";
    return {
        [SUBNET_LABEL]: plan.subnet,
        [LAB_ID_LABEL]: plan.labId,
        ...(onHostPorts ? { [HOST_PORTS_LABEL]: formatPortBlock(plan.hostPorts) } : {}),
    };
}
