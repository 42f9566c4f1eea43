// Unit tests of the offline docker provider's pure parts: validation, defaults, diff, create
// options, inspect -> outputs, provider config and docker host parsing. No Docker needed.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ConfigureRequest } from "@pulumi/pulumi/proto/provider_pb";
import {
    dockerOptions,
    effectiveHost,
    getProviderConfig,
    installConfigureHook,
    parseConfigVariables,
} from "../../providers/docker/config";
import { applyDefaults, diffInputs, toSpec, validateInputs } from "../../providers/docker/inputs";
import { InspectedContainer, refreshOutputs, toCreateOptions, toNetworkDatas, toOutputs } from "../../providers/docker/mapping";
import { DockerProvider, urnType } from "../../providers/docker/provider";
import { PropertyMap, UNKNOWN } from "../../providers/shared/values";

const URN = "urn:pulumi:dev::proj::docker:index/container:Container::c";
const SECRET = (value: unknown): PropertyMap => ({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    value,
});

const FULL: PropertyMap = {
    name: "icc-bench-x",
    image: "icc-bench/iperf:bookworm",
    command: ["sleep", "infinity"],
    entrypoints: ["/bin/sh", "-c"],
    envs: ["A=1", "B=2"],
    labels: [
        { label: "icc-bench.stack", value: "t" },
        { label: "role", value: "server" },
    ],
    hosts: [{ host: "peer", ip: "10.0.0.2" }],
    networkMode: "none",
    capabilities: { adds: ["NET_ADMIN"], drops: ["MKNOD"] },
    restart: "unless-stopped",
    mustRun: true,
    start: true,
    init: true,
    rm: false,
    destroyGraceSeconds: 5,
};

function inspected(over: Partial<InspectedContainer> = {}): InspectedContainer {
    return {
        Id: "abc123",
        Name: "/icc-bench-x",
        State: { Running: true, Status: "running" },
        Config: { Cmd: ["bash"], Entrypoint: null },
        HostConfig: { RestartPolicy: { Name: "no" }, AutoRemove: false, Init: false },
        NetworkSettings: {
            Networks: {
                bridge: {
                    IPAddress: "172.17.0.2",
                    IPPrefixLen: 16,
                    Gateway: "172.17.0.1",
                    MacAddress: "02:42:ac:11:00:02",
                    GlobalIPv6Address: "",
                    GlobalIPv6PrefixLen: 0,
                    IPv6Gateway: "",
                },
            },
        },
        ...over,
    };
}

// ------------------------------------------------------------------ validation

test("validateInputs accepts every supported input", () => {
    assert.deepEqual(validateInputs(FULL), []);
    assert.deepEqual(validateInputs({ image: "i" }), []);
});

test("validateInputs rejects an unsupported property, naming it", () => {
    const failures = validateInputs({ image: "i", ports: [{ internal: 80 }] });
    assert.equal(failures.length, 1);
    assert.equal(failures[0].property, "ports");
    assert.match(failures[0].reason, /unsupported property "ports"/);
});

test("validateInputs rejects unsupported nested fields, naming them", () => {
    const failures = validateInputs({ image: "i", labels: [{ label: "a", value: "b", extra: 1 }] });
    assert.deepEqual(
        failures.map((f) => f.property),
        ["labels[0].extra"],
    );
    assert.deepEqual(
        validateInputs({ image: "i", capabilities: { adds: [], bogus: [] } }).map((f) => f.property),
        ["capabilities.bogus"],
    );
});

test("validateInputs requires image and checks types and enums", () => {
    assert.deepEqual(
        validateInputs({}).map((f) => f.property),
        ["image"],
    );
    const failures = validateInputs({
        image: "i",
        restart: "sometimes",
        mustRun: "yes",
        destroyGraceSeconds: -1,
        command: ["ok", ""],
        hosts: [{ host: "h" }],
        envs: "A=1",
    });
    assert.deepEqual(failures.map((f) => f.property).sort(), [
        "command[1]",
        "destroyGraceSeconds",
        "envs",
        "hosts[0].ip",
        "mustRun",
        "restart",
    ]);
});

