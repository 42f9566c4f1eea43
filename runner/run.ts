import { MARK } from "../framing/benchmark";
import { CpuCounters } from "./hostCpu";
import { ContainerState, Engine, ExecResult } from "./engine";
import { CLOCK_ARGV, IPERF_VERSION_ARGV, clientArgv, processTimeLimit, startMarginMicros, udpServerStartArgv, udpServerStopArgv } from "./inContainer";
import { BenchmarkLab, BenchmarkPlan, labProcesses } from "./plan";

/** What the runner works with: one Docker engine, the CPU counters of its host, and its two outputs. */
export interface RunnerDeps {
    readonly engine: Engine;
    readonly cpu: CpuCounters;
    /** One line of the framed results (stdout). */
    readonly print: (line: string) => void;
    /** One line for the person running it (stderr). */
    readonly warn: (line: string) => void;
}

/** Seconds to wait for every client container to say ready before starting anyway. */
export function readyTimeoutSeconds(containers: number): number {
    return 30 + containers;
}

/** Seconds past a process's own time limit after which its container's exec is given up on. */
const EXEC_GRACE_SECONDS = 15;

/**
 * How long before the start instant the first CPU sample is due: not while the clients get ready,
 * and not at the instant itself. Here, rr traffic through some methods starves every process
 * outside the lab's containers from its first moment (a timer due then fired 4 to 5 s late, at
 * the traffic's end), so a sample due at the instant races the traffic and sometimes loses.
 */
const CPU_SAMPLE_LEAD_MS = 20;

/** The exit code of a process given up on, as timeout(1) reports one it stopped. */
const TIMED_OUT = 124;

/** Clock readings per host for an offset: the one with the shortest round trip counts. */
const CLOCK_READINGS = 3;

/** A host's clock against the runner's: offset (its clock minus ours) and the round trip it was read in. */
interface ClockOffset {
    readonly offsetMicros: number;
    readonly roundTripMicros: number;
}

/**
 * The whole benchmark of a stack: rounds one after another, each running the labs in its order,
 * one lab at a time. In each lab every client container first says it is ready, then all iperf
 * processes start sending at one instant a short margin later; CPU time of the host and of every
 * container is sampled at the start and at the end. A failed client or a server found down is
 * printed, not thrown: the results keep it (see verdictScript), so the stack outputs show what
 * failed. Throws only when it cannot look (the engine does not answer an inspect).
 */
export async function runBenchmark(plan: BenchmarkPlan, deps: RunnerDeps): Promise<void> {
    const first = plan.labs.flatMap((l) => l.clients)[0];
    const version = await deps.engine.exec(first.container, IPERF_VERSION_ARGV).done;
    deps.print(`${MARK.version} ${firstLineOf(version)}`);
    deps.print(`${MARK.mode} ${plan.iperf.mode ?? "stream"}`);
    deps.print(`${MARK.hostCores} ${deps.cpu.cores()}`);
    let failed = false;
    for (const [r, order] of plan.rounds.entries()) {
        deps.print(`${MARK.round} ${r + 1}`);
        for (const method of order) {
            const lab = plan.labs.find((l) => l.method === method);
            if (lab !== undefined && !(await measureLab(lab, plan, deps))) {
                failed = true;
            }
        }
    }
    if (failed) {
        deps.warn(`icc-bench: some iperf clients failed; see the ${MARK.proc} lines above`);
    }
}

function firstLineOf(result: ExecResult): string {
    return `${result.stdout}${result.stderr}`.split("\n")[0];
}

function serverNames(lab: BenchmarkLab): string[] {
    return (lab.servers ?? []).map((s) => s.container);
}

/** Servers not running: name and exit code, or "missing" for one the engine does not have. */
function serversDown(servers: readonly string[], states: ReadonlyMap<string, ContainerState>): { container: string; code: string }[] {
    return servers.flatMap((container) => {
        const state = states.get(container);
        if (state === undefined) {
            return [{ container, code: "missing" }];
        }
        return state.running ? [] : [{ container, code: String(state.exitCode) }];
    });
}

/**
 * One lab's run; false when a client or UDP server failed. A lab whose server is already down is
 * not run: a client would get "connection refused" or, on Docker's bridge, reach whatever
 * container took the dead server's address. It is still printed as a lab, so the results say
 * which server was down instead of leaving the lab out.
 */
