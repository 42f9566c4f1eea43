import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { labInterface } from "../../methods/common";
import { ovsBridgeOf } from "../../methods/ovs";
import { methodModule } from "../../methods";
import {
    ConfigError, LabPlan, LIMITS, MAX_IFNAME, Method, defaultMethods, StackPlan, contains, defaultHostPort, defaultLabId, defaultSubnet, parseCidr, planStack,
    hostPortConflicts, labIdConflicts, roundOrders, subnetConflicts, validateSettings,
} from "../../model";

const STUDY_METHODS = ["macvlan-nat", "pipework", "link", "ovs"];

function plan(raw: Record<string, unknown>, stack = "dev"): StackPlan {
    return planStack(stack, validateSettings(raw));
}

function lab(p: StackPlan, method: string): LabPlan {
    const found = p.labs.find((l) => l.method === method);
    assert.ok(found, `lab ${method} planned`);
    return found;
}

function allIfNames(l: LabPlan): string[] {
    const ports = [...l.servers, ...l.clients].flatMap((c) => [c.ifnames.host, c.ifnames.peer]);
    return [...methodModule(l.method).labInterfaces.map((suffix) => labInterface(l, suffix)), ...ports];
}

describe("planStack", () => {
    it("pairs client container i with server i mod servers (the study's setup 2)", () => {
        const p = plan({ methods: ["ovs"], topology: { servers: 3, clientContainers: 7 } });
        assert.deepEqual(lab(p, "ovs").clients.map((c) => c.serverIndex), [0, 1, 2, 0, 1, 2, 0]);
    });

    it("gives every client container clientsPerContainer processes (setup 3)", () => {
        const p = plan({ methods: ["link"], topology: { servers: 1, clientContainers: 2, clientsPerContainer: 4 } });
        assert.deepEqual(lab(p, "link").clients.map((c) => c.processes), [4, 4]);
    });

    it("shares the subnet among the methods selected, in the registry's order: the study's four keep their quarters", () => {
        const p = plan({ methods: ["ovs", "link", "pipework", "macvlan-nat"], subnet: "198.18.0.0/16" });
        assert.deepEqual(
            p.labs.map((l) => [l.method, l.subnet]),
            [["macvlan-nat", "198.18.0.0/18"], ["pipework", "198.18.64.0/18"], ["link", "198.18.128.0/18"], ["ovs", "198.18.192.0/18"]],
        );
        assert.deepEqual(
            plan({ methods: ["ovs", "pipework"], subnet: "198.18.0.0/16" }).labs.map((l) => [l.method, l.subnet]),
            [["pipework", "198.18.0.0/17"], ["ovs", "198.18.128.0/17"]],
        );
        assert.equal(lab(plan({ methods: ["ovs"], subnet: "198.18.0.0/16" }), "ovs").subnet, "198.18.0.0/16");
        // Nine methods: sixteen slices.
        const all = plan({ subnet: "198.18.0.0/16" });
        assert.deepEqual(all.labs.map((l) => l.method), [...defaultMethods(false)]);
        assert.deepEqual(all.labs.map((l) => l.prefixLength), defaultMethods(false).map(() => 20));
        assert.equal(lab(all, "shared-netns").subnet, "198.18.128.0/20");
    });

    it("numbers host, servers, clients and NAT addresses inside the slice", () => {
        const l = lab(plan({ methods: ["macvlan-nat", "pipework", "link", "ovs"], subnet: "198.18.0.0/24", topology: { servers: 2, clientContainers: 3 } }), "macvlan-nat");
        assert.equal(l.subnet, "198.18.0.0/26");
        assert.equal(l.prefixLength, 26);
        assert.equal(l.hostAddress, "198.18.0.1");
        assert.deepEqual(l.servers.map((s) => s.address), ["198.18.0.2", "198.18.0.3"]);
        assert.deepEqual(l.servers.map((s) => s.externalAddress), ["198.18.0.31", "198.18.0.30"]);
        assert.deepEqual(l.clients.map((c) => c.address), ["198.18.0.32", "198.18.0.33", "198.18.0.34"]);
    });

    it("moves no address when a client or a server container is added", () => {
        const at = (servers: number, clientContainers: number) => lab(plan({ methods: ["macvlan-nat"], topology: { servers, clientContainers } }), "macvlan-nat");
        assert.deepEqual(at(2, 3).servers, at(2, 4).servers);
        assert.deepEqual(at(2, 3).clients, at(2, 4).clients.slice(0, 3));
        // The study's table 2 goes from 4 x 4 to 20 x 20: no new server takes an old client's address.
        assert.deepEqual(at(20, 20).servers.slice(0, 4), at(4, 4).servers);
        assert.deepEqual(at(20, 20).clients.slice(0, 4), at(4, 4).clients);
        const old = new Set([...at(4, 4).servers, ...at(4, 4).clients].flatMap((c) => [c.address, ...("externalAddress" in c ? [c.externalAddress] : [])]));
        const added = [...at(20, 20).servers.slice(4), ...at(20, 20).clients.slice(4)].flatMap((c) => [c.address, ...("externalAddress" in c ? [c.externalAddress] : [])]);
        assert.deepEqual(added.filter((a) => old.has(a)), []);
    });

    it("uses the smallest subnet that holds the topology", () => {
        // 1 server, 1 client: network, host, server, client, external, broadcast = 6 <= 8 (/29 per method).
        assert.equal(lab(plan({ subnet: "198.18.0.0/27", methods: STUDY_METHODS }), "ovs").subnet, "198.18.0.24/29");
        assert.equal(lab(plan({ subnet: "198.18.0.0/29", methods: ["ovs"] }), "ovs").subnet, "198.18.0.0/29");
        assert.throws(() => plan({ subnet: "198.18.0.0/28", methods: STUDY_METHODS }), ConfigError);
        assert.throws(() => plan({ subnet: "198.18.0.0/22", topology: { servers: 1, clientContainers: 64 } }), /16 slices \(one per method of 9\) hold 130 addresses each .* prefix \/20 or shorter/);
    });

    it("keeps every host interface name within 15 characters and starting with ib, at the limits", () => {
        const p = plan({ topology: { servers: 64, clientContainers: 16, clientsPerContainer: 64 }, subnet: "198.18.0.0/16" });
        for (const l of p.labs) {
            for (const name of allIfNames(l)) {
                assert.ok(name.length <= MAX_IFNAME, `${name} fits`);
                assert.match(name, /^ib/);
            }
        }
    });

    it("names host objects and containers after the stack, so two stacks never share one", () => {
        const a = lab(plan({ methods: ["pipework"] }, "alpha"), "pipework");
        const b = lab(plan({ methods: ["pipework"] }, "beta"), "pipework");
        assert.notEqual(defaultLabId("alpha"), defaultLabId("beta"));
        const shared = allIfNames(a).filter((n) => allIfNames(b).includes(n));
        assert.deepEqual(shared, []);
        assert.equal(a.servers[0].name, "icc-bench-alpha-pipework-server0");
        assert.equal(a.names.mark, "icc-bench:alpha:pipework");
    });

    it("uses a given labId in host names", () => {
        assert.equal(ovsBridgeOf(lab(plan({ methods: ["ovs"], labId: "x1" }), "ovs")), "ibox1br");
    });

    it("rejects a stack name that cannot name containers", () => {
        assert.throws(() => plan({}, "bad name"), /stack name: got "bad name"/);
    });
    it("derives the default subnet from the stack: a /22 of 198.18.0.0/16, a /24 per method of four", () => {
        const p = plan({ methods: STUDY_METHODS }, "alpha");
        assert.equal(p.subnet, "198.18.180.0/22");
        assert.equal(p.subnet, defaultSubnet("alpha"));
        assert.deepEqual(
            p.labs.map((l) => l.subnet),
            ["198.18.180.0/24", "198.18.181.0/24", "198.18.182.0/24", "198.18.183.0/24"],
        );
        assert.equal(plan({}, "beta").subnet, "198.18.156.0/22");
    });

    it("keeps every stack's default subnet inside 198.18.0.0/16, apart from hand-made labs and Docker's bridge", () => {
        const pool = parseCidr("198.18.0.0/16");
        assert.ok(pool);
        for (const stack of ["dev", "setup1", "setup2", "setup3", "fidelity", ...Array.from({ length: 200 }, (_, i) => `s${i}`)]) {
            const subnet = parseCidr(defaultSubnet(stack));
            assert.ok(subnet && subnet.prefix === 22 && contains(pool, subnet), `${stack}: ${defaultSubnet(stack)}`);
        }
    });

    it("fits the largest topology into a default subnet", () => {
        const biggest = { servers: LIMITS.servers, clientContainers: LIMITS.clientContainers, clientsPerContainer: 1 };
        const l = lab(plan({ methods: ["macvlan-nat"], topology: biggest }, "alpha"), "macvlan-nat");
        assert.equal(l.clients[63].address, "198.18.182.63");
        assert.equal(l.servers[63].externalAddress, "198.18.181.192");
    });

    it("gives the host method's servers ports of the stack's block on 127.0.0.1, the others the iperf port", () => {
        const p = plan({ methods: ["host", "bridge"], topology: { servers: 3, clientContainers: 3 } }, "alpha");
        assert.deepEqual(p.hostPorts, { first: defaultHostPort("alpha"), count: 64 });
        assert.deepEqual(lab(p, "host").servers.map((s) => [s.port, s.bind]), [0, 1, 2].map((i) => [defaultHostPort("alpha") + i, "127.0.0.1"]));
        assert.deepEqual(lab(p, "bridge").servers.map((s) => [s.port, s.bind]), [0, 1, 2].map(() => [5001, undefined]));
        assert.equal(plan({ methods: ["host"], hostPort: 30000 }).hostPorts.first, 30000);
        assert.notEqual(defaultHostPort("alpha"), defaultHostPort("beta"));
        for (const stack of Array.from({ length: 200 }, (_, i) => `s${i}`)) {
            const first = defaultHostPort(stack);
            assert.ok(first >= 20000 && first + 63 <= 32767 && (first - 20000) % 64 === 0, `${stack}: ${first}`);
        }
    });

    it("records the labId in the plan, given or default", () => {
        assert.equal(plan({}, "alpha").labId, defaultLabId("alpha"));
        assert.equal(plan({ labId: "x1" }, "alpha").labId, "x1");
    });
});

