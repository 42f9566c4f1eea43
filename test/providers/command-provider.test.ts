// The offline command provider under the real Pulumi engine: a throwaway TypeScript program
// in a temp dir, a file backend in a temp dir, driven by the Automation API.
// Needs `pulumi` and `pulumi-language-nodejs` on PATH (scripts/with-toolchain.sh) and the
// offline plugin installed as resource command 1.2.1 (scripts/setup-toolchain.sh).
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import * as path from "node:path";
import { LocalWorkspace, OpMap, Stack } from "@pulumi/pulumi/automation";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const PROJECT = "cmdprovidertest";
const STACK = "test";
const MARKER = "icc-bench-offline-plugin";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";

interface Spec {
    commands: Record<string, command.local.CommandArgs>;
    raw?: Record<string, Record<string, unknown>>;
}
class RawCommand extends pulumi.CustomResource {
    constructor(name: string, props: Record<string, unknown>) {
        super("command:local:Command", name, props, { version: "1.2.1" });
    }
}
const spec = new pulumi.Config().requireObject<Spec>("spec");
const outs: Record<string, { stdout: pulumi.Output<string>; stderr: pulumi.Output<string> }> = {};
for (const [name, args] of Object.entries(spec.commands)) {
    const c = new command.local.Command(name, args);
    outs[name] = { stdout: c.stdout, stderr: c.stderr };
}
for (const [name, props] of Object.entries(spec.raw ?? {})) {
    new RawCommand(name, props);
}
export const results = outs;
`;

interface Spec {
    commands: Record<string, Record<string, unknown>>;
    raw?: Record<string, Record<string, unknown>>;
}

let root = "";
let logFile = "";
let stack: Stack | undefined;

function pluginDir(): string {
    const home = process.env.PULUMI_HOME ?? path.join(homedir(), ".pulumi");
    return path.join(home, "plugins", "resource-command-v1.2.1");
}

function writeProgram(dir: string): void {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        `name: ${PROJECT}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
    );
    writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: PROJECT, main: "index.ts", dependencies: { "@pulumi/pulumi": "3.276.0", "@pulumi/command": "1.2.1" } }),
    );
    writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { strict: true, target: "ES2020", module: "commonjs", moduleResolution: "node" }, files: ["index.ts"] }),
    );
    writeFileSync(path.join(dir, "index.ts"), PROGRAM);
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
}

function logLines(): string[] {
    return existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").filter((l) => l !== "") : [];
}

async function setSpec(spec: Spec): Promise<void> {
    await stack!.setConfig("spec", { value: JSON.stringify(spec) });
}

async function up(spec: Spec): Promise<{ changes: OpMap; results: Record<string, { stdout: string; stderr: string }> }> {
    await setSpec(spec);
    const res = await stack!.up();
    return { changes: res.summary.resourceChanges ?? {}, results: res.outputs.results?.value ?? {} };
}

async function preview(spec: Spec): Promise<OpMap> {
    await setSpec(spec);
    return (await stack!.preview()).changeSummary;
}

/** The main resource: create writes a tagged line and prints out-TAG; delete logs the stored stdout. */
function mainCommand(tag: string, triggers: unknown[], update?: string): Record<string, unknown> {
    return {
        create: `echo "create ${tag} prev=$PULUMI_COMMAND_STDOUT" >> "$LOG"; echo out-${tag}`,
        delete: `echo "delete prev=$PULUMI_COMMAND_STDOUT" >> "$LOG"`,
        environment: { LOG: logFile },
        triggers,
        ...(update === undefined ? {} : { update }),
    };
}

function specWith(main: Record<string, unknown>, extra: Partial<Spec> = {}): Spec {
    const piped = { create: "cat; pwd >&2", stdin: "from-stdin\n", dir: root, interpreter: ["/bin/bash", "-c"] };
    return { commands: { main, piped, ...extra.commands }, raw: extra.raw };
}