async function measureLab(lab: BenchmarkLab, plan: BenchmarkPlan, deps: RunnerDeps): Promise<boolean> {
    const containers = [...serverNames(lab), ...lab.clients.map((c) => c.container)];
    const states = await deps.engine.inspect(containers);
    const down = serversDown(serverNames(lab), states);
    if (down.length > 0) {
        deps.print(`${MARK.lab} ${lab.method} ${Math.floor(Date.now() / 1000)}`);
        for (const d of down) {
            deps.print(`${MARK.serverDown} ${d.container} ${d.code}`);
            deps.warn(`icc-bench: ${lab.method}: server container ${d.container} is not running (exit code ${d.code}): iperf -s died; recreate the lab`);
        }
        return true;
    }
    // The runner's /proc/stat and cgroups are its own host's: across hosts they would count the wrong machine.
    const cpu = plan.hosts === undefined ? cpuFiles(containers, states, deps.cpu) : undefined;
    const ok = await runLab(lab, plan, deps, cpu);
    const after = serversDown(serverNames(lab), await deps.engine.inspect(serverNames(lab)));
    for (const d of after) {
        deps.print(`${MARK.serverDown} ${d.container} ${d.code}`);
        deps.warn(`icc-bench: ${lab.method}: server container ${d.container} stopped during the run (exit code ${d.code}); later runs need the lab recreated`);
    }
    return ok;
}

/** Each container the engine has, with its cgroup cpu.stat file when one is readable. */
function cpuFiles(containers: readonly string[], states: ReadonlyMap<string, ContainerState>, cpu: CpuCounters): [string, string | undefined][] {
    return containers.flatMap((name) => {
        const state = states.get(name);
        return state === undefined ? [] : [[name, state.pid > 0 ? cpu.cpuStatFile(state.pid) : undefined]];
    });
}

async function runLab(lab: BenchmarkLab, plan: BenchmarkPlan, deps: RunnerDeps, cpu: readonly [string, string | undefined][] | undefined): Promise<boolean> {
    const udp = plan.iperf.protocol === "udp";
    let ok = !udp || (await udpServers(lab, deps));
    const processes = labProcesses(lab);
    const limit = processTimeLimit(plan.iperf, processes);
    const clocks = plan.hosts === undefined ? new Map<string, ClockOffset>() : await clockOffsets(lab, deps);
    const execs = lab.clients.map((c) => deps.engine.exec(c.container, clientArgv(lab.method, c, plan.iperf, limit)));
    const firstLines = execs.map((e) => e.firstLine);
    if ((await within(Promise.all(firstLines), readyTimeoutSeconds(lab.clients.length))) === undefined) {
        deps.warn("icc-bench: not every client said ready; starting anyway");
    }
    const start = nowMicros() + startMarginMicros(processes);
    deps.print(`${MARK.lab} ${lab.method} ${epochText(start)}`);
    printPlacement(lab, clocks, deps);
    execs.forEach((e, i) => e.send(epochText(start + clockCorrection(clocks.get(lab.clients[i].host ?? "")))));
    await sleep((start - nowMicros()) / 1000 - CPU_SAMPLE_LEAD_MS);
    if (cpu !== undefined) {
        sampleCpu("before", cpu, deps);
    }
    const results = await Promise.all(execs.map((e) => within(e.done, limit + EXEC_GRACE_SECONDS)));
    if (cpu !== undefined) {
        sampleCpu("after", cpu, deps);
    }
    if (udp) {
        ok = (await stopUdpServers(lab, deps)) && ok;
    }
    for (const [i, client] of lab.clients.entries()) {
        const said = await firstLines[i];
        ok = printClient(lab.method, client, results[i], said, limit + EXEC_GRACE_SECONDS, deps) && ok;
    }
    return ok;
}

function epochText(micros: number): string {
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
}

/**
 * Each host's clock against the runner's, read in one of its lab's containers (date +%s%N through
 * the host's Docker endpoint): its reading minus the midpoint of the round trip, from the reading
 * with the shortest round trip.
 */
async function clockOffsets(lab: BenchmarkLab, deps: RunnerDeps): Promise<Map<string, ClockOffset>> {
    const containerOf = new Map<string, string>();
    for (const c of [...(lab.servers ?? []), ...lab.clients]) {
        if (c.host !== undefined && !containerOf.has(c.host)) {
            containerOf.set(c.host, c.container);
        }
    }
    const offsets = new Map<string, ClockOffset>();
    for (const [host, container] of containerOf) {
        offsets.set(host, await clockOffset(container, deps));
    }
    return offsets;
}

async function clockOffset(container: string, deps: RunnerDeps): Promise<ClockOffset> {
    let best: ClockOffset | undefined;
    for (let i = 0; i < CLOCK_READINGS; i++) {
        const exec = deps.engine.exec(container, CLOCK_ARGV);
        await exec.firstLine;
        const sent = nowMicros();
        exec.send("go");
        const read = await exec.done;
        const back = nowMicros();
        const theirs = Number(read.stdout.trim().split("\n").pop()) / 1000;
        if (read.exitCode !== 0 || !Number.isFinite(theirs) || theirs <= 0) {
            throw new Error(`cannot read the clock in ${container} (date exited ${read.exitCode}: ${(read.stdout + read.stderr).trim()})`);
        }
        const reading = { offsetMicros: Math.round(theirs - (sent + back) / 2), roundTripMicros: back - sent };
        best = best === undefined || reading.roundTripMicros < best.roundTripMicros ? reading : best;
    }
    return best as ClockOffset;
}