test("validateInputs lets unknown values (preview) and secrets through", () => {
    assert.deepEqual(validateInputs({ image: UNKNOWN, labels: [{ label: "a", value: UNKNOWN }], envs: UNKNOWN }), []);
    assert.deepEqual(validateInputs({ image: SECRET("i"), envs: SECRET(["A=1"]) }), []);
    assert.equal(validateInputs({ image: SECRET(3) })[0].property, "image");
});

test("applyDefaults fills the official defaults and drops nulls", () => {
    assert.deepEqual(applyDefaults({ image: "i", init: null }), {
        image: "i",
        networkMode: "bridge",
        restart: "no",
        mustRun: true,
        start: true,
        rm: false,
    });
    assert.equal(applyDefaults({ image: "i", restart: "always" }).restart, "always");
});

test("toSpec reveals secrets and refuses unknowns and invalid inputs", () => {
    assert.deepEqual(toSpec({ image: SECRET("i") }).image, "i");
    assert.throws(() => toSpec({ image: UNKNOWN }), /unknown/);
    assert.throws(() => toSpec({ image: "i", bogus: 1 }), /bogus/);
});

// ------------------------------------------------------------------ diff

const state = (over: PropertyMap = {}): PropertyMap => ({ ...applyDefaults(FULL), networkDatas: [], ...over });

test("diff: identical inputs give no changes", () => {
    assert.deepEqual(diffInputs(state(), applyDefaults(FULL)), { changes: false, replaces: [] });
});

test("diff: envs, labels and hosts compare as sets", () => {
    const news = applyDefaults({
        ...FULL,
        envs: ["B=2", "A=1"],
        labels: [
            { value: "server", label: "role" },
            { label: "icc-bench.stack", value: "t" },
        ],
        capabilities: { drops: ["MKNOD"], adds: ["NET_ADMIN"] },
    });
    assert.equal(diffInputs(state(), news).changes, false);
});

test("diff: ForceNew properties replace", () => {
    const cases: PropertyMap = {
        name: "other",
        image: "other",
        command: ["infinity", "sleep"],
        entrypoints: ["/bin/bash"],
        envs: ["A=1"],
        labels: [{ label: "role", value: "client" }],
        hosts: [],
        networkMode: "bridge",
        capabilities: { adds: ["NET_ADMIN"] },
    };
    for (const [k, v] of Object.entries(cases)) {
        const d = diffInputs(state(), applyDefaults({ ...FULL, [k]: v }));
        assert.deepEqual(d, { changes: true, replaces: [k] }, k);
    }
});

test("diff: restart, mustRun, destroyGraceSeconds, rm, start, init update in place", () => {
    const cases: PropertyMap = { restart: "always", mustRun: false, destroyGraceSeconds: 1, rm: true, start: false, init: false };
    for (const [k, v] of Object.entries(cases)) {
        assert.deepEqual(diffInputs(state(), applyDefaults({ ...FULL, [k]: v })), { changes: true, replaces: [] }, k);
    }
});

test("diff: leaving out computed properties keeps the state; defaults compare equal to absence", () => {
    const minimal = applyDefaults({ image: "i" });
    const old = { ...minimal, name: "generated", command: ["bash"], entrypoints: [], envs: [], labels: [], init: false };
    assert.deepEqual(diffInputs(old, minimal), { changes: false, replaces: [] });
    assert.deepEqual(diffInputs({ image: "i" }, minimal), { changes: false, replaces: [] });
    assert.deepEqual(diffInputs({ ...minimal, hosts: [{ host: "a", ip: "1.2.3.4" }] }, minimal).replaces, ["hosts"]);
});

