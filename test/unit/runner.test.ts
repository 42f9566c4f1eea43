import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { IperfSettings } from "../../model";
import { benchmarkFailure, parseBenchmarkOutput } from "../../results/benchmark";
import type Docker from "dockerode";
import { PassThrough } from "node:stream";
import { ContainerState, EXEC_NOT_STARTED, EXIT_CODE_UNREAD, Engine, Exec, ExecResult, dockerEngine, routedEngine } from "../../runner/engine";
import { CpuCounters } from "../../runner/hostCpu";
import { CLIENT_LAUNCHER, clientArgv, modeOptions, processTimeLimit, startMarginMicros, udpServerStartArgv, udpServerStopArgv } from "../../runner/inContainer";
import { BenchmarkClient, BenchmarkLab, benchmarkPlan, readPlan } from "../../runner/plan";
import { runBenchmark } from "../../runner/run";

const TCP: IperfSettings = { duration: 1, interval: 1, parallel: 1, port: 5001 };
const CLIENT: BenchmarkClient = { container: "c0", target: "198.18.0.2", port: 5001, serverIndex: 0, processes: 1 };

describe("benchmark plan", () => {
    const labs: BenchmarkLab[] = [
        { method: "ovs", servers: [{ container: "s", port: 5001 }], clients: [CLIENT] },
        { method: "host", servers: [{ container: "h", port: 20064, bind: "127.0.0.1" }], clients: [{ ...CLIENT, container: "hc", target: "127.0.0.1", port: 20064 }] },
    ];

    it("measures one round in the labs' order unless rounds are given, and reads back from JSON as it was", () => {
        assert.deepEqual(benchmarkPlan(labs, TCP).rounds, [["ovs", "host"]]);
        const plan = benchmarkPlan(labs, TCP, [["host", "ovs"], ["ovs", "host"]]);
        assert.deepEqual(readPlan(JSON.stringify(plan)), plan);
    });

    it("refuses what must not reach a container's argv or cannot be measured, naming it", () => {
        assert.throws(() => benchmarkPlan([{ method: "ovs", clients: [{ ...CLIENT, target: "$(id)" }] }], TCP), /address or container name "\$\(id\)"/);
        assert.throws(() => benchmarkPlan([{ method: "ovs", clients: [{ ...CLIENT, container: "-it" }] }], TCP), /container name "-it"/);
        assert.throws(() => benchmarkPlan([{ method: "ovs", clients: [{ ...CLIENT, port: 0 }] }], TCP), /port 0/);
        assert.throws(() => benchmarkPlan([{ method: "ovs", clients: [{ ...CLIENT, processes: 0 }] }], TCP), /0 processes for client c0/);
        assert.throws(() => benchmarkPlan([{ method: "Bad method", clients: [CLIENT] }], TCP), /method name "Bad method"/);
        assert.throws(() => benchmarkPlan([{ method: "ovs", clients: [] }], TCP), /at least one client/);
        assert.throws(() => benchmarkPlan(labs, { ...TCP, protocol: "udp", udpRate: "1G; id" }), /UDP rate "1G; id"/);
        assert.throws(() => benchmarkPlan([{ method: "ovs", clients: [CLIENT] }], { ...TCP, protocol: "udp", udpRate: "1G" }), /server containers/);
        assert.throws(() => benchmarkPlan(labs, TCP, [["ipvlan"]]), /names the method ipvlan, which has no lab/);
        assert.throws(() => readPlan(JSON.stringify({ labs })), /needs labs, iperf and rounds/);
    });
});