/**
 * What to add to the start instant for a host: its offset, when the offset is larger than what
 * the reading cannot tell apart from zero (half its round trip); nothing otherwise.
 */
function clockCorrection(clock: ClockOffset | undefined): number {
    return clock !== undefined && Math.abs(clock.offsetMicros) > clock.roundTripMicros / 2 ? clock.offsetMicros : 0;
}

/** Where each container of a lab across hosts runs, and each host's clock. */
function printPlacement(lab: BenchmarkLab, clocks: ReadonlyMap<string, ClockOffset>, deps: RunnerDeps): void {
    for (const c of [...(lab.servers ?? []), ...lab.clients]) {
        if (c.host !== undefined) {
            deps.print(`${MARK.placement} ${c.container} ${c.host}`);
        }
    }
    for (const [host, clock] of clocks) {
        deps.print(`${MARK.clock} ${host} ${clock.offsetMicros} ${clock.roundTripMicros}`);
    }
}

/** Starts the UDP server of every server container; false when one did not start. */
async function udpServers(lab: BenchmarkLab, deps: RunnerDeps): Promise<boolean> {
    const results = await Promise.all((lab.servers ?? []).map((s) => deps.engine.exec(s.container, udpServerStartArgv(s)).done));
    results.filter((r) => r.exitCode !== 0).forEach((r) => deps.warn(`icc-bench: ${lab.method}: a UDP server did not start (exit code ${r.exitCode}): ${r.stderr.trim()}`));
    return results.every((r) => r.exitCode === 0);
}

/** Stops every UDP server and prints its framed reports; false when one could not be read. */
async function stopUdpServers(lab: BenchmarkLab, deps: RunnerDeps): Promise<boolean> {
    let ok = true;
    for (const [i, server] of (lab.servers ?? []).entries()) {
        const result = await deps.engine.exec(server.container, udpServerStopArgv(lab.method, server, i)).done;
        printText(result.stdout, deps);
        ok = result.exitCode === 0 && ok;
    }
    return ok;
}

/**
 * Prints one client container's framed output (its launcher's "ready" left out); when the
 * launcher printed no process at all (it could not start, or never ended), one failed process
 * line per process with the reason, so the results list them.
 */
function printClient(method: string, client: BenchmarkLab["clients"][number], result: ExecResult | undefined, said: string | undefined, waited: number, deps: RunnerDeps): boolean {
    const stdout = result === undefined ? "" : said === "ready" ? result.stdout.replace(/^ready\n/, "") : result.stdout;
    printText(stdout, deps);
    if (!stdout.split("\n").some((l) => l.startsWith(`${MARK.proc} `))) {
        const code = result?.exitCode ?? TIMED_OUT;
        const reason = result === undefined ? `icc-bench: no answer from container ${client.container} within ${waited} s of the start` : result.stderr.trim();
        for (let p = 1; p <= client.processes; p++) {
            deps.print(`${MARK.proc} ${method} ${client.container} ${p} ${client.serverIndex} ${code}`);
            reason.split("\n").filter((l) => l !== "").forEach((l) => deps.print(`${MARK.err} ${l}`));
        }
        return false;
    }
    result?.stderr.split("\n").filter((l) => l !== "").forEach((l) => deps.print(`${MARK.err} ${l}`));
    return result?.exitCode === 0;
}

function printText(text: string, deps: RunnerDeps): void {
    text.split("\n").forEach((line, i, all) => {
        if (i < all.length - 1 || line !== "") {
            deps.print(line);
        }
    });
}

function sampleCpu(phase: "before" | "after", files: readonly [string, string | undefined][], deps: RunnerDeps): void {
    deps.print(`${MARK.hostCpu} ${phase} ${BigInt(nowMicros()) * 1000n} ${deps.cpu.hostLine()}`);
    for (const [name, file] of files) {
        deps.print(`${MARK.containerCpu} ${phase} ${name} ${(file === undefined ? undefined : deps.cpu.usageMicros(file)) ?? "-"}`);
    }
}

/** Microseconds since the epoch, finer than Date.now(). */
function nowMicros(): number {
    return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : resolve()));
}

/** The promise's value, or undefined when it takes longer than `seconds`. */
async function within<T>(promise: Promise<T>, seconds: number): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), seconds * 1000)));
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}
