import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { benchmarkScript } from "../../hostscripts/benchmark";
import { ContainerPort } from "../../hostscripts/methods/hostCommand";
import { macvlanNatServerPort, macvlanPort, macvlanSegment } from "../../hostscripts/methods/macvlanNat";
import { ovsBridge, ovsPort } from "../../hostscripts/methods/ovs";
import { pipeworkBridge, pipeworkPort } from "../../hostscripts/methods/pipework";
import { containerName, ifName, ipv4, ipv4Cidr, mark, port, quote } from "../../hostscripts/shell";

const PORT: ContainerPort = {
    container: "icc-bench-dev-ovs-client0",
    host: "iboab12c0",
    peer: "iboab12c0x",
    inside: "eth1",
    address: "198.18.192.3",
    prefixLength: 18,
};
const SEGMENT = {
    parent: "ibmab12pa",
    parentPeer: "ibmab12pb",
    shim: "ibmab12sh",
    hostAddress: "198.18.0.1",
    prefixLength: 18,
    mark: "icc-bench:dev:macvlan-nat",
};

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
        "ovs bridge": ovsBridge("iboab12br", "icc-bench:dev:ovs"),
        "ovs port": ovsPort("iboab12br", "icc-bench:dev:ovs", PORT),
        "pipework bridge": pipeworkBridge("ibpab12br", "icc-bench:dev:pipework"),
        "pipework port": pipeworkPort("ibpab12br", PORT),
        "macvlan segment": macvlanSegment(SEGMENT),
        "macvlan port": macvlanPort(SEGMENT, PORT),
        "macvlan server port": macvlanNatServerPort(SEGMENT, PORT, { external: "198.18.0.9", server: "198.18.0.2", port: 5001 }),
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
        const s = pipeworkPort("ibpab12br", PORT).create;
        const order = [
            "ip link add 'iboab12c0' type veth peer name 'iboab12c0x'",
            "ip link set dev 'iboab12c0' master 'ibpab12br'",
            `ip link set dev 'iboab12c0x' netns "$pid"`,
            `nsenter -t "$pid" -n ip link set dev 'iboab12c0x' name 'eth1'`,
            `nsenter -t "$pid" -n ip addr replace '198.18.192.3/18' dev 'eth1'`,
        ].map((step) => s.indexOf(step));
        assert.ok(order.every((at) => at >= 0), s);
        assert.deepEqual([...order].sort((a, b) => a - b), order);
    });

    it("pipework bridge: DOCKER-USER accept rule, inserted, waiting for the xtables lock, commented", () => {
        const s = pipeworkBridge("ibpab12br", "icc-bench:dev:pipework");
        assert.match(s.create, /iptables -w -t 'filter' -I 'DOCKER-USER' -i 'ibpab12br' -o 'ibpab12br' -j ACCEPT -m comment --comment 'icc-bench:dev:pipework'/);
        assert.match(s.delete, /while iptables -w -t 'filter' -C 'DOCKER-USER' .* do iptables -w -t 'filter' -D 'DOCKER-USER'/);
        assert.match(s.delete, /ip link del dev 'ibpab12br'/);
    });

    it("ovs: marked bridge on a detected datapath, marked port, tx offload off under netdev", () => {
        const bridge = ovsBridge("iboab12br", "icc-bench:dev:ovs").create;
        assert.match(bridge, /modprobe -q openvswitch/);
        assert.match(bridge, /add-br 'iboab12br' -- set bridge 'iboab12br' datapath_type="\$datapath" external_ids:icc-bench='"icc-bench:dev:ovs"'/);
        const p = ovsPort("iboab12br", "icc-bench:dev:ovs", PORT);
        assert.match(p.create, /ovs-vsctl --may-exist add-port 'iboab12br' 'iboab12c0' -- set port 'iboab12c0' external_ids:icc-bench=/);
        assert.match(p.create, /if \[ "\$netdev" = 1 \]; then nsenter -t "\$pid" -n ethtool -K 'eth1' tx off/);
        assert.match(p.delete, /ovs-vsctl --if-exists del-port 'iboab12br' 'iboab12c0'/);
    });

    it("macvlan-nat: external address on the shim, DNAT and hairpin MASQUERADE, removed on delete", () => {
        const s = macvlanNatServerPort(SEGMENT, PORT, { external: "198.18.0.9", server: "198.18.0.2", port: 5001 });
        assert.match(s.create, /ip addr replace '198\.18\.0\.9\/32' dev 'ibmab12sh'/);
        assert.match(s.create, /-t 'nat' -A 'PREROUTING' -d '198\.18\.0\.9' -p tcp --dport '5001' -j DNAT --to-destination '198\.18\.0\.2:5001'/);
        assert.match(s.create, /-t 'nat' -A 'POSTROUTING' -d '198\.18\.0\.2' -p tcp --dport '5001' -j MASQUERADE/);
        assert.match(s.delete, /-t 'nat' -D 'PREROUTING'/);
        assert.match(s.delete, /-t 'nat' -D 'POSTROUTING'/);
        assert.match(s.delete, /ip addr del '198\.18\.0\.9\/32' dev 'ibmab12sh'/);
    });

    it("delete scripts tolerate objects that are already gone", () => {
        const d = pipeworkPort("ibpab12br", PORT).delete;
        assert.match(d, /if ip link show dev 'iboab12c0' >\/dev\/null 2>&1; then ip link del dev 'iboab12c0' ?; fi/);
        assert.match(d, /2>\/dev\/null \|\| echo 0\)/);
    });
});

describe("benchmark script", () => {
    const script = benchmarkScript(
        [
            { method: "ovs", clients: [{ container: "icc-bench-dev-ovs-client0", target: "198.18.192.2", serverIndex: 0, processes: 2 }] },
            { method: "link", clients: [{ container: "icc-bench-dev-link-client0", target: "198.19.255.2", serverIndex: 0, processes: 1 }] },
        ],
        { duration: 5, interval: 1, parallel: 1, port: 5001 },
    );

    it("is valid shell that runs the labs one after another", () => {
        assertParses(script);
        assert.ok(script.indexOf("icc-bench-lab ovs") < script.indexOf("icc-bench-lab link"));
        assert.equal(script.match(/for p in \$pids; do wait/g)?.length, 2);
    });

    it("starts every client of a lab at one instant with the study's iperf options", () => {
        assert.match(script, /timeout -k 5 "\$8" iperf -c "\$1" -p "\$2" -t "\$3" -i "\$4" -P "\$5" -y C --txstart-time "\$6"/);
        assert.match(script, /docker exec 'icc-bench-dev-ovs-client0' sh -c '.*' icc-bench '198\.18\.192\.2' '5001' '5' '1' '1' "\$start" '2' '38' 'ovs'/s);
    });

    it("refuses a target that is not an address", () => {
        assert.throws(() => benchmarkScript([{ method: "ovs", clients: [{ container: "c", target: "$(id)", serverIndex: 0, processes: 1 }] }], { duration: 1, interval: 1, parallel: 1, port: 5001 }), /IPv4/);
    });
});