describe("what runs inside the containers", () => {
    it("a client container's launcher gets its target, the study's options and the mode's, as argv", () => {
        const argv = clientArgv("ovs", { ...CLIENT, container: "icc-bench-dev-ovs-client0", processes: 2 }, { ...TCP, duration: 5 }, 36);
        assert.deepEqual(argv, ["sh", "-c", CLIENT_LAUNCHER, "icc-bench", "198.18.0.2", "5001", "5", "1", "1", "2", "36", "ovs", "icc-bench-dev-ovs-client0", "0", "-y", "C"]);
        assert.match(CLIENT_LAUNCHER, /^echo ready\nread -r start \|\| exit 1/);
        assert.match(CLIENT_LAUNCHER, /timeout -k 5 "\$limit" iperf -c "\$target" -p "\$port" -t "\$duration" -i "\$interval" -P "\$parallel" "\$@" --txstart-time "\$start"/);
    });

    it("each mode's iperf options: CSV for stream, back-to-back bounceback for rr, -l when a length is set", () => {
        assert.deepEqual(modeOptions(TCP), ["-y", "C"]);
        assert.deepEqual(modeOptions({ ...TCP, length: 1400 }), ["-l", "1400", "-y", "C"]);
        assert.deepEqual(modeOptions({ ...TCP, protocol: "udp", udpRate: "1G", length: 64 }), ["-u", "-b", "1G", "-l", "64", "-y", "C"]);
        assert.deepEqual(modeOptions({ ...TCP, mode: "rr" }), ["--bounceback", "--bounceback-period", "0"]);
        assert.deepEqual(modeOptions({ ...TCP, mode: "rr", length: 200 }), ["--bounceback", "--bounceback-period", "0", "-l", "200"]);
    });

    it("UDP servers start on their port (bound when the lab says so) and stop printing their framed reports", () => {
        assert.deepEqual(udpServerStartArgv({ container: "h", port: 20064, bind: "127.0.0.1" }).slice(3), ["icc-bench", "20064", "127.0.0.1"]);
        assert.deepEqual(udpServerStartArgv({ container: "s", port: 5001 }).slice(3), ["icc-bench", "5001", ""]);
        assert.match(udpServerStartArgv({ container: "s", port: 5001 })[2], /stdbuf -oL iperf -s -u -p "\$1" \$\{2:\+-B "\$2"\} -y C/);
        assert.deepEqual(udpServerStopArgv("link", { container: "s", port: 5001 }, 0).slice(3), ["icc-bench", "link", "s", "0"]);
    });

    it("a lab with more processes gets more time between ready and start, and each process more time", () => {
        assert.ok(startMarginMicros(256) > startMarginMicros(1));
        assert.equal(processTimeLimit({ ...TCP, duration: 5 }, 1), 36);
    });
});

/**
 * An engine whose "containers" are this machine: each exec runs its argv here, with a fake iperf
 * first on PATH (it logs the start instant it was given and prints one CSV report, or fails for
 * 198.18.0.99). Container states by name: dead* never running, dying* running when first asked
 * and then exited with 139, missing* unknown to the engine.
 */
function localEngine(dir: string): Engine & { readonly execs: { container: string; argv: readonly string[] }[] } {
    const fakeIperf = [
        "#!/bin/sh",
        'if [ "$1" = -v ]; then echo "iperf version 2.1.8 (fake)" >&2; exit 0; fi',
        'prev=; for a; do [ "$prev" != --txstart-time ] || echo "$a" >>"$FAKE_LOG"; prev=$a; done',
        'case " $* " in *" -c 198.18.0.99 "*) echo "tcp connect failed: Connection refused" >&2; exit 0 ;; esac',
        'echo "20261127000000.000,198.18.0.3,40000,198.18.0.2,5001,1,0.0-1.0,125000000,1000000000"',
    ].join("\n");
    writeFileSync(join(dir, "iperf"), fakeIperf, { mode: 0o755 });
    const asked = new Set<string>();
    const execs: { container: string; argv: readonly string[] }[] = [];
    const state = (name: string): ContainerState | undefined => {
        if (name.startsWith("missing")) {
            return undefined;
        }
        const dying = name.startsWith("dying") && asked.has(name);
        asked.add(name);
        return name.startsWith("dead") || dying ? { running: false, exitCode: 139, pid: 0 } : { running: true, exitCode: 0, pid: process.pid };
    };
    return {
        execs,
        exec: (container, argv) => {
            execs.push({ container, argv });
            return localExec(argv, { ...process.env, PATH: `${dir}:${process.env.PATH}`, FAKE_LOG: join(dir, "starts") });
        },
        inspect: async (names) => new Map(names.flatMap((n) => {
            const s = state(n);
            return s === undefined ? [] : [[n, s] as const];
        })),
    };
}

