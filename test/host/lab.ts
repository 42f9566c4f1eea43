import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { BenchmarkClient, benchmarkPlan } from "../../runner/plan";
import { IperfSettings, LabPlan } from "../../model";
import { LabResult, parseBenchmarkOutput } from "../../results/benchmark";
import { targetOf } from "../../host/handLab";
import { MARK } from "../../framing/benchmark";

/** Runs a script that must fail; returns its stderr. */
export function shFails(script: string): string {
    try {
        execFileSync("sh", ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
    } catch (e) {
        return String((e as { stderr?: string }).stderr ?? e);
    }
    throw new Error(`expected the script to fail:\n${script}`);
}

/** Measures the lab with the real benchmark runner for 1 s (stream over TCP unless `iperf` says otherwise). */
export function measure(lab: LabPlan, iperf: Partial<IperfSettings> = {}): LabResult {
    const clients: BenchmarkClient[] = lab.clients.map((c) => ({
        container: c.name,
        target: targetOf(lab, c.serverIndex),
        port: lab.servers[c.serverIndex].port,
        serverIndex: c.serverIndex,
        processes: c.processes,
    }));
    const servers = lab.servers.map((s) => ({ container: s.name, port: s.port, ...(s.bind ? { bind: s.bind } : {}) }));
    const plan = benchmarkPlan([{ method: lab.method, clients, servers }], { duration: 1, interval: 1, parallel: 1, port: 5001, ...iperf });
    const stdout = execFileSync("node", [join(__dirname, "../../runner/main.js")], { input: JSON.stringify(plan), encoding: "utf8", stdio: ["pipe", "pipe", "inherit"], timeout: 120_000 });
    const lines = stdout.trimEnd().split("\n");
    assert.deepEqual([lines[0], lines[lines.length - 1]], [MARK.begin, MARK.end], "the runner frames its whole output");
    return parseBenchmarkOutput(stdout)[0];
}