describe("subnetConflicts", () => {
    const claims = [
        { stack: "alpha", subnet: "198.18.180.0/22" },
        { stack: "beta", subnet: "198.18.0.0/22" },
    ];

    it("refuses a subnet that overlaps another stack's, naming both stacks and both subnets", () => {
        const [problem, ...more] = subnetConflicts("gamma", "198.18.181.0/24", claims);
        assert.deepEqual(more, []);
        assert.equal(problem.key, "icc-bench:subnet");
        assert.equal(problem.value, "198.18.181.0/24");
        assert.match(problem.allowed, /stack "alpha" holds 198\.18\.180\.0\/22 \(this is stack "gamma"\)/);
        assert.match(problem.allowed, /e\.g\. 198\.18\.4\.0\/22 is free/);
    });

    it("names each stack once, however many containers carry its claim", () => {
        const [problem] = subnetConflicts("gamma", "198.18.0.0/16", [...claims, ...claims, ...claims]);
        assert.equal(problem.allowed.match(/stack "alpha"/g)?.length, 1, problem.allowed);
        assert.equal(problem.allowed.match(/stack "beta"/g)?.length, 1, problem.allowed);
    });

    it("refuses a subnet that contains another stack's", () => {
        assert.equal(subnetConflicts("gamma", "198.18.0.0/16", claims).length, 1);
    });

    it("lets a stack keep its own subnet and take a free one", () => {
        assert.deepEqual(subnetConflicts("alpha", "198.18.180.0/22", claims), []);
        assert.deepEqual(subnetConflicts("gamma", "198.18.4.0/22", claims), []);
    });

    it("ignores claims it cannot read", () => {
        assert.deepEqual(subnetConflicts("gamma", "198.18.4.0/22", [{ stack: "odd", subnet: "nonsense" }]), []);
    });
});

