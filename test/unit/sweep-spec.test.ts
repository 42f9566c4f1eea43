import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SweepFileError, parseSweep, pointConfig } from "../../sweep/spec";
import { STUDY } from "../../sweep/study/figures";
import { defaultMethods } from "../../model";

const SWEEPS = join(__dirname, "..", "..", "..", "sweeps");

function shipped(name: string) {
    const file = join(SWEEPS, `${name}.yaml`);
    return parseSweep(readFileSync(file, "utf8"), file);
}

/** Asserts the sweep file is refused with a line naming `key`, showing `value` and what is allowed. */
function refuses(yaml: string, key: string, value: string, allowed: RegExp): void {
    assert.throws(
        () => parseSweep(yaml, "bad.yaml"),
        (e: unknown) => {
            assert.ok(e instanceof SweepFileError, `expected a SweepFileError, got ${String(e)}`);
            const line = e.message.split("\n").find((l) => l.includes(`${key}:`));
            assert.ok(line, `message names ${key}:\n${e.message}`);
            assert.ok(line.includes(`got ${value}`), `message shows ${value}:\n${line}`);
            assert.match(line, allowed);
            assert.match(e.message, /^invalid sweep file bad\.yaml:/);
            return true;
        },
    );
}

const VARY = "vary:\n  clientContainers: [1, 2]\n";

describe("the shipped sweep files", () => {
    it("table1: one server, the study's client container counts, all methods, 5 s, 3 repeats", () => {
        const s = shipped("table1");
        assert.equal(s.axis, "clientContainers");
        assert.deepEqual(s.points.map((p) => p.label), STUDY.clientContainers.columns);
        assert.ok(s.points.every((p) => p.topology.servers === 1 && p.topology.clientsPerContainer === 1));
        assert.deepEqual(s.points.map((p) => p.topology.clientContainers), [1, 2, 4, 8, 16, 20]);
        assert.deepEqual([...s.methods].sort(), ["link", "macvlan-nat", "ovs", "pipework"]);
        assert.equal(s.iperf.duration, 5);
        assert.equal(s.repeats, 3);
    });

    it("table2: n servers and n clients, one process each", () => {
        const s = shipped("table2");
        assert.equal(s.axis, "serversAndClients");
        assert.deepEqual(s.points.map((p) => p.label), STUDY.serversAndClients.columns);
        assert.deepEqual(s.points.map((p) => [p.topology.servers, p.topology.clientContainers, p.topology.clientsPerContainer]), [[1, 1, 1], [2, 2, 1], [4, 4, 1], [20, 20, 1]]);
        assert.equal(s.methods.length, 4);
    });

    it("table3: the study's MxK shapes in its order, one server, macvlan-nat included", () => {
        const s = shipped("table3");
        assert.equal(s.axis, "shapes");
        assert.deepEqual(s.points.map((p) => p.label), STUDY.shapes.columns);
        const last = s.points[s.points.length - 1];
        assert.deepEqual(last.topology, { servers: 1, clientContainers: 16, clientsPerContainer: 16 });
        assert.equal(last.size, 256);
        assert.ok(s.methods.includes("macvlan-nat"));
    });

    it("latency: rr through every method at 1 and 8 client containers, 5 s, 3 repeats", () => {
        const s = shipped("latency");
        assert.equal(s.iperf.mode, "rr");
        assert.deepEqual(s.points.map((p) => p.topology.clientContainers), [1, 8]);
        assert.equal(s.methods.length, defaultMethods(false).length);
        assert.equal(s.repeats, 3);
    });

    it("tiny (the end-to-end test's): 2 sizes, 2 methods, 1 s, 1 repeat", () => {
        const s = shipped("tiny");
        assert.equal(s.points.length, 2);
        assert.equal(s.methods.length, 2);
        assert.equal(s.iperf.duration, 1);
        assert.equal(s.repeats, 1);
    });
});

