import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { verdictScript } from "../../hostscripts/benchmark";
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

describe("benchmark verdict", () => {
    it("fails with the failure text on stderr, succeeds when there is none", () => {
        assert.equal(verdictScript(undefined), "true");
        const failing = spawnSync("sh", ["-c", verdictScript("icc-bench: it's `broken` $(x)")], { encoding: "utf8" });
        assert.equal(failing.status, 1);
        assert.equal(failing.stderr, "icc-bench: it's `broken` $(x)\n");
    });
});
