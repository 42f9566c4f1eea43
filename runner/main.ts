// The benchmark's command: reads a BenchmarkPlan as JSON on stdin, measures it on the Docker
// engine of DOCKER_HOST (else the default socket; TLS with DOCKER_CERT_PATH's files, as the docker plugin), or across the plan's hosts through each one's
// endpoint, and prints the framed results on stdout.
import Docker from "dockerode";
import { MARK } from "../framing/benchmark";
import { exitWhenFlushed } from "../framing/exit";
import { DEFAULT_DOCKER_HOST, certPathFromEnv, dockerOptions } from "../providers/shared/dockerEndpoint";
import { Engine, dockerEngine, routedEngine } from "./engine";
import { localCpuCounters } from "./hostCpu";
import { BenchmarkPlan, readPlan } from "./plan";
import { runBenchmark } from "./run";

async function readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) {
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
}

/** The program's own Docker, or each container's host's. */
function planEngine(plan: BenchmarkPlan): Engine {
    const engineAt = (endpoint: string, certPath: string | undefined): Engine => dockerEngine(new Docker(dockerOptions(endpoint, process.env, certPath)));
    if (plan.hosts === undefined) {
        return engineAt(process.env.DOCKER_HOST || DEFAULT_DOCKER_HOST, certPathFromEnv(process.env));
    }
    const hostOf = new Map(plan.labs.flatMap((l) => [...l.clients, ...(l.servers ?? [])]).map((c) => [c.container, c.host ?? ""]));
    return routedEngine(new Map(plan.hosts.map((h) => [h.name, engineAt(h.docker, h.certPath)])), hostOf);
}

async function main(): Promise<void> {
    const plan = readPlan(await readStdin());
    const out: string[] = [MARK.begin];
    try {
        await runBenchmark(plan, {
            engine: planEngine(plan),
            cpu: localCpuCounters,
            print: (line) => out.push(line),
            warn: (line) => process.stderr.write(`${line}\n`),
        });
        out.push(MARK.end);
    } finally {
        process.stdout.write(`${out.join("\n")}\n`);
    }
}

main().then(
    // An exec given up on may still hold a socket open: the run is over, so is the process.
    () => exitWhenFlushed(0),
    (e: unknown) => {
        process.stderr.write(`icc-bench benchmark: ${e instanceof Error ? e.message : String(e)}\n`);
        exitWhenFlushed(1);
    },
);
