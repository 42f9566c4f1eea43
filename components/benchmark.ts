import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { verdictScript } from "../hostscripts/benchmark";
import { runnerCommand } from "../runner/command";
import { BenchmarkClient, BenchmarkHost, BenchmarkServer, benchmarkPlan } from "../runner/plan";
import { IperfSettings } from "../model";
import { LabResult, benchmarkFailure, parseBenchmarkOutput } from "../results/benchmark";

/** One lab as the benchmark sees it. */
export interface BenchmarkLabInput {
    /** Attachment method (labels the results). */
    readonly method: string;
    /** Client containers and the address each one dials. */
    readonly clients: pulumi.Input<BenchmarkClient[]>;
    /** Server containers by server index (CPU accounting; UDP servers). */
    readonly servers: readonly BenchmarkServer[];
}

export interface BenchmarkArgs {
    /** Labs to measure, one after another. */
    readonly labs: readonly BenchmarkLabInput[];
    /** Method names in measuring order, per round; one round in `labs` order when absent. */
    readonly rounds?: readonly (readonly string[])[];
    /** iperf2 client options. */
    readonly iperf: pulumi.Input<IperfSettings>;
    /** Change it to measure again without touching the lab. */
    readonly runId: pulumi.Input<string>;
    /** Ids of every container and host object measured: a new one means a new measurement. */
    readonly labResourceIds: readonly pulumi.Input<string>[];
    /** The Docker endpoint of each host by name (labs across hosts); the program's own Docker when absent. */
    readonly hosts?: readonly BenchmarkHost[];
}

/**
 * Runs iperf on every client of each lab at one instant (iperf2 --txstart-time), after the whole
 * lab exists: the benchmark runner (runner/main.ts) measures the plan it gets on stdin, and the
 * framed reports it prints become the results.
 */
export class Benchmark extends pulumi.ComponentResource {
    public readonly run: command.local.Command;
    /** Fails the update when a client failed, after the results (failures included) are kept. */
    public readonly verdict: command.local.Command;
    /** Parsed results, one entry per lab and round, in run order. */
    public readonly results: pulumi.Output<LabResult[]>;

    constructor(name: string, args: BenchmarkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("icc-bench:benchmark:Benchmark", name, {}, opts);
        const plan = pulumi
            .all([pulumi.all(args.labs.map((l) => l.clients)), args.iperf])
            .apply(([clients, iperf]) => JSON.stringify(benchmarkPlan(args.labs.map((l, i) => ({ method: l.method, clients: clients[i], servers: l.servers })), iperf, args.rounds, args.hosts)));
        this.run = new command.local.Command(
            `${name}-run`,
            { create: runnerCommand(), stdin: plan, triggers: [args.runId, ...args.labResourceIds] },
            { parent: this },
        );
        this.results = this.run.stdout.apply(parseBenchmarkOutput);
        this.verdict = new command.local.Command(
            `${name}-verdict`,
            { create: this.results.apply((rs) => verdictScript(benchmarkFailure(rs))), triggers: [this.run.id] },
            { parent: this },
        );
        this.registerOutputs({ results: this.results });
    }
}
