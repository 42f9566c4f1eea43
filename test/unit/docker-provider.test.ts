// Unit tests of the offline docker provider's pure parts (containers and networks): validation, defaults, diff, create
// options, inspect -> outputs, provider config and docker host parsing. No Docker needed.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { ConfigureRequest } from "@pulumi/pulumi/proto/provider_pb";
import { Agent } from "node:http";
import { dockerOptions, sshArgv } from "../../providers/shared/dockerEndpoint";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
    effectiveCertPath,
    effectiveHost,
    getProviderConfig,
    installConfigureHook,
    parseConfigVariables,
} from "../../providers/docker/config";
import { CONTAINER, NETWORK, toContainerSpec, toNetworkSpec } from "../../providers/docker/inputs";
import {
    InspectedContainer,
    InspectedNetwork,
    endpointConfig,
    laterAttachments,
    refreshOutputs,
    toCreateOptions,
    toNetworkCreateOptions,
    toNetworkDatas,
    toNetworkOutputs,
    toOutputs,
} from "../../providers/docker/mapping";
import { DockerProvider, urnType } from "../../providers/docker/provider";
import * as values from "../../providers/shared/values";
import { PropertyMap, UNKNOWN } from "../../providers/shared/values";

// The container's schema applied (the tests below were written for it).
const validateInputs = (news: PropertyMap) => values.validateInputs(CONTAINER, news);
const applyDefaults = (news: PropertyMap) => values.applyDefaults(CONTAINER, news);
const diffInputs = (olds: PropertyMap, news: PropertyMap) => values.diffInputs(CONTAINER, olds, news);
const toSpec = toContainerSpec;

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

test("provider config: docker:certPath, else DOCKER_CERT_PATH, as the official plugin's certPath", () => {
    const c = parseConfigVariables(new Map([["docker:config:host", "tcp://198.19.128.11:2376"], ["docker:config:certPath", "/etc/tls/one"]]));
    assert.deepEqual(c, { host: "tcp://198.19.128.11:2376", certPath: "/etc/tls/one", unsupported: [] });
    assert.equal(effectiveCertPath(c, { DOCKER_CERT_PATH: "/etc/tls/env" }), "/etc/tls/one");
    assert.equal(effectiveCertPath({ unsupported: [] }, { DOCKER_CERT_PATH: "/etc/tls/env" }), "/etc/tls/env");
    assert.equal(effectiveCertPath({ unsupported: [] }, {}), undefined);
});

test("installConfigureHook records docker:host from the Configure request's variables", () => {
    installConfigureHook();
    const req = new ConfigureRequest();
    req.getVariablesMap().set("docker:config:host", "unix:///run/other.sock");
    const decoded = providerGrpc.ResourceProviderService.configure.requestDeserialize(Buffer.from(req.serializeBinary()));
    assert.equal(decoded.getVariablesMap().get("docker:config:host"), "unix:///run/other.sock");
    assert.deepEqual(getProviderConfig(), { host: "unix:///run/other.sock", unsupported: [] });
});

test("ssh endpoints: the Docker CLI's ssh command (connhelper), user and port only when given", () => {
    assert.deepEqual(sshArgv({ user: "root", host: "198.19.128.12", port: 2222 }), ["-o", "ConnectTimeout=30", "-l", "root", "-p", "2222", "--", "198.19.128.12", "docker", "system", "dial-stdio"]);
    assert.deepEqual(sshArgv({ host: "bench-2" }), ["-o", "ConnectTimeout=30", "--", "bench-2", "docker", "system", "dial-stdio"]);
    const { agent, ...rest } = dockerOptions("ssh://root@198.19.128.12", {});
    assert.deepEqual(rest, { protocol: "http", host: "docker", port: 80 });
    assert.ok(agent instanceof Agent, "requests go through an agent whose connections are ssh processes");
});

test("dockerOptions with certPath: https to the tcp host with the folder's ca.pem, cert.pem and key.pem; a missing file or another scheme refused", () => {
    const folder = mkdtempSync(join(tmpdir(), "icc-bench-unit-tls-"));
    try {
        for (const f of ["ca", "cert", "key"]) {
            writeFileSync(join(folder, `${f}.pem`), `${f} of the test`);
        }
        const options = dockerOptions("tcp://198.19.128.11:2376", {}, folder);
        assert.deepEqual(
            { ...options, ca: String(options.ca), cert: String(options.cert), key: String(options.key) },
            { protocol: "https", host: "198.19.128.11", port: 2376, ca: "ca of the test", cert: "cert of the test", key: "key of the test" },
        );
        assert.equal(dockerOptions("tcp://dockerd", {}, folder).port, 2376, "TLS's default port");
        assert.throws(() => dockerOptions("unix:///var/run/docker.sock", {}, folder), /go with a tcp:\/\/ endpoint only/);
        rmSync(join(folder, "key.pem"));
        assert.throws(() => dockerOptions("tcp://198.19.128.11:2376", {}, folder), /cannot read the TLS file .*key\.pem/);
    } finally {
        rmSync(folder, { recursive: true, force: true });
    }
});

