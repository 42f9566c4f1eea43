import { LocalWorkspace } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SIDECAR, StackPaths, stackHealth } from "../../automation/checkpoint";
import { PROJECT_DIR, labStack, labStackPaths, labStacksHealth } from "../../automation/labStack";
import { LabResult } from "../../results/benchmark";
import { SUITE_SUBNETS, removeSuiteStack } from "../suiteStack";

/**
 * A deployed stack whose checkpoint files are broken the ways a kill during a checkpoint write
 * leaves them (the file backend, real CLI): every command of the stack fails, `pulumi stack ls`
 * of the whole backend fails, and `npm run lab:repair` says what it found, restores the newest
 * whole checkpoint the backend kept, repairs and measures. Another stack keeps working meanwhile.
 */

const STACK = `rec${process.pid}c`;
const OTHER = `rec${process.pid}o`;
const CONFIG = { methods: ["link"], topology: { servers: 1, clientContainers: 1 }, iperf: { duration: 1 }, subnet: SUITE_SUBNETS.checkpoint };
const REPAIR = join(PROJECT_DIR, "dist", "scripts", "lab-repair.js");
const HOST_CLEAN = join(PROJECT_DIR, "dist", "scripts", "host-clean.js");

interface Run {
    readonly status: number | null;
    readonly out: string;
}

function run(file: string, args: string[]): Run {
    const r = spawnSync(file, args, { cwd: PROJECT_DIR, encoding: "utf8", timeout: 300_000 });
    return { status: r.status, out: r.stdout + r.stderr };
}

const pulumi = (...args: string[]): Run => run("pulumi", [...args, "--non-interactive"]);
const repair = (): Run => run(process.execPath, [REPAIR, "--stack", STACK]);

/** The lab was measured by the repair's up (its summary line) and the stack loads again. */
function assertRepaired(r: Run): void {
    assert.equal(r.status, 0, r.out.slice(-3000));
    assert.match(r.out, /lab:repair \S+:\n(.*\n)*  up: succeeded/);
    assert.equal(pulumi("stack", "export", "--stack", STACK).status, 0);
    const ls = pulumi("stack", "ls", "--json");
    assert.equal(ls.status, 0, ls.out);
    assert.ok((JSON.parse(ls.out) as { name: string }[]).some((s) => s.name === STACK));
    assert.deepEqual(stackHealth(labStackPaths(STACK) as StackPaths).problems, []);
}

/** Every command of the stack and the backend's stack list fail, as the issue saw them. */
function assertUnreadable(): void {
    const exported = pulumi("stack", "export", "--stack", STACK);
    assert.notEqual(exported.status, 0);
    assert.match(exported.out, /failed to load checkpoint/);
    assert.notEqual(pulumi("stack", "ls").status, 0, "one unreadable stack fails the whole backend's stack ls");
}

function withManifestTime(content: string, time: string): string {
    const parsed = JSON.parse(content) as { checkpoint: { latest: { manifest: { time: string } } } };
    parsed.checkpoint.latest.manifest.time = time;
    return JSON.stringify(parsed);
}

