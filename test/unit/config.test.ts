import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, DEFAULT_IMAGE, defaultMethods, planStack, rawConfigFromPulumi, validateSettings } from "../../model";

/** Asserts that validation (and planning) rejects `raw` with a message naming key, value and rule. */
function rejects(raw: Record<string, unknown>, key: string, value: string, allowed: RegExp): void {
    assert.throws(
        () => planStack("dev", validateSettings(raw)),
        (e: unknown) => {
            assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
            const line = e.message.split("\n").find((l) => l.includes(`${key}:`));
            assert.ok(line, `message names ${key}:\n${e.message}`);
            assert.ok(line.includes(`got ${value}`), `message shows the value ${value}:\n${line}`);
            assert.match(line, allowed);
            return true;
        },
    );
}

describe("validateSettings", () => {
    it("fills every default from an empty config", () => {
        const s = validateSettings({});
        assert.deepEqual(s.methods, [...defaultMethods(false)]);
        assert.deepEqual(s.topology, { servers: 1, clientContainers: 1, clientsPerContainer: 1 });
        assert.deepEqual(s.iperf, { duration: 5, interval: 1, parallel: 1, port: 5001 });
        assert.equal(s.subnet, undefined, "the planner derives the subnet from the stack");
        assert.equal(s.image, DEFAULT_IMAGE);
        assert.equal(s.runId, "1");
        assert.equal(s.repeats, 1);
    });

    it("keeps given values", () => {
        const s = validateSettings({
            methods: ["ovs", "link"],
            topology: { servers: 4, clientContainers: 4, clientsPerContainer: 2 },
            iperf: { duration: 2, interval: 0.5, parallel: 2, port: 6001 },
            subnet: "198.19.0.0/20",
            image: "my/iperf:1",
            runId: "7",
        });
        assert.deepEqual(s.methods, ["ovs", "link"]);
        assert.equal(s.topology.clientsPerContainer, 2);
        assert.equal(s.iperf.port, 6001);
        assert.equal(s.runId, "7");
    });

    it("rejects an unknown method", () => rejects({ methods: ["ovs", "weave"] }, "icc-bench:methods", '["weave"]', /macvlan-nat, pipework, link, ovs/));
    it("rejects an empty method list", () => rejects({ methods: [] }, "icc-bench:methods", "[]", /non-empty list/));
    it("rejects a repeated method", () => rejects({ methods: ["ovs", "ovs"] }, "icc-bench:methods", '["ovs","ovs"]', /distinct/));
    it("rejects methods given as a string", () => rejects({ methods: "ovs" }, "icc-bench:methods", '"ovs"', /list/));
    it("rejects zero servers", () => rejects({ topology: { servers: 0 } }, "icc-bench:topology.servers", "0", /whole number from 1 to 64/));
    it("rejects a fractional count", () => rejects({ topology: { clientContainers: 1.5 } }, "icc-bench:topology.clientContainers", "1.5", /whole number/));
    it("rejects zero repeats", () => rejects({ repeats: 0 }, "icc-bench:repeats", "0", /whole number from 1 to 50/));
    it("rejects fractional repeats", () => rejects({ repeats: 2.5 }, "icc-bench:repeats", "2.5", /whole number from 1 to 50/));
    it("rejects repeats beyond the limit", () => rejects({ repeats: 51 }, "icc-bench:repeats", "51", /whole number from 1 to 50/));
    it("rejects an absurd count", () => rejects({ topology: { clientsPerContainer: 100000 } }, "icc-bench:topology.clientsPerContainer", "100000", /1 to 64/));
    it("rejects a count given as text", () => rejects({ topology: { servers: "two" } }, "icc-bench:topology.servers", '"two"', /whole number/));
    it("rejects too many client processes in all", () =>
        rejects({ topology: { clientContainers: 64, clientsPerContainer: 64 } }, "icc-bench:topology", "{", /at most 1024 client processes/));
    it("rejects an unknown top-level key (a typo)", () => rejects({ topolgy: { servers: 2 } }, "icc-bench:topolgy", '{"servers":2}', /one of the keys methods, topology/));
    it("rejects an unknown topology key", () => rejects({ topology: { server: 2 } }, "icc-bench:topology.server", "2", /servers, clientContainers, clientsPerContainer/));
    it("rejects an unknown iperf key", () => rejects({ iperf: { time: 2 } }, "icc-bench:iperf.time", "2", /duration, interval, parallel, port/));
    it("rejects a zero duration", () => rejects({ iperf: { duration: 0 } }, "icc-bench:iperf.duration", "0", /above 0/));
    it("rejects a negative duration", () => rejects({ iperf: { duration: -5 } }, "icc-bench:iperf.duration", "-5", /above 0/));
    it("rejects an interval longer than the test", () => rejects({ iperf: { duration: 2, interval: 3 } }, "icc-bench:iperf.interval", "3", /from 0.5 to 2/));
    it("rejects port 0", () => rejects({ iperf: { port: 0 } }, "icc-bench:iperf.port", "0", /1 to 65535/));
    it("rejects port 70000", () => rejects({ iperf: { port: 70000 } }, "icc-bench:iperf.port", "70000", /1 to 65535/));
    it("rejects a bad CIDR", () => rejects({ subnet: "198.18.0.0/33" }, "icc-bench:subnet", '"198.18.0.0/33"', /network address/));
    it("rejects a CIDR that is not a network address", () => rejects({ subnet: "198.18.0.5/16" }, "icc-bench:subnet", '"198.18.0.5/16"', /network address/));
    it("rejects text that is no CIDR", () => rejects({ subnet: "lab-net" }, "icc-bench:subnet", '"lab-net"', /IPv4 CIDR/));
    it("rejects a subnet outside the benchmarking range", () => rejects({ subnet: "10.0.0.0/16" }, "icc-bench:subnet", '"10.0.0.0/16"', /198\.18\.0\.0\/15/));
    it("rejects a subnet too small for the topology", () =>
        rejects(
            { methods: ["macvlan-nat", "pipework", "link", "ovs"], subnet: "198.18.0.0/26", topology: { servers: 4, clientContainers: 8 } },
            "icc-bench:subnet",
            '"198.18.0.0/26"',
            /4 slices \(one per method of 4\) hold 20 addresses each .* prefix \/25 or shorter/,
        ));
    it("rejects shell metacharacters in the image", () => rejects({ image: "x; rm -rf /" }, "icc-bench:image", '"x; rm -rf /"', /Docker image reference/));
    it("rejects a command substitution in the runId", () => rejects({ runId: "$(reboot)" }, "icc-bench:runId", '"$(reboot)"', /letters, digits/));
    it("rejects a labId that makes interface names too long", () =>
        rejects({ labId: "abcdefghij", topology: { clientContainers: 20 } }, "icc-bench:labId", '"abcdefghij"', /fit 15 characters \(ibm.*x has 17\)/));
    it("rejects a labId with capitals", () => rejects({ labId: "Lab1" }, "icc-bench:labId", '"Lab1"', /lowercase/));

    it("reports every problem at once", () => {
        assert.throws(
            () => validateSettings({ methods: ["x"], iperf: { port: 0 } }),
            (e: unknown) => e instanceof ConfigError && e.problems.length === 2,
        );
    });
});