test("dockerOptions: unix and tcp hosts; TLS without its files and other schemes rejected", () => {
    assert.deepEqual(dockerOptions("unix:///var/run/docker.sock", {}), { socketPath: "/var/run/docker.sock" });
    assert.deepEqual(dockerOptions("tcp://10.1.2.3:2376", {}), { protocol: "http", host: "10.1.2.3", port: 2376 });
    assert.deepEqual(dockerOptions("tcp://dockerd", {}), { protocol: "http", host: "dockerd", port: 2375 });
    assert.throws(() => dockerOptions("tcp://h:2376", { DOCKER_TLS_VERIFY: "1" }), /DOCKER_TLS_VERIFY is set but no folder of TLS files/);
    assert.throws(() => dockerOptions("ssh://user@h/var/run/docker.sock", {}), /ssh:\/\/\[user@\]host\[:port\], with no password, path or query/);
    assert.throws(() => dockerOptions("npipe:////./pipe/docker_engine", {}), /scheme npipe: is not supported/);
    assert.throws(() => dockerOptions("not a url", {}), /not a URL/);
});

test("urnType handles parents", () => {
    assert.equal(urnType(URN), "docker:index/container:Container");
    assert.equal(urnType("urn:pulumi:s::p::my:comp$docker:index/network:Network::n"), "docker:index/network:Network");
});

test("the provider rejects other resource types and unsupported provider config, naming them", async () => {
    const p = new DockerProvider(() => ({ unsupported: [] }), {});
    await assert.rejects(
        p.check("urn:pulumi:s::p::docker:index/volume:Volume::v", {}, { name: "v" }),
        /unsupported resource type docker:index\/volume:Volume: .* implements only docker:index\/container:Container, docker:index\/network:Network/,
    );
    const bad = new DockerProvider(() => ({ unsupported: ["registryAuth"] }), {});
    await assert.rejects(bad.check(URN, {}, { image: "i" }), /docker:registryAuth/);
    await assert.rejects(bad.check(NET_URN, {}, NET), /docker:registryAuth/);
    const checked = await p.check(URN, {}, { image: "i", bogus: true });
    assert.equal(checked.failures?.[0].property, "bogus");
    assert.deepEqual((await p.check(URN, {}, { image: "i" })).inputs, applyDefaults({ image: "i" }));
    await assert.rejects(p.invoke("docker:index/getNetwork:getNetwork"), /unsupported function/);
});

// ------------------------------------------------------------------ container network properties

const ATTACHED: PropertyMap = {
    image: "i",
    networksAdvanced: [
        { name: "icc-bench-t-bridge", ipv4Address: "198.19.160.10", aliases: ["server0", "s0"] },
        { name: "icc-bench-t-other", aliases: ["x"] },
    ],
};

test("container: networksAdvanced, networkMode host and container:<id> are accepted", () => {
    assert.deepEqual(validateInputs(ATTACHED), []);
    assert.deepEqual(validateInputs({ image: "i", networkMode: "host" }), []);
    assert.deepEqual(validateInputs({ image: "i", networkMode: "container:0123abcd" }), []);
    assert.deepEqual(validateInputs({ image: "i", networksAdvanced: [{ name: UNKNOWN }], networkMode: UNKNOWN }), []);
    assert.equal(applyDefaults(ATTACHED).networkMode, "bridge");
});

test("container: other network modes and networksAdvanced fields are rejected, naming them", () => {
    const mode = validateInputs({ image: "i", networkMode: "my-network" });
    assert.deepEqual(mode.map((f) => f.property), ["networkMode"]);
    assert.match(mode[0].reason, /unsupported network mode "my-network"/);
    assert.equal(validateInputs({ image: "i", networkMode: "container:" })[0].property, "networkMode");
    const field = validateInputs({ image: "i", networksAdvanced: [{ name: "n", ipv6Address: "fd00::2" }] });
    assert.deepEqual(field.map((f) => f.property), ["networksAdvanced[0].ipv6Address"]);
    assert.match(field[0].reason, /unsupported property "networksAdvanced\[0\]\.ipv6Address": only name, ipv4Address, aliases/);
    assert.deepEqual(
        validateInputs({ image: "i", networksAdvanced: [{ ipv4Address: "198.19.160.2" }] }).map((f) => f.property),
        ["networksAdvanced[0].name"],
    );
    const host = validateInputs({ ...ATTACHED, networkMode: "host" });
    assert.deepEqual(host.map((f) => f.property), ["networksAdvanced"]);
    assert.match(host[0].reason, /needs networkMode "bridge"/);
});

