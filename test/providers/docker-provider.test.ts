// The offline docker provider under the REAL Pulumi engine and the real Docker Engine.
//
// A throwaway Pulumi TypeScript program (temp dir, node_modules symlinked to the repo's) with a
// file backend and its own PULUMI_HOME, into which this build of the plugin is installed the
// way scripts/setup-toolchain.sh installs it (`pulumi plugin install resource docker 5.2.0
// --file DIR`). Driven by the Automation API. Needs `pulumi` (+ pulumi-language-nodejs) on
// PATH, a reachable dockerd and the local image icc-bench/iperf:bookworm; nothing is pulled.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import Docker from "dockerode";
import { LocalWorkspace, Stack, UpResult } from "@pulumi/pulumi/automation";

const REPO = path.resolve(__dirname, "..", "..", "..");
const PLUGIN_MAIN = path.join(REPO, "dist", "providers", "docker", "main.js");
const IMAGE = "icc-bench/iperf:bookworm";
const SOCKET = "/var/run/docker.sock";
const STACK = `dockerprov${process.pid}`;
const PREFIX = `icc-bench-test-${STACK}`;
const TIMEOUT = 300_000;

const docker = new Docker({ socketPath: SOCKET });
const tmp = mkdtempSync(path.join(tmpdir(), "icc-bench-docker-provider-"));
const envVars: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "",
    PULUMI_HOME: path.join(tmp, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
};

// ------------------------------------------------------------------ the throwaway program

interface ContainerSpec {
    key: string;
    args: Record<string, unknown>;
    deleteBeforeReplace?: boolean;
}

interface ProgramSpec {
    containers: ContainerSpec[];
    /** A raw CustomResource (of the container type unless told) with arbitrary inputs. */
    raw?: { key: string; props: Record<string, unknown>; type?: string };
}

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

interface Spec {
    containers: { key: string; args: docker.ContainerArgs; deleteBeforeReplace?: boolean }[];
    raw?: { key: string; props: Record<string, unknown>; type?: string };
}

const spec = new pulumi.Config().requireObject<Spec>("spec");
const out: Record<string, pulumi.Output<unknown>> = {};
for (const c of spec.containers) {
    const r = new docker.Container(c.key, c.args, { deleteBeforeReplace: c.deleteBeforeReplace });
    out[c.key] = pulumi.all({ id: r.id, name: r.name, restart: r.restart, networkDatas: r.networkDatas });
}
if (spec.raw) {
    const type = spec.raw.type ?? "docker:index/container:Container";
    new pulumi.CustomResource(type, spec.raw.key, spec.raw.props, { version: "5.2.0" });
}
export const containers = out;
`;

function writeProgram(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        "name: icc-bench-docker-provider-test\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    );
    writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: { strict: true, target: "ES2020", module: "commonjs", moduleResolution: "node", skipLibCheck: true },
        }),
    );
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "icc-bench-docker-provider-test", private: true }));
    writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
}

/** Installs this build of the plugin into the test's PULUMI_HOME, as setup-toolchain.sh does. */
function installPlugin(): void {
    const dir = path.join(tmp, "plugin");
    mkdirSync(dir);
    const wrapper = path.join(dir, "pulumi-resource-docker");
    writeFileSync(wrapper, `#!/bin/sh\nexec node ${JSON.stringify(PLUGIN_MAIN)} "$@"\n`);
    chmodSync(wrapper, 0o755);
    writeFileSync(path.join(dir, "icc-bench-offline-plugin"), "icc-bench offline docker plugin (test build)\n");
    execFileSync("pulumi", ["plugin", "install", "resource", "docker", "5.2.0", "--file", dir], {
        env: { ...process.env, ...envVars },
        stdio: "pipe",
    });
}

// ------------------------------------------------------------------ helpers

let stack: Stack;

const container = (key: string, args: Record<string, unknown> = {}, deleteBeforeReplace = false): ContainerSpec => ({
    key,
    deleteBeforeReplace,
    args: {
        name: `${PREFIX}-${key}`,
        image: IMAGE,
        command: ["sleep", "infinity"],
        labels: [{ label: "icc-bench.stack", value: STACK }],
        ...args,
    },
});

async function setSpec(spec: ProgramSpec): Promise<void> {
    await stack.setConfig("spec", { value: JSON.stringify(spec) });
}

async function up(spec: ProgramSpec): Promise<UpResult> {
    await setSpec(spec);
    return stack.up();
}

interface ContainerOut {
    id: string;
    name: string;
    restart: string;
    networkDatas: Array<Record<string, unknown>>;
}

function outputsOf(res: UpResult): Record<string, ContainerOut> {
    return res.outputs.containers.value as Record<string, ContainerOut>;
}

async function inspectOrUndefined(name: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
        return await docker.getContainer(name).inspect();
    } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) {
            return undefined;
        }
        throw err;
    }
}

async function mustInspect(name: string): Promise<Docker.ContainerInspectInfo> {
    const info = await inspectOrUndefined(name);
    assert.ok(info, `container ${name} should exist`);
    return info;
}