describe("a checkpoint the file backend cannot load, restored by lab:repair", () => {
    let paths: StackPaths;
    const later = new Date(Date.now() + 60_000).toISOString();

    before(async () => {
        paths = labStackPaths(STACK) as StackPaths;
        assert.ok(paths, "the tests run on a file backend");
        const stack = await labStack(STACK, CONFIG);
        const up = await stack.up();
        assert.equal((up.outputs.results.value as Record<string, LabResult>).link.failures.length, 0);
        await labStack(OTHER, { ...CONFIG, subnet: SUITE_SUBNETS.checkpointOther });
    });

    after(async () => {
        await removeSuiteStack(STACK);
        await removeSuiteStack(OTHER);
    });

    it("an empty sidecar and a whole stranded write (the issue's kill): the newer write is imported", () => {
        writeFileSync(paths.checkpoint + SIDECAR, "");
        const tmp = `${paths.checkpoint}.${(BigInt(Date.now()) * 1_000_000n).toString(16)}.tmp`;
        writeFileSync(tmp, withManifestTime(readFileSync(paths.checkpoint, "utf8"), later));
        assertUnreadable();

        const r = repair();
        assert.match(r.out, new RegExp(`found: sidecar ${paths.checkpoint}\\.attrs: empty \\(0 bytes\\)`));
        assert.match(r.out, /found: stranded temporary file of an unfinished write: .*\.tmp/);
        assert.ok(r.out.includes(`restored the checkpoint from unfinished write ${tmp} (written ${later}`), r.out.slice(0, 3000));
        assert.match(r.out, /pulumi stack import/);
        assert.ok(r.out.includes(`removed ${tmp}`));
        assertRepaired(r);
    });

    it("a sidecar cut short and a cut-short write: the stack's own checkpoint is kept", () => {
        writeFileSync(paths.checkpoint + SIDECAR, '{"user.cache_control":"","user.con');
        writeFileSync(`${paths.checkpoint}.${(BigInt(Date.now()) * 1_000_000n).toString(16)}.tmp`, readFileSync(paths.checkpoint, "utf8").slice(0, 4000));
        assertUnreadable();

        const r = repair();
        assert.match(r.out, /found: sidecar .*\.attrs: not whole JSON \(34 bytes, cut short\)/);
        assert.match(r.out, /not taken: unfinished write .*\.tmp: not whole JSON \(4000 bytes\)/);
        assert.match(r.out, /kept the stack's own checkpoint .*, the newest whole one/);
        assertRepaired(r);
    });

    it("the checkpoint itself cut short: the newest whole copy (.bak, backups, history) is imported", () => {
        writeFileSync(paths.checkpoint, readFileSync(paths.checkpoint, "utf8").slice(0, 3000));
        assertUnreadable();
        const r = repair();
        assert.match(r.out, /found: checkpoint .*: not whole JSON \(3000 bytes\)/);
        assert.match(r.out, /restored the checkpoint from (previous checkpoint \(\.bak\)|backup|history) /);
        assertRepaired(r);
    });

    it("while the stack is unreadable, the other stack of the backend works, and both listings name the broken one", async () => {
        writeFileSync(paths.checkpoint + SIDECAR, "");
        const other = await LocalWorkspace.selectStack({ stackName: OTHER, workDir: PROJECT_DIR });
        const preview = await other.preview();
        assert.ok((preview.changeSummary.create ?? 0) > 0);
        const health = labStacksHealth() ?? [];
        assert.deepEqual(health.filter((h) => [STACK, OTHER].includes(h.stack)).map((h) => [h.stack, h.loads]), [[STACK, false], [OTHER, true]].sort());
        const leaks = run(process.execPath, [HOST_CLEAN, "--stack", STACK, "--dry-run"]);
        assert.match(leaks.out, new RegExp(`stack ${STACK}: its checkpoint cannot be loaded .*npm run lab:repair -- --stack ${STACK} restores it`));
        assertRepaired(repair());
    });

    it("nothing whole left: says so, changes nothing, and points at host:clean", () => {
        const copies = [paths.checkpoint, `${paths.checkpoint}.bak`, ...[paths.backupsDir, paths.historyDir].flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".json")).map((f) => join(d, f)))];
        const kept = new Map(copies.map((p) => [p, readFileSync(p, "utf8")]));
        try {
            kept.forEach((content, p) => writeFileSync(p, content.slice(0, 100)));
            const r = repair();
            assert.equal(r.status, 1);
            assert.match(r.out, new RegExp(`the checkpoint of stack ${STACK} cannot be loaded and the backend kept no whole checkpoint of it`));
            assert.match(r.out, /nothing was changed\. Remove what the host holds of its lab with: npm run host:clean -- --stack /);
            assert.deepEqual(copies.map((p) => readFileSync(p, "utf8").length), copies.map(() => 100), "nothing was changed");
        } finally {
            kept.forEach((content, p) => writeFileSync(p, content));
        }
        assertRepaired(repair());
    });
});