test("container diff: networksAdvanced replaces on a changed address or name; aliases and entries compare as sets", () => {
    const old = { ...applyDefaults(ATTACHED), networkDatas: [] };
    const reordered = applyDefaults({
        image: "i",
        networksAdvanced: [
            { aliases: ["x"], name: "icc-bench-t-other" },
            { name: "icc-bench-t-bridge", aliases: ["s0", "server0"], ipv4Address: "198.19.160.10" },
        ],
    });
    assert.deepEqual(diffInputs(old, reordered), { changes: false, replaces: [] });
    const moved = structuredClone(ATTACHED);
    (moved.networksAdvanced as PropertyMap[])[0].ipv4Address = "198.19.160.11";
    assert.deepEqual(diffInputs(old, applyDefaults(moved)), { changes: true, replaces: ["networksAdvanced"] });
    const alias = structuredClone(ATTACHED);
    (alias.networksAdvanced as PropertyMap[])[1].aliases = ["y"];
    assert.deepEqual(diffInputs(old, applyDefaults(alias)).replaces, ["networksAdvanced"]);
    const unknownName = structuredClone(ATTACHED);
    (unknownName.networksAdvanced as PropertyMap[])[0].name = UNKNOWN;
    assert.deepEqual(diffInputs(old, applyDefaults(unknownName)).replaces, ["networksAdvanced"]);
    assert.deepEqual(diffInputs(old, applyDefaults({ image: "i" })).replaces, ["networksAdvanced"]);
    const shared = applyDefaults({ image: "i", networkMode: "container:aaa" });
    assert.deepEqual(diffInputs(shared, applyDefaults({ image: "i", networkMode: "container:bbb" })).replaces, ["networkMode"]);
    assert.deepEqual(diffInputs(shared, applyDefaults({ image: "i", networkMode: UNKNOWN })).replaces, ["networkMode"]);
});

test("container create: the first network is the create's endpoint, the others are connected after", () => {
    const spec = toSpec(ATTACHED);
    const options = toCreateOptions(spec);
    assert.equal(options.HostConfig?.NetworkMode, "bridge");
    assert.deepEqual(options.NetworkingConfig, {
        EndpointsConfig: {
            "icc-bench-t-bridge": { IPAMConfig: { IPv4Address: "198.19.160.10" }, Aliases: ["server0", "s0"] },
        },
    });
    assert.deepEqual(laterAttachments(spec), [{ name: "icc-bench-t-other", aliases: ["x"] }]);
    assert.deepEqual(endpointConfig({ name: "n" }), {});
    assert.equal(toCreateOptions(toSpec({ image: "i", networkMode: "host" })).NetworkingConfig, undefined);
    assert.deepEqual(laterAttachments(toSpec({ image: "i" })), []);
});

test("toNetworkDatas: host gives one empty entry named host; container:<id> gives none", () => {
    const host = toNetworkDatas(inspected({ NetworkSettings: { Networks: { host: { IPAddress: "", IPPrefixLen: 0, Gateway: "", MacAddress: "" } } } }));
    assert.deepEqual(host, [
        {
            networkName: "host",
            ipAddress: "",
            ipPrefixLength: 0,
            gateway: "",
            macAddress: "",
            globalIpv6Address: "",
            globalIpv6PrefixLength: 0,
            ipv6Gateway: "",
        },
    ]);
    assert.deepEqual(toNetworkDatas(inspected({ NetworkSettings: { Networks: {} } })), []);
});

// ------------------------------------------------------------------ docker:index/network:Network

const NET_URN = "urn:pulumi:dev::proj::icc-bench:lab:MethodLab$docker:index/network:Network::net";
const NET: PropertyMap = {
    name: "icc-bench-t-bridge",
    driver: "bridge",
    options: { "com.docker.network.bridge.name": "ibtbr0", "com.docker.network.driver.mtu": "1500" },
    ipamConfigs: [{ subnet: "198.19.160.0/24", gateway: "198.19.160.1", ipRange: "198.19.160.128/25", auxAddress: { host: "198.19.160.2" } }],
    labels: [
        { label: "icc-bench.stack", value: "t" },
        { label: "icc-bench.method", value: "bridge" },
    ],
    attachable: true,
    internal: false,
    ipv6: false,
};
const netValidate = (news: PropertyMap) => values.validateInputs(NETWORK, news);
const netDefaults = (news: PropertyMap) => values.applyDefaults(NETWORK, news);
const netDiff = (olds: PropertyMap, news: PropertyMap) => values.diffInputs(NETWORK, olds, news);