test("diff: an unknown value (preview) counts as a change; secrets are compared by value", () => {
    assert.deepEqual(diffInputs(state(), applyDefaults({ ...FULL, image: UNKNOWN })).replaces, ["image"]);
    assert.deepEqual(diffInputs(state(), applyDefaults({ ...FULL, restart: UNKNOWN })), { changes: true, replaces: [] });
    assert.equal(diffInputs(state(), applyDefaults({ ...FULL, envs: SECRET(["A=1", "B=2"]) })).changes, false);
});

// ------------------------------------------------------------------ mapping

test("toCreateOptions maps every supported input", () => {
    assert.deepEqual(toCreateOptions(toSpec(FULL)), {
        name: "icc-bench-x",
        Image: "icc-bench/iperf:bookworm",
        Cmd: ["sleep", "infinity"],
        Entrypoint: ["/bin/sh", "-c"],
        Env: ["A=1", "B=2"],
        Labels: { "icc-bench.stack": "t", role: "server" },
        Tty: false,
        OpenStdin: false,
        HostConfig: {
            NetworkMode: "none",
            RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 },
            AutoRemove: false,
            Init: true,
            ExtraHosts: ["peer:10.0.0.2"],
            CapAdd: ["NET_ADMIN"],
            CapDrop: ["MKNOD"],
        },
    });
});

test("toCreateOptions leaves unset and empty lists out, init false by default", () => {
    assert.deepEqual(toCreateOptions(toSpec({ image: "i", envs: [] })), {
        Image: "i",
        Tty: false,
        OpenStdin: false,
        HostConfig: { NetworkMode: "bridge", RestartPolicy: { Name: "no", MaximumRetryCount: 0 }, AutoRemove: false, Init: false },
    });
});

test("toNetworkDatas: default bridge", () => {
    assert.deepEqual(toNetworkDatas(inspected()), [
        {
            networkName: "bridge",
            ipAddress: "172.17.0.2",
            ipPrefixLength: 16,
            gateway: "172.17.0.1",
            macAddress: "02:42:ac:11:00:02",
            globalIpv6Address: "",
            globalIpv6PrefixLength: 0,
            ipv6Gateway: "",
        },
    ]);
});

