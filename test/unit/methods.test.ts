import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { labIdOfLabWideName } from "../../host/clean";
import { stackFilter } from "../../host/inventory";
import { METHOD_MODULES, methodModule } from "../../methods";
import { BENCHMARK_RANGE, Cidr, LIMITS, LOOPBACK, MAX_IFNAME, METHODS, Method, contains, parseCidr, planStack, validateSettings } from "../../model";

/** Every registered method against its contract, on a planned lab at the limits of names and sizes. */

const LAB_ID = "z9y8";

function cidr(text: string): Cidr {
    const parsed = parseCidr(text.includes("/") ? text : `${text}/32`);
    assert.ok(parsed, text);
    return parsed;
}

/** Two hosts for the methods across hosts (their underlay addresses are the test wire's). */
const HOSTS = [
    { name: "one", docker: "unix:///run/one.sock", address: "198.19.128.11" },
    { name: "two", docker: "tcp://198.19.128.12:2375", address: "198.19.128.12" },
];

function labOf(method: Method, topology = { servers: 3, clientContainers: 5 }) {
    const hosts = methodModule(method).span === "across-hosts" ? { hosts: HOSTS } : {};
    return planStack("contract", validateSettings({ methods: [method], topology, labId: LAB_ID, subnet: "198.19.128.0/20", ...hosts })).labs[0];
}

/** Interface names an `ip link add` or `ip link set ... name` of the script makes (also in a script a helper runs, quoted as a whole). */
function madeInterfaces(script: string): string[] {
    return [...script.replaceAll("'\\''", "'").matchAll(/ip link add '([^']+)'(?: type veth peer name '([^']+)')?/g)].flatMap((m) => [m[1], m[2]]).filter((n) => n !== undefined);
}

describe("the method registry", () => {
    it("lists each method once, with a distinct one-letter code and attachment type", () => {
        assert.deepEqual(METHODS, METHOD_MODULES.map((m) => m.name));
        assert.equal(new Set(METHODS).size, METHODS.length);
        assert.equal(new Set(METHOD_MODULES.map((m) => m.code)).size, METHODS.length);
        assert.ok(METHOD_MODULES.every((m) => /^[a-z]$/.test(m.code)));
        assert.equal(new Set(METHOD_MODULES.map((m) => m.attachmentType)).size, METHODS.length);
        assert.ok(METHOD_MODULES.every((m) => /^[A-Z][A-Za-z0-9]+Attachment$/.test(m.attachmentType)));
        assert.deepEqual(METHODS.slice(0, 4), ["macvlan-nat", "pipework", "link", "ovs"], "the study's four keep their slices");
        assert.deepEqual(METHOD_MODULES.filter((m) => m.isLimit).map((m) => [m.name, m.span]), [["shared-netns", "one-host"], ["host-to-host", "across-hosts"]]);
    });
});

