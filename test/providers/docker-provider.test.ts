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
    /** networksAdvanced entries naming a network of the program by key (name: net.name). */
    attach?: Array<{ network: string; ipv4Address?: string; aliases?: string[] }>;
    /** networkMode container:<id of this earlier container of the program>. */
    shareWith?: string;
}

interface NetworkSpec {
    key: string;
    args: Record<string, unknown>;
    deleteBeforeReplace?: boolean;
}

interface ProgramSpec {
    networks?: NetworkSpec[];
    containers: ContainerSpec[];
    /** A raw CustomResource (of the container type unless told) with arbitrary inputs. */
    raw?: { key: string; props: Record<string, unknown>; type?: string };
}

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

interface Attach { network: string; ipv4Address?: string; aliases?: string[] }
interface Spec {
    networks?: { key: string; args: docker.NetworkArgs; deleteBeforeReplace?: boolean }[];
    containers: { key: string; args: docker.ContainerArgs; deleteBeforeReplace?: boolean; attach?: Attach[]; shareWith?: string }[];
    raw?: { key: string; props: Record<string, unknown>; type?: string };
}

const spec = new pulumi.Config().requireObject<Spec>("spec");
const nets: Record<string, docker.Network> = {};
const netOut: Record<string, pulumi.Output<unknown>> = {};
for (const n of spec.networks ?? []) {
    const r = new docker.Network(n.key, n.args, { deleteBeforeReplace: n.deleteBeforeReplace });
    nets[n.key] = r;
    netOut[n.key] = pulumi.all({
        id: r.id, name: r.name, driver: r.driver, scope: r.scope, attachable: r.attachable, internal: r.internal,
        ingress: r.ingress, ipv6: r.ipv6, ipamDriver: r.ipamDriver, ipamOptions: r.ipamOptions, options: r.options,
        labels: r.labels, ipamConfigs: r.ipamConfigs,
    });
}
const made: Record<string, docker.Container> = {};
const out: Record<string, pulumi.Output<unknown>> = {};
for (const c of spec.containers) {
    const args: docker.ContainerArgs = { ...c.args };
    if (c.attach) {
        args.networksAdvanced = c.attach.map((a) => ({ name: nets[a.network].name, ipv4Address: a.ipv4Address, aliases: a.aliases }));
    }
    if (c.shareWith) {
        args.networkMode = pulumi.interpolate\`container:\${made[c.shareWith].id}\`;
    }
    const r = new docker.Container(c.key, args, { deleteBeforeReplace: c.deleteBeforeReplace });
    made[c.key] = r;
    out[c.key] = pulumi.all({ id: r.id, name: r.name, restart: r.restart, networkMode: r.networkMode, networkDatas: r.networkDatas });
}
export const networks = netOut;
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
    networkMode: string;
    networkDatas: Array<Record<string, unknown>>;
}

function outputsOf(res: UpResult): Record<string, ContainerOut> {
    return res.outputs.containers.value as Record<string, ContainerOut>;
}

function networkOutputsOf(res: UpResult): Record<string, Record<string, unknown>> {
    return res.outputs.networks.value as Record<string, Record<string, unknown>>;
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

async function stackResources(type: string): Promise<string[]> {
    const state = await stack.exportStack();
    const resources = (state.deployment as { resources?: Array<{ type: string; urn: string }> }).resources ?? [];
    return resources.filter((r) => r.type === type).map((r) => r.urn.split("::").pop() ?? "");
}

const stackContainers = (): Promise<string[]> => stackResources("docker:index/container:Container");

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
    const nets = await docker.listNetworks({ filters: { label: [`icc-bench.stack=${STACK}`] } });
    await Promise.all(nets.map((n) => docker.getNetwork(n.Id).remove()));
    removeParents();
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
    const raw = { key: "vol", type: "docker:index/volume:Volume", props: { name: `${PREFIX}-vol` } };
    await assert.rejects(up({ containers: [], raw }), (err: Error) => {
        t.diagnostic(err.message.split("\n").filter((l) => /volume:Volume/.test(l)).pop() ?? "");
        return /unsupported resource type docker:index\/volume:Volume/.test(err.message);
    });
});

// ------------------------------------------------------------------ networks and network modes
// Every network gets an explicit subnet in 198.19.160.0/20 and the stack label; macvlan/ipvlan
// parents are a veth pair of this test's own (ibtprovpa/ibtprovpb), removed afterwards.

const NET_STACK_LABEL = [{ label: "icc-bench.stack", value: STACK }];
const PARENT = "ibtprovpa";
const PARENT_PEER = "ibtprovpb";

function network(key: string, subnet: string, args: Record<string, unknown> = {}): NetworkSpec {
    return {
        key,
        deleteBeforeReplace: true, // a fixed name and subnet cannot exist twice
        args: {
            name: `${PREFIX}-${key}`,
            driver: "bridge",
            ipamConfigs: [{ subnet: `${subnet}.0/24`, gateway: `${subnet}.1` }],
            labels: NET_STACK_LABEL,
            ...args,
        },
    };
}

function attached(key: string, attach: ContainerSpec["attach"], extra: Partial<ContainerSpec> = {}): ContainerSpec {
    return { ...container(key, {}, true), attach, ...extra };
}

async function inspectNetworkOrUndefined(name: string): Promise<Docker.NetworkInspectInfo | undefined> {
    try {
        return (await docker.getNetwork(name).inspect()) as Docker.NetworkInspectInfo;
    } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) {
            return undefined;
        }
        throw err;
    }
}

function removeParents(): void {
    try {
        execFileSync("ip", ["link", "del", PARENT], { stdio: "pipe" });
    } catch {
        // absent already
    }
}

function makeParents(): void {
    removeParents();
    execFileSync("ip", ["link", "add", PARENT, "type", "veth", "peer", "name", PARENT_PEER]);
    execFileSync("ip", ["link", "set", PARENT, "up"]);
    execFileSync("ip", ["link", "set", PARENT_PEER, "up"]);
}

const NET_A = network("neta", "198.19.160", {
    options: { "com.docker.network.bridge.name": "ibtprovbr0", "com.docker.network.driver.mtu": "1500" },
});
const NET_B = network("netb", "198.19.161");
const SRV = attached("srv", [{ network: "neta", ipv4Address: "198.19.160.10", aliases: ["server0", "srv"] }]);
const MULTI = attached("multi", [
    { network: "neta", ipv4Address: "198.19.160.11" },
    { network: "netb", ipv4Address: "198.19.161.11", aliases: ["m"] },
]);
const HOSTC = container("hostc", { networkMode: "host" }, true);
const SHARED = { ...container("shared", {}, true), shareWith: "srv" };
const LAB: ProgramSpec = { networks: [NET_A, NET_B], containers: [SRV, MULTI, HOSTC, SHARED] };

const EMPTY_DATA = {
    ipAddress: "",
    ipPrefixLength: 0,
    gateway: "",
    macAddress: "",
    globalIpv6Address: "",
    globalIpv6PrefixLength: 0,
    ipv6Gateway: "",
};

test("network create: bridge network as given; networksAdvanced, host and container:<id> containers", { timeout: TIMEOUT }, async () => {
    const res = await up(LAB);
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { create: 6 }); // the Stack exists already
    const nets = networkOutputsOf(res);
    const liveA = await inspectNetworkOrUndefined(`${PREFIX}-neta`);
    assert.ok(liveA);
    assert.equal(liveA.Id, nets.neta.id);
    assert.equal(liveA.Driver, "bridge");
    assert.deepEqual(liveA.Labels, { "icc-bench.stack": STACK });
    assert.deepEqual(liveA.Options, NET_A.args.options);
    assert.deepEqual(liveA.IPAM?.Config, [{ Subnet: "198.19.160.0/24", Gateway: "198.19.160.1" }]);
    assert.deepEqual(
        { ...nets.neta, id: undefined, ipamOptions: nets.neta.ipamOptions ?? null },
        {
            id: undefined,
            name: `${PREFIX}-neta`,
            driver: "bridge",
            scope: "local",
            attachable: false,
            internal: false,
            ingress: false,
            ipv6: false,
            ipamDriver: "default",
            ipamOptions: null,
            options: NET_A.args.options,
            labels: NET_STACK_LABEL,
            ipamConfigs: [{ subnet: "198.19.160.0/24", gateway: "198.19.160.1", ipRange: "", auxAddress: null }],
        },
    );

    const outs = outputsOf(res);
    const srv = await mustInspect(`${PREFIX}-srv`);
    assert.equal(srv.State.Running, true);
    assert.equal(srv.HostConfig.NetworkMode, "bridge");
    assert.equal(outs.srv.networkMode, "bridge");
    assert.deepEqual(Object.keys(srv.NetworkSettings.Networks), [`${PREFIX}-neta`]);
    const ep = srv.NetworkSettings.Networks[`${PREFIX}-neta`];
    assert.ok(ep.Aliases?.includes("server0") && ep.Aliases.includes("srv"));
    assert.deepEqual(outs.srv.networkDatas, [
        { ...EMPTY_DATA, networkName: `${PREFIX}-neta`, ipAddress: "198.19.160.10", ipPrefixLength: 24, gateway: "198.19.160.1", macAddress: ep.MacAddress },
    ]);
    assert.match(String(ep.MacAddress), /^02:42:/);

    const multi = outputsOf(res).multi.networkDatas;
    assert.deepEqual(
        multi.map((d) => [d.networkName, d.ipAddress]),
        [
            [`${PREFIX}-neta`, "198.19.160.11"],
            [`${PREFIX}-netb`, "198.19.161.11"],
        ],
    );
    // Docker's embedded DNS answers the aliases on the user-defined network.
    const resolved = execFileSync("docker", ["exec", `${PREFIX}-multi`, "getent", "hosts", "server0"], { encoding: "utf8" });
    assert.match(resolved, /^198\.19\.160\.10\s/);

    assert.deepEqual(outs.hostc.networkDatas, [{ ...EMPTY_DATA, networkName: "host" }]);
    assert.equal(outs.hostc.networkMode, "host");
    const shared = await mustInspect(`${PREFIX}-shared`);
    assert.equal(shared.HostConfig.NetworkMode, `container:${srv.Id}`);
    assert.equal(outs.shared.networkMode, `container:${srv.Id}`);
    assert.deepEqual(outs.shared.networkDatas, []);
});

test("network no-op up (labels and aliases reordered): nothing changes", { timeout: TIMEOUT }, async () => {
    const reordered: ProgramSpec = {
        ...LAB,
        containers: [attached("srv", [{ network: "neta", ipv4Address: "198.19.160.10", aliases: ["srv", "server0"] }]), MULTI, HOSTC, SHARED],
    };
    await setSpec(reordered);
    assert.deepEqual(changes((await stack.preview()).changeSummary), {});
    assert.deepEqual(changes((await stack.up()).summary.resourceChanges ?? {}), {});
});

test("changing ipv4Address replaces that container and the one sharing its namespace", { timeout: TIMEOUT }, async () => {
    const old = await mustInspect(`${PREFIX}-srv`);
    const moved = attached("srv", [{ network: "neta", ipv4Address: "198.19.160.20", aliases: ["server0", "srv"] }]);
    await setSpec({ ...LAB, containers: [moved, MULTI, HOSTC, SHARED] });
    assert.deepEqual(changes((await stack.preview()).changeSummary), { replace: 2 });
    const res = await stack.up();
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { replace: 2 });
    const fresh = await mustInspect(`${PREFIX}-srv`);
    assert.notEqual(fresh.Id, old.Id);
    assert.equal(fresh.NetworkSettings.Networks[`${PREFIX}-neta`].IPAddress, "198.19.160.20");
    assert.equal((await mustInspect(`${PREFIX}-shared`)).HostConfig.NetworkMode, `container:${fresh.Id}`);
    assert.equal(outputsOf(res).srv.networkDatas[0].ipAddress, "198.19.160.20");
});

const MOVED_LAB: ProgramSpec = {
    ...LAB,
    containers: [attached("srv", [{ network: "neta", ipv4Address: "198.19.160.20", aliases: ["server0", "srv"] }]), MULTI, HOSTC, SHARED],
};

const RELABELLED_LAB: ProgramSpec = {
    ...MOVED_LAB,
    networks: [
        network("neta", "198.19.160", { options: NET_A.args.options, labels: [...NET_STACK_LABEL, { label: "role", value: "lab" }] }),
        NET_B,
    ],
};

test("changing a network label replaces it and every container attached to it", { timeout: TIMEOUT }, async () => {
    const oldNet = await inspectNetworkOrUndefined(`${PREFIX}-neta`);
    await setSpec(RELABELLED_LAB);
    // neta, srv and multi (attached by name), shared (in srv's namespace); hostc and netb stay.
    assert.deepEqual(changes((await stack.preview()).changeSummary), { replace: 4 });
    const res = await stack.up();
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { replace: 4 });
    const fresh = await inspectNetworkOrUndefined(`${PREFIX}-neta`);
    assert.ok(fresh && oldNet);
    assert.notEqual(fresh.Id, oldNet.Id);
    assert.equal(fresh.Labels?.role, "lab");
    assert.equal((await mustInspect(`${PREFIX}-srv`)).NetworkSettings.Networks[`${PREFIX}-neta`].NetworkID, fresh.Id);
});

test("refresh after docker network rm drops the network and its containers; up recreates them", { timeout: TIMEOUT }, async () => {
    for (const key of ["shared", "srv", "multi"]) {
        await removeOutOfBand(`${PREFIX}-${key}`);
    }
    await docker.getNetwork(`${PREFIX}-neta`).remove();
    assert.deepEqual(changes((await stack.preview()).changeSummary), {}, "no drift is noticed without a refresh");
    const refreshed = await stack.refresh();
    assert.deepEqual(changes(refreshed.summary.resourceChanges ?? {}), { delete: 4 });
    assert.deepEqual(await stackResources("docker:index/network:Network"), ["netb"]);
    assert.deepEqual((await stackContainers()).sort(), ["hostc"]);
    const res = await stack.up();
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { create: 4 });
    assert.ok(await inspectNetworkOrUndefined(`${PREFIX}-neta`));
    assert.equal((await mustInspect(`${PREFIX}-srv`)).NetworkSettings.Networks[`${PREFIX}-neta`].IPAddress, "198.19.160.20");
});

test("destroy removes the networks and their containers", { timeout: TIMEOUT }, async () => {
    await stack.destroy();
    for (const key of ["srv", "multi", "hostc", "shared"]) {
        assert.equal(await inspectOrUndefined(`${PREFIX}-${key}`), undefined, key);
    }
    assert.equal(await inspectNetworkOrUndefined(`${PREFIX}-neta`), undefined);
    assert.equal(await inspectNetworkOrUndefined(`${PREFIX}-netb`), undefined);
});

test("destroy succeeds when the network and its container are already gone", { timeout: TIMEOUT }, async () => {
    const res = await up({ networks: [NET_B], containers: [attached("gone", [{ network: "netb", ipv4Address: "198.19.161.5" }])] });
    assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { create: 3 });
    await removeOutOfBand(`${PREFIX}-gone`);
    await docker.getNetwork(`${PREFIX}-netb`).remove();
    const destroyed = await stack.destroy();
    assert.deepEqual(changes(destroyed.summary.resourceChanges ?? {}), { delete: 3 });
    assert.deepEqual(await stackResources("docker:index/network:Network"), []);
});

test("macvlan (bridge mode) on a veth end: network and container with its fixed address", { timeout: TIMEOUT }, async () => {
    makeParents();
    try {
        const mac = network("mac", "198.19.162", { driver: "macvlan", options: { parent: PARENT, macvlan_mode: "bridge" } });
        const res = await up({ networks: [mac], containers: [attached("macc", [{ network: "mac", ipv4Address: "198.19.162.10" }])] });
        assert.deepEqual(changes(res.summary.resourceChanges ?? {}), { create: 3 });
        const live = await inspectNetworkOrUndefined(`${PREFIX}-mac`);
        assert.equal(live?.Driver, "macvlan");
        assert.deepEqual(live?.Options, { parent: PARENT, macvlan_mode: "bridge" });
        assert.equal(networkOutputsOf(res).mac.driver, "macvlan");
        const data = outputsOf(res).macc.networkDatas;
        assert.deepEqual(data.map((d) => [d.networkName, d.ipAddress, d.ipPrefixLength]), [[`${PREFIX}-mac`, "198.19.162.10", 24]]);
        await stack.destroy();
        assert.equal(await inspectNetworkOrUndefined(`${PREFIX}-mac`), undefined);
    } finally {
        removeParents();
    }
});

test("ipvlan without the kernel module: the network is created, the container fails with the daemon's error", { timeout: TIMEOUT }, async (t) => {
    makeParents();
    try {
        const ipv = network("ipv", "198.19.163", { driver: "ipvlan", options: { parent: PARENT, ipvlan_mode: "l2" } });
        const spec = { networks: [ipv], containers: [attached("ipvc", [{ network: "ipv", ipv4Address: "198.19.163.10" }])] };
        await assert.rejects(up(spec), (err: Error) => {
            t.diagnostic(err.message.split("\n").filter((l) => /ipvlan port/.test(l)).pop() ?? "");
            return /Unable to start container: Error response from daemon: failed to create the ipvlan port: operation not supported/.test(
                err.message,
            );
        });
        assert.equal((await inspectNetworkOrUndefined(`${PREFIX}-ipv`))?.Driver, "ipvlan");
        assert.deepEqual(await stackResources("docker:index/network:Network"), ["ipv"]);
        assert.equal(await inspectOrUndefined(`${PREFIX}-ipvc`), undefined);
        await stack.destroy();
        assert.equal(await inspectNetworkOrUndefined(`${PREFIX}-ipv`), undefined);
    } finally {
        removeParents();
    }
});

test("an unsupported network input is rejected with an error naming it", { timeout: TIMEOUT }, async (t) => {
    const props = { name: `${PREFIX}-raw`, checkDuplicate: true, labels: NET_STACK_LABEL, ipamConfigs: [{ subnet: "198.19.164.0/24" }] };
    await assert.rejects(up({ containers: [], raw: { key: "rawnet", type: "docker:index/network:Network", props } }), (err: Error) => {
        t.diagnostic(err.message.split("\n").filter((l) => /checkDuplicate/.test(l))[0] ?? "");
        return /unsupported property "checkDuplicate"/.test(err.message);
    });
    assert.equal(await inspectNetworkOrUndefined(`${PREFIX}-raw`), undefined);
});
