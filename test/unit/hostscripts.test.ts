import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { verdictScript } from "../../hostscripts/benchmark";
import { dockerFlags } from "../../hostscripts/dockerHost";
import { HostCommand } from "../../hostscripts/hostCommand";
import { containerName, ifName, ipv4, ipv4Cidr, mark, port, quote } from "../../hostscripts/shell";
import { methodModule } from "../../methods";
import { Method, planStack, validateSettings } from "../../model";

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

/** Two hosts of a lab across hosts, reached only through their endpoints. */
const HOSTS = [
    { name: "east", docker: "unix:///run/east/docker.sock", address: "198.19.128.11" },
    { name: "west", docker: "tcp://198.19.128.12:2375", address: "198.19.128.12" },
];

function scriptsAcross(method: Method, key: string, hosts: readonly object[] = HOSTS): HostCommand {
    const lab = planStack("dev", validateSettings({ methods: [method], labId: "ab12", subnet: "198.18.192.0/18", hosts, topology: { servers: 1, clientContainers: 2 } })).labs[0];
    const found = methodModule(method).hostObjects(lab).find((o) => o.key === key);
    assert.ok(found, `${method} has a host object ${key}`);
    return found.scripts;
}

/** Runs a script with a stand-in `docker` (inspect answers pid 4321) and returns the arguments of its `docker run`. */
function helperRun(script: string): string[] {
    const fake = `docker() { case " $* " in *" inspect "*) echo 4321 ;; *) printf '%s\\0' "$@" ;; esac; }`;
    const out = execFileSync("sh", ["-c", `${fake}\n${script}`]).toString();
    return out.split("\0").slice(0, -1);
}