function inspectedNetwork(over: Partial<InspectedNetwork> = {}): InspectedNetwork {
    return {
        Id: "net123",
        Name: "icc-bench-t-bridge",
        Driver: "bridge",
        Scope: "local",
        Internal: false,
        Attachable: false,
        Ingress: false,
        EnableIPv6: false,
        IPAM: { Driver: "default", Config: [{ Subnet: "198.19.160.0/24", Gateway: "198.19.160.1" }] },
        Options: {},
        Labels: { "icc-bench.stack": "t" },
        ...over,
    };
}

test("network check: every served input is accepted; ipamDriver defaults to default", () => {
    assert.deepEqual(netValidate(NET), []);
    assert.deepEqual(netValidate({ name: "n", driver: "macvlan", options: { parent: "ibtprovpa", macvlan_mode: "bridge" } }), []);
    assert.deepEqual(netValidate({ name: UNKNOWN, labels: UNKNOWN, ipamConfigs: [{ subnet: UNKNOWN }] }), []);
    assert.deepEqual(netDefaults({ name: "n", driver: null }), { name: "n", ipamDriver: "default" });
    assert.equal(toNetworkSpec(netDefaults({ name: "n", ipamDriver: "null" })).ipamDriver, "null");
});

test("network check: a missing name, other inputs and nested fields are rejected, naming them", () => {
    assert.deepEqual(netValidate({}).map((f) => f.property), ["name"]);
    for (const k of ["checkDuplicate", "ingress", "ipamOptions", "bogus"]) {
        const failures = netValidate({ name: "n", [k]: true });
        assert.deepEqual(failures.map((f) => f.property), [k], k);
        assert.match(failures[0].reason, new RegExp(`unsupported property "${k}": .* of docker:index/network:Network`));
    }
    assert.deepEqual(netValidate({ name: "n", ipv6: true }).map((f) => f.property), ["ipv6"]);
    assert.deepEqual(
        netValidate({ name: "n", ipamConfigs: [{ subnet: "198.19.160.0/24", mask: 24 }], options: { mtu: 1500 } }).map((f) => f.property),
        ["ipamConfigs[0].mask", "options.mtu"],
    );
    assert.deepEqual(netValidate({ name: "n", labels: [{ label: "a" }] }).map((f) => f.property), ["labels[0].value"]);
});

test("network diff: every input is ForceNew (a label or option value replaces); sets and read-back defaults compare equal", () => {
    const liveNet = inspectedNetwork({
        Attachable: true,
        Options: NET.options as Record<string, string>,
        Labels: { "icc-bench.stack": "t", "icc-bench.method": "bridge" },
        IPAM: {
            Driver: "default",
            Config: [{ Subnet: "198.19.160.0/24", Gateway: "198.19.160.1", IPRange: "198.19.160.128/25", AuxiliaryAddresses: { host: "198.19.160.2" } }],
        },
    });
    const state = toNetworkOutputs(netDefaults(NET), liveNet, true);
    assert.deepEqual(netDiff(state, netDefaults(NET)), { changes: false, replaces: [] });
    assert.deepEqual(netDiff(toNetworkOutputs(state, liveNet, false), netDefaults(NET)), { changes: false, replaces: [] });
    const cases: PropertyMap = {
        name: "other",
        driver: "macvlan",
        options: { ...(NET.options as PropertyMap), "com.docker.network.driver.mtu": "1400" },
        ipamConfigs: [{ subnet: "198.19.161.0/24", gateway: "198.19.161.1" }],
        ipamDriver: "null",
        labels: [
            { label: "icc-bench.stack", value: "t" },
            { label: "icc-bench.method", value: "ipvlan" },
        ],
        attachable: false,
        internal: true,
    };
    const stateOfNet = netDefaults(NET);
    for (const [k, v] of Object.entries(cases)) {
        assert.deepEqual(netDiff(stateOfNet, netDefaults({ ...NET, [k]: v })), { changes: true, replaces: [k] }, k);
    }
    const reordered = netDefaults({ ...NET, labels: [...(NET.labels as PropertyMap[])].reverse() });
    assert.equal(netDiff(stateOfNet, reordered).changes, false);
    // Read back by the official provider: ipRange "" and auxAddress null where none was given.
    const minimal = netDefaults({ name: "icc-bench-t-bridge", ipamConfigs: [{ subnet: "198.19.160.0/24", gateway: "198.19.160.1" }] });
    const read = toNetworkOutputs(minimal, inspectedNetwork({ Labels: {} }), true);
    assert.deepEqual(netDiff(read, minimal), { changes: false, replaces: [] });
    assert.deepEqual(netDiff(read, netDefaults({ ...minimal, labels: [{ label: "icc-bench.stack", value: "t" }] })).replaces, ["labels"]);
    assert.deepEqual(netDiff(read, netDefaults({ ...minimal, name: UNKNOWN })).replaces, ["name"]);
});

