import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, LabPlan, MAX_IFNAME, StackPlan, defaultLabId, planStack, validateSettings } from "../../model";

function plan(raw: Record<string, unknown>, stack = "dev"): StackPlan {
    return planStack(stack, validateSettings(raw));
}

function lab(p: StackPlan, method: string): LabPlan {
    const found = p.labs.find((l) => l.method === method);
    assert.ok(found, `lab ${method} planned`);
    return found;
}

function allIfNames(l: LabPlan): string[] {
    const ports = [...l.servers, ...l.clients].flatMap((c) => [c.port.host, c.port.peer]);
    return [l.names.bridge, l.names.parent, l.names.parentPeer, l.names.shim, ...ports];
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

    it("gives each method its own quarter of the subnet, in fixed order", () => {
        const p = plan({ subnet: "198.18.0.0/16" });
        assert.deepEqual(
            p.labs.map((l) => [l.method, l.subnet]),
            [["macvlan-nat", "198.18.0.0/18"], ["pipework", "198.18.64.0/18"], ["link", "198.18.128.0/18"], ["ovs", "198.18.192.0/18"]],
        );
        // Removing a method does not move the others.
        assert.equal(lab(plan({ methods: ["ovs"] }), "ovs").subnet, "198.18.192.0/18");
    });

    it("numbers host, servers, clients and NAT addresses inside the slice", () => {
        const l = lab(plan({ methods: ["macvlan-nat"], subnet: "198.18.0.0/24", topology: { servers: 2, clientContainers: 3 } }), "macvlan-nat");
        assert.equal(l.subnet, "198.18.0.0/26");
        assert.equal(l.prefixLength, 26);
        assert.equal(l.hostAddress, "198.18.0.1");
        assert.deepEqual(l.servers.map((s) => s.address), ["198.18.0.2", "198.18.0.3"]);
        assert.deepEqual(l.clients.map((c) => c.address), ["198.18.0.4", "198.18.0.5", "198.18.0.6"]);
        assert.deepEqual(l.servers.map((s) => s.externalAddress), ["198.18.0.62", "198.18.0.61"]);
    });

    it("moves no server address or NAT address when a client container is added", () => {
        const servers = (clientContainers: number) =>
            lab(plan({ methods: ["macvlan-nat"], topology: { servers: 2, clientContainers } }), "macvlan-nat").servers;
        assert.deepEqual(servers(3), servers(4));
    });

    it("uses the smallest subnet that holds the topology", () => {
        // 1 server, 1 client: network, host, server, client, external, broadcast = 6 <= 8 (/29 per method).
        assert.equal(lab(plan({ subnet: "198.18.0.0/27", methods: ["ovs"] }), "ovs").subnet, "198.18.0.24/29");
        assert.throws(() => plan({ subnet: "198.18.0.0/28" }), ConfigError);
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
        assert.equal(lab(plan({ methods: ["ovs"], labId: "x1" }), "ovs").names.bridge, "ibox1br");
    });

    it("rejects a stack name that cannot name containers", () => {
        assert.throws(() => plan({}, "bad name"), /stack name: got "bad name"/);
    });
});