describe("rawConfigFromPulumi", () => {
    it("keeps only the icc-bench namespace and parses JSON values", () => {
        const raw = rawConfigFromPulumi({
            "icc-bench:topology": '{"servers":2}',
            "icc-bench:hostPort": "24000",
            "icc-bench:subnet": "198.18.0.0/16",
            "docker:host": "unix:///var/run/docker.sock",
        });
        assert.deepEqual(raw, { topology: { servers: 2 }, hostPort: 24000, subnet: "198.18.0.0/16" });
    });

    it("keeps text keys as text even when they read as JSON numbers (a labId of digits)", () => {
        const raw = rawConfigFromPulumi({ "icc-bench:labId": "1234", "icc-bench:runId": "3", "icc-bench:image": "1e45" });
        assert.deepEqual(raw, { labId: "1234", runId: "3", image: "1e45" });
        assert.equal(validateSettings({ ...raw, image: undefined }).labId, "1234");
        assert.equal(validateSettings(rawConfigFromPulumi({ "icc-bench:labId": "1e45" })).labId, "1e45");
    });
});

describe("hosts and placement", () => {
    const HOSTS = [
        { name: "one", docker: "unix:///run/one/docker.sock", address: "198.19.128.11" },
        { name: "two", docker: "tcp://198.19.128.12:2375", address: "198.19.128.12" },
        { name: "three", docker: "tcp://198.19.128.13:2375", address: "198.19.128.13" },
    ];

    it("without hosts: one host, every method on one host, no placement", () => {
        const s = validateSettings({});
        assert.equal(s.hosts, undefined);
        assert.equal(s.placement, undefined);
        assert.ok(!s.methods.includes("host-to-host"));
    });

    it("with hosts: the methods across hosts, servers on the first host, clients round robin over the others", () => {
        const s = validateSettings({ hosts: HOSTS, topology: { clientContainers: 3 } });
        assert.deepEqual(s.methods, defaultMethods(true));
        assert.deepEqual(s.placement, { servers: "one", clients: ["two", "three"] });
        const [lab] = planStack("dev", s).labs;
        assert.deepEqual(lab.clients.map((c) => c.host), ["two", "three", "two"]);
        assert.deepEqual(lab.servers.map((c) => [c.host, c.bind]), [["one", "198.19.128.11"]]);
    });

    it("takes a given placement", () => {
        const s = validateSettings({ hosts: HOSTS, placement: { servers: "three", clients: ["one"] } });
        assert.deepEqual(s.placement, { servers: "three", clients: ["one"] });
        assert.deepEqual(planStack("dev", s).labs[0].servers[0].bind, "198.19.128.13");
    });

    it("takes ssh:// endpoints as the Docker CLI writes them", () => {
        const ssh = [{ ...HOSTS[0], docker: "ssh://root@198.19.128.11" }, { ...HOSTS[1], docker: "ssh://bench-user@bench-2.example:2222" }];
        assert.deepEqual(validateSettings({ hosts: ssh }).hosts?.map((h) => h.docker), ["ssh://root@198.19.128.11", "ssh://bench-user@bench-2.example:2222"]);
    });

    it("takes a tcp:// endpoint with a folder of TLS files, and only a tcp:// one", () => {
        const tls = [{ ...HOSTS[0], docker: "tcp://198.19.128.11:2376", certPath: "/etc/icc-bench/tls/one" }, HOSTS[1]];
        assert.deepEqual(validateSettings({ hosts: tls }).hosts?.map((h) => h.certPath), ["/etc/icc-bench/tls/one", undefined]);
        rejects({ hosts: [{ ...HOSTS[0], docker: "unix:///run/one.sock", certPath: "/etc/tls" }, HOSTS[1]] }, "icc-bench:hosts[0].certPath", '"/etc/tls"', /nothing unless docker is a tcp:\/\/ endpoint/);
        rejects({ hosts: [{ ...HOSTS[0], docker: "ssh://root@198.19.128.11", certPath: "/etc/tls" }, HOSTS[1]] }, "icc-bench:hosts[0].certPath", '"/etc/tls"', /nothing unless docker is a tcp:\/\/ endpoint/);
        rejects({ hosts: [{ ...HOSTS[0], docker: "tcp://198.19.128.11:2376", certPath: "tls/one" }, HOSTS[1]] }, "icc-bench:hosts[0].certPath", '"tls/one"', /an absolute path of a folder with ca.pem, cert.pem and key.pem/);
        rejects({ hosts: [{ ...HOSTS[0], docker: "tcp://198.19.128.11:2376", certPath: "/etc/$(reboot)" }, HOSTS[1]] }, "icc-bench:hosts[0].certPath", '"/etc/$(reboot)"', /an absolute path/);
    });

    it("refuses bad hosts, naming the host's key", () => {
        rejects({ hosts: [] }, "icc-bench:hosts", "[]", /a list of 1 to 16 hosts/);
        rejects({ hosts: [{ ...HOSTS[0], docker: "http://x" }, HOSTS[1]] }, "icc-bench:hosts[0].docker", '"http://x"', /unix:\/\/\/path/);
        rejects({ hosts: [{ ...HOSTS[0], docker: "ssh://root@198.19.128.11/var/run/docker.sock" }, HOSTS[1]] }, "icc-bench:hosts[0].docker", '"ssh://root@198.19.128.11/var/run/docker.sock"', /ssh:\/\/user@host\[:port\]/);
        rejects({ hosts: [{ ...HOSTS[0], docker: "ssh://root:secret@198.19.128.11" }, HOSTS[1]] }, "icc-bench:hosts[0].docker", '"ssh://root:secret@198.19.128.11"', /a Docker endpoint/);
        rejects({ hosts: [{ ...HOSTS[0], docker: "unix:///run/$(reboot).sock" }, HOSTS[1]] }, "icc-bench:hosts[0].docker", '"unix:///run/$(reboot).sock"', /a Docker endpoint/);
        rejects({ hosts: [HOSTS[0], { ...HOSTS[1], address: "somewhere" }] }, "icc-bench:hosts[1].address", '"somewhere"', /an IPv4 address/);
        rejects({ hosts: [HOSTS[0], { ...HOSTS[1], name: "Two Words" }] }, "icc-bench:hosts[1].name", '"Two Words"', /lowercase/);
        rejects({ hosts: [HOSTS[0], { name: "two", docker: HOSTS[1].docker }] }, "icc-bench:hosts[1].address", "nothing", /every host has name, docker and address/);
        rejects({ hosts: [HOSTS[0], { ...HOSTS[1], name: "one" }] }, "icc-bench:hosts", "[", /distinct names/);
        rejects({ hosts: [HOSTS[0], { ...HOSTS[1], port: 1 }] }, "icc-bench:hosts[1].port", "1", /one of the keys name, docker, address, certPath/);
    });

    it("refuses a placement naming no host of `hosts`, or one without hosts", () => {
        rejects({ hosts: HOSTS, placement: { servers: "four" } }, "icc-bench:placement.servers", '"four"', /one of the hosts one, two, three/);
        rejects({ hosts: HOSTS, placement: { clients: ["two", "two"] } }, "icc-bench:placement.clients", '["two","two"]', /distinct hosts/);
        rejects({ placement: { servers: "one" } }, "icc-bench:placement", '{"servers":"one"}', /nothing without hosts/);
    });

    it("refuses a method across hosts on one host, and a method on one host across hosts", () => {
        rejects({ methods: ["host-to-host"] }, "icc-bench:methods", '"host-to-host"', /only with `hosts`/);
        rejects({ methods: ["host-to-host"], hosts: [HOSTS[0]] }, "icc-bench:methods", '"host-to-host"', /clients on another host than the servers/);
        rejects({ methods: ["host-to-host"], hosts: HOSTS, placement: { servers: "two", clients: ["two"] } }, "icc-bench:methods", '"host-to-host"', /clients on another host/);
        rejects({ methods: ["pipework"], hosts: HOSTS }, "icc-bench:methods", '"pipework"', /with `hosts`, the methods across hosts \(host-to-host, overlay, vxlan, macvlan-l2, ovs-vxlan\)/);
    });
});
