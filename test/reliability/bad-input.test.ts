import { Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { LabConfig, PROJECT_DIR, labStack } from "../../automation/labStack";
import { removeSuiteStack } from "../suiteStack";
import { NAMESPACE } from "../../model";
import { isEmpty, stackFilter, takeLeftovers } from "../../host/inventory";

/**
 * Malformed stack configs through `pulumi preview` with the real engine: each fails with one
 * message naming the key, the value and what is allowed, and creates nothing. Every string that
 * could reach a host command carries shell syntax that would create MARKER if it ever ran.
 */

/** Named where a message depends on how many methods share the subnet, so that it does not depend on those this host supports. */
const STUDY_METHODS = ["macvlan-nat", "pipework", "link", "ovs"];
const MARKER = "/tmp/icc-bench-pwned";
const SUBST = `$(touch ${MARKER})`;
const BACKTICKS = `\`touch ${MARKER}\``;

interface BadConfig {
    readonly title: string;
    readonly config: LabConfig;
    /** Key as the message names it, without the namespace. */
    readonly key: string;
    /** The value as the message shows it (JSON). */
    readonly shown: string;
    readonly allowed: RegExp;
}

function bad(title: string, config: LabConfig, key: string, value: unknown, allowed: RegExp): BadConfig {
    return { title, config, key, shown: JSON.stringify(value), allowed };
}

const CASES: readonly BadConfig[] = [
    // wrong types
    bad("methods as text", { methods: "ovs" }, "methods", "ovs", /a non-empty list of distinct methods/),
    bad("topology as a number", { topology: 3 }, "topology", 3, /an object with keys servers, clientContainers/),
    bad("iperf as a list", { iperf: [1, 2] }, "iperf", [1, 2], /an object with keys duration, interval/),
    bad("servers as text", { topology: { servers: "two" } }, "topology.servers", "two", /a whole number from 1 to 64/),
    bad("duration as text", { iperf: { duration: "5" } }, "iperf.duration", "5", /a number of seconds above 0/),
    // runId, image and labId are text as Pulumi gives them (labId 7 is the text "7"): an object is its JSON text
    bad("runId as an object", { runId: { a: 1 } }, "runId", '{"a":1}', /1 to 64 letters, digits/),
    bad("an image in capitals", { image: "ICC-BENCH/IPERF" }, "image", "ICC-BENCH/IPERF", /a Docker image reference/),
    bad("a labId in capitals", { labId: "AB12" }, "labId", "AB12", /1 to 10 lowercase letters or digits/),
    // out of range
    bad("zero servers", { topology: { servers: 0 } }, "topology.servers", 0, /a whole number from 1 to 64/),
    bad("65 servers", { topology: { servers: 65 } }, "topology.servers", 65, /a whole number from 1 to 64/),
    bad("a fractional client count", { topology: { clientContainers: 1.5 } }, "topology.clientContainers", 1.5, /a whole number/),
    bad("an absurd process count", { topology: { clientsPerContainer: 100000 } }, "topology.clientsPerContainer", 100000, /from 1 to 64/),
    bad("too many processes in all", { topology: { clientContainers: 64, clientsPerContainer: 64 } }, "topology",
        { clientContainers: 64, clientsPerContainer: 64 }, /at most 1024 client processes .* got 4096/),
    bad("a zero duration", { iperf: { duration: 0 } }, "iperf.duration", 0, /above 0 and at most 3600/),
    bad("a duration over an hour", { iperf: { duration: 3601 } }, "iperf.duration", 3601, /at most 3600/),
    bad("an interval longer than the test", { iperf: { duration: 2, interval: 3 } }, "iperf.interval", 3, /a number from 0.5 to 2/),
    bad("zero parallel streams", { iperf: { parallel: 0 } }, "iperf.parallel", 0, /a whole number from 1 to 128/),
    bad("port 70000", { iperf: { port: 70000 } }, "iperf.port", 70000, /a whole number from 1 to 65535/),
    // unknown keys
    bad("a top-level typo", { topolgy: { servers: 2 } }, "topolgy", { servers: 2 }, /one of the keys methods, topology, iperf/),
    bad("an unknown topology key", { topology: { server: 2 } }, "topology.server", 2, /one of the keys servers, clientContainers/),
    bad("an unknown iperf key", { iperf: { time: 2 } }, "iperf.time", 2, /one of the keys duration, interval, parallel, port/),
    bad("a key that is a command substitution", { [SUBST]: 1 }, SUBST, 1, /one of the keys methods, topology/),
    bad("a topology key in backticks", { topology: { [BACKTICKS]: 1 } }, `topology.${BACKTICKS}`, 1, /one of the keys servers/),
    bad("an unknown key whose value is a command", { extra: `x; touch ${MARKER}` }, "extra", `x; touch ${MARKER}`, /one of the keys/),
    // unknown methods
    bad("an unknown method", { methods: ["ovs", "weave"] }, "methods", ["weave"], /out of macvlan-nat, pipework, link, ovs/),
    bad("no method", { methods: [] }, "methods", [], /a non-empty list/),
    bad("a method twice", { methods: ["ovs", "ovs"] }, "methods", ["ovs", "ovs"], /distinct/),
    bad("a method that is a command substitution", { methods: [SUBST] }, "methods", [SUBST], /out of macvlan-nat/),
    bad("a method followed by a command", { methods: [`ovs; touch ${MARKER}`] }, "methods", [`ovs; touch ${MARKER}`], /out of macvlan-nat/),
    // bad CIDRs and subnets too small
    bad("a prefix of 33", { subnet: "198.18.0.0/33" }, "subnet", "198.18.0.0/33", /an IPv4 network address with its prefix/),
    bad("a host address as network", { subnet: "198.18.0.5/16" }, "subnet", "198.18.0.5/16", /an IPv4 network address/),
    bad("a subnet outside the benchmarking range", { subnet: "10.0.0.0/16" }, "subnet", "10.0.0.0/16", /inside the benchmarking range 198\.18\.0\.0\/15/),
    bad("a subnet too small for one server and client", { methods: STUDY_METHODS, subnet: "198.18.0.0/28" }, "subnet", "198.18.0.0/28",
        /4 slices \(one per method of 4\) hold 8 addresses each .* prefix \/27 or shorter/),
    bad("a subnet too small for the topology", { methods: STUDY_METHODS, subnet: "198.18.0.0/25", topology: { servers: 8, clientContainers: 16 } }, "subnet",
        "198.18.0.0/25", /4 slices \(one per method of 4\) hold 36 addresses each .* prefix \/24 or shorter/),
    bad("a subnet that is a name", { subnet: "lab-net" }, "subnet", "lab-net", /an IPv4 CIDR/),
    bad("a subnet with a command substitution", { subnet: `198.18.0.0/22${SUBST}` }, "subnet", `198.18.0.0/22${SUBST}`, /an IPv4 CIDR/),
    bad("a subnet with a newline and a command", { subnet: `198.18.0.0/22\ntouch ${MARKER}` }, "subnet", `198.18.0.0/22\ntouch ${MARKER}`, /an IPv4 CIDR/),
    // names too long
    bad("an 11-character labId", { labId: "abcdefghijk" }, "labId", "abcdefghijk", /1 to 10 lowercase letters or digits/),
    bad("a labId too long for 20 clients' interface names", { labId: "abcdefghij", topology: { clientContainers: 20 } }, "labId",
        "abcdefghij", /fit 15 characters \(ibmabcdefghijc19x has 17\)/),
    bad("a labId with a semicolon", { labId: `a;touch ${MARKER}` }, "labId", `a;touch ${MARKER}`, /lowercase letters or digits/),
    // shell in every other string
    bad("an image followed by a command", { image: `x; touch ${MARKER}` }, "image", `x; touch ${MARKER}`, /a Docker image reference/),
    bad("an image in backticks", { image: BACKTICKS }, "image", BACKTICKS, /a Docker image reference/),
    bad("an image with quotes", { image: `x'"${SUBST}"'` }, "image", `x'"${SUBST}"'`, /a Docker image reference/),
    bad("an image with a newline", { image: `icc-bench/iperf:bookworm\ntouch ${MARKER}` }, "image", `icc-bench/iperf:bookworm\ntouch ${MARKER}`, /image reference/),
    bad("a runId that is a command substitution", { runId: SUBST }, "runId", SUBST, /1 to 64 letters, digits/),
    bad("a runId followed by a command", { runId: `1; touch ${MARKER}` }, "runId", `1; touch ${MARKER}`, /1 to 64 letters/),
    bad("a runId with quotes", { runId: `1"'${SUBST}'"` }, "runId", `1"'${SUBST}'"`, /1 to 64 letters/),
    bad("a protocol followed by a command", { iperf: { protocol: `udp; touch ${MARKER}` } }, "iperf.protocol", `udp; touch ${MARKER}`, /tcp or udp/),
    bad("a UDP rate that is a command substitution", { methods: ["pipework"], iperf: { protocol: "udp", udpRate: SUBST } }, "iperf.udpRate", SUBST,
        /bits per second with a unit K, M or G/),
    bad("a runId with a newline", { runId: `1\ntouch ${MARKER}` }, "runId", `1\ntouch ${MARKER}`, /1 to 64 letters/),
];

/** Previews run on this many stacks at once (the engine is mostly waiting on its plugins). */
const STACKS = [`relbad1p${process.pid}`, `relbad2p${process.pid}`];

/**
 * Writes the stack's config into its file in stacks/, as a user would edit it: faster than the
 * CLI's config commands, and the engine reads the file at every preview.
 */
function writeStackConfig(stack: Stack, config: LabConfig): void {
    const file = join(PROJECT_DIR, "stacks", `Pulumi.${stack.name}.yaml`);
    const doc = parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    doc.config = Object.fromEntries(Object.entries(config).map(([k, v]) => [`${NAMESPACE}:${k}`, v]));
    writeFileSync(file, stringify(doc));
}

/** The Diagnostics part of a failed preview's message. */
function diagnostics(message: string): string {
    const start = message.indexOf("Diagnostics:");
    assert.ok(start >= 0, `the preview printed diagnostics:\n${message}`);
    return message.slice(start, message.indexOf("Resources:", start));
}

async function previewError(stack: Stack): Promise<string> {
    try {
        await stack.preview();
    } catch (e) {
        return (e as Error).message;
    }
    assert.fail("the preview succeeded");
}

describe("malformed stack configs fail pulumi preview and create nothing", { concurrency: STACKS.length }, () => {
    const free: Stack[] = [];

    before(async () => {
        assert.equal(existsSync(MARKER), false, `${MARKER} exists before the test: remove it and find out what made it`);
        free.push(...(await Promise.all(STACKS.map((name) => labStack(name, {})))));
    });

    after(async () => {
        for (const name of STACKS) {
            await removeSuiteStack(name);
        }
    });

    it(`covers at least 30 configs (${CASES.length})`, () => {
        assert.ok(CASES.length >= 30);
    });

    for (const c of CASES) {
        it(c.title, async () => {
            const stack = free.pop();
            assert.ok(stack, "a stack is free");
            try {
                writeStackConfig(stack, c.config);
                const diag = diagnostics(await previewError(stack));
                assert.equal(diag.match(/\berror: /g)?.length, 1, `one error:\n${diag}`);
                const lines = diag.split("\n").filter((l) => l.includes(`icc-bench:${c.key}: got `));
                assert.equal(lines.length, 1, `one line names icc-bench:${c.key}:\n${diag}`);
                assert.ok(lines[0].includes(`icc-bench:${c.key}: got ${c.shown}; allowed: `), `key, value and rule:\n${lines[0]}`);
                assert.match(lines[0], c.allowed);
                assert.ok(isEmpty(takeLeftovers(stackFilter(stack.name))), "the host holds nothing of the stack");
                assert.equal(existsSync(MARKER), false, "no config string ran as shell");
            } finally {
                free.push(stack);
            }
        });
    }
});
