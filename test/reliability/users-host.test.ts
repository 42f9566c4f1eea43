import assert from "node:assert/strict";
import { ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { PROJECT_DIR } from "../../automation/labStack";
import { unmountUnder } from "../hosts/simulated";
import { SUITE_SUBNETS } from "../suiteStack";

/**
 * The host a user already has: a dockerd started beforehand by this test (not by the setup), with
 * its own in-range default bridge and pool, a container of the user's, a Linux bridge named like a
 * lab's, and firewall rules of the user's. It runs in a network namespace of its own, with its own
 * socket, data and exec roots, so that it is "someone else's dockerd" and its iptables are its own;
 * `npm start` and `pulumi destroy` run in that namespace against it. Afterwards every object and
 * rule of the user's is exactly as before, and that dockerd was never restarted.
 */

const NETNS = "icc-bench-userhost";
const ROOT = "/tmp/icc-bench-userhost";
const SOCKET = `unix://${ROOT}/docker.sock`;
const STACK = "userhost";
const STACK_FILE = join(PROJECT_DIR, "stacks", `Pulumi.${STACK}.yaml`);
const BACKEND = `${ROOT}/state`;
/** The user's own objects (their default bridge is 198.19.254.0/24, their pool 198.19.248.0/22). */
const USER_BRIDGE = "ibpbeefbr";
const USER_CONTAINER = "users-own-container";
const USER_RULES = [
    ["-I", "DOCKER-USER", "-s", "198.19.254.0/24", "-d", "198.19.254.0/24", "-j", "RETURN"],
    ["-I", "FORWARD", "-i", USER_BRIDGE, "-o", USER_BRIDGE, "-j", "ACCEPT"],
];
/** OVS runs in the host's own namespace, so the user's-host lab leaves the ovs method out. */
const METHODS = ["macvlan-nat", "pipework", "link", "bridge", "docker-macvlan", "host", "shared-netns"];

const inNetns = (file: string, args: readonly string[]): string[] => ["nsenter", `--net=/run/netns/${NETNS}`, file, ...args];

/** Runs a command in the user's-host namespace, from the project folder. */
function run(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
    const [cmd, ...rest] = inNetns(file, args);
    return execFileSync(cmd, rest, { cwd: PROJECT_DIR, encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"], timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
}

const dockerEnv = (): NodeJS.ProcessEnv => ({ ...process.env, DOCKER_HOST: SOCKET, PULUMI_BACKEND_URL: `file://${BACKEND}` });
const docker = (...args: string[]) => run("docker", args, dockerEnv());

/**
 * What must not change: the rules, as `iptables-save` prints them (counters left out), and the
 * links, as `ip -d link` prints them (timers left out). The rules are compared as a list sorted within each table:
 * whenever a Docker network is created (the lab's bridge network, say), dockerd itself moves its
 * own jumps (-j DOCKER-USER, -j DOCKER-ISOLATION-STAGE-1) back to the top of FORWARD, above any
 * rule inserted before them; every rule is still there, word for word.
 */
function userView(): { iptables: string[]; links: string } {
    const tables = run("iptables-save", [])
        .split("\n*")
        .map((table) =>
            table
                .split("\n")
                .filter((l) => !l.startsWith("#"))
                .map((l) => l.replace(/\[\d+:\d+\]/g, "[counters]"))
                .sort()
                .join("\n"),
        );
    // A bridge's running timers (gc_timer, forward_delay_timer...) tick: they are left out.
    return { iptables: tables, links: run("ip", ["-d", "link", "show"]).replace(/(\w+_timer)\s+[\d.]+/g, "$1 -") };
}

function dockerdPid(): number {
    return Number(readFileSync(`${ROOT}/dockerd.pid`, "utf8").trim());
}

/** Removes what an earlier run may have left: the namespace, and dockerd's mounts under ROOT (its exec-root holds nsfs mounts). */
function removeUserHost(): void {
    spawnSync("ip", ["netns", "delete", NETNS], { stdio: "ignore" });
    unmountUnder(ROOT);
    rmSync(ROOT, { recursive: true, force: true });
}

async function waitForDocker(): Promise<void> {
    for (let i = 0; i < 120; i++) {
        if (spawnSync("docker", ["-H", SOCKET, "info"], { stdio: "ignore" }).status === 0) {
            return;
        }
        await sleep(500);
    }
    throw new Error(`the user's dockerd did not answer on ${SOCKET}:\n${readFileSync(`${ROOT}/dockerd.log`, "utf8").slice(-2000)}`);
}

describe("on the host a user already has: their dockerd, their container, bridge and rules", () => {
    let dockerd: ChildProcess | undefined;
    let before_: { iptables: string[]; links: string };
    let pid = 0;

    before(async () => {
        removeUserHost();
        mkdirSync(ROOT, { recursive: true });
        execFileSync("ip", ["netns", "add", NETNS]);
        run("ip", ["link", "set", "lo", "up"]);
        const log = `${ROOT}/dockerd.log`;
        writeFileSync(log, "");
        dockerd = spawn(
            "sh",
            ["-c", `exec "$@" >>${log} 2>&1`, "dockerd", ...inNetns("dockerd", [
                "--host", SOCKET, "--data-root", `${ROOT}/data`, "--exec-root", `${ROOT}/exec`, "--pidfile", `${ROOT}/dockerd.pid`,
                "--bip", "198.19.254.1/24", "--default-address-pool", "base=198.19.248.0/22,size=24",
            ])],
            { detached: true, stdio: "ignore" },
        );
        await waitForDocker();
        pid = dockerdPid();
        execFileSync("sh", ["-c", `docker save icc-bench/iperf:bookworm | docker -H '${SOCKET}' load >/dev/null`], { timeout: 300_000 });
        docker("run", "-d", "--name", USER_CONTAINER, "icc-bench/iperf:bookworm", "sleep", "infinity");
        run("ip", ["link", "add", USER_BRIDGE, "type", "bridge"]);
        for (const rule of USER_RULES) {
            run("iptables", ["-w", ...rule]);
        }
        const config = [
            "config:",
            `  icc-bench:methods: [${METHODS.join(", ")}]`,
            "  icc-bench:topology:",
            "    servers: 1",
            "    clientContainers: 2",
            "  icc-bench:iperf:",
            "    duration: 1",
            `  icc-bench:subnet: ${SUITE_SUBNETS.usersHost}`,
            "",
        ].join("\n");
        writeFileSync(STACK_FILE, config);
        before_ = userView();
    });

    after(async () => {
        try {
            spawnSync("nsenter", [`--net=/run/netns/${NETNS}`, "bash", "scripts/with-toolchain.sh", "pulumi", "destroy", "--yes", "--stack", STACK], {
                cwd: PROJECT_DIR,
                env: dockerEnv(),
                stdio: "ignore",
            });
            spawnSync("docker", ["-H", SOCKET, "rm", "-f", USER_CONTAINER], { stdio: "ignore" });
        } finally {
            if (dockerd?.pid !== undefined) {
                try {
                    process.kill(dockerdPid(), "SIGTERM");
                } catch {
                    // already gone
                }
                for (let i = 0; i < 60 && spawnSync("docker", ["-H", SOCKET, "info"], { stdio: "ignore" }).status === 0; i++) {
                    await sleep(500);
                }
            }
            rmSync(STACK_FILE, { force: true });
            removeUserHost();
        }
    });

    it("npm start uses that dockerd as it is and measures every method", (t) => {
        const started = run("bash", ["scripts/start.sh", "--stack", STACK], dockerEnv());
        const shown = started.split("\n").filter((l) => l.startsWith("setup: dockerd") || new RegExp(`^ *(method|${METHODS.join("|")}) `).test(l));
        shown.forEach((l) => t.diagnostic(l));
        assert.match(started, /dockerd: use: dockerd answers; used as it is, its default bridge 198\.19\.254\.0\/24 included/);
        for (const method of METHODS) {
            assert.match(started, new RegExp(`^ *${method} +2 +\\d+\\.\\d\\d`, "m"), `a row for ${method}:\n${started}`);
        }
        assert.equal(dockerdPid(), pid, "that dockerd was not restarted");
    });

    it("the lab's objects carry its mark, the user's do not", () => {
        const marked = run("ip", ["-o", "link", "show"]).split("\n").filter((l) => l.includes(`alias icc-bench:${STACK}:`));
        assert.ok(marked.length > 0 && marked.every((l) => / ib[a-z][0-9a-f]{4}/.test(l)), marked.join("\n"));
        assert.ok(!marked.some((l) => l.includes(USER_BRIDGE)));
        assert.match(docker("network", "ls", "--filter", `label=icc-bench.stack=${STACK}`, "--format", "{{.Name}}"), /icc-bench-userhost-bridge/);
    });

    it("pulumi destroy leaves every object and rule of the user's exactly as it was, and the same dockerd", () => {
        run("bash", ["scripts/with-toolchain.sh", "pulumi", "destroy", "--yes", "--stack", STACK], dockerEnv());
        const after_ = userView();
        assert.deepEqual(after_.iptables, before_.iptables);
        for (const rule of USER_RULES) {
            assert.ok(after_.iptables.some((t) => t.includes(`-A ${rule.slice(1).join(" ")}`)), `the user's rule ${rule.join(" ")}`);
        }
        assert.equal(after_.links, before_.links);
        assert.equal(docker("inspect", "-f", "{{.State.Running}}", USER_CONTAINER).trim(), "true");
        assert.equal(docker("ps", "-a", "--filter", "label=icc-bench.stack", "--format", "{{.Names}}").trim(), "");
        assert.equal(docker("network", "ls", "--filter", "label=icc-bench.stack", "--format", "{{.Name}}").trim(), "");
        assert.equal(dockerdPid(), pid, "that dockerd was not restarted");
    });
});
