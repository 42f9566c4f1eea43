import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, beforeEach, describe, it } from "node:test";
import { Lab } from "../../components";
import { serverCommand } from "../../hostscripts/containerCommands";
import { ConfigError } from "../../model";

interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

const recorded: Recorded[] = [];
/** Canned stdout for the benchmark command: real iperf2 output captured on a lab host. */
const BENCHMARK_STDOUT = readFileSync(join(__dirname, "..", "..", "..", "test", "fixtures", "benchmark-dev-stdout.txt"), "utf8");

function containerState(inputs: Record<string, unknown>, name: string): Record<string, unknown> {
    const bridge = inputs.networkMode === "bridge";
    const networkDatas = [
        bridge
            ? { networkName: "bridge", ipAddress: `198.19.255.${10 + recorded.length}`, ipPrefixLength: 24, gateway: "198.19.255.1" }
            : { networkName: "none", ipAddress: "", ipPrefixLength: 0, gateway: "" },
    ];
    return { ...inputs, networkDatas, name: inputs.name ?? name };
}

before(() => {
    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
                const state =
                    args.type === "docker:index/container:Container"
                        ? containerState(args.inputs, args.name)
                        : args.type === "command:local:Command"
                          ? { ...args.inputs, stdout: args.name.endsWith("-benchmark-run") ? BENCHMARK_STDOUT : "", stderr: "" }
                          : args.inputs;
                return { id: `${args.name}-id`, state };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                return args.inputs;
            },
        },
        "icc-bench",
        "unit",
        false,
    );
});

beforeEach(() => {
    recorded.length = 0;
});

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Builds a lab from code (no stack config) and waits until every resource is registered. */
async function build(args: ConstructorParameters<typeof Lab>[1]): Promise<Lab> {
    const lab = new Lab("unit", args);
    await valueOf(lab.results);
    await valueOf(pulumi.all([...lab.labs.flatMap((l) => l.resourceIds), lab.benchmark.verdict.id]));
    return lab;
}

const containers = () => recorded.filter((r) => r.type === "docker:index/container:Container");
const commands = () => recorded.filter((r) => r.type === "command:local:Command");
const labelsOf = (r: Recorded) => Object.fromEntries((r.inputs.labels as { label: string; value: string }[]).map((l) => [l.label, l.value]));