test("network create options: driver, options, labels, IPAM with its driver, flags", () => {
    assert.deepEqual(toNetworkCreateOptions(toNetworkSpec(NET)), {
        Name: "icc-bench-t-bridge",
        Driver: "bridge",
        Options: { "com.docker.network.bridge.name": "ibtbr0", "com.docker.network.driver.mtu": "1500" },
        Labels: { "icc-bench.stack": "t", "icc-bench.method": "bridge" },
        Internal: false,
        Attachable: true,
        EnableIPv6: false,
        IPAM: {
            Driver: "default",
            Config: [{ Subnet: "198.19.160.0/24", IPRange: "198.19.160.128/25", Gateway: "198.19.160.1", AuxiliaryAddresses: { host: "198.19.160.2" } }],
        },
    });
    assert.deepEqual(toNetworkCreateOptions(toNetworkSpec({ name: "n" })), { Name: "n", IPAM: { Driver: "default" } });
    assert.throws(() => toNetworkSpec({ name: "n", checkDuplicate: true }), /checkDuplicate/);
    assert.throws(() => toNetworkSpec({ name: UNKNOWN }), /unknown/);
});

test("network outputs: as the official provider reads them (scope, flags, ipamOptions null, ipRange '', auxAddress null)", () => {
    const inputs = netDefaults({
        name: "icc-bench-t-bridge",
        driver: "bridge",
        options: { "com.docker.network.bridge.name": "ibtbr0" },
        ipamConfigs: [{ subnet: "198.19.160.0/24", gateway: "198.19.160.1" }],
        labels: [{ label: "icc-bench.stack", value: "t" }],
    });
    const outs = toNetworkOutputs(inputs, inspectedNetwork({ Options: { "com.docker.network.bridge.name": "ibtbr0" } }), true);
    assert.deepEqual(outs, {
        name: "icc-bench-t-bridge",
        driver: "bridge",
        scope: "local",
        attachable: false,
        internal: false,
        ingress: false,
        ipv6: false,
        ipamDriver: "default",
        ipamOptions: null,
        options: { "com.docker.network.bridge.name": "ibtbr0" },
        labels: [{ label: "icc-bench.stack", value: "t" }],
        ipamConfigs: [{ subnet: "198.19.160.0/24", gateway: "198.19.160.1", ipRange: "", auxAddress: null }],
    });
    // Refresh reads the labels from Docker (sorted by label).
    const live = inspectedNetwork({ Labels: { z: "1", "icc-bench.stack": "t" }, Options: null, IPAM: { Driver: "default", Config: null } });
    const fresh = toNetworkOutputs(outs, live, false);
    assert.deepEqual(fresh.labels, [
        { label: "icc-bench.stack", value: "t" },
        { label: "z", value: "1" },
    ]);
    assert.deepEqual(fresh.options, {});
    assert.deepEqual(fresh.ipamConfigs, []);
});

test("the provider serves the network type: check fills defaults, diff replaces, import is refused", async () => {
    const p = new DockerProvider(() => ({ unsupported: [] }), {});
    assert.deepEqual((await p.check(NET_URN, {}, NET)).inputs, netDefaults(NET));
    assert.equal((await p.check(NET_URN, {}, { name: "n", checkDuplicate: true })).failures?.[0].property, "checkDuplicate");
    const changed = { ...NET, labels: [{ label: "icc-bench.stack", value: "u" }] };
    assert.deepEqual(await p.diff("id", NET_URN, netDefaults(NET), netDefaults(changed)), { changes: true, replaces: ["labels"] });
    await assert.rejects(p.read("id", NET_URN, {}), /importing docker:index\/network:Network is not supported/);
    await assert.rejects(p.update("id", NET_URN, netDefaults(NET), netDefaults(NET)), /no property that updates in place/);
});