describe("labIdConflicts and hostPortConflicts", () => {
    const claims = [
        { stack: "alpha", subnet: "198.18.180.0/22", labId: "ab12", hostPorts: "20064-20127" },
        { stack: "alpha", subnet: "198.18.180.0/22", labId: "ab12", hostPorts: "20064-20127" },
        { stack: "beta", subnet: "198.18.0.0/22", labId: "cd34" },
    ];

    it("refuses a labId another stack uses on this host, naming both stacks", () => {
        const [problem, ...more] = labIdConflicts("gamma", "ab12", claims);
        assert.deepEqual(more, []);
        assert.equal(problem.key, "icc-bench:labId");
        assert.equal(problem.value, "ab12");
        assert.match(problem.allowed, /but stack "alpha" uses ab12 \(this is stack "gamma"; its host interface names would be the same\)/);
        assert.deepEqual(labIdConflicts("alpha", "ab12", claims), [], "its own lab");
        assert.deepEqual(labIdConflicts("gamma", "ef56", claims), []);
    });

    it("refuses a host port block that overlaps another stack's, and only that", () => {
        const [problem, ...more] = hostPortConflicts("gamma", { first: 20100, count: 64 }, claims);
        assert.deepEqual(more, []);
        assert.equal(problem.key, "icc-bench:hostPort");
        assert.match(problem.allowed, /block \(20100-20163\) overlaps no other stack's host lab on this host, but stack "alpha" holds ports 20064-20127/);
        assert.deepEqual(hostPortConflicts("gamma", { first: 20128, count: 64 }, claims), []);
        assert.deepEqual(hostPortConflicts("gamma", { first: 20000, count: 64 }, claims), []);
        assert.deepEqual(hostPortConflicts("alpha", { first: 20064, count: 64 }, claims), []);
    });
});

describe("roundOrders", () => {
    const methods: Method[] = ["pipework", "ovs", "link", "bridge", "host"];

    it("round 1 as the methods are listed, every round a permutation of them", () => {
        const rounds = roundOrders(methods, 6, "r1");
        assert.equal(rounds.length, 6);
        assert.deepEqual(rounds[0], methods);
        for (const order of rounds) {
            assert.deepEqual([...order].sort(), [...methods].sort());
        }
    });

    it("the same runId gives the same orders; over many rounds every method comes first sometimes", () => {
        assert.deepEqual(roundOrders(methods, 4, "x"), roundOrders(methods, 4, "x"));
        assert.notDeepEqual(roundOrders(methods, 4, "x"), roundOrders(methods, 4, "y"));
        const firsts = new Set(roundOrders(methods, 50, "x").map((o) => o[0]));
        assert.deepEqual([...firsts].sort(), [...methods].sort());
    });

    it("the plan carries them: one round by default, `repeats` of them when asked", () => {
        assert.deepEqual(planStack("unit", validateSettings({ methods })).rounds, [methods]);
        assert.deepEqual(planStack("unit", validateSettings({ methods, repeats: 3, runId: "z" })).rounds, roundOrders(methods, 3, "z"));
    });
});
