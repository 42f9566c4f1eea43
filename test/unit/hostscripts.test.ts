import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { RUN_SCRIPT_FROM_STDIN, benchmarkScript, modeOptions, startMarginMicros, verdictScript } from "../../hostscripts/benchmark";
import { measuredRounds } from "../fixtures/benchmarkScript";
import { HostCommand } from "../../hostscripts/hostCommand";
import { containerName, dialTarget, ifName, ipv4, ipv4Cidr, mark, port, quote } from "../../hostscripts/shell";
import { methodModule } from "../../methods";
import { Method, planStack, validateSettings } from "../../model";
import { benchmarkFailure, parseBenchmarkOutput } from "../../results/benchmark";

/** The scripts of one host object ("bridge", "server0"...) of a dev lab of the method, labId ab12, in 198.18.192.0/18. */
function scriptsOf(method: Method, key: string): HostCommand {
    const lab = planStack("dev", validateSettings({ methods: [method], labId: "ab12", subnet: "198.18.192.0/18" })).labs[0];
    const found = methodModule(method).hostObjects(lab).find((o) => o.key === key);
    assert.ok(found, `${method} has a host object ${key}`);
    return found.scripts;
}

/** Runs text through the shell's parser only (sh -n): it must be valid shell. */
function assertParses(script: string): void {
    execFileSync("sh", ["-n", "-c", script]);
}

/** Runs `sh -c 'printf %s <quoted>'` and returns what the shell made of the quoted word. */
function shellRoundTrip(value: string): string {
    return execFileSync("sh", ["-c", `printf %s ${quote(value)}`]).toString();
}

describe("shell quoting", () => {
    for (const nasty of ["$(touch /tmp/pwned)", "`id`", "a; rm -rf /", "it's", "new\nline", '"dq"', "$HOME", "\\"]) {
        it(`passes ${JSON.stringify(nasty)} through as one literal word`, () => {
            assert.equal(shellRoundTrip(nasty), nasty);
        });
    }

    it("refuses interface names over 15 characters or with odd characters", () => {
        assert.equal(ifName("ibo1234c63x"), "'ibo1234c63x'");
        assert.throws(() => ifName("ib0123456789abcd"), /interface name/);
        assert.throws(() => ifName("ib0;reboot"), /interface name/);
        assert.throws(() => ifName(""), /interface name/);
    });

    it("refuses malformed addresses, ports, container names and marks", () => {
        assert.throws(() => ipv4("198.18.0.256"), /IPv4/);
        assert.throws(() => ipv4("$(id)"), /IPv4/);
        assert.throws(() => ipv4Cidr("198.18.0.1", 33), /prefix/);
        assert.throws(() => port(0), /port/);
        assert.throws(() => containerName("a b"), /container name/);
        assert.throws(() => mark("icc-bench:`id`"), /mark/);
    });
});