test("toNetworkDatas: networkMode none gives one empty entry named none; several are sorted", () => {
    const none = inspected({ NetworkSettings: { Networks: { none: { IPAddress: "", IPPrefixLen: 0, Gateway: "" } } } });
    assert.deepEqual(toNetworkDatas(none), [
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
    const two = inspected({ NetworkSettings: { Networks: { zeta: {}, alpha: {} } } });
    assert.deepEqual(
        toNetworkDatas(two).map((n) => n.networkName),
        ["alpha", "zeta"],
    );
    assert.deepEqual(toNetworkDatas(inspected({ NetworkSettings: null })), []);
});

test("toOutputs keeps the inputs (secrets too) and fills computed properties from the container", () => {
    const outs = toOutputs(applyDefaults({ image: "i", envs: SECRET(["A=1"]) }), inspected());
    assert.deepEqual(outs.envs, SECRET(["A=1"]));
    assert.equal(outs.name, "icc-bench-x");
    assert.deepEqual(outs.command, ["bash"]);
    assert.deepEqual(outs.entrypoints, []);
    assert.deepEqual(outs.labels, []);
    assert.equal(outs.init, false);
    assert.equal(outs.restart, "no");
    assert.equal((outs.networkDatas as unknown[]).length, 1);
    assert.equal("hosts" in outs, false);
    const full = toOutputs(applyDefaults(FULL), inspected());
    assert.deepEqual(full.command, FULL.command);
    assert.equal(full.init, true);
});

test("refreshOutputs reads restart, rm, init, name and networks; a stopped container loses mustRun", () => {
    const old = toOutputs(applyDefaults(FULL), inspected());
    const live = inspected({
        Name: "/renamed",
        HostConfig: { RestartPolicy: { Name: "always" }, AutoRemove: false, Init: true },
    });
    const fresh = refreshOutputs(old, live);
    assert.equal(fresh.restart, "always");
    assert.equal(fresh.name, "renamed");
    assert.equal(fresh.mustRun, true);
    assert.deepEqual(fresh.labels, FULL.labels);
    const stopped = refreshOutputs(old, inspected({ State: { Running: false, Status: "exited" } }));
    assert.equal(stopped.mustRun, false);
    assert.equal(refreshOutputs(old, inspected({ HostConfig: { RestartPolicy: { Name: "" } } })).restart, "no");
    const notStarted = refreshOutputs({ ...old, start: false }, inspected({ State: { Running: false, Status: "created" } }));
    assert.equal(notStarted.mustRun, true);
});

// ------------------------------------------------------------------ config, URNs, provider guards

test("provider config: docker:host, other keys reported as unsupported", () => {
    const c = parseConfigVariables(
        new Map([
            ["docker:config:host", "unix:///run/x.sock"],
            ["docker:config:registryAuth", "[]"],
        ]),
    );
    assert.deepEqual(c, { host: "unix:///run/x.sock", unsupported: ["registryAuth"] });
    assert.equal(effectiveHost(c, { DOCKER_HOST: "tcp://h:1" }), "unix:///run/x.sock");
    assert.equal(effectiveHost({ unsupported: [] }, { DOCKER_HOST: "tcp://h:1" }), "tcp://h:1");
    assert.equal(effectiveHost({ unsupported: [] }, {}), "unix:///var/run/docker.sock");
});

test("installConfigureHook records docker:host from the Configure request's variables", () => {
    installConfigureHook();
    const req = new ConfigureRequest();
    req.getVariablesMap().set("docker:config:host", "unix:///run/other.sock");
    const decoded = providerGrpc.ResourceProviderService.configure.requestDeserialize(Buffer.from(req.serializeBinary()));
    assert.equal(decoded.getVariablesMap().get("docker:config:host"), "unix:///run/other.sock");
    assert.deepEqual(getProviderConfig(), { host: "unix:///run/other.sock", unsupported: [] });
});

test("dockerOptions: unix and tcp hosts; TLS and other schemes rejected", () => {
    assert.deepEqual(dockerOptions("unix:///var/run/docker.sock", {}), { socketPath: "/var/run/docker.sock" });
    assert.deepEqual(dockerOptions("tcp://10.1.2.3:2376", {}), { protocol: "http", host: "10.1.2.3", port: 2376 });
    assert.deepEqual(dockerOptions("tcp://dockerd", {}), { protocol: "http", host: "dockerd", port: 2375 });
    assert.throws(() => dockerOptions("tcp://h:2376", { DOCKER_TLS_VERIFY: "1" }), /TLS/);
    assert.throws(() => dockerOptions("ssh://user@h", {}), /ssh:/);
    assert.throws(() => dockerOptions("not a url", {}), /not a URL/);
});

test("urnType handles parents", () => {
    assert.equal(urnType(URN), "docker:index/container:Container");
    assert.equal(urnType("urn:pulumi:s::p::my:comp$docker:index/network:Network::n"), "docker:index/network:Network");
});

test("the provider rejects other resource types and unsupported provider config, naming them", async () => {
    const p = new DockerProvider(() => ({ unsupported: [] }), {});
    await assert.rejects(
        p.check("urn:pulumi:s::p::docker:index/network:Network::n", {}, { name: "n" }),
        /unsupported resource type docker:index\/network:Network/,
    );
    const bad = new DockerProvider(() => ({ unsupported: ["registryAuth"] }), {});
    await assert.rejects(bad.check(URN, {}, { image: "i" }), /docker:registryAuth/);
    const checked = await p.check(URN, {}, { image: "i", bogus: true });
    assert.equal(checked.failures?.[0].property, "bogus");
    assert.deepEqual((await p.check(URN, {}, { image: "i" })).inputs, applyDefaults({ image: "i" }));
    await assert.rejects(p.invoke("docker:index/getNetwork:getNetwork"), /unsupported function/);
});
