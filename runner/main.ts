// The benchmark's command: reads a BenchmarkPlan as JSON on stdin, measures it on the Docker
// engine of DOCKER_HOST (else the default socket) and prints the framed results on stdout.
import Docker from "dockerode";
import { DEFAULT_DOCKER_HOST, dockerOptions } from "../providers/shared/dockerEndpoint";
import { dockerEngine } from "./engine";
import { localCpuCounters } from "./hostCpu";
import { readPlan } from "./plan";
import { runBenchmark } from "./run";

async function readStdin(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) {
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<void> {
    const plan = readPlan(await readStdin());
    const host = process.env.DOCKER_HOST || DEFAULT_DOCKER_HOST;
    const out: string[] = [];
    try {
        await runBenchmark(plan, {
            engine: dockerEngine(new Docker(dockerOptions(host, process.env))),
            cpu: localCpuCounters,
            print: (line) => out.push(line),
            warn: (line) => process.stderr.write(`${line}\n`),
        });
    } finally {
        process.stdout.write(out.length === 0 ? "" : `${out.join("\n")}\n`);
    }
}

main().then(
    // An exec given up on may still hold a socket open: the run is over, so is the process.
    () => process.exit(0),
    (e: unknown) => {
        process.stderr.write(`icc-bench benchmark: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
    },
);
