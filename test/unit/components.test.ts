import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, beforeEach, describe, it } from "node:test";
import { Lab } from "../../components";
import { runnerCommand } from "../../runner/command";
import { BenchmarkPlan } from "../../runner/plan";
import { serverCommand } from "../../hostscripts/containerCommands";
import { methodModule } from "../../methods";
import { ConfigError, Method, defaultMethods, planStack, validateSettings } from "../../model";

interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** The provider reference it was registered with (urn::id), when not the default one. */
    readonly provider?: string;
}

const recorded: Recorded[] = [];
const fixture = (file: string) => readFileSync(join(__dirname, "..", "..", "..", "test", "fixtures", file), "utf8");
/** Canned stdout for the benchmark command: real iperf2 output captured on a lab host (rr: of a link lab in rr mode). */
const BENCHMARK_STDOUT = fixture("benchmark-dev-stdout.txt");
const RR_STDOUT = fixture("benchmark-rr-stdout.txt");

function benchmarkStdout(inputs: Record<string, unknown>): string {
    return (JSON.parse(String(inputs.stdin)) as BenchmarkPlan).iperf.mode === "rr" ? RR_STDOUT : BENCHMARK_STDOUT;
}

/** The first three octets of the mock dockerd's default bridge (a test may play a stock 172.17.0.0/16 one). */
let defaultBridge = "198.19.255";

function containerState(inputs: Record<string, unknown>, name: string): Record<string, unknown> {
    const bridge = inputs.networkMode === "bridge";
    const networkDatas = [
        bridge
            ? { networkName: "bridge", ipAddress: `${defaultBridge}.${10 + recorded.length}`, ipPrefixLength: 24, gateway: `${defaultBridge}.1` }
            : { networkName: "none", ipAddress: "", ipPrefixLength: 0, gateway: "" },
    ];
    return { ...inputs, networkDatas, name: inputs.name ?? name };
}