describe("parseSweep", () => {
    it("defaults: the file name, 3 repeats, no seed; the base fills what the axis leaves", () => {
        const s = parseSweep(`base:\n  topology:\n    clientsPerContainer: 2\n  iperf:\n    duration: 1\nvary:\n  clientContainers: [3]\n`, "/x/my-sweep.yaml");
        assert.equal(s.name, "my-sweep");
        assert.equal(s.repeats, 3);
        assert.equal(s.seed, undefined);
        assert.deepEqual(s.points[0].topology, { servers: 1, clientContainers: 3, clientsPerContainer: 2 });
        assert.deepEqual(pointConfig(s, s.points[0]), { topology: { servers: 1, clientContainers: 3, clientsPerContainer: 2 }, iperf: { duration: 1 } });
    });

    it("refuses unknown keys", () => {
        refuses(`repeat: 3\n${VARY}`, "sweep:repeat", "3", /one of the keys name, repeats, seed, base, vary/);
    });

    it("refuses repeats out of range and a bad name", () => {
        refuses(`repeats: 0\n${VARY}`, "sweep:repeats", "0", /a whole number from 1 to 50/);
        refuses(`repeats: 2.5\n${VARY}`, "sweep:repeats", "2.5", /whole number/);
        refuses(`name: Table_1\n${VARY}`, "sweep:name", '"Table_1"', /lowercase letters, digits or '-'/);
    });

    it("refuses no axis, two axes, an unknown axis", () => {
        refuses("repeats: 1\n", "sweep:vary", "nothing", /exactly one of clientContainers, serversAndClients, shapes/);
        refuses("vary:\n  clientContainers: [1]\n  shapes: [1x1]\n", "sweep:vary", '{"clientContainers":[1],"shapes":["1x1"]}', /exactly one/);
        refuses("vary:\n  servers: [1]\n", "sweep:vary", '{"servers":[1]}', /exactly one/);
    });

    it("refuses bad axis values, empty and duplicate lists", () => {
        refuses("vary:\n  shapes: [1x1, 4by4]\n", "sweep:vary.shapes", '"4by4"', /shapes "MxK"/);
        refuses("vary:\n  clientContainers: [1, 0]\n", "sweep:vary.clientContainers", "0", /whole numbers from 1/);
        refuses("vary:\n  clientContainers: []\n", "sweep:vary.clientContainers", "[]", /a list of 1 to 64 values/);
        refuses("vary:\n  serversAndClients: [2, 2]\n", "sweep:vary.serversAndClients", "[2,2]", /distinct values/);
    });

    it("refuses a runId in the base: the sweep sets it per repeat", () => {
        refuses(`base:\n  runId: x\n${VARY}`, "sweep:base.runId", '"x"', /the sweep sets runId/);
    });

    it("validates every point's stack config as pulumi up would, naming the point", () => {
        refuses("vary:\n  clientContainers: [4, 65]\n", "point 65: icc-bench:topology.clientContainers", "65", /a whole number from 1 to 64/);
        refuses("vary:\n  shapes: [64x32]\n", "point 64x32: icc-bench:topology", "", /at most 1024 client processes/);
        refuses(`base:\n  methods: [ovs, tunnel]\n${VARY}`, "point 1: icc-bench:methods", '["tunnel"]', /distinct methods/);
        refuses(`base:\n  iperf:\n    durations: 5\n${VARY}`, "point 1: icc-bench:iperf.durations", "5", /one of the keys/);
    });

    it("varies iperf's length at the base topology: each point its own -l, the base's other iperf settings kept", () => {
        const s = parseSweep("base:\n  topology:\n    clientContainers: 8\n  iperf:\n    duration: 2\n    mode: rr\nvary:\n  length: [64, 1024, 65000]\n", "rr-lengths.yaml");
        assert.equal(s.axis, "length");
        assert.deepEqual(s.points.map((p) => [p.label, p.size, p.iperf?.length]), [["64", 64, 64], ["1024", 1024, 1024], ["65000", 65000, 65000]]);
        assert.deepEqual(pointConfig(s, s.points[1]), { topology: { servers: 1, clientContainers: 8, clientsPerContainer: 1 }, iperf: { duration: 2, mode: "rr", length: 1024 } });
        assert.equal(s.iperf.mode, "rr");
        refuses("base:\n  iperf:\n    mode: rr\nvary:\n  length: [100, 32]\n", "point 32: icc-bench:iperf.length", "32", /64/);
        refuses("vary:\n  length: [0]\n", "sweep:vary.length", "0", /whole numbers of bytes from 1/);
    });

    it("refuses text that is not YAML", () => {
        assert.throws(() => parseSweep("vary: [1, 2\n", "bad.yaml"), /invalid sweep file bad\.yaml:\n {2}sweep: got .*allowed: a YAML mapping/);
    });
});