describe("scripts on another Docker host", () => {
    it("run in a helper through that host's endpoint: its network and PID namespaces, labelled, removed, not privileged, the container's pid given", () => {
        const args = helperRun(scriptsAcross("vxlan", "client0").create);
        assert.deepEqual(args.slice(0, 3), ["-H", "tcp://198.19.128.12:2375", "run"]);
        for (const [flag, value] of [["--network", "host"], ["--pid", "host"], ["--label", "icc-bench.stack=dev"], ["-e", "pid=4321"], ["-v", "/run:/run"], ["--entrypoint", "sh"]]) {
            assert.equal(args[args.indexOf(flag) + 1], value, flag);
        }
        assert.ok(args.includes("--rm"));
        assert.ok(!args.includes("--privileged"), "runc cannot apply every capability here");
        assert.deepEqual(args.slice(-3, -1), ["icc-bench/iperf:bookworm", "-c"]);
        const inner = args[args.length - 1];
        assertParses(inner);
        assert.match(inner, /^set -eu$/m);
        assert.match(inner, /trap .*undo/);
        assert.doesNotMatch(inner, /docker inspect/, "the pid comes from the host's endpoint, not the program's Docker");
        assert.match(inner, /\[ "\$pid" -gt 0 \] \|\| \{ echo "icc-bench: container" 'icc-bench-dev-vxlan-client0' "is not running"/);
    });

    it("a tcp:// host with TLS files: the pid lookup and the helper reach it with --tlsverify and the folder's ca, cert and key", () => {
        const tls = [HOSTS[0], { ...HOSTS[1], docker: "tcp://198.19.128.12:2376", certPath: "/etc/icc-bench/tls/west" }];
        const create = scriptsAcross("vxlan", "client0", tls).create;
        const flags = ["'-H'", "'tcp://198.19.128.12:2376'", "'--tlsverify'", "'--tlscacert=/etc/icc-bench/tls/west/ca.pem'", "'--tlscert=/etc/icc-bench/tls/west/cert.pem'", "'--tlskey=/etc/icc-bench/tls/west/key.pem'"];
        assert.ok(create.includes(`docker -H ${flags.slice(1).join(" ")} inspect`), create);
        assert.deepEqual(helperRun(create).slice(0, 7), [...flags.map((f) => f.slice(1, -1)), "run"]);
        assert.deepEqual(dockerFlags({ docker: "unix:///run/east/docker.sock" }), ["-H", "unix:///run/east/docker.sock"]);
        assert.throws(() => dockerFlags({ docker: "tcp://198.19.128.12:2376", certPath: "/etc/$(reboot)" }), /refusing to put TLS files folder/);
    });

    it("a lab-wide object on the servers' host starts no pid lookup", () => {
        const args = helperRun(scriptsAcross("vxlan", "host-east").create);
        assert.deepEqual(args.slice(0, 2), ["-H", "unix:///run/east/docker.sock"]);
        assert.equal(args[args.indexOf("-e") + 1], "pid=0");
    });

    it("vxlan: a bridge per host joined by a unicast VXLAN device on the host's underlay, flooding to every other host, removed on delete", () => {
        const scripts = scriptsAcross("vxlan", "host-east");
        const create = helperRun(scripts.create).pop() as string;
        const order = [
            "ip link add 'ibxab12br' type bridge",
            "iptables -w -t 'filter' -I 'DOCKER-USER' -i 'ibxab12br' -o 'ibxab12br' -j ACCEPT -m comment --comment 'icc-bench:dev:vxlan'",
            "underlay=$(ip -o -4 addr show to '198.19.128.11/32' | awk '{ print $2; exit }')",
            `ip link add 'ibxab12vx' type vxlan id '1228800' local '198.19.128.11' dev "$underlay" dstport 4789 nolearning`,
            "bridge fdb append 00:00:00:00:00:00 dev 'ibxab12vx' dst '198.19.128.12'",
            "ip link set dev 'ibxab12vx' master 'ibxab12br'",
        ].map((step) => create.indexOf(step));
        assert.ok(order.every((at) => at >= 0), create);
        assert.deepEqual([...order].sort((a, b) => a - b), order);
        assert.doesNotMatch(create, /dst '198\.19\.128\.11'/, "no flooding to itself");
        const del = helperRun(scripts.delete).pop() as string;
        assertParses(del);
        for (const gone of ["ip link del dev 'ibxab12vx'", "-D 'DOCKER-USER' -i 'ibxab12br'", "ip link del dev 'ibxab12br'"]) {
            assert.ok(del.includes(gone), gone);
        }
    });

    it("vxlan: each container end takes its bridge's MTU (the tunnel's), on the host and inside", () => {
        const create = helperRun(scriptsAcross("vxlan", "server0").create).pop() as string;
        assert.ok(create.includes(`mtu=$(ip -o link show dev 'ibxab12br' | sed -n 's/.* mtu \\([0-9]*\\) .*/\\1/p')`), create);
        assert.ok(create.includes(`ip link set dev 'ibxab12s0' mtu "$mtu"`));
        assert.ok(create.includes(`nsenter -t "$pid" -n ip link set dev 'eth1' mtu "$mtu"`));
    });

    it("macvlan-l2: a macvlan of the interface holding the host's address, moved into the container", () => {
        const create = helperRun(scriptsAcross("macvlan-l2", "client1").create).pop() as string;
        const order = [
            "underlay=$(ip -o -4 addr show to '198.19.128.12/32' | awk '{ print $2; exit }')",
            `ip link add 'ibyab12c1x' link "$underlay" type macvlan mode bridge`,
            `ip link set dev 'ibyab12c1x' netns "$pid"`,
        ].map((step) => create.indexOf(step));
        assert.ok(order.every((at) => at >= 0), create);
        assert.deepEqual([...order].sort((a, b) => a - b), order);
    });

    it("ovs-vxlan: per host an OVS bridge, a tunnel bridge with the host's address on the lab's slice whose port is a macvlan of its underlay, and a VXLAN tunnel port to each other host", () => {
        const scripts = scriptsAcross("ovs-vxlan", "host-east");
        const create = helperRun(scripts.create).pop() as string;
        assertParses(create);
        const order = [
            "underlay=$(ip -o -4 addr show to '198.19.128.11/32' | awk '{ print $2; exit }')",
            "ovs-vsctl --may-exist add-br 'ibtab12br' -- set bridge 'ibtab12br'",
            "ovs-vsctl --may-exist add-br 'ibtab12ph' -- set bridge 'ibtab12ph'",
            `ip link add 'ibtab12ul' link "$underlay" type macvlan mode bridge`,
            `ovs-vsctl --timeout=10 set bridge 'ibtab12ph' other_config:hwaddr="\\"$mac\\""`,
            "ovs-vsctl --may-exist add-port 'ibtab12ph' 'ibtab12ul'",
            "ip addr replace '198.18.207.255/19' dev 'ibtab12ph'",
            "ovs-vsctl --timeout=10 --may-exist add-port 'ibtab12br' 'ibtab12t1' -- set interface 'ibtab12t1' type=vxlan options:remote_ip='198.18.207.254' options:local_ip='198.18.207.255' options:key='1228800'",
        ].map((step) => create.indexOf(step));
        assert.ok(order.every((at) => at >= 0), create);
        assert.deepEqual([...order].sort((a, b) => a - b), order);
        assert.doesNotMatch(create, /remote_ip='198\.18\.207\.255'/, "no tunnel to itself");
        const del = helperRun(scripts.delete).pop() as string;
        assertParses(del);
        for (const gone of ["--if-exists del-br 'ibtab12br'", "--if-exists del-br 'ibtab12ph'", "ip link del dev 'ibtab12ul'"]) {
            assert.ok(del.includes(gone), gone);
        }
    });

    it("ovs-vxlan: a container's veth is a port of its host's OVS bridge, both ends at the underlay's MTU less VXLAN's 50 bytes", () => {
        const create = helperRun(scriptsAcross("ovs-vxlan", "client0").create).pop() as string;
        const order = [
            "ovs-vsctl --may-exist add-port 'ibtab12br' 'ibtab12c0'",
            "underlay=$(ip -o -4 addr show to '198.19.128.12/32' | awk '{ print $2; exit }')",
            "mtu=$((mtu - 50))",
            `ip link set dev 'ibtab12c0' mtu "$mtu"`,
            `nsenter -t "$pid" -n ip link set dev 'eth1' mtu "$mtu"`,
            `nsenter -t "$pid" -n ethtool -K 'eth1' tx off`,
        ].map((step) => create.indexOf(step));
        assert.ok(order.every((at) => at >= 0), create);
        assert.deepEqual([...order].sort((a, b) => a - b), order);
    });
});

describe("benchmark verdict", () => {
    it("fails with the failure text on stderr, succeeds when there is none", () => {
        assert.equal(verdictScript(undefined), "true");
        const failing = spawnSync("sh", ["-c", verdictScript("icc-bench: it's `broken` $(x)")], { encoding: "utf8" });
        assert.equal(failing.status, 1);
        assert.equal(failing.stderr, "icc-bench: it's `broken` $(x)\n");
    });
});
