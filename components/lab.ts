import * as pulumi from "@pulumi/pulumi";
import { LAB_ID_LABEL, LabSettings, SUBNET_LABEL, planStack, validateSettings } from "../model";
import { LabResult } from "../results/benchmark";
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
    /** Results by method. */
    public readonly results: pulumi.Output<Record<string, LabResult>>;

    constructor(name: string, args: LabArgs, opts?: pulumi.ComponentResourceOptions) {
        const plan = planStack(name, validateSettings(args));
        super("icc-bench:lab:Lab", name, {}, opts);
        // Other stacks' previews (subnet overlap) and host:clean (interface names) read these.
        const ownerLabels = { [SUBNET_LABEL]: plan.subnet, [LAB_ID_LABEL]: plan.labId };
        this.labs = plan.labs.map(
            (lab) => new MethodLab(`${name}-${lab.method}`, { plan: lab, image: plan.image, port: plan.iperf.port, ownerLabels }, { parent: this }),
        );
        this.benchmark = new Benchmark(
            `${name}-benchmark`,
            {
                labs: this.labs.map((l, i) => ({ method: plan.labs[i].method, clients: l.benchmarkClients, servers: plan.labs[i].servers.map((s) => s.name) })),
                iperf: plan.iperf,
                runId: plan.runId,
                labResourceIds: this.labs.flatMap((l) => l.resourceIds),
            },
            { parent: this },
        );
        this.results = this.benchmark.results.apply((rs) => Object.fromEntries(rs.map((r) => [r.method, r])));
        this.registerOutputs({ results: this.results });
    }
}