describe("Lab under mocks", () => {
    it("builds the dev topology for all four methods from code, without stack config", async () => {
        await build({ topology: { servers: 1, clientContainers: 2 }, iperf: { duration: 2 } });
        assert.equal(containers().length, 4 * 3);
        const servers = containers().filter((c) => labelsOf(c)["icc-bench.role"] === "server");
        assert.deepEqual(servers.map((s) => s.inputs.command), Array(4).fill(serverCommand(5001)));
        for (const c of containers()) {
            assert.equal(labelsOf(c)["icc-bench.stack"], "unit");
            assert.equal(c.inputs.image, "icc-bench/iperf:bookworm");
        }
        // One lab-level host object and one port per container for each method but link, one benchmark.
        const names = commands().map((c) => c.name).sort();
        assert.deepEqual(names.filter((n) => /-net-(bridge|segment)$/.test(n)), ["unit-macvlan-nat-net-segment", "unit-ovs-net-bridge", "unit-pipework-net-bridge"]);
        assert.equal(names.filter((n) => /^unit-(ovs|pipework|macvlan-nat)-net-(server|client)\d$/.test(n)).length, 3 * 3);
        assert.equal(names.filter((n) => n.endsWith("-benchmark-run")).length, 1);
        assert.equal(names.filter((n) => n.endsWith("-benchmark-verdict")).length, 1);
        assert.equal(commands().length, 3 + 9 + 2);
    });

    it("starts containers of attached methods with no Docker network, and link containers on the default bridge", async () => {
        await build({ methods: ["ovs", "link"] });
        for (const c of containers()) {
            const method = labelsOf(c)["icc-bench.method"];
            assert.equal(c.inputs.networkMode, method === "link" ? "bridge" : "none", c.name);
        }
    });

    it("gives a link client what --link gave it: the server's address as environment and hosts entry", async () => {
        await build({ methods: ["link"], topology: { servers: 2, clientContainers: 3 } });
        const clients = containers()
            .filter((c) => labelsOf(c)["icc-bench.role"] === "client")
            .sort((a, b) => String(a.inputs.name).localeCompare(String(b.inputs.name)));
        for (const client of clients) {
            const envs = client.inputs.envs as string[];
            const addr = envs.find((e) => e.startsWith("ISERV_PORT_5001_TCP_ADDR="))?.split("=")[1];
            assert.match(addr ?? "", /^198\.19\.255\.\d+$/);
            assert.ok(envs.includes(`ISERV_PORT=tcp://${addr}:5001`));
            assert.deepEqual(client.inputs.hosts, [{ host: "iserv", ip: addr }]);
        }
        // client i talks to server i mod 2: clients 0 and 2 share a server address.
        const addrOf = (c: Recorded) => (c.inputs.envs as string[]).find((e) => e.includes("_TCP_ADDR="));
        assert.equal(addrOf(clients[0]), addrOf(clients[2]));
        assert.notEqual(addrOf(clients[0]), addrOf(clients[1]));
        // The link method makes no host objects: the only commands are the benchmark's.
        assert.deepEqual(commands().map((c) => c.name).sort(), ["unit-benchmark-run", "unit-benchmark-verdict"]);
    });

    it("replaces a port when its container is replaced: the container id is among its triggers", async () => {
        await build({ methods: ["pipework"] });
        const port = commands().find((c) => c.name === "unit-pipework-net-client0");
        assert.ok(port);
        const triggers = port.inputs.triggers as string[];
        assert.ok(triggers.includes("unit-pipework-client0-id"), JSON.stringify(triggers));
        assert.ok(triggers.includes("unit-pipework-net-bridge-id"));
        assert.ok(triggers.includes(port.inputs.create as string) && triggers.includes(port.inputs.delete as string));
        assert.match(port.inputs.create as string, /master 'ibp[0-9a-f]{4}br'/);
    });

    it("dials the external (DNAT) address under macvlan-nat and the lab address under ovs", async () => {
        await build({ methods: ["macvlan-nat", "ovs"], subnet: "198.18.0.0/24" });
        const run = commands().find((c) => c.name === "unit-benchmark-run");
        assert.ok(run);
        const script = run.inputs.create as string;
        // macvlan-nat slice 198.18.0.0/26: server .2, client .3, external .62; ovs slice .192/26: server .194
        assert.match(script, /'icc-bench-unit-macvlan-nat-client0' sh -c .* icc-bench '198\.18\.0\.62'/s);
        assert.match(script, /'icc-bench-unit-ovs-client0' sh -c .* icc-bench '198\.18\.0\.194'/s);
        assert.ok(script.indexOf("icc-bench-lab macvlan-nat") < script.indexOf("icc-bench-lab ovs"));
    });

    it("re-runs the benchmark on a new runId alone, and never during a plain re-deploy", async () => {
        await build({ methods: ["ovs"], runId: "r2" });
        const run = commands().find((c) => c.name === "unit-benchmark-run");
        assert.ok(run);
        const triggers = run.inputs.triggers as string[];
        assert.equal(triggers[0], "r2");
        assert.ok(triggers.includes("unit-ovs-net-bridge-id"));
        assert.equal(run.inputs.delete, undefined);
    });

    it("turns the benchmark output into results per method", async () => {
        const lab = await build({ topology: { servers: 1, clientContainers: 2 } });
        const results = await valueOf(lab.results);
        assert.deepEqual(Object.keys(results).sort(), ["link", "macvlan-nat", "ovs", "pipework"]);
        for (const r of Object.values(results)) {
            assert.equal(r.clients.length, 2);
            assert.ok(r.total > 0);
            assert.equal(r.failures.length, 0);
        }
        const verdict = commands().find((c) => c.name === "unit-benchmark-verdict");
        assert.equal(verdict?.inputs.create, "true", "nothing failed, so the verdict passes");
        assert.deepEqual(verdict?.inputs.triggers, ["unit-benchmark-run-id"]);
    });

    it("registers nothing when the settings are bad", () => {
        assert.throws(() => new Lab("unit", { methods: ["ovs", "nope"], topology: { servers: 0 } }), ConfigError);
        assert.equal(recorded.length, 0);
    });
});
