import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_DIR, labStack } from "../../automation/labStack";
import { deleteRuleArgs, describeLeftovers, splitRuleWords } from "../../host/clean";
import { Leftovers, isEmpty, stackFilter, takeLeftovers } from "../../host/inventory";
import { hostMethods } from "../../host/preflight";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";

/**
 * A stack whose state folder is gone: `host:clean --stack NAME` lists what the host still holds
 * of its lab and removes it, and nothing of another stack. The stack gets a backend folder of
 * its own so that deleting it loses this stack's state only, and a labId of its own so that its
 * interface names can only be found through its containers' labels.
 */

const STACK = "rel-lost";
const LAB_ID = "rlost";
const BYSTANDER = "icc-bench-rel-lost2-bystander";
const CLI = join(PROJECT_DIR, "dist", "scripts", "host-clean.js");

interface CliRun {
    readonly status: number | null;
    readonly stdout: string;
}

function hostClean(...args: string[]): CliRun {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 300_000 });
    return { status: r.status, stdout: r.stdout + r.stderr };
}

function held(): Leftovers {
    return takeLeftovers(stackFilter(STACK, [LAB_ID]));
}

describe("host:clean after a stack's state was lost", () => {
    let backend: string;
    let stack: Stack;
    const sharedBackend = process.env.PULUMI_BACKEND_URL;

    before(async () => {
        assert.ok(isEmpty(held()), "the host holds nothing of the stack before the test");
        backend = mkdtempSync("/tmp/relstate-");
        process.env.PULUMI_BACKEND_URL = `file://${backend}`;
        stack = await labStack(STACK, { labId: LAB_ID, topology: { servers: 1, clientContainers: 1 }, iperf: { duration: 1 }, subnet: SUITE_SUBNETS.lostState });
        execFileSync("docker", ["run", "-d", "--name", BYSTANDER, "--label", "icc-bench.stack=rel-lost2", "--network", "none", "icc-bench/iperf:bookworm", "sleep", "300"], {
            stdio: "ignore",
        });
    });

    after(async () => {
        execFileSync("docker", ["rm", "-f", BYSTANDER], { stdio: "ignore" });
        rmSync(backend, { recursive: true, force: true });
        process.env.PULUMI_BACKEND_URL = sharedBackend;
        await removeSuiteStack(STACK);
    });

    it("splits iptables-save rules into the words iptables -D takes", () => {
        const rule = `nat -A PREROUTING -d 198.18.0.62/32 -p tcp -m comment --comment "icc-bench:a b:\\"x\\"" -j DNAT --to-destination 198.18.0.2:5001`;
        assert.deepEqual(splitRuleWords(rule).slice(9, 11), ["--comment", `icc-bench:a b:"x"`]);
        assert.deepEqual(deleteRuleArgs(rule).slice(0, 5), ["-w", "-t", "nat", "-D", "PREROUTING"]);
        assert.throws(() => deleteRuleArgs("nat :PREROUTING ACCEPT [0:0]"), /not an iptables-save rule/);
    });

    it("the deployed lab holds containers, OVS objects, iptables rules and interfaces", async () => {
        const result = await stack.up();
        assert.equal(result.summary.result, "succeeded");
        const found = held();
        // A server and a client per method this host runs; the bridge and docker-macvlan labs' Docker networks.
        assert.equal(found.containers.length, 2 * hostMethods().methods.length, found.containers.join(" "));
        assert.ok(found.ovs.length > 0 && found.iptables.length > 0 && found.interfaces.length > 0, describeLeftovers(found).join("\n"));
        assert.deepEqual(found.networks.sort(), [`icc-bench-${STACK}-bridge`, `icc-bench-${STACK}-docker-macvlan`]);
        assert.ok(found.interfaces.every((i) => i.includes(LAB_ID)));
    });

    it("with the state folder deleted, --dry-run lists every object and exits 1", () => {
        rmSync(backend, { recursive: true, force: true });
        const found = held();
        const run = hostClean("--stack", STACK, "--dry-run");
        assert.equal(run.status, 1, run.stdout);
        for (const line of describeLeftovers(found)) {
            assert.ok(run.stdout.includes(`  ${line}\n`), `lists ${line}:\n${run.stdout}`);
        }
        assert.ok(!run.stdout.includes(BYSTANDER));
        assert.deepEqual(held(), found, "a dry run removes nothing");
    });

    it("--all --dry-run lists them too", () => {
        const run = hostClean("--all", "--dry-run");
        assert.equal(run.status, 1);
        for (const line of describeLeftovers(held())) {
            assert.ok(run.stdout.includes(`  ${line}\n`), `lists ${line}`);
        }
        assert.ok(run.stdout.includes(`container ${BYSTANDER}\n`));
    });

    it("--stack removes everything of the stack, its containers removed by hand first, exits 0 and leaves other stacks alone", () => {
        // Without its containers, the lab's interfaces are found through its marked bridges and rules.
        execFileSync("docker", ["rm", "-f", ...held().containers], { stdio: "ignore" });
        const run = hostClean("--stack", STACK);
        assert.equal(run.status, 0, run.stdout);
        assert.match(run.stdout, /left on this host of stack rel-lost after removal: nothing/);
        assert.deepEqual(held(), { containers: [], interfaces: [], ovs: [], iptables: [], networks: [], namespaces: [], files: [] });
        assert.ok(isEmpty(takeLeftovers(stackFilter(STACK))));
        const bystander = execFileSync("docker", ["inspect", "-f", "{{.State.Running}}", BYSTANDER], { encoding: "utf8" });
        assert.equal(bystander.trim(), "true");
        assert.equal(hostClean("--stack", STACK, "--dry-run").status, 0, "a second look finds nothing");
    });

    it("refuses a bad command line with exit 2", () => {
        assert.equal(hostClean().status, 2);
        assert.equal(hostClean("--stack", "a;b").status, 2);
        assert.equal(hostClean("--stack", STACK, "--all").status, 2);
    });
});
