import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatInspect, inspectRows } from "../../cli/inspect";
import { planStack, validateSettings } from "../../model";
import { LabResult } from "../../results/benchmark";

const PLAN = planStack("unit", validateSettings({ methods: ["ovs", "link", "bridge", "host", "shared-netns"], topology: { servers: 1, clientContainers: 2 } }));

/** A last run of ovs in which client1 produced no report. */
const RESULTS: Record<string, LabResult> = {
    ovs: {
        method: "ovs",
        round: 1,
        protocol: "tcp",
        mode: "stream",
        startTime: "2026-01-01T00:00:00.000Z",
        durationSeconds: 1,
        iperfVersion: "iperf 2.1.8",
        clients: [{ container: "icc-bench-unit-ovs-client0", process: 0, server: 0, gbps: 1.234 }],
        containers: [{ container: "icc-bench-unit-ovs-client0", server: 0, gbps: 1.234 }],
        failures: [{ container: "icc-bench-unit-ovs-client1", process: 0, server: 0, exitCode: 1, message: "connect failed" }],
        meanPerClient: 1.234,
        meanPerContainer: 1.234,
        total: 1.234,
    },
};

describe("icc-bench inspect", () => {
    const rows = inspectRows(PLAN, RESULTS);
    const row = (container: string) => rows.find((r) => r.container === container);

    it("lists every container of every method's lab", () => {
        assert.equal(rows.length, 5 * 3);
        assert.deepEqual([...new Set(rows.map((r) => r.method))], PLAN.labs.map((l) => l.method));
    });

    it("says each one's role, address, networking, host interface, target and last result", () => {
        const ovs = PLAN.labs.find((l) => l.method === "ovs");
        assert.ok(ovs);
        assert.deepEqual(row("icc-bench-unit-ovs-client0"), {
            method: "ovs",
            container: "icc-bench-unit-ovs-client0",
            role: "client",
            address: ovs.clients[0].address,
            networking: "none (eth1 from the lab)",
            hostInterface: ovs.clients[0].ifnames.host,
            dials: `${ovs.servers[0].address}:5001`,
            lastGbps: "1.23",
        });
        assert.equal(row("icc-bench-unit-ovs-client1")?.lastGbps, "failed");
        assert.deepEqual(row("icc-bench-unit-ovs-server0")?.dials, "-");
        assert.deepEqual(row("icc-bench-unit-link-client0"), {
            method: "link",
            container: "icc-bench-unit-link-client0",
            role: "client",
            address: "(Docker's)",
            networking: "Docker default bridge",
            hostInterface: "-",
            dials: "icc-bench-unit-link-server0 (its default-bridge address):5001",
            lastGbps: "-",
        });
        const bridge = PLAN.labs.find((l) => l.method === "bridge");
        assert.equal(row("icc-bench-unit-bridge-client1")?.networking, "network icc-bench-unit-bridge");
        assert.equal(row("icc-bench-unit-bridge-client1")?.address, bridge?.clients[1].address);
        assert.equal(row("icc-bench-unit-bridge-client1")?.dials, "icc-bench-unit-bridge-server0:5001");
        assert.equal(row("icc-bench-unit-host-server0")?.address, "127.0.0.1");
        assert.equal(row("icc-bench-unit-host-client0")?.dials, `127.0.0.1:${PLAN.hostPorts.first}`);
        assert.equal(row("icc-bench-unit-shared-netns-client1")?.networking, "container:icc-bench-unit-shared-netns-server0");
        assert.equal(row("icc-bench-unit-shared-netns-client1")?.dials, "127.0.0.1:5001");
    });

    it("prints a boxed table with a header and one line per container", () => {
        const lines = formatInspect(rows).split("\n");
        assert.equal(lines.length, 3 + rows.length + 1);
        assert.match(lines[1], /^\| method +\| container +\| role +\| address +\| networking +\| host interface +\| dials +\| last Gbit\/s \|$/);
        assert.ok(lines.every((l) => l.length === lines[0].length), "every line as wide as the rule");
        assert.ok(lines.some((l) => /\| ovs +\| icc-bench-unit-ovs-client0 +\| client +\| .*\| 1\.23 +\|$/.test(l)));
    });
});

describe("icc-bench command line", () => {
    const cli = join(__dirname, "..", "..", "cli", "index.js");
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

    it("lists its subcommands, and each has --help", () => {
        const overview = run("--help");
        assert.equal(overview.status, 0);
        for (const name of ["start", "sweep", "study", "compare", "inspect", "repair", "clean", "leaks"]) {
            assert.match(overview.stdout, new RegExp(`^  ${name} +\\S`, "m"));
            const help = run(name, "--help");
            assert.equal(help.status, 0, name);
            assert.match(help.stdout, new RegExp(`^usage: icc-bench ${name}`), name);
            assert.match(help.stdout, /^exit: /m, name);
        }
    });

    it("exits 2 on a usage error, naming it", () => {
        assert.equal(run().status, 2);
        const unknown = run("frobnicate");
        assert.equal(unknown.status, 2);
        assert.match(unknown.stderr, /no subcommand "frobnicate"/);
        const badOption = run("clean", "--stack", "dev", "--nope");
        assert.equal(badOption.status, 2);
        assert.match(badOption.stderr, /Unknown option '--nope'/);
        assert.equal(run("clean", "--all", "--stack", "dev").status, 2);
        assert.equal(run("inspect").status, 2);
        assert.equal(run("compare", "one.json").status, 2);
    });
});
