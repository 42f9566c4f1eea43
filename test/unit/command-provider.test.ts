// Unit tests of the offline command provider: validation, defaults, diff, env, argv, URN,
// plus a few direct calls of the provider (no engine) running /bin/sh in a temp dir.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { applyDefaults, diffInputs, toCommandInputs, validateInputs } from "../../providers/command/inputs";
import { makeOutputs, makeProvider, parseUrn, storedOutput } from "../../providers/command/provider";
import { buildArgv, buildEnv, failureMessage, trimOneNewline } from "../../providers/command/run";
import { UNKNOWN, isSecret, makeSecret, reveal } from "../../providers/shared/values";

const URN = "urn:pulumi:dev::proj::command:local:Command::cmd";

test("validateInputs accepts every official input and the Logging enum values", () => {
    const failures = validateInputs({
        create: "a",
        update: "b",
        delete: "c",
        environment: { A: "1" },
        dir: "/tmp",
        interpreter: ["/bin/bash", "-c"],
        stdin: "x",
        triggers: [1, "two", { three: 3 }],
        addPreviousOutputInEnv: false,
        logging: "stdoutAndStderr",
    });
    assert.deepEqual(failures, []);
    for (const logging of ["stdout", "stderr", "none"]) {
        assert.deepEqual(validateInputs({ logging }), []);
    }
});

test("validateInputs names unsupported properties, including official ones not implemented", () => {
    const failures = validateInputs({ create: "x", bogusInput: 1, assetPaths: ["*"] });
    assert.deepEqual(
        failures.map((f) => f.property),
        ["bogusInput", "assetPaths"],
    );
    assert.match(failures[0].reason, /unsupported property "bogusInput" for command:local:Command/);
});

test("validateInputs names ill-typed values", () => {
    const failures = validateInputs({
        create: 1,
        environment: { A: 2 },
        interpreter: "sh",
        triggers: "t",
        addPreviousOutputInEnv: "yes",
        logging: "all",
    });
    assert.deepEqual(
        failures.map((f) => f.property),
        ["create", "environment", "interpreter", "triggers", "addPreviousOutputInEnv", "logging"],
    );
    assert.match(failures[5].reason, /stdout, stderr, stdoutAndStderr, none/);
});

test("validateInputs lets unknowns and secrets through", () => {
    assert.deepEqual(validateInputs({ create: UNKNOWN, environment: { A: makeSecret("s") }, stdin: makeSecret("in") }), []);
    assert.equal(validateInputs({ create: makeSecret(3) }).length, 1);
});

test("applyDefaults sets addPreviousOutputInEnv to true unless given", () => {
    assert.deepEqual(applyDefaults({ create: "x" }), { create: "x", addPreviousOutputInEnv: true });
    assert.deepEqual(applyDefaults({ addPreviousOutputInEnv: false }), { addPreviousOutputInEnv: false });
});

test("toCommandInputs reveals secrets and ignores output keys", () => {
    const cmd = toCommandInputs({ create: makeSecret("echo hi"), environment: { A: makeSecret("1") }, stdout: "o" });
    assert.deepEqual(cmd, { create: "echo hi", environment: { A: "1" }, addPreviousOutputInEnv: true });
});

test("diffInputs: no change, update, replace on triggers", () => {
    const olds = { create: "a", triggers: [1], addPreviousOutputInEnv: true, stdout: "x", stderr: "" };
    assert.deepEqual(diffInputs(olds, { create: "a", triggers: [1], addPreviousOutputInEnv: true }), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
    });
    assert.deepEqual(diffInputs(olds, { create: "b", triggers: [1], addPreviousOutputInEnv: true }).replaces, []);
    assert.equal(diffInputs(olds, { create: "b", triggers: [1], addPreviousOutputInEnv: true }).changes, true);
    assert.deepEqual(diffInputs(olds, { create: "a", triggers: [2], addPreviousOutputInEnv: true }).replaces, ["triggers"]);
    assert.deepEqual(diffInputs(olds, { create: "a", triggers: UNKNOWN, addPreviousOutputInEnv: true }).replaces, ["triggers"]);
    assert.equal(diffInputs(olds, { create: UNKNOWN, triggers: [1], addPreviousOutputInEnv: true }).changes, true);
});

test("diffInputs compares maps regardless of key order and secretness", () => {
    const olds = { environment: { A: "1", B: "2" }, addPreviousOutputInEnv: true };
    assert.equal(diffInputs(olds, { environment: { B: "2", A: makeSecret("1") }, addPreviousOutputInEnv: true }).changes, false);
    assert.equal(diffInputs(olds, { environment: { A: "1" }, addPreviousOutputInEnv: true }).changes, true);
});

test("buildArgv uses /bin/sh -c unless an interpreter is given", () => {
    assert.deepEqual(buildArgv("echo hi"), ["/bin/sh", "-c", "echo hi"]);
    assert.deepEqual(buildArgv("echo hi", []), ["/bin/sh", "-c", "echo hi"]);
    assert.deepEqual(buildArgv("print(1)", ["python3", "-c"]), ["python3", "-c", "print(1)"]);
});