describe("attachment scripts", () => {
    const scripts = {
        "ovs bridge": scriptsOf("ovs", "bridge"),
        "ovs port": scriptsOf("ovs", "client0"),
        "pipework bridge": scriptsOf("pipework", "bridge"),
        "pipework port": scriptsOf("pipework", "client0"),
        "macvlan segment": scriptsOf("macvlan-nat", "segment"),
        "macvlan port": scriptsOf("macvlan-nat", "client0"),
        "macvlan server port": scriptsOf("macvlan-nat", "server0"),
        "docker-macvlan parent": scriptsOf("docker-macvlan", "parent"),
        "ipvlan parent": scriptsOf("ipvlan", "parent"),
    };
    for (const [what, s] of Object.entries(scripts)) {
        it(`${what}: create and delete are valid shell, stop at the first error and undo on failure`, () => {
            assertParses(s.create);
            assertParses(s.delete);
            assert.match(s.create, /^set -eu$/m);
            assert.match(s.create, /trap .*undo/);
            assert.match(s.delete, /^set -eu$/m);
        });
    }

    it("pipework: veth host end on the bridge, other end moved in, renamed and addressed", () => {
        const s = scriptsOf("pipework", "client0").create;
        const order = [
            "ip link add 'ibpab12c0' type veth peer name 'ibpab12c0x'",
            "ip link set dev 'ibpab12c0' master 'ibpab12br'",
            `ip link set dev 'ibpab12c0x' netns "$pid"`,
            `nsenter -t "$pid" -n ip link set dev 'ibpab12c0x' name 'eth1'`,
            `nsenter -t "$pid" -n ip addr replace '198.18.224.0/18' dev 'eth1'`,
        ].map((step) => s.indexOf(step));
        assert.ok(order.every((at) => at >= 0), s);
        assert.deepEqual([...order].sort((a, b) => a - b), order);
    });

    it("pipework bridge: DOCKER-USER accept rule, inserted, waiting for the xtables lock, commented", () => {
        const s = scriptsOf("pipework", "bridge");
        assert.match(s.create, /iptables -w -t 'filter' -I 'DOCKER-USER' -i 'ibpab12br' -o 'ibpab12br' -j ACCEPT -m comment --comment 'icc-bench:dev:pipework'/);
        assert.match(s.delete, /while iptables -w -t 'filter' -C 'DOCKER-USER' .* do iptables -w -t 'filter' -D 'DOCKER-USER'/);
        assert.match(s.delete, /ip link del dev 'ibpab12br'/);
    });

    it("ovs: marked bridge on a detected datapath, marked port, tx offload off under netdev", () => {
        const bridge = scriptsOf("ovs", "bridge").create;
        assert.match(bridge, /modprobe -q openvswitch/);
        assert.match(bridge, /add-br 'iboab12br' -- set bridge 'iboab12br' datapath_type="\$datapath" external_ids:icc-bench='"icc-bench:dev:ovs"'/);
        const p = scriptsOf("ovs", "client0");
        assert.match(p.create, /ovs-vsctl --may-exist add-port 'iboab12br' 'iboab12c0' -- set port 'iboab12c0' external_ids:icc-bench=/);
        assert.match(p.create, /if \[ "\$netdev" = 1 \]; then nsenter -t "\$pid" -n ethtool -K 'eth1' tx off/);
        // Only the lab's own port is removed: its external_ids carry the mark.
        assert.match(p.delete, /if \[ "\$\(ovs-vsctl --timeout=10 get port 'iboab12c0' external_ids:icc-bench 2>\/dev\/null\)" = '"icc-bench:dev:ovs"' \] ; then ovs-vsctl --timeout=10 --if-exists del-port 'iboab12br' 'iboab12c0' ; fi/);
    });

    it("macvlan-nat: external address on the shim, DNAT and hairpin MASQUERADE, removed on delete", () => {
        // External addresses count down from the top of the /18's lower half: 198.18.223.255.
        const s = scriptsOf("macvlan-nat", "server0");
        assert.match(s.create, /ip addr replace '198\.18\.223\.255\/32' dev 'ibmab12sh'/);
        assert.match(s.create, /-t 'nat' -A 'PREROUTING' -d '198\.18\.223\.255' -p tcp --dport '5001' -j DNAT --to-destination '198\.18\.192\.2:5001'/);
        assert.match(s.create, /-t 'nat' -A 'POSTROUTING' -d '198\.18\.192\.2' -p tcp --dport '5001' -j MASQUERADE/);
        assert.match(s.delete, /-t 'nat' -D 'PREROUTING'/);
        assert.match(s.delete, /-t 'nat' -D 'POSTROUTING'/);
        assert.match(s.delete, /ip addr del '198\.18\.223\.255\/32' dev 'ibmab12sh'/);
    });

    it("delete scripts tolerate objects that are already gone", () => {
        const d = scriptsOf("pipework", "client0").delete;
        // ... and remove an interface only when it is the lab's: marked, or recorded by a create that was making it.
        assert.ok(d.includes(`if ip link show dev 'ibpab12c0' >/dev/null 2>&1 && { [  "$(ip -o link show dev 'ibpab12c0' 2>/dev/null | sed -n 's/.*\\\\    alias //p')" = 'icc-bench:dev:pipework' ] ||`), d);
        assert.ok(d.includes(`[ "$(cat '/run/icc-bench-dev-claim-ibpab12c0' 2>/dev/null)" = 'icc-bench:dev:pipework' ]; }; } ; then ip link del dev 'ibpab12c0' ; fi`), d);
        assert.ok(d.includes(`rm -f '/run/icc-bench-dev-claim-ibpab12c0'`), d);
        assert.match(d, /2>\/dev\/null \|\| echo 0\)/);
    });
});

