import { execFileSync } from "node:child_process";
import { labStack, removeLabStack, setLabConfig } from "../automation/labStack";
import { makeLab, planLab, removeLab, targetOf } from "../host/handLab";
import { hostMethods } from "../host/preflight";
import { Method } from "../model";
import { LabResult } from "../results/benchmark";
import { finalReport, parseReportLine } from "../results/iperf";

/**
 * Fidelity: does the harness cost throughput? For each method at 1 server x 1 client, measures the
 * same path by hand (docker + ip + iperf, no Pulumi, no benchmark runner) and through a deployed
 * lab's benchmark, alternating in one run, and prints both medians and ratio = lab / hand.
 * Usage: npm run bench:fidelity [-- ROUNDS]   (default 3 rounds of 5 s tests per method and side)
 */

const DURATION = 5;
const ROUNDS = Number(process.argv[2] ?? 3);
const STACK = "fidelity";

/** One plain `iperf -c` from the client container, as the study ran it. */
function measureByHand(method: Method): number {
    const lab = planLab(`${STACK}-hand`, method);
    try {
        makeLab(lab);
        const csv = execFileSync(
            "docker",
            ["exec", lab.clients[0].name, "iperf", "-c", targetOf(lab, 0), "-P", "1", "-i", "1", "-p", String(lab.servers[0].port), "-t", String(DURATION), "-y", "C"],
            { encoding: "utf8", timeout: (DURATION + 60) * 1000 },
        );
        const final = finalReport(csv.split("\n").map(parseReportLine).filter((r) => r !== undefined));
        if (final === undefined) {
            throw new Error(`no iperf report by hand for ${method}:\n${csv}`);
        }
        return final.bitsPerSecond / 1e9;
    } finally {
        removeLab(lab);
    }
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const METHODS = hostMethods().methods;

async function main(): Promise<void> {
    const config = { methods: METHODS, topology: { servers: 1, clientContainers: 1, clientsPerContainer: 1 }, iperf: { duration: DURATION } };
    const stack = await labStack(STACK, config);
    const hand = new Map<Method, number[]>(METHODS.map((m) => [m, []]));
    const lab = new Map<Method, number[]>(METHODS.map((m) => [m, []]));
    try {
        for (let round = 1; round <= ROUNDS; round++) {
            await setLabConfig(stack, { ...config, runId: `r${round}` });
            const up = await stack.up();
            const results = up.outputs.results.value as Record<string, LabResult>;
            for (const method of METHODS) {
                lab.get(method)?.push(results[method].meanPerClient);
                hand.get(method)?.push(measureByHand(method));
            }
            console.log(`round ${round}/${ROUNDS} done`);
        }
    } finally {
        await removeLabStack(stack);
    }
    console.log(`\nfidelity, 1x1, iperf2 ${DURATION} s, median of ${ROUNDS} (Gbit/s)`);
    for (const method of METHODS) {
        const h = median(hand.get(method) ?? []);
        const l = median(lab.get(method) ?? []);
        console.log(`${method.padEnd(12)} hand=${h.toFixed(2)} lab=${l.toFixed(2)} ratio=${(l / h).toFixed(3)}`);
    }
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