async function removeOutOfBand(name: string): Promise<void> {
    await docker.getContainer(name).remove({ force: true });
}

/** Changes other than "same" in a summary. */
function changes(summary: Record<string, number | undefined>): Record<string, number> {
    return Object.fromEntries(Object.entries(summary).filter(([k, v]) => k !== "same" && (v ?? 0) > 0)) as Record<
        string,
        number
    >;
}

async function stackContainers(): Promise<string[]> {
    const state = await stack.exportStack();
    const resources = (state.deployment as { resources?: Array<{ type: string; urn: string }> }).resources ?? [];
    return resources.filter((r) => r.type === "docker:index/container:Container").map((r) => r.urn.split("::").pop() ?? "");
}

// ------------------------------------------------------------------ setup / teardown

before(async () => {
    await docker.ping();
    await docker.getImage(IMAGE).inspect(); // local only: this test never pulls
    mkdirSync(path.join(tmp, "state"));
    installPlugin();
    const dir = path.join(tmp, "project");
    writeProgram(dir);
    stack = await LocalWorkspace.createOrSelectStack({ stackName: STACK, workDir: dir }, { envVars });
    await stack.setConfig("docker:host", { value: `unix://${SOCKET}` });
});

after(async () => {
    if (stack) {
        await stack.destroy().catch(() => undefined);
        await stack.workspace.removeStack(STACK, { force: true }).catch(() => undefined);
    }
    const left = await docker.listContainers({ all: true, filters: { label: [`icc-bench.stack=${STACK}`] } });
    await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
    rmSync(tmp, { recursive: true, force: true });
});

// ------------------------------------------------------------------ the lifecycle

const NONE = container("none", { networkMode: "none", envs: ["A=1", "B=2"] });
const BRIDGE = container("bridge", {
    labels: [
        { label: "icc-bench.stack", value: STACK },
        { label: "role", value: "server" },
    ],
});

test("docker:host is honoured (an absent socket fails the create, naming it)", { timeout: TIMEOUT }, async (t) => {
    const missing = path.join(tmp, "no-such-docker.sock");
    await stack.setConfig("docker:host", { value: `unix://${missing}` });
    try {
        await assert.rejects(up({ containers: [NONE] }), (err: Error) => {
            t.diagnostic(err.message.split("\n").filter((l) => l.includes(missing)).pop() ?? "");
            return err.message.includes(missing);
        });
    } finally {
        await stack.setConfig("docker:host", { value: `unix://${SOCKET}` });
    }
    assert.equal(await inspectOrUndefined(`${PREFIX}-none`), undefined);
});

test("create: containers run; networkDatas for none and the default bridge", { timeout: TIMEOUT }, async () => {
    const res = await up({ containers: [NONE, BRIDGE] });
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { create: 2 }); // the Stack exists already
    const outs = outputsOf(res);

    const none = await mustInspect(`${PREFIX}-none`);
    assert.equal(none.State.Running, true);
    assert.equal(none.Id, outs.none.id);
    assert.equal(none.Config.Labels["icc-bench.stack"], STACK);
    assert.ok(none.Config.Env.includes("A=1") && none.Config.Env.includes("B=2"));
    assert.equal(outs.none.name, `${PREFIX}-none`);
    assert.equal(outs.none.restart, "no");
    assert.deepEqual(outs.none.networkDatas, [
        {
            networkName: "none",
            ipAddress: "",
            ipPrefixLength: 0,
            gateway: "",
            macAddress: "",
            globalIpv6Address: "",
            globalIpv6PrefixLength: 0,
            ipv6Gateway: "",
        },
    ]);

    const bridge = await mustInspect(`${PREFIX}-bridge`);
    assert.equal(bridge.State.Running, true);
    const live = bridge.NetworkSettings.Networks.bridge;
    assert.equal(outs.bridge.networkDatas.length, 1);
    const data = outs.bridge.networkDatas[0];
    // The bridge subnet depends on dockerd's --bip (172.17.0.0/16 by default): compare with Docker.
    assert.equal(data.networkName, "bridge");
    assert.match(String(data.ipAddress), /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(data.ipAddress, live.IPAddress);
    assert.equal(data.ipPrefixLength, live.IPPrefixLen);
    assert.ok(live.IPPrefixLen > 0);
    assert.equal(data.gateway, live.Gateway);
    assert.notEqual(data.gateway, "");
    assert.equal(data.macAddress, live.MacAddress);
    assert.equal(data.globalIpv6Address, live.GlobalIPv6Address);
    assert.equal(data.globalIpv6PrefixLength, live.GlobalIPv6PrefixLen);
    assert.equal(data.ipv6Gateway, live.IPv6Gateway);
});