describe("benchmark script", () => {
    const TCP = { duration: 5, interval: 1, parallel: 1, port: 5001 };
    const labs = [
        {
            method: "ovs",
            servers: [{ container: "icc-bench-dev-ovs-server0", port: 5001 }],
            clients: [
                { container: "icc-bench-dev-ovs-client0", target: "198.18.192.2", port: 5001, serverIndex: 0, processes: 2 },
                { container: "icc-bench-dev-ovs-client1", target: "198.18.192.2", port: 5001, serverIndex: 0, processes: 1 },
            ],
        },
        {
            method: "link",
            servers: [{ container: "icc-bench-dev-link-server0", port: 5001 }],
            clients: [{ container: "icc-bench-dev-link-client0", target: "198.19.255.2", port: 5001, serverIndex: 0, processes: 1 }],
        },
        {
            method: "host",
            servers: [{ container: "icc-bench-dev-host-server0", port: 20064, bind: "127.0.0.1" }],
            clients: [{ container: "icc-bench-dev-host-client0", target: "127.0.0.1", port: 20064, serverIndex: 0, processes: 1 }],
        },
        {
            method: "bridge",
            servers: [{ container: "icc-bench-dev-bridge-server0", port: 5001 }],
            clients: [{ container: "icc-bench-dev-bridge-client0", target: "icc-bench-dev-bridge-server0", port: 5001, serverIndex: 0, processes: 1 }],
        },
    ];
    const script = benchmarkScript(labs, TCP);

    it("is valid shell that runs the labs one after another", () => {
        assertParses(script);
        assert.ok(script.indexOf("icc-bench-lab ovs") < script.indexOf("icc-bench-lab link"));
        assert.equal(script.match(/cpu_sample before; wait; cpu_sample after/g)?.length, 4);
    });

    it("runs rounds one after another, each calling the labs in its own order, framed by round", () => {
        const rounds = benchmarkScript(labs, TCP, [["link", "ovs"], ["ovs", "link"]]);
        assertParses(rounds);
        assert.deepEqual(measuredRounds(rounds), [["link", "ovs"], ["ovs", "link"]]);
        assert.deepEqual(measuredRounds(script), [["ovs", "link", "host", "bridge"]], "one round in labs order by default");
        assert.throws(() => benchmarkScript(labs, TCP, [["ipvlan"]]), /names the method ipvlan, which has no lab/);
    });

    it("holds each lab's steps and each in-container script once, whatever the rounds and clients", () => {
        const many = benchmarkScript(labs, TCP, Array.from({ length: 50 }, () => ["ovs", "link", "host", "bridge"]));
        assert.equal(many.match(/cpu_sample before; wait; cpu_sample after/g)?.length, 4);
        assert.equal(many.match(/echo ready/g)?.length, 1);
        assert.ok(many.length < script.length + 50 * 60, `${many.length} bytes for 50 rounds, ${script.length} for one`);
    });

    it("runs the study's iperf options at a start instant read from stdin after saying ready", () => {
        assert.match(script, /echo ready\nread -r start \|\| exit 1/);
        assert.match(script, /timeout -k 5 "\$limit" iperf -c "\$target" -p "\$port" -t "\$duration" -i "\$interval" -P "\$parallel" "\$@" --txstart-time "\$start"/);
        // target port duration interval parallel processes limit method container server, then the mode's options
        assert.match(script, /docker exec -i 'icc-bench-dev-ovs-client0' sh -c "\$in_client" icc-bench '198\.18\.192\.2' '5001' '5' '1' '1' '2' '36' 'ovs' 'icc-bench-dev-ovs-client0' '0' -y C /);
        assert.match(script, /^echo 'icc-bench-mode stream'$/m);
    });

    it("gives each mode its iperf options: CSV for stream, back-to-back bounceback for rr, -l when a length is set", () => {
        assert.deepEqual(modeOptions(TCP), ["-y C"]);
        assert.deepEqual(modeOptions({ ...TCP, length: 1400 }), ["-l", "'1400'", "-y C"]);
        assert.deepEqual(modeOptions({ ...TCP, protocol: "udp", udpRate: "1G", length: 64 }), ["-u -b", "'1G'", "-l", "'64'", "-y C"]);
        assert.deepEqual(modeOptions({ ...TCP, mode: "rr" }), ["--bounceback --bounceback-period 0"]);
        assert.deepEqual(modeOptions({ ...TCP, mode: "rr", length: 200 }), ["--bounceback --bounceback-period 0", "-l", "'200'"]);
        const rr = benchmarkScript(labs, { ...TCP, mode: "rr" });
        assertParses(rr);
        assert.match(rr, /^echo 'icc-bench-mode rr'$/m);
        assert.match(rr, /'icc-bench-dev-ovs-client0' '0' --bounceback --bounceback-period 0 2>&1;/);
        assert.doesNotMatch(rr, /sh -c "\$in_client"[^\n]*-y C/);
    });

    it("dials each client's own server port, and a server's container name where Docker's DNS resolves it", () => {
        assert.match(script, /docker exec -i 'icc-bench-dev-host-client0' sh -c "\$in_client" icc-bench '127\.0\.0\.1' '20064' /);
        assert.match(script, /docker exec -i 'icc-bench-dev-bridge-client0' sh -c "\$in_client" icc-bench 'icc-bench-dev-bridge-server0' '5001' /);
    });

    it("samples CPU of the host and of every server and client container of each lab", () => {
        assert.match(script, /cpu_files 'icc-bench-dev-ovs-server0' 'icc-bench-dev-ovs-client0' 'icc-bench-dev-ovs-client1' >"\$out\/cpu"/);
        assert.match(script, /cpu_files 'icc-bench-dev-link-server0' 'icc-bench-dev-link-client0' >"\$out\/cpu"/);
    });

    it("gives a lab with more processes more time between ready and start", () => {
        assert.ok(startMarginMicros(256) > startMarginMicros(1));
        assert.match(script, new RegExp(`\\+ ${startMarginMicros(3)} \\)\\)`));
    });

    it("under UDP, starts and stops a UDP server in each server container and offers the rate", () => {
        const udp = benchmarkScript(labs, { ...TCP, protocol: "udp", udpRate: "500M" });
        assertParses(udp);
        assert.match(udp, /^udp_start='[^']*stdbuf -oL iperf -s -u -p "\$1" \$\{2:\+-B "\$2"\} -y C/m);
        assert.match(udp, /^udp_stop='[^']*icc-bench-udpserver/m);
        assert.equal(udp.match(/sh -c "\$udp_start"/g)?.length, 4);
        assert.match(udp, /docker exec 'icc-bench-dev-ovs-server0' sh -c "\$udp_start" icc-bench '5001' '' \|\| failed=1/);
        assert.match(udp, /docker exec 'icc-bench-dev-host-server0' sh -c "\$udp_start" icc-bench '20064' '127\.0\.0\.1' \|\| failed=1/);
        assert.match(udp, /docker exec 'icc-bench-dev-link-server0' sh -c "\$udp_stop" icc-bench 'link' 'icc-bench-dev-link-server0' '0'/);
        assert.match(udp, /'icc-bench-dev-ovs-client0' '0' -u -b '500M' -y C /);
        assert.doesNotMatch(script, /sh -c "\$udp_start"/);
    });

    it("refuses a target that is neither an address nor a container name, a bad rate, and UDP without servers", () => {
        const client = { container: "c", target: "198.18.0.2", port: 5001, serverIndex: 0, processes: 1 };
        assert.throws(() => benchmarkScript([{ method: "ovs", clients: [{ ...client, target: "$(id)" }] }], TCP), /address or container name/);
        assert.throws(() => dialTarget("a b"), /address or container name/);
        assert.equal(dialTarget("198.18.0.2"), "'198.18.0.2'");
        assert.throws(() => benchmarkScript([{ method: "ovs", servers: [{ container: "s", port: 5001 }], clients: [client] }], { ...TCP, protocol: "udp", udpRate: "1G; id" }), /UDP rate/);
        assert.throws(() => benchmarkScript([{ method: "ovs", clients: [client] }], { ...TCP, protocol: "udp", udpRate: "1G" }), /server containers/);
    });
});

