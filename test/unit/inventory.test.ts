import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { filterOfStack } from "../../host/clean";
import { isEmpty, stackFilter, takeInventory, takeLeftovers } from "../../host/inventory";
import { CannotLook, look } from "../../host/look";

/**
 * The inventory on fake tools: a PATH holding only stub ip, docker, iptables-save and ovs-vsctl
 * scripts, so a tool that is missing, fails or hangs is an error naming it, never "nothing".
 */

const HEALTHY: Readonly<Record<string, string>> = {
    ip: `case "$*" in "-j -d link show") echo '[]';; esac`,
    docker: ``,
    "iptables-save": `printf '*filter\\n:INPUT ACCEPT [0:0]\\nCOMMIT\\n'`,
    "ovs-vsctl": ``,
};

let bin = "";
const savedPath = process.env.PATH;

/** Writes the stubs: HEALTHY with these tools replaced (a body) or left out (null). */
function tools(changes: Readonly<Record<string, string | null>> = {}): void {
    rmSync(bin, { recursive: true, force: true });
    bin = mkdtempSync(join(tmpdir(), "inventory-stubs-"));
    for (const [tool, body] of Object.entries({ ...HEALTHY, ...changes })) {
        if (body !== null) {
            writeFileSync(join(bin, tool), `#!/bin/sh\n${body}\n`);
            chmodSync(join(bin, tool), 0o755);
        }
    }
    process.env.PATH = bin;
}

function cannotLook(tool: string, reason: CannotLook["reason"], detail: RegExp): (e: unknown) => boolean {
    return (e) => {
        assert.ok(e instanceof CannotLook, `a CannotLook, got ${String(e)}`);
        assert.equal(e.tool, tool);
        assert.equal(e.reason, reason);
        assert.match(e.message, detail);
        return true;
    };
}

beforeEach(() => tools());
afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(bin, { recursive: true, force: true });
});

describe("inventory on fake tools", () => {
    it("healthy tools and nothing marked: an empty inventory", () => {
        assert.ok(isEmpty(takeLeftovers(stackFilter("unit"))));
    });

    it("lists what a healthy tool reports", () => {
        tools({ "iptables-save": `printf '*nat\\n-A POSTROUTING -s 198.18.0.0/24 -m comment --comment "icc-bench:unit:macvlan-nat" -j MASQUERADE\\nCOMMIT\\n'` });
        assert.deepEqual(takeLeftovers(stackFilter("unit")).iptables, ['nat -A POSTROUTING -s 198.18.0.0/24 -m comment --comment "icc-bench:unit:macvlan-nat" -j MASQUERADE']);
    });

    it("iptables-save failing is an error naming it and its stderr", () => {
        tools({ "iptables-save": `echo 'iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied' >&2; exit 1` });
        assert.throws(() => takeLeftovers(), cannotLook("iptables-save", "failed", /exit 1; stderr: .*Permission denied/));
    });

    it("docker missing is an error", () => {
        tools({ docker: null });
        assert.throws(() => takeLeftovers(stackFilter("unit")), cannotLook("docker", "missing", /docker is not installed/));
    });

    it("docker failing (no daemon) is an error", () => {
        tools({ docker: `echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' >&2; exit 1` });
        assert.throws(() => takeLeftovers(), cannotLook("docker", "failed", /Cannot connect to the Docker daemon/));
    });

    it("ip failing is an error", () => {
        tools({ ip: `echo 'Cannot open netlink socket: Operation not permitted' >&2; exit 255` });
        assert.throws(() => takeLeftovers(), cannotLook("ip", "failed", /exit 255; stderr: Cannot open netlink socket/));
    });

    it("ip missing is an error", () => {
        tools({ ip: null });
        assert.throws(() => takeLeftovers(), cannotLook("ip", "missing", /ip is not installed/));
    });

    it("ovs-vsctl not installed: no OVS objects can exist, and the rest is still read", () => {
        tools({ "ovs-vsctl": null });
        // takeInventory: what the stubs answer (the temp folders and namespaces are the real host's).
        const found = takeInventory();
        assert.deepEqual(found.ovs, []);
        assert.ok(isEmpty(found), JSON.stringify(found));
    });

    it("ovs-vsctl installed but ovsdb not answering is an error", () => {
        tools({ "ovs-vsctl": `echo 'ovs-vsctl: unix:/var/run/openvswitch/db.sock: database connection failed (No such file or directory)' >&2; exit 1` });
        assert.throws(() => takeLeftovers(), cannotLook("ovs-vsctl", "failed", /database connection failed/));
    });

    it("a tool that does not answer in time is an error", () => {
        tools({ ip: `exec /bin/sleep 5` });
        assert.throws(() => look("ip", ["-j", "-d", "link", "show"], 300), cannotLook("ip", "timed out", /no answer within 0.3 s/));
    });

    it("host:clean's stack filter cannot be made without docker", () => {
        tools({ docker: `echo 'permission denied while trying to connect to the Docker daemon socket' >&2; exit 1` });
        assert.throws(() => filterOfStack("unit"), cannotLook("docker", "failed", /permission denied/));
    });
});

describe("host:clean exit codes on fake tools", () => {
    const script = join(__dirname, "..", "..", "scripts", "host-clean.js");
    const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8", env: { ...process.env, PATH: bin } });

    it("0 when it looked and found nothing", () => {
        // One stack: --all would also list real lab files other runs left in the temporary folders.
        assert.equal(run("--stack", "unit", "--dry-run").status, 0);
    });

    it("1 when it found something (dry run)", () => {
        tools({ docker: `case "$*" in "ps "*) echo icc-bench-unit-ovs-server0;; esac` });
        const r = run("--stack", "unit", "--dry-run");
        assert.equal(r.status, 1);
        assert.match(r.stdout, /container icc-bench-unit-ovs-server0/);
    });

    it("3 when it could not look, naming the tool and its stderr", () => {
        tools({ "iptables-save": `echo 'iptables-save: table locked' >&2; exit 4` });
        const r = run("--stack", "unit", "--dry-run");
        assert.equal(r.status, 3);
        assert.match(r.stderr, /could not look at the host: `iptables-save` failed: exit 4; stderr: iptables-save: table locked/);
    });

    it("2 on a usage error", () => {
        assert.equal(run("--stack").status, 2);
    });
});