test("no-op up (envs and labels reordered): every container unchanged", { timeout: TIMEOUT }, async () => {
    const reordered = [
        container("none", { networkMode: "none", envs: ["B=2", "A=1"] }),
        container("bridge", {
            labels: [
                { label: "role", value: "server" },
                { label: "icc-bench.stack", value: STACK },
            ],
        }),
    ];
    await setSpec({ containers: reordered });
    const preview = await stack.preview();
    assert.deepEqual(changes(preview.changeSummary), {});
    const res = await stack.up();
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), {});
});

test("changing restart updates in place", { timeout: TIMEOUT }, async () => {
    const before = await mustInspect(`${PREFIX}-none`);
    const res = await up({ containers: [container("none", { networkMode: "none", envs: ["A=1", "B=2"], restart: "unless-stopped" }), BRIDGE] });
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { update: 1 });
    const after = await mustInspect(`${PREFIX}-none`);
    assert.equal(after.Id, before.Id);
    assert.equal(after.HostConfig.RestartPolicy?.Name, "unless-stopped");
    assert.equal(outputsOf(res).none.restart, "unless-stopped");
});

test("changing a label value replaces (deleteBeforeReplace)", { timeout: TIMEOUT }, async () => {
    const old = await mustInspect(`${PREFIX}-bridge`);
    const changed = container(
        "bridge",
        {
            labels: [
                { label: "icc-bench.stack", value: STACK },
                { label: "role", value: "client" },
            ],
        },
        true,
    );
    await setSpec({ containers: [NONE, changed] });
    const preview = await stack.preview();
    assert.deepEqual(changes(preview.changeSummary), { replace: 1, update: 1 }); // restart back to "no" on none
    const res = await stack.up();
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { replace: 1, update: 1 });
    const fresh = await mustInspect(`${PREFIX}-bridge`);
    assert.notEqual(fresh.Id, old.Id);
    assert.equal(fresh.Config.Labels.role, "client");
    assert.equal(outputsOf(res).bridge.id, fresh.Id);
    assert.equal(await inspectOrUndefined(old.Id), undefined);
});

test("refresh drops a container removed out of band; the next up recreates it", { timeout: TIMEOUT }, async () => {
    const spec: ProgramSpec = {
        containers: [
            NONE,
            container("bridge", {
                labels: [
                    { label: "icc-bench.stack", value: STACK },
                    { label: "role", value: "client" },
                ],
            }, true),
        ],
    };
    await setSpec(spec);
    await removeOutOfBand(`${PREFIX}-none`);
    const preview = await stack.preview();
    assert.deepEqual(changes(preview.changeSummary), {}, "no drift is noticed without a refresh");
    const refreshed = await stack.refresh();
    assert.deepEqual(changes(refreshed.summary.resourceChanges ?? {}), { delete: 1 });
    assert.deepEqual((await stackContainers()).sort(), ["bridge"]);
    const res = await stack.up();
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { create: 1 });
    assert.equal((await mustInspect(`${PREFIX}-none`)).State.Running, true);
});

test("destroy removes the containers", { timeout: TIMEOUT }, async () => {
    await stack.destroy();
    assert.equal(await inspectOrUndefined(`${PREFIX}-none`), undefined);
    assert.equal(await inspectOrUndefined(`${PREFIX}-bridge`), undefined);
    assert.deepEqual(await stackContainers(), []);
});

test("destroy succeeds when the containers are already gone", { timeout: TIMEOUT }, async () => {
    // The summaries count the pulumi:pulumi:Stack resource too (the previous destroy removed it).
    const res = await up({ containers: [container("gone", { networkMode: "none", destroyGraceSeconds: 2 })] });
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { create: 2 });
    await removeOutOfBand(`${PREFIX}-gone`);
    const destroyed = await stack.destroy();
    assert.deepEqual(changes(destroyed.summary.resourceChanges ?? {}), { delete: 2 });
    assert.deepEqual(await stackContainers(), []);
});

test("an unsupported input property is rejected with an error naming it", { timeout: TIMEOUT }, async (t) => {
    const props = {
        name: `${PREFIX}-raw`,
        image: IMAGE,
        command: ["sleep", "infinity"],
        labels: [{ label: "icc-bench.stack", value: STACK }],
        bogusProperty: 42,
    };
    await assert.rejects(up({ containers: [], raw: { key: "raw", props } }), (err: Error) => {
        t.diagnostic(err.message.split("\n").filter((l) => /bogusProperty/.test(l))[0] ?? "");
        return /bogusProperty/.test(err.message) && /unsupported property/.test(err.message);
    });
    assert.equal(await inspectOrUndefined(`${PREFIX}-raw`), undefined);
});

test("another resource type of the docker package is rejected with an error naming it", { timeout: TIMEOUT }, async (t) => {
    const raw = { key: "net", type: "docker:index/network:Network", props: { name: `${PREFIX}-net` } };
    await assert.rejects(up({ containers: [], raw }), (err: Error) => {
        t.diagnostic(err.message.split("\n").filter((l) => /network:Network/.test(l)).pop() ?? "");
        return /unsupported resource type docker:index\/network:Network/.test(err.message);
    });
});
