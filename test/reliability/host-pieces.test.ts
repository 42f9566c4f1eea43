import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LabConfig, PROJECT_DIR, labStack, setLabConfig } from "../../automation/labStack";
import { isEmpty, stackFilter, takeLeftovers } from "../../host/inventory";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";

/**
 * A host that lacks a piece the lab needs: `pulumi up` (real engine) fails before registering
 * anything, saying what is missing and to run the setup.
 *
 * dockerd and Open vSwitch are made unreachable for the engine's processes only (DOCKER_HOST and
 * OVS_RUNDIR pointing where nothing listens): stopping the real daemons would kill every other
 * lab on the host, a user's deployed stack included. "Not root" runs the same host check as user
 * nobody: the engine cannot, its CLI and plugins live under /root.
 */

const STACK = `relhost${process.pid}`;
const CONFIG: LabConfig = { methods: ["ovs", "pipework"], topology: { servers: 1, clientContainers: 1 }, iperf: { duration: 1 }, subnet: SUITE_SUBNETS.hostPieces };
const SETUP = /\n\s*run: npm run setup \(scripts\/setup\.sh/;

/** Resources the stack's state holds besides the stack itself. */
async function stateResources(stack: Stack): Promise<string[]> {
    const state = await stack.exportStack();
    const resources = (state.deployment as { resources?: { type: string; urn: string }[] }).resources ?? [];
    return resources.filter((r) => !r.type.startsWith("pulumi:")).map((r) => r.urn);
}

describe("a host missing a piece refuses the lab before creating anything", () => {
    let stack: Stack;

    before(async () => {
        stack = await labStack(STACK, CONFIG);
    });

    after(() => removeSuiteStack(STACK));

    /** Runs `up` with these engine environment values; returns its error message. */
    async function failedUp(env: Readonly<Record<string, string>>): Promise<string> {
        const saved = { ...stack.workspace.envVars };
        Object.assign(stack.workspace.envVars, env);
        try {
            await stack.up();
        } catch (e) {
            return (e as Error).message;
        } finally {
            stack.workspace.envVars = saved;
        }
        assert.fail("up succeeded");
    }

    async function assertNothingMade(): Promise<void> {
        assert.deepEqual(await stateResources(stack), []);
        assert.ok(isEmpty(takeLeftovers(stackFilter(STACK))), "the host holds nothing of the stack");
    }

    it("dockerd not answering", async () => {
        const message = await failedUp({ DOCKER_HOST: "unix:///nonexistent/docker.sock" });
        assert.match(message, /dockerd does not answer \(docker version: .*Cannot connect to the Docker daemon/);
        assert.match(message, SETUP);
        await assertNothingMade();
    });

    it("Open vSwitch not answering, with the ovs method", async () => {
        const message = await failedUp({ OVS_RUNDIR: "/nonexistent" });
        assert.match(message, /Open vSwitch does not answer, and the ovs method needs it \(ovs-vsctl show: .*nonexistent/);
        assert.match(message, SETUP);
        await assertNothingMade();
    });

    it("the image absent", async () => {
        await setLabConfig(stack, { ...CONFIG, image: "icc-bench/absent:none" });
        try {
            const message = await failedUp({});
            assert.match(message, /the image icc-bench\/absent:none is not on this host/);
            assert.match(message, SETUP);
        } finally {
            await setLabConfig(stack, CONFIG);
        }
        await assertNothingMade();
    });

    it("host commands absent from PATH", async () => {
        const toolchain = join(process.env.ICC_BENCH_HOME ?? "", "bin");
        const sdk = join(PROJECT_DIR, "node_modules", "@pulumi", "pulumi");
        const message = await failedUp({ PATH: [toolchain, "/usr/local/bin", "/usr/bin", "/bin", sdk].join(":") });
        assert.match(message, /the command iptables is not on PATH \(Debian package iptables\)/);
        assert.match(message, /the command ethtool is not on PATH \(Debian package ethtool\)/);
        assert.doesNotMatch(message, /the command (ip|nsenter|ovs-vsctl|docker) is not/);
        assert.match(message, SETUP);
        await assertNothingMade();
    });

    it("not root (the program's host check, run as nobody)", () => {
        // The code is loaded as root (the clone may lie in a folder only root can read, as
        // `mktemp -d` and /root are); the process then drops to nobody, so the check itself and
        // every command it runs have uid 65534, as a user who forgot sudo would.
        const program = [
            `const { planStack, validateSettings } = require(process.argv[1] + "/model");`,
            `const { checkHost } = require(process.argv[1] + "/host/preflight");`,
            `process.chdir("/"); process.setgroups([]); process.setgid("nogroup"); process.setuid("nobody");`,
            `if (process.getuid() !== 65534 || process.geteuid() !== 65534) { process.exit(4); }`,
            `try { checkHost(planStack("${STACK}", validateSettings(JSON.parse(process.argv[2])))); } catch (e) { console.log(e.message); process.exit(3); }`,
        ].join("\n");
        let message = "";
        try {
            execFileSync(process.execPath, ["-e", program, join(PROJECT_DIR, "dist"), JSON.stringify(CONFIG)], {
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            });
        } catch (e) {
            const err = e as { status: number; stdout: string };
            assert.equal(err.status, 3, "the host check threw");
            message = err.stdout;
        }
        assert.match(message, /root: the lab runs ip, iptables, nsenter and ovs-vsctl, which need root, but this runs as uid 65534 \(run as root\)/);
        assert.match(message, SETUP);
    });

    it("with every piece there, the same stack previews", async () => {
        const result = await stack.preview();
        assert.ok((result.changeSummary.create ?? 0) > 0, JSON.stringify(result.changeSummary));
        await assertNothingMade();
    });
});