before(async () => {
    assert.ok(
        existsSync(path.join(pluginDir(), MARKER)),
        `offline command plugin not installed in ${pluginDir()} (run scripts/setup-toolchain.sh)`,
    );
    root = mkdtempSync(path.join(tmpdir(), "cmd-provider-"));
    logFile = path.join(root, "log");
    const workDir = path.join(root, "program");
    writeProgram(workDir);
    mkdirSync(path.join(root, "state"));
    stack = await LocalWorkspace.createOrSelectStack(
        { stackName: STACK, workDir },
        {
            envVars: {
                PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
                PULUMI_CONFIG_PASSPHRASE: "",
                PULUMI_SKIP_UPDATE_CHECK: "true",
                PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            },
        },
    );
});

after(async () => {
    if (stack !== undefined) {
        await stack.destroy().catch(() => undefined);
        await stack.workspace.removeStack(STACK).catch(() => undefined);
    }
    if (root !== "") {
        rmSync(root, { recursive: true, force: true });
    }
});

test("command:local:Command lifecycle under the real engine", { timeout: 15 * 60_000 }, async (t) => {
    await t.test("preview runs nothing", async () => {
        const changes = await preview(specWith(mainCommand("v1", [1])));
        assert.equal(changes.create, 3); // stack + 2 commands
        assert.deepEqual(logLines(), []);
    });

    await t.test("create runs create; outputs trimmed; stdin, dir, interpreter honoured", async () => {
        const { changes, results } = await up(specWith(mainCommand("v1", [1])));
        assert.equal(changes.create, 3);
        assert.deepEqual(logLines(), ["create v1 prev="]);
        assert.equal(results.main.stdout, "out-v1");
        assert.equal(results.piped.stdout, "from-stdin");
        assert.equal(results.piped.stderr, root);
    });

    await t.test("a second up with nothing changed changes nothing", async () => {
        const { changes } = await up(specWith(mainCommand("v1", [1])));
        assert.deepEqual(Object.keys(changes), ["same"]);
        assert.deepEqual(logLines(), ["create v1 prev="]);
    });

    await t.test("changing create: preview runs nothing, up updates by running create again, not delete", async () => {
        assert.equal((await preview(specWith(mainCommand("v2", [1])))).update, 1);
        assert.deepEqual(logLines(), ["create v1 prev="]);
        const { changes, results } = await up(specWith(mainCommand("v2", [1])));
        assert.equal(changes.update, 1);
        assert.equal(changes.replace, undefined);
        assert.deepEqual(logLines(), ["create v1 prev=", "create v2 prev=out-v1"]);
        assert.equal(results.main.stdout, "out-v2");
    });

    await t.test("an update runs `update` when set, with the previous stdout in the env", async () => {
        const update = `echo "update prev=$PULUMI_COMMAND_STDOUT" >> "$LOG"; echo out-upd`;
        const { changes, results } = await up(specWith(mainCommand("v2", [1], update)));
        assert.equal(changes.update, 1);
        assert.deepEqual(logLines().slice(2), ["update prev=out-v2"]);
        assert.equal(results.main.stdout, "out-upd");
    });

    await t.test("changing triggers replaces: new create first, then the old delete with old outputs", async () => {
        const { changes, results } = await up(specWith(mainCommand("v2", [2])));
        assert.equal(changes.replace, 1);
        assert.deepEqual(logLines().slice(3), ["create v2 prev=", "delete prev=out-upd"]);
        assert.equal(results.main.stdout, "out-v2");
    });

    await t.test("a failing command fails the up with its output", async () => {
        const bad = { create: "echo bad-out; echo bad-err >&2; exit 7" };
        await assert.rejects(up(specWith(mainCommand("v2", [2]), { commands: { bad } })), (e: Error) => {
            assert.match(e.message, /exit status 7/);
            assert.match(e.message, /bad-out/);
            assert.match(e.message, /bad-err/);
            return true;
        });
    });

    await t.test("an unsupported input is rejected, naming it, and nothing runs", async () => {
        const weird = { create: `echo weird >> "$LOG"`, environment: { LOG: logFile }, bogusInput: "x" };
        await assert.rejects(up(specWith(mainCommand("v2", [2]), { raw: { weird } })), /bogusInput/);
        assert.ok(!logLines().includes("weird"));
    });

    await t.test("destroy runs delete with the stored outputs", async () => {
        const before = logLines().length;
        await stack!.destroy();
        assert.deepEqual(logLines().slice(before), ["delete prev=out-v2"]);
    });
});