function localExec(argv: readonly string[], env: NodeJS.ProcessEnv): Exec {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let resolveFirst: (line: string | undefined) => void = () => undefined;
    const firstLine = new Promise<string | undefined>((resolve) => (resolveFirst = resolve));
    child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("\n")) {
            resolveFirst(stdout.split("\n")[0]);
        }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const done = new Promise<ExecResult>((resolve) =>
        child.on("close", (code) => {
            resolveFirst(undefined);
            resolve({ stdout, stderr, exitCode: code ?? -1 });
        }),
    );
    return { firstLine, send: (line) => child.stdin.write(`${line}\n`), done };
}

/** Counters that count: the host line and every container's usage grow by one tick per read. */
function fakeCounters(): CpuCounters {
    let reads = 0;
    return {
        hostLine: () => `cpu  ${100 + reads++} 0 50 1000 0 0 0 0 0 0`,
        cores: () => 2,
        cpuStatFile: (pid) => `/fake/${pid}/cpu.stat`,
        usageMicros: () => 1000 * ++reads,
    };
}

describe("benchmark runner on a local engine (a fake iperf, no Docker)", () => {
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    async function run(labs: BenchmarkLab[], iperf: IperfSettings = TCP, rounds?: string[][], engine?: Engine) {
        const dir = mkdtempSync(join(tmpdir(), "icc-bench-runner-"));
        dirs.push(dir);
        const local = localEngine(dir);
        const out: string[] = [];
        const warnings: string[] = [];
        await runBenchmark(benchmarkPlan(labs, iperf, rounds), { engine: engine ?? local, cpu: fakeCounters(), print: (l) => out.push(l), warn: (l) => warnings.push(l) });
        const log = join(dir, "starts");
        return { stdout: `${out.join("\n")}\n`, warnings, starts: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [], execs: local.execs };
    }

    const pipework = (clients: Partial<BenchmarkClient>[], server = "srv"): BenchmarkLab[] => [
        { method: "pipework", servers: [{ container: server, port: 5001 }], clients: clients.map((c, i) => ({ ...CLIENT, container: `c${i}`, ...c })) },
    ];

    it("starts every process of every container with the one start instant the lab line shows", async () => {
        const before = Date.now() / 1000;
        const r = await run(pipework([{ processes: 3 }, { processes: 2 }]));
        assert.deepEqual(r.warnings, []);
        assert.equal(r.starts.length, 5);
        assert.equal(new Set(r.starts).size, 1, r.starts.join(" "));
        assert.ok(r.stdout.split("\n").includes(`icc-bench-lab pipework ${r.starts[0]}`), r.stdout);
        assert.match(r.starts[0], /^\d{10}\.\d{6}$/);
        assert.ok(Number(r.starts[0]) > before && Number(r.starts[0]) < Date.now() / 1000 + 1);
        const [lab] = parseBenchmarkOutput(r.stdout);
        assert.deepEqual(lab.clients.map((c) => `${c.container}/${c.process}`).sort(), ["c0/1", "c0/2", "c0/3", "c1/1", "c1/2"]);
        assert.equal(lab.startTime, new Date(Number(r.starts[0]) * 1000).toISOString());
        assert.equal(lab.iperfVersion, "iperf version 2.1.8 (fake)");
    });

    it("prints the version, mode and cores, then CPU samples of the host and every container around the traffic", async () => {
        const r = await run(pipework([{}]), { ...TCP, mode: "rr" });
        const lines = r.stdout.split("\n");
        assert.deepEqual(lines.slice(0, 4), ["icc-bench-version iperf version 2.1.8 (fake)", "icc-bench-mode rr", "icc-bench-cores 2", "icc-bench-round 1"]);
        const cpu = lines.filter((l) => /^icc-bench-(cpu|cgroup) /.test(l)).map((l) => l.split(" ").slice(0, l.startsWith("icc-bench-cpu ") ? 2 : 3).join(" "));
        assert.deepEqual(cpu, ["icc-bench-cpu before", "icc-bench-cgroup before srv", "icc-bench-cgroup before c0", "icc-bench-cpu after", "icc-bench-cgroup after srv", "icc-bench-cgroup after c0"]);
        const start = Number(lines.find((l) => l.startsWith("icc-bench-lab "))?.split(" ")[2]) * 1e9;
        const sampled = Number(lines.find((l) => l.startsWith("icc-bench-cpu before"))?.split(" ")[2]);
        assert.ok(Math.abs(sampled - start) < 50e6, `CPU is first sampled about at the start instant (${(sampled - start) / 1e6} ms)`);
        assert.deepEqual(parseBenchmarkOutput(r.stdout)[0].cpu?.containers.map((c) => c.container), ["srv", "c0"]);
        assert.deepEqual(r.execs[1].argv.slice(-3), ["--bounceback", "--bounceback-period", "0"]);
    });

    it("measures each round at a start instant of its own, the labs in the round's order", async () => {
        const labs = [...pipework([{ processes: 2 }]), { method: "ovs", servers: [{ container: "srv2", port: 5001 }], clients: [{ ...CLIENT, container: "o0" }] }];
        const r = await run(labs, TCP, [["pipework", "ovs"], ["ovs", "pipework"], ["pipework", "ovs"]]);
        assert.equal(new Set(r.starts).size, 6, r.starts.join(" "));
        const results = parseBenchmarkOutput(r.stdout);
        assert.deepEqual(results.map((x) => [x.method, x.round, x.clients.length]), [["pipework", 1, 2], ["ovs", 1, 1], ["ovs", 2, 1], ["pipework", 2, 2], ["pipework", 3, 2], ["ovs", 3, 1]]);
    });

    it("prints every client's output, a failed one included, for the verdict to judge", async () => {
        const r = await run(pipework([{}, { target: "198.18.0.99" }]));
        assert.deepEqual(r.warnings, ["icc-bench: some iperf clients failed; see the icc-bench-proc lines above"]);
        const results = parseBenchmarkOutput(r.stdout);
        assert.deepEqual(results[0].clients.map((c) => c.container), ["c0"]);
        assert.equal(
            benchmarkFailure(results),
            "icc-bench: some iperf clients failed; they are listed under failures/serversDown in the results output:\n" +
                "  pipework c1 process 1 (server 0): no whole-test report: tcp connect failed: Connection refused",
        );
    });

    it("does not run a lab whose server is down or missing, and reports the lab with that server", async () => {
        const r = await run([{ method: "pipework", servers: [{ container: "dead-server0", port: 5001 }, { container: "missing-server1", port: 5001 }], clients: [CLIENT] }]);
        assert.deepEqual(r.warnings, [
            "icc-bench: pipework: server container dead-server0 is not running (exit code 139): iperf -s died; recreate the lab",
            "icc-bench: pipework: server container missing-server1 is not running (exit code missing): iperf -s died; recreate the lab",
        ]);
        assert.deepEqual(r.starts, [], "no client was started");
        assert.deepEqual(r.execs.map((e) => e.argv[0]), ["iperf"], "nothing but the version was run");
        const results = parseBenchmarkOutput(r.stdout);
        assert.deepEqual(results.map((x) => [x.method, x.clients.length, x.serversDown]), [["pipework", 0, [{ container: "dead-server0", exit: "139" }, { container: "missing-server1", exit: "missing" }]]]);
    });

    it("keeps the figures of a run during which the server stopped, and says so", async () => {
        const ok = await run(pipework([{}]));
        assert.deepEqual(ok.warnings, []);
        assert.equal(parseBenchmarkOutput(ok.stdout)[0].serversDown, undefined);
        const r = await run(pipework([{}], "dying-server0"));
        assert.deepEqual(r.warnings, ["icc-bench: pipework: server container dying-server0 stopped during the run (exit code 139); later runs need the lab recreated"]);
        const [lab] = parseBenchmarkOutput(r.stdout);
        assert.equal(lab.clients.length, 1);
        assert.deepEqual(lab.serversDown, [{ container: "dying-server0", exit: "139" }]);
    });

    it("under UDP, starts each server's UDP server before the clients, stops it after them and keeps its reports", async () => {
        const calls: string[] = [];
        const scripted: Engine = {
            inspect: async (names) => new Map(names.map((n) => [n, { running: true, exitCode: 0, pid: 7 }])),
            exec: (container, argv) => {
                const what = argv[0] === "iperf" ? "version" : argv[2].includes("icc-bench-udpserver") ? "udp-stop" : argv[2].includes("stdbuf") ? "udp-start" : "client";
                calls.push(`${what} ${container}`);
                const stdout = what === "udp-stop" ? "icc-bench-udpserver pipework srv 0\n19700101000000,198.18.0.3,40000,198.18.0.2,5001,1,0.0-1.0,1250000,10000000,0.010,0,850,0.000,0\n" : what === "client" ? "ready\nicc-bench-proc pipework c0 1 0 0\n20261127000001.000,198.18.0.3,40000,198.18.0.2,5001,1,0.0-1.0,1250000,10000000,0.000,0,850,0.000,0\n20261127000001.000,198.18.0.3,40000,198.18.0.2,5001,1,0.0-1.0,1250000,10000000,0.000,0,-1,-0.000,0\n" : "";
                return { firstLine: Promise.resolve(stdout.split("\n")[0]), send: () => undefined, done: Promise.resolve({ stdout, stderr: "", exitCode: 0 }) };
            },
        };
        const r = await run(pipework([{}]), { ...TCP, protocol: "udp", udpRate: "10M" }, undefined, scripted);
        assert.deepEqual(calls, ["version c0", "udp-start srv", "client c0", "udp-stop srv"]);
        const [lab] = parseBenchmarkOutput(r.stdout);
        assert.equal(lab.failures.length, 0, JSON.stringify(lab.failures));
        assert.equal(lab.clients.length, 1);
        assert.ok(lab.packets !== undefined, r.stdout);
    });

    it("a client container whose exec cannot start is listed as failed, one line per process, with the engine's reason", async () => {
        const broken: Engine = {
            inspect: async (names) => new Map(names.map((n) => [n, { running: true, exitCode: 0, pid: 7 }])),
            exec: (container, argv) => {
                const result = argv[0] === "iperf" ? { stdout: "iperf version 2.1.8\n", stderr: "", exitCode: 0 } : { stdout: "", stderr: `docker exec ${container}: container is restarting\n`, exitCode: EXEC_NOT_STARTED };
                return { firstLine: Promise.resolve(undefined), send: () => undefined, done: Promise.resolve(result) };
            },
        };
        const r = await run(pipework([{ processes: 2 }]), TCP, undefined, broken);
        const [lab] = parseBenchmarkOutput(r.stdout);
        assert.deepEqual(lab.failures.map((f) => [f.container, f.process, f.exitCode]), [["c0", 1, 126], ["c0", 2, 126]]);
        assert.match(lab.failures[0].message, /container is restarting/);
        assert.ok(r.warnings.includes("icc-bench: some iperf clients failed; see the icc-bench-proc lines above"));
    });

    it("across hosts: reaches each container through its host's engine, starts each host's clients at its own clock's instant, samples no CPU", async () => {
        const engines = ["level", "ahead"].map((host) => {
            const dir = mkdtempSync(join(tmpdir(), `icc-bench-runner-${host}-`));
            dirs.push(dir);
            if (host === "ahead") {
                // This host's clock is 10 s ahead of the runner's.
                writeFileSync(join(dir, "date"), '#!/bin/sh\necho $(( $(/bin/date +%s%N) + 10000000000 ))\n', { mode: 0o755 });
            }
            return { host, dir, engine: localEngine(dir) };
        });
        const labs: BenchmarkLab[] = [
            { method: "host-to-host", servers: [{ container: "srv", port: 5001, host: "level" }], clients: [{ ...CLIENT, container: "c0", host: "ahead" }, { ...CLIENT, container: "c1", host: "level" }] },
        ];
        const hosts = engines.map((e) => ({ name: e.host, docker: `unix:///run/${e.host}.sock` }));
        const plan = benchmarkPlan(labs, TCP, undefined, hosts);
        const hostOf = new Map([["srv", "level"], ["c0", "ahead"], ["c1", "level"]]);
        const out: string[] = [];
        await runBenchmark(plan, { engine: routedEngine(new Map(engines.map((e) => [e.host, e.engine])), hostOf), cpu: fakeCounters(), print: (l) => out.push(l), warn: () => undefined });
        const [level, ahead] = engines;
        assert.deepEqual([...new Set(ahead.engine.execs.map((e) => e.container))].sort(), ["c0"]);
        assert.ok(!level.engine.execs.some((e) => e.container === "c0"));
        const lab = out.find((l) => l.startsWith("icc-bench-lab "))?.split(" ")[2];
        const startOf = (dir: string) => Number(readFileSync(join(dir, "starts"), "utf8").trim());
        // Read through an engine as the other, its offset (0 here) is known only to within the noise of a busy machine.
        assert.ok(Math.abs(startOf(level.dir) - Number(lab)) < 0.05, `the runner's clock: the lab's instant, ${startOf(level.dir) - Number(lab)} s off`);
        assert.ok(Math.abs(startOf(ahead.dir) - Number(lab) - 10) < 0.05, `10 s later on the host ahead: ${startOf(ahead.dir) - Number(lab)}`);
        assert.deepEqual(out.filter((l) => /^icc-bench-(cpu|cgroup) /.test(l)), [], "the runner's CPU counters are not the hosts'");
        const [result] = parseBenchmarkOutput(`${out.join("\n")}\n`);
        assert.deepEqual(result.hosts, { srv: "level", c0: "ahead", c1: "level" });
        assert.ok(Math.abs((result.clocks?.ahead.offsetMillis ?? 0) - 10_000) < 50 && Math.abs(result.clocks?.level.offsetMillis ?? 99) < 50, JSON.stringify(result.clocks));
        assert.equal(result.warnings?.length, 1);
        assert.match(result.warnings?.[0] ?? "", /host ahead is 10\d{3}\.\d ms off the benchmark's/);
        assert.equal(result.clients.length, 2);
        assert.equal(result.cpu, undefined);
    });

    it("refuses a plan whose containers name hosts it does not have", () => {
        const labs: BenchmarkLab[] = [{ method: "host-to-host", clients: [{ ...CLIENT, host: "elsewhere" }] }];
        assert.throws(() => benchmarkPlan(labs, TCP, undefined, [{ name: "here", docker: "unix:///run/here.sock" }]), /names the host "elsewhere"/);
        assert.throws(() => benchmarkPlan(labs, TCP), /plan's hosts are none/);
        assert.throws(() => benchmarkPlan([{ method: "host-to-host", clients: [CLIENT] }], TCP, undefined, [{ name: "here", docker: "unix:///run/$(x).sock" }]), /refusing to put Docker endpoint/);
        assert.throws(() => benchmarkPlan([{ method: "weave", clients: [CLIENT] }], TCP), /refusing method name "weave": no method of the registry/);
        assert.throws(() => benchmarkPlan([{ method: "ovs;reboot", clients: [CLIENT] }], TCP), /refusing method name/);
        const tls = (certPath: string) => [{ name: "here", docker: "tcp://198.19.128.11:2376", certPath }];
        const acrossHosts: BenchmarkLab[] = [{ method: "host-to-host", clients: [{ ...CLIENT, host: "here" }] }];
        assert.equal(benchmarkPlan(acrossHosts, TCP, undefined, tls("/run/tls/client")).hosts?.[0].certPath, "/run/tls/client");
        assert.throws(() => benchmarkPlan(acrossHosts, TCP, undefined, tls("/run/$(x)")), /refusing to put TLS files folder/);
    });
});

describe("the engine on Docker's API", () => {
    /** A Docker whose one exec prints `printed` on stdout, then reports `inspect`'s answer. */
    function engineOf(printed: string, inspect: () => Promise<{ Running: boolean; ExitCode: number | null }>): Engine {
        const stream = new PassThrough();
        stream.end(printed);
        const fake = {
            getContainer: () => ({ exec: async () => ({ start: async () => stream, inspect }) }),
            modem: { demuxStream: (from: PassThrough, stdout: PassThrough) => from.on("data", (chunk: Buffer) => stdout.write(chunk)) },
        };
        return dockerEngine(fake as unknown as Docker);
    }

    it("gives an exec's first line, its output and its exit code", async () => {
        const exec = engineOf("ready\nreport\n", async () => ({ Running: false, ExitCode: 3 })).exec("c0", ["launcher"]);
        assert.equal(await exec.firstLine, "ready");
        assert.deepEqual(await exec.done, { stdout: "ready\nreport\n", stderr: "", exitCode: 3 });
    });

    it("keeps what an exec printed when the engine cannot say how it ended", async () => {
        const exec = engineOf("ready\nreport\n", async () => {
            throw new Error("(HTTP code 500) server error");
        }).exec("c0", ["launcher"]);
        assert.deepEqual(await exec.done, { stdout: "ready\nreport\n", stderr: "docker exec c0: (HTTP code 500) server error\n", exitCode: EXIT_CODE_UNREAD });
    });
});