before(() => {
    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                recorded.push({ type: args.type, name: args.name, inputs: args.inputs, ...(args.provider ? { provider: args.provider } : {}) });
                const state =
                    args.type === "docker:index/container:Container"
                        ? containerState(args.inputs, args.name)
                        : args.type === "command:local:Command"
                          ? { ...args.inputs, stdout: args.name.endsWith("-benchmark-run") ? benchmarkStdout(args.inputs) : "", stderr: "" }
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
    const lab = new Lab("mylab", args);
    await valueOf(lab.results);
    await valueOf(pulumi.all([...lab.labs.flatMap((l) => l.resourceIds), lab.benchmark.verdict.id]));
    return lab;
}

const STUDY_METHODS: Method[] = ["macvlan-nat", "pipework", "link", "ovs"];
const containers = () => recorded.filter((r) => r.type === "docker:index/container:Container");
const networks = () => recorded.filter((r) => r.type === "docker:index/network:Network");
const byName = (name: string) => {
    const found = recorded.find((r) => r.inputs.name === name || r.name === name);
    assert.ok(found, `${name} was registered`);
    return found;
};
/** The plan the benchmark runner is given on stdin. */
const benchmarkPlan = (): BenchmarkPlan => JSON.parse(String(byName("mylab-benchmark-run").inputs.stdin)) as BenchmarkPlan;
/** Where each client container of the benchmark dials: "address:port". */
const dials = (): Record<string, string> => Object.fromEntries(benchmarkPlan().labs.flatMap((l) => l.clients).map((c) => [c.container, `${c.target}:${c.port}`]));
const commands = () => recorded.filter((r) => r.type === "command:local:Command");
const labelsOf = (r: Recorded) => Object.fromEntries((r.inputs.labels as { label: string; value: string }[]).map((l) => [l.label, l.value]));

describe("Lab under mocks", () => {
    it("builds the dev topology for the study's four methods from code, without stack config", async () => {
        await build({ methods: STUDY_METHODS, topology: { servers: 1, clientContainers: 2 }, iperf: { duration: 2 } });
        assert.equal(containers().length, 4 * 3);
        const servers = containers().filter((c) => labelsOf(c)["icc-bench.role"] === "server");
        assert.deepEqual(servers.map((s) => s.inputs.command), Array(4).fill(serverCommand(5001)));
        for (const c of containers()) {
            assert.equal(labelsOf(c)["icc-bench.stack"], "unit");
            assert.equal(c.inputs.image, "icc-bench/iperf:bookworm");
        }
        // One lab-level host object and one port per container for each method but link, one benchmark.
        const names = commands().map((c) => c.name).sort();
        assert.deepEqual(names.filter((n) => /-net-(bridge|segment)$/.test(n)), ["mylab-macvlan-nat-net-segment", "mylab-ovs-net-bridge", "mylab-pipework-net-bridge"]);
        assert.equal(names.filter((n) => /^mylab-(ovs|pipework|macvlan-nat)-net-(server|client)\d$/.test(n)).length, 3 * 3);
        assert.equal(names.filter((n) => n.endsWith("-benchmark-run")).length, 1);
        assert.equal(names.filter((n) => n.endsWith("-benchmark-verdict")).length, 1);
        assert.equal(commands().length, 3 + 9 + 2);
        assert.deepEqual(networks(), [], "none of the four makes a Docker network");
    });

    it("builds a lab of every registered method when the program names none", async () => {
        await build({ topology: { servers: 1, clientContainers: 2 } });
        const methods = new Set(containers().map((c) => labelsOf(c)["icc-bench.method"]));
        assert.deepEqual([...methods].sort(), [...defaultMethods(false)].sort());
        assert.equal(containers().length, defaultMethods(false).length * 3);
        assert.deepEqual(networks().map((n) => n.inputs.name).sort(), ["icc-bench-unit-bridge", "icc-bench-unit-docker-macvlan", "icc-bench-unit-ipvlan"]);
        const attachments = recorded.filter((r) => r.type.startsWith("icc-bench:network:")).map((r) => r.type).sort();
        assert.deepEqual(attachments, defaultMethods(false).map((m) => `icc-bench:network:${methodModule(m).attachmentType}`).sort());
    });

    it("starts containers of attached methods with no Docker network, and link containers on the default bridge", async () => {
        await build({ methods: ["ovs", "link"] });
        assert.equal(containers().length, 4);
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
        assert.deepEqual(commands().map((c) => c.name).sort(), ["mylab-benchmark-run", "mylab-benchmark-verdict"]);
    });

    it("replaces a port when its container is replaced: the container id is among its triggers", async () => {
        await build({ methods: ["pipework"] });
        const port = commands().find((c) => c.name === "mylab-pipework-net-client0");
        assert.ok(port);
        const triggers = port.inputs.triggers as string[];
        assert.ok(triggers.includes("mylab-pipework-client0-id"), JSON.stringify(triggers));
        assert.ok(triggers.includes("mylab-pipework-net-bridge-id"));
        assert.ok(triggers.includes(port.inputs.create as string) && triggers.includes(port.inputs.delete as string));
        assert.match(port.inputs.create as string, /master 'ibp[0-9a-f]{4}br'/);
    });

    it("dials the external (DNAT) address under macvlan-nat and the lab address under ovs", async () => {
        await build({ methods: ["macvlan-nat", "ovs"], subnet: "198.18.0.0/24" });
        // macvlan-nat slice 198.18.0.0/25: server .2, external .63, client .64; ovs slice .128/25: server .130
        assert.deepEqual(dials(), { "icc-bench-unit-macvlan-nat-client0": "198.18.0.63:5001", "icc-bench-unit-ovs-client0": "198.18.0.130:5001" });
        assert.deepEqual(benchmarkPlan().rounds, [["macvlan-nat", "ovs"]]);
    });

    it("re-runs the benchmark on a new runId alone, and never during a plain re-deploy", async () => {
        await build({ methods: ["ovs"], runId: "r2" });
        const run = commands().find((c) => c.name === "mylab-benchmark-run");
        assert.ok(run);
        const triggers = run.inputs.triggers as string[];
        assert.equal(triggers[0], "r2");
        assert.ok(triggers.includes("mylab-ovs-net-bridge-id"));
        assert.equal(run.inputs.delete, undefined);
    });

    it("measures `repeats` rounds in one benchmark run, round 1 in the methods' order, later ones as the plan shuffles them", async () => {
        const lab = await build({ methods: ["pipework", "ovs", "link"], repeats: 3, runId: "p1" });
        const rounds = planStack("unit", validateSettings({ methods: ["pipework", "ovs", "link"], repeats: 3, runId: "p1" })).rounds;
        assert.deepEqual(rounds[0], ["pipework", "ovs", "link"]);
        assert.deepEqual(benchmarkPlan().rounds, rounds);
        assert.equal(commands().filter((c) => c.name.endsWith("-benchmark-run")).length, 1, "one run for every round");
        assert.equal(byName("mylab-benchmark-run").inputs.create, runnerCommand());
        // The canned output is one round of the study's four methods.
        assert.deepEqual(await valueOf(lab.rounds), [await valueOf(lab.results)]);
    });

    it("turns the benchmark output into results per method", async () => {
        const lab = await build({ methods: STUDY_METHODS, topology: { servers: 1, clientContainers: 2 } });
        const results = await valueOf(lab.results);
        assert.deepEqual(Object.keys(results).sort(), ["link", "macvlan-nat", "ovs", "pipework"]);
        for (const r of Object.values(results)) {
            assert.equal(r.clients.length, 2);
            assert.ok(r.total > 0);
            assert.equal(r.failures.length, 0);
        }
        const verdict = commands().find((c) => c.name === "mylab-benchmark-verdict");
        assert.equal(verdict?.inputs.create, "true", "nothing failed, so the verdict passes");
        assert.deepEqual(verdict?.inputs.triggers, ["mylab-benchmark-run-id"]);
    });

    it("rr: the benchmark runs back-to-back bounceback transactions of the configured length, and the results carry each method's latency", async () => {
        const lab = await build({ methods: ["link"], topology: { servers: 1, clientContainers: 2 }, iperf: { mode: "rr", length: 200 } });
        assert.deepEqual(benchmarkPlan().iperf, { duration: 5, interval: 1, parallel: 1, port: 5001, mode: "rr", length: 200 });
        const { link } = await valueOf(lab.results);
        assert.equal(link.mode, "rr");
        assert.ok((link.latency?.transactionsPerSecond ?? 0) > 0, JSON.stringify(link.latency));
        assert.ok(link.clients.every((c) => (c.rr?.transactions ?? 0) > 0));
        assert.equal(link.packets, undefined);
    });

    it("bridge: a Docker bridge network on the lab's slice, containers at fixed addresses on it, clients dial the server's name", async () => {
        await build({ methods: ["bridge"], subnet: "198.18.4.0/24", labId: "ab12", topology: { servers: 1, clientContainers: 2 } });
        assert.deepEqual(networks().map((n) => n.inputs), [
            {
                name: "icc-bench-unit-bridge",
                driver: "bridge",
                options: { "com.docker.network.bridge.name": "ibbab12br" },
                ipamConfigs: [{ subnet: "198.18.4.0/24", gateway: "198.18.4.1" }],
                labels: [
                    { label: "icc-bench.stack", value: "unit" },
                    { label: "icc-bench.method", value: "bridge" },
                ],
            },
        ]);
        const attached = containers().map((c) => [c.inputs.name, c.inputs.networkMode, c.inputs.networksAdvanced]);
        assert.deepEqual(attached.sort((a, b) => String(a[0]).localeCompare(String(b[0]))), [
            ["icc-bench-unit-bridge-client0", undefined, [{ name: "icc-bench-unit-bridge", ipv4Address: "198.18.4.128" }]],
            ["icc-bench-unit-bridge-client1", undefined, [{ name: "icc-bench-unit-bridge", ipv4Address: "198.18.4.129" }]],
            ["icc-bench-unit-bridge-server0", undefined, [{ name: "icc-bench-unit-bridge", ipv4Address: "198.18.4.2" }]],
        ]);
        assert.equal(dials()["icc-bench-unit-bridge-client1"], "icc-bench-unit-bridge-server0:5001");
        assert.deepEqual(commands().map((c) => c.name).sort(), ["mylab-benchmark-run", "mylab-benchmark-verdict"], "no host object of its own");
    });

    it("docker-macvlan and ipvlan: a veth parent the lab owns, the driver's network on it, no NAT", async () => {
        await build({ methods: ["docker-macvlan", "ipvlan"], subnet: "198.18.4.0/24", labId: "ab12" });
        const parents = commands().filter((c) => c.name.endsWith("-net-parent"));
        assert.deepEqual(parents.map((c) => c.name).sort(), ["mylab-docker-macvlan-net-parent", "mylab-ipvlan-net-parent"]);
        assert.match(String(byName("mylab-docker-macvlan-net-parent").inputs.create), /ip link add 'ibdab12pa' type veth peer name 'ibdab12pb'/);
        const options = Object.fromEntries(networks().map((n) => [n.inputs.name, [n.inputs.driver, n.inputs.options, n.inputs.ipamConfigs]]));
        assert.deepEqual(options, {
            "icc-bench-unit-docker-macvlan": ["macvlan", { parent: "ibdab12pa", macvlan_mode: "bridge" }, [{ subnet: "198.18.4.0/25", gateway: "198.18.4.1" }]],
            "icc-bench-unit-ipvlan": ["ipvlan", { parent: "ibiab12pa", ipvlan_mode: "l2" }, [{ subnet: "198.18.4.128/25", gateway: "198.18.4.129" }]],
        });
        assert.equal(dials()["icc-bench-unit-docker-macvlan-client0"], "198.18.4.2:5001");
        assert.doesNotMatch(commands().map((c) => c.inputs.create).join("\n"), /DNAT/);
    });

    it("host: both ends in the host namespace, servers on 127.0.0.1 at ports of the stack's block, labelled with it", async () => {
        await build({ methods: ["host"], hostPort: 30000, topology: { servers: 2, clientContainers: 3 } });
        assert.ok(containers().every((c) => c.inputs.networkMode === "host"));
        const servers = containers().filter((c) => labelsOf(c)["icc-bench.role"] === "server");
        assert.deepEqual(servers.map((s) => s.inputs.command), [serverCommand(30000, "127.0.0.1"), serverCommand(30001, "127.0.0.1")]);
        assert.ok(containers().every((c) => labelsOf(c)["icc-bench.hostPorts"] === "30000-30063"));
        assert.deepEqual(dials(), { "icc-bench-unit-host-client0": "127.0.0.1:30000", "icc-bench-unit-host-client1": "127.0.0.1:30001", "icc-bench-unit-host-client2": "127.0.0.1:30000" });
        assert.deepEqual(networks(), []);
    });

    it("shared-netns: each client in its server's namespace, dialling 127.0.0.1; no other lab is labelled with host ports", async () => {
        await build({ methods: ["shared-netns", "ovs"], topology: { servers: 2, clientContainers: 3 } });
        const modes = Object.fromEntries(containers().filter((c) => labelsOf(c)["icc-bench.method"] === "shared-netns").map((c) => [c.inputs.name, c.inputs.networkMode]));
        assert.deepEqual(modes, {
            "icc-bench-unit-shared-netns-server0": "none",
            "icc-bench-unit-shared-netns-server1": "none",
            "icc-bench-unit-shared-netns-client0": "container:mylab-shared-netns-server0-id",
            "icc-bench-unit-shared-netns-client1": "container:mylab-shared-netns-server1-id",
            "icc-bench-unit-shared-netns-client2": "container:mylab-shared-netns-server0-id",
        });
        assert.equal(dials()["icc-bench-unit-shared-netns-client0"], "127.0.0.1:5001");
        assert.ok(containers().every((c) => labelsOf(c)["icc-bench.hostPorts"] === undefined));
    });

    it("host-to-host across two hosts: a Docker provider per host (TLS where given), the server on the first, clients on the other, dialling its address", async () => {
        const hosts = [
            { name: "east", docker: "unix:///run/east.sock", address: "198.19.128.21" },
            { name: "west", docker: "tcp://198.19.128.22:2376", address: "198.19.128.22", certPath: "/etc/icc-bench/tls/west" },
        ];
        await build({ methods: ["host-to-host"], hosts, hostPort: 30000, topology: { servers: 1, clientContainers: 2 } });
        const providers = recorded.filter((r) => r.type === "pulumi:providers:docker");
        assert.deepEqual(providers.map((p) => [p.name, p.inputs.host, p.inputs.certPath]), [
            ["mylab-host-east", "unix:///run/east.sock", undefined],
            ["mylab-host-west", "tcp://198.19.128.22:2376", "/etc/icc-bench/tls/west"],
        ]);
        const providerOf = (name: string) => byName(name).provider?.split("::")[3];
        assert.equal(providerOf("icc-bench-unit-host-to-host-server0"), "mylab-host-east");
        assert.deepEqual(["icc-bench-unit-host-to-host-client0", "icc-bench-unit-host-to-host-client1"].map(providerOf), ["mylab-host-west", "mylab-host-west"]);
        assert.ok(containers().every((c) => c.inputs.networkMode === "host"));
        assert.deepEqual(byName("icc-bench-unit-host-to-host-server0").inputs.command, serverCommand(30000, "198.19.128.21"));
        assert.deepEqual(dials(), { "icc-bench-unit-host-to-host-client0": "198.19.128.21:30000", "icc-bench-unit-host-to-host-client1": "198.19.128.21:30000" });
        assert.deepEqual(benchmarkPlan().hosts, [
            { name: "east", docker: "unix:///run/east.sock" },
            { name: "west", docker: "tcp://198.19.128.22:2376", certPath: "/etc/icc-bench/tls/west" },
        ]);
        assert.deepEqual(benchmarkPlan().labs[0].clients.map((c) => c.host), ["west", "west"]);
        assert.deepEqual(networks(), []);
        assert.deepEqual(commands().map((c) => c.name), ["mylab-benchmark-run", "mylab-benchmark-verdict"], "no host object: the hosts are reached only through their Docker endpoints");
    });

    it("overlay across two hosts: the swarm manager's membership before the worker's, an attachable internal overlay network on the manager", async () => {
        const hosts = [
            { name: "east", docker: "unix:///run/east.sock", address: "198.19.128.21" },
            { name: "west", docker: "unix:///run/west.sock", address: "198.19.128.22" },
        ];
        await build({ methods: ["overlay"], hosts, subnet: "198.19.184.0/22", topology: { servers: 1, clientContainers: 2 } });
        const swarm = commands().filter((c) => c.name.includes("-swarm-"));
        assert.deepEqual(swarm.map((c) => c.name), ["mylab-overlay-net-swarm-east", "mylab-overlay-net-swarm-west"]);
        assert.match(String(swarm[0].inputs.create), /swarm init --advertise-addr '198\.19\.128\.21' .*--default-addr-pool '198\.19\.186\.0\/24'/);
        assert.match(String(swarm[1].inputs.create), /swarm join --token "\$token" --advertise-addr '198\.19\.128\.22' .*'198\.19\.128\.21:2377'/);
        const [network] = networks();
        assert.equal(network.provider?.split("::")[3], "mylab-host-east");
        assert.deepEqual(
            { driver: network.inputs.driver, attachable: network.inputs.attachable, internal: network.inputs.internal, options: network.inputs.options, ipam: network.inputs.ipamConfigs },
            { driver: "overlay", attachable: true, internal: true, options: undefined, ipam: [{ subnet: "198.19.184.0/23", gateway: "198.19.184.1", ipRange: "198.19.184.128/25" }] },
        );
        assert.deepEqual(dials(), { "icc-bench-unit-overlay-client0": "198.19.184.2:5001", "icc-bench-unit-overlay-client1": "198.19.184.2:5001" });
    });

    it("vxlan and macvlan-l2 across two hosts: each host plumbed through its own endpoint, containers without a Docker network on their host", async () => {
        const hosts = [
            { name: "east", docker: "unix:///run/east.sock", address: "198.19.128.21" },
            { name: "west", docker: "tcp://198.19.128.22:2375", address: "198.19.128.22" },
        ];
        await build({ methods: ["vxlan", "macvlan-l2"], hosts, subnet: "198.19.184.0/22", topology: { servers: 1, clientContainers: 2 } });
        const plumbing = commands().filter((c) => !c.name.startsWith("mylab-benchmark"));
        assert.deepEqual(plumbing.map((c) => c.name).sort(), [
            "mylab-vxlan-net-host-east", "mylab-vxlan-net-host-west", "mylab-vxlan-net-server0", "mylab-vxlan-net-client0", "mylab-vxlan-net-client1",
            "mylab-macvlan-l2-net-server0", "mylab-macvlan-l2-net-client0", "mylab-macvlan-l2-net-client1",
        ].sort());
        const triggers = plumbing.find((c) => c.name === "mylab-vxlan-net-client0")?.inputs.triggers as string[];
        assert.ok(["mylab-vxlan-net-host-east-id", "mylab-vxlan-net-host-west-id"].every((id) => triggers.includes(id)), "a container's link is made after, and again with, every host's switch");
        const endpointOf = (name: string) => /docker -H '([^']+)' 'run'/.exec(String(plumbing.find((c) => c.name === name)?.inputs.create))?.[1];
        assert.deepEqual(
            ["host-east", "host-west", "server0", "client0", "client1"].map((k) => endpointOf(`mylab-vxlan-net-${k}`)),
            ["unix:///run/east.sock", "tcp://198.19.128.22:2375", "unix:///run/east.sock", "tcp://198.19.128.22:2375", "tcp://198.19.128.22:2375"],
        );
        assert.deepEqual(endpointOf("mylab-macvlan-l2-net-client1"), "tcp://198.19.128.22:2375");
        // On the program's host: a pid lookup and the helper's docker run, whose last argument is the whole script.
        assert.ok(plumbing.every((c) => /^set -eu\npid=[^\n]*\ndocker -H '[^']+' 'run' '--rm' [^\n]* -c '/.test(String(c.inputs.create))), "nothing runs on the program's host but the helper");
        assert.ok(containers().every((c) => c.inputs.networkMode === "none"));
        const providerOf = (name: string) => byName(name).provider?.split("::")[3];
        assert.deepEqual(["vxlan", "macvlan-l2"].map((m) => providerOf(`icc-bench-unit-${m}-server0`)), ["mylab-host-east", "mylab-host-east"]);
        assert.deepEqual(["vxlan", "macvlan-l2"].map((m) => providerOf(`icc-bench-unit-${m}-client1`)), ["mylab-host-west", "mylab-host-west"]);
        assert.deepEqual(networks(), []);
        assert.deepEqual(dials(), {
            "icc-bench-unit-vxlan-client0": "198.19.184.2:5001",
            "icc-bench-unit-vxlan-client1": "198.19.184.2:5001",
            "icc-bench-unit-macvlan-l2-client0": "198.19.185.2:5001",
            "icc-bench-unit-macvlan-l2-client1": "198.19.185.2:5001",
        });
    });

    it("without hosts, registers no provider: every container on the program's own Docker", async () => {
        await build({ methods: ["host"] });
        assert.deepEqual(recorded.filter((r) => r.type === "pulumi:providers:docker" || r.provider !== undefined), []);
    });

    it("link on a dockerd with Docker's stock 172.17.0.0/16 bridge: clients dial the address Docker gave their server", async () => {
        defaultBridge = "172.17.0";
        try {
            await build({ methods: ["link"] });
            assert.match(dials()["icc-bench-unit-link-client0"], /^172\.17\.0\.\d+:5001$/);
        } finally {
            defaultBridge = "198.19.255";
        }
    });

    it("registers nothing when the settings are bad", () => {
        // A typed program cannot name an unknown method; a config or a cast still meets the run-time check.
        assert.throws(() => new Lab("mylab", { methods: ["ovs", "nope" as Method], topology: { servers: 0 } }), ConfigError);
        assert.equal(recorded.length, 0);
    });

    it("takes its owner from the Pulumi project and stack: the Lab's name only names resources", async () => {
        await build({ methods: ["ovs", "bridge"] });
        assert.equal(containers().length, 2 * 2);
        for (const c of containers()) {
            assert.deepEqual([labelsOf(c)["icc-bench.stack"], labelsOf(c)["icc-bench.project"]], ["unit", "icc-bench"], c.name);
            assert.match(String(c.inputs.name), /^icc-bench-unit-(ovs|bridge)-(server|client)0$/);
            assert.match(c.name, /^mylab-(ovs|bridge)-(server|client)0$/);
        }
        assert.match(String(byName("mylab-ovs-net-bridge").inputs.create), /icc-bench:unit:ovs/);
        assert.deepEqual(labelsOf(byName("icc-bench-unit-bridge"))["icc-bench.stack"], "unit");
    });

    it("refuses a second Lab of another name in the same stack, registering nothing", async () => {
        await build({ methods: ["link"] });
        recorded.length = 0;
        assert.throws(() => new Lab("second", { methods: ["link"] }), /stack unit of project icc-bench already has the Lab "mylab"; a stack holds one Lab/);
        assert.equal(recorded.length, 0);
    });
});