for (const module of METHOD_MODULES) {
    describe(`method ${module.name} against the contract`, () => {
        const lab = labOf(module.name);
        const objects = module.hostObjects(lab);
        const containers = [...lab.servers, ...lab.clients];
        const networks = module.dockerNetworks(lab);

        it("plans host objects with unique keys, lab-wide ones first, each attached to a planned container, each with facts", () => {
            assert.equal(new Set(objects.map((o) => o.key)).size, objects.length);
            const firstPort = objects.findIndex((o) => o.container !== undefined);
            assert.ok(firstPort < 0 || objects.slice(firstPort).every((o) => o.container !== undefined));
            const names = new Set(containers.map((c) => c.name));
            assert.ok(objects.every((o) => o.container === undefined || names.has(o.container)));
            assert.ok(objects.every((o) => o.facts.length > 0), "the doctor can check every object");
        });

        it("writes create and delete scripts that parse, stop at the first error and undo a half-made create", () => {
            for (const o of objects) {
                execFileSync("sh", ["-n", "-c", o.scripts.create]);
                execFileSync("sh", ["-n", "-c", o.scripts.delete]);
                execFileSync("sh", ["-n", "-c", o.facts.map((f) => f.test).join("\n")]);
                assert.match(o.scripts.create, /^set -eu$/m);
                assert.match(o.scripts.create, /trap .*undo/);
            }
        });

        it("names every interface it makes ib + its code + the labId, within 15 characters, and host:clean finds the lab by them", () => {
            const prefix = `ib${module.code}${LAB_ID}`;
            const made = objects.flatMap((o) => madeInterfaces(o.scripts.create));
            const bridgeNames = networks.flatMap((n) => Object.entries(n.options).filter(([k]) => k.endsWith("bridge.name")).map(([, v]) => v));
            for (const name of [...made, ...bridgeNames]) {
                assert.ok(name.startsWith(prefix) && name.length <= MAX_IFNAME, name);
                assert.ok(stackFilter("contract", [LAB_ID]).interfacePrefixes.some((p) => name.startsWith(p)), name);
            }
            for (const suffix of module.labInterfaces) {
                assert.equal(labIdOfLabWideName(`${prefix}${suffix}`), LAB_ID);
            }
            const big = labOf(module.name, { servers: LIMITS.servers, clientContainers: LIMITS.clientContainers });
            for (const o of module.hostObjects(big)) {
                for (const name of madeInterfaces(o.scripts.create)) {
                    assert.ok(name.length <= MAX_IFNAME, name);
                }
            }
        });

        it("gives its Docker networks the lab's own slice, never a default pool, and connects containers only to those", () => {
            for (const n of networks) {
                assert.equal(n.subnet, lab.subnet);
                assert.ok(contains(cidr(BENCHMARK_RANGE), cidr(n.subnet)));
                assert.ok(contains(cidr(n.subnet), cidr(n.gateway)));
                assert.match(n.name, /^icc-bench-contract-/);
            }
            for (const c of containers) {
                const networking = module.networking(lab, c);
                if (networking.kind === "network") {
                    assert.ok(networks.some((n) => n.name === networking.network), networking.network);
                    assert.equal(networking.address, c.address);
                }
                if (networking.kind === "netns-of") {
                    assert.ok(lab.servers.some((s) => s.name === networking.container));
                    assert.equal(c.role, "client");
                }
            }
        });

        it("has clients dial an address of its slice, loopback, its server host's, or a server of its own lab", () => {
            const slice = cidr(lab.subnet);
            for (const s of lab.servers) {
                const d = module.dial(lab, s);
                if (d.kind === "address") {
                    const serverHost = HOSTS.find((h) => h.name === s.host)?.address;
                    assert.ok(d.address === LOOPBACK || contains(slice, cidr(d.address)) || d.address === serverHost, d.address);
                } else if (d.kind === "name") {
                    assert.equal(d.name, s.name);
                } else {
                    assert.equal(d.container, s.name);
                }
            }
        });

        it("refuses only what it cannot do, naming the key", () => {
            const udp = validateSettings({ methods: ["pipework"], iperf: { protocol: "udp" } });
            const refused = module.refuse({ ...udp, methods: [module.name] });
            assert.deepEqual(refused.map((p) => p.key), module.name === "macvlan-nat" ? ["icc-bench:iperf.protocol"] : []);
        });
    });
}

describe("methods' host needs", () => {
    it("say what each method's scripts run and which need Open vSwitch or a kernel module", () => {
        assert.deepEqual(methodModule("ovs").needs, { commands: ["ip", "nsenter", "ethtool", "ovs-vsctl"], kernelModules: [], openvswitch: true });
        assert.deepEqual(methodModule("ipvlan").needs.kernelModules, ["ipvlan"]);
        assert.deepEqual(methodModule("docker-macvlan").needs.kernelModules, ["macvlan"]);
        assert.deepEqual(methodModule("link").needs.commands, []);
    });
});