test("buildEnv layers process env, environment, previous outputs", () => {
    const base = { PATH: "/bin", A: "base", PULUMI_COMMAND_STDOUT: "stale" };
    const env = buildEnv(base, { environment: { A: "mine" }, addPreviousOutputInEnv: true }, { stdout: "o", stderr: "e" });
    assert.deepEqual(env, { PATH: "/bin", A: "mine", PULUMI_COMMAND_STDOUT: "o", PULUMI_COMMAND_STDERR: "e" });
    const off = buildEnv({}, { addPreviousOutputInEnv: false }, { stdout: "o", stderr: "e" });
    assert.deepEqual(off, {});
    const empty = buildEnv({}, { addPreviousOutputInEnv: true }, { stdout: "", stderr: "" });
    assert.deepEqual(empty, {});
});

test("trimOneNewline trims exactly one trailing newline", () => {
    assert.equal(trimOneNewline("a\n\n"), "a\n");
    assert.equal(trimOneNewline("a"), "a");
    assert.equal(trimOneNewline(""), "");
});

test("failureMessage carries reason, command and output", () => {
    assert.equal(failureMessage("exit status 3", "false", "out\n"), 'exit status 3: running "false":\nout\n');
});

test("parseUrn handles parent types and plain types", () => {
    assert.deepEqual(parseUrn(URN), { type: "command:local:Command", name: "cmd" });
    assert.deepEqual(parseUrn("urn:pulumi:s::p::my:comp:C$command:local:Command::n"), {
        type: "command:local:Command",
        name: "n",
    });
    assert.throws(() => parseUrn("nope"), /malformed URN/);
});

test("makeOutputs and storedOutput round-trip, secret when an input is secret", () => {
    const plain = makeOutputs({ create: "x" }, { stdout: "o", stderr: "e" });
    assert.deepEqual(plain, { create: "x", stdout: "o", stderr: "e" });
    const secret = makeOutputs({ stdin: makeSecret("pw") }, { stdout: "o", stderr: "" });
    assert.ok(isSecret(secret.stdout));
    assert.deepEqual(reveal(secret), { stdin: "pw", stdout: "o", stderr: "" });
    assert.deepEqual(storedOutput(secret), { stdout: "o", stderr: "" });
});

test("provider rejects other resource types", async () => {
    const p = makeProvider();
    await assert.rejects(p.check!("urn:pulumi:s::p::command:remote:Command::x", {}, {}), /unsupported resource type command:remote:Command/);
});

test("provider check reports unsupported properties as failures", async () => {
    const res = await makeProvider().check!(URN, {}, { create: "x", bogus: true });
    assert.deepEqual(res.failures?.map((f) => f.property), ["bogus"]);
});

test("provider create/update/delete run the right commands (no engine)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cmd-unit-"));
    try {
        const p = makeProvider();
        const log = path.join(dir, "log");
        const inputs = {
            create: `echo "create prev=$PULUMI_COMMAND_STDOUT" >> ${log}; echo out1; echo err1 >&2`,
            delete: `echo "delete prev=$PULUMI_COMMAND_STDOUT" >> ${log}`,
            addPreviousOutputInEnv: true,
            dir,
        };
        const created = await p.create!(URN, inputs);
        assert.match(created.id, /^cmd[0-9a-f]{8}$/);
        assert.equal(created.outs.stdout, "out1");
        assert.equal(created.outs.stderr, "err1");
        const news = { ...inputs, update: `echo "update prev=$PULUMI_COMMAND_STDOUT" >> ${log}; cat`, stdin: "in2\n" };
        const updated = await p.update!(created.id, URN, created.outs, news);
        assert.equal(updated.outs.stdout, "in2");
        await p.delete!(created.id, URN, updated.outs);
        assert.equal(readFileSync(log, "utf8"), "create prev=\nupdate prev=out1\ndelete prev=in2\n");
        const noCreate = await p.create!(URN, { addPreviousOutputInEnv: true });
        assert.deepEqual(noCreate.outs, { addPreviousOutputInEnv: true, stdout: "", stderr: "" });
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test("provider create fails with the combined output and exit status", async () => {
    const p = makeProvider();
    await assert.rejects(
        p.create!(URN, { create: "echo to-out; echo to-err >&2; exit 3", addPreviousOutputInEnv: true }),
        (e: Error) => {
            assert.match(e.message, /^exit status 3: running "echo to-out; echo to-err >&2; exit 3":\n/);
            assert.match(e.message, /to-out\n/);
            assert.match(e.message, /to-err\n/);
            return true;
        },
    );
    await assert.rejects(p.create!(URN, { create: "true", dir: "/nonexistent-dir-x" }), /nonexistent-dir-x/);
});