/**
 * The script's plumbing, run for real with a fake `docker` (runs the in-container script here)
 * and a fake `iperf` (logs the start instant it was given, prints one report, or fails).
 */
describe("benchmark script with a fake docker and iperf", () => {
    const FAKE_DOCKER = [
        "#!/bin/sh",
        'case "$1" in',
        '  inspect) fmt=$3; shift 3',
        // dead*: never running; dying*: running when first asked, then exited with 139
        '    for n in "$@"; do case "$fmt:$n" in',
        '      *Running*:dead*) echo "/$n false 139" ;;',
        '      *Running*:dying*) if [ -e "$FAKE_LOG.dying" ]; then echo "/$n false 139"; else : >"$FAKE_LOG.dying"; echo "/$n true 0"; fi ;;',
        '      *Running*) echo "/$n true 0" ;;',
        '      *) echo "/$n 0" ;;',
        '    esac; done ;;',
        '  exec) shift; [ "$1" != -i ] || shift; shift',
        '    if [ "$1" = iperf ]; then echo "iperf version 2.1.8 (fake)"; exit 0; fi',
        '    exec "$@" ;;',
        "esac",
    ].join("\n");
    const FAKE_IPERF = [
        "#!/bin/sh",
        'prev=; for a; do [ "$prev" != --txstart-time ] || echo "$a" >>"$FAKE_LOG"; prev=$a; done',
        'case " $* " in *" -c 198.18.0.99 "*) echo "tcp connect failed: Connection refused" >&2; exit 0 ;; esac',
        'echo "20261127000000.000,198.18.0.3,40000,198.18.0.2,5001,1,0.0-1.0,125000000,1000000000"',
    ].join("\n");

    function runFake(clients: { container: string; target: string; processes: number }[], server = "srv", rounds = 1): { status: number; stdout: string; stderr: string; starts: string[] } {
        const dir = mkdtempSync(join(tmpdir(), "icc-bench-fake-"));
        try {
            writeFileSync(join(dir, "docker"), FAKE_DOCKER, { mode: 0o755 });
            writeFileSync(join(dir, "iperf"), FAKE_IPERF, { mode: 0o755 });
            const log = join(dir, "starts");
            const script = benchmarkScript(
                [{ method: "pipework", servers: [{ container: server, port: 5001 }], clients: clients.map((c) => ({ ...c, port: 5001, serverIndex: 0 })) }],
                { duration: 1, interval: 1, parallel: 1, port: 5001 },
                Array.from({ length: rounds }, () => ["pipework"]),
            );
            // As the command resource runs it: RUN_SCRIPT_FROM_STDIN with the script on stdin.
            const run = spawnSync("sh", ["-c", RUN_SCRIPT_FROM_STDIN], { input: script, encoding: "utf8", env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, FAKE_LOG: log }, timeout: 30_000 });
            return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr, starts: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [] };
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }

    it("starts every process of every container with the one start instant the lab line shows", () => {
        const before = Date.now() / 1000;
        const run = runFake([
            { container: "c0", target: "198.18.0.2", processes: 3 },
            { container: "c1", target: "198.18.0.2", processes: 2 },
        ]);
        assert.equal(run.status, 0, run.stdout);
        assert.equal(run.starts.length, 5);
        assert.equal(new Set(run.starts).size, 1, run.starts.join(" "));
        const labLine = run.stdout.split("\n").find((l) => l.startsWith("icc-bench-lab "));
        assert.equal(labLine, `icc-bench-lab pipework ${run.starts[0]}`);
        assert.match(run.starts[0], /^\d{10}\.\d{6}$/);
        assert.ok(Number(run.starts[0]) > before && Number(run.starts[0]) < Date.now() / 1000 + 5);
        const [lab] = parseBenchmarkOutput(run.stdout);
        assert.equal(lab.clients.length, 5);
        assert.deepEqual(lab.clients.map((c) => `${c.container}/${c.process}`).sort(), ["c0/1", "c0/2", "c0/3", "c1/1", "c1/2"]);
        assert.equal(lab.startTime, new Date(Number(run.starts[0]) * 1000).toISOString());
    });

    it("measures each round at a start instant of its own; the results say which round they are", () => {
        const run = runFake([{ container: "c0", target: "198.18.0.2", processes: 2 }], "srv", 3);
        assert.equal(run.status, 0, run.stderr);
        assert.equal(new Set(run.starts).size, 3, run.starts.join(" "));
        const results = parseBenchmarkOutput(run.stdout);
        assert.deepEqual(results.map((r) => [r.method, r.round, r.clients.length]), [["pipework", 1, 2], ["pipework", 2, 2], ["pipework", 3, 2]]);
        assert.deepEqual(results.map((r) => r.startTime), [...new Set(run.starts)].map((s) => new Date(Number(s) * 1000).toISOString()));
    });

    it("prints every client's output, a failed one included, for the verdict to judge", () => {
        const run = runFake([
            { container: "c0", target: "198.18.0.2", processes: 1 },
            { container: "c1", target: "198.18.0.99", processes: 1 },
        ]);
        assert.equal(run.status, 0);
        assert.match(run.stderr, /^icc-bench: some iperf clients failed/m);
        const results = parseBenchmarkOutput(run.stdout);
        assert.deepEqual(results[0].clients.map((c) => c.container), ["c0"]);
        assert.deepEqual(results[0].failures.map((f) => [f.container, f.message]), [["c1", "no whole-test report: tcp connect failed: Connection refused"]]);
        assert.equal(
            benchmarkFailure(results),
            "icc-bench: some iperf clients failed; they are listed under failures/serversDown in the results output:\n" +
                "  pipework c1 process 1 (server 0): no whole-test report: tcp connect failed: Connection refused",
        );
    });

    it("does not run a lab whose server is down, and reports the lab with that server", () => {
        const run = runFake([{ container: "c0", target: "198.18.0.2", processes: 1 }], "dead-server0");
        assert.equal(run.status, 0);
        assert.equal(run.stderr, "icc-bench: pipework: server container dead-server0 is not running (exit code 139): iperf -s died; recreate the lab\n");
        assert.deepEqual(run.starts, [], "no client was started");
        const results = parseBenchmarkOutput(run.stdout);
        assert.deepEqual(results.map((r) => [r.method, r.clients.length, r.serversDown]), [["pipework", 0, [{ container: "dead-server0", exit: "139" }]]]);
        assert.match(benchmarkFailure(results) ?? "", /pipework server dead-server0 not running \(exit code 139\)/);
    });

    it("the largest lab config allows outgrows one sh -c argument; from stdin such a script runs whole", () => {
        const methods = ["macvlan-nat", "pipework", "link", "ovs", "bridge", "docker-macvlan", "host", "shared-netns"];
        const biggest = benchmarkScript(
            methods.map((method) => ({
                method,
                servers: Array.from({ length: 64 }, (_, i) => ({ container: `icc-bench-a-forty-character-stack-name-xxxxxxxx-${method}-server${i}`, port: 5001 })),
                clients: Array.from({ length: 64 }, (_, i) => ({ container: `icc-bench-a-forty-character-stack-name-xxxxxxxx-${method}-client${i}`, target: "198.18.0.2", port: 5001, serverIndex: i, processes: 16 })),
            })),
            { duration: 5, interval: 1, parallel: 1, port: 5001 },
        );
        assert.ok(biggest.length > 128 * 1024, `${biggest.length} bytes`);
        const asArgument = spawnSync("sh", ["-c", biggest]);
        assert.equal((asArgument.error as NodeJS.ErrnoException | undefined)?.code, "E2BIG");

        const large = `${"# filler\n".repeat(30_000)}echo "stdin: $(cat | wc -c)"; echo last line; exit 3\n`;
        const run = spawnSync("sh", ["-c", RUN_SCRIPT_FROM_STDIN], { input: large, encoding: "utf8" });
        assert.ok(large.length > 256 * 1024);
        assert.equal(run.status, 3, run.stderr);
        assert.equal(run.stdout, "stdin: 0\nlast line\n", "the script reads nothing of itself from stdin");
    });

    it("verdict: fails with the failure text on stderr, succeeds when there is none", () => {
        assert.equal(verdictScript(undefined), "true");
        const failing = spawnSync("sh", ["-c", verdictScript("icc-bench: it's `broken` $(x)")], { encoding: "utf8" });
        assert.equal(failing.status, 1);
        assert.equal(failing.stderr, "icc-bench: it's `broken` $(x)\n");
    });

    it("keeps the figures of a run during which the server stopped, and says so", () => {
        const ok = runFake([{ container: "c0", target: "198.18.0.2", processes: 1 }]);
        assert.equal(ok.stderr, "");
        assert.equal(parseBenchmarkOutput(ok.stdout)[0].serversDown, undefined);
        const run = runFake([{ container: "c0", target: "198.18.0.2", processes: 1 }], "dying-server0");
        assert.equal(run.status, 0);
        assert.match(run.stderr, /^icc-bench: pipework: server container dying-server0 stopped during the run \(exit code 139\); later runs need the lab recreated$/m);
        const [lab] = parseBenchmarkOutput(run.stdout);
        assert.equal(lab.clients.length, 1);
        assert.deepEqual(lab.serversDown, [{ container: "dying-server0", exit: "139" }]);
    });
});
