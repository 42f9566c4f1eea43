import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
    CheckpointFile,
    backendStacks,
    brokenSidecars,
    checkpointFiles,
    chooseCheckpoint,
    fileBackendDir,
    judgeCheckpoint,
    lockFileHolders,
    sidecarProblem,
    stackHealth,
    stackPaths,
    strandedWrites,
} from "../../automation/checkpoint";

/**
 * Choosing the checkpoint to restore, on a real checkpoint of a deployed stack (i9repro, one link
 * lab) and its .bak, as the file backend wrote them (test/fixtures/checkpoint/), broken the ways a
 * kill leaves them.
 */

const FIXTURES = join(__dirname, "..", "..", "..", "test", "fixtures", "checkpoint");
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const STACK = "i9repro";
const QUALIFIED = `organization/icc-bench/${STACK}`;
const CURRENT = fixture("i9repro.json");
const BAK = fixture("i9repro.json.bak");

/** The checkpoint with another manifest time: what a later write would hold. */
function writtenAt(content: string, time: string): string {
    const parsed = JSON.parse(content) as { checkpoint: { latest: { manifest: { time: string } } } };
    parsed.checkpoint.latest.manifest.time = time;
    return JSON.stringify(parsed);
}

const file = (kind: CheckpointFile["kind"], content: string, path = kind): CheckpointFile => ({ path, kind, content });

describe("checkpoint files of the file backend", () => {
    it("the fixture is a whole checkpoint of its stack, 13 resources, and its .bak is older", () => {
        const current = judgeCheckpoint(file("checkpoint", CURRENT), QUALIFIED);
        const bak = judgeCheckpoint(file("previous checkpoint (.bak)", BAK), QUALIFIED);
        assert.equal(current.problem, undefined);
        assert.equal(current.resources, 13);
        assert.equal(current.pendingOperations, 0);
        assert.ok(bak.writtenMs > 0 && bak.writtenMs < current.writtenMs);
        assert.equal((current.deployment?.deployment as { resources: unknown[] }).resources.length, 13);
        assert.equal(current.deployment?.version, 3);
    });

    it("a sidecar: whole JSON loads; empty or cut short is named", () => {
        assert.equal(sidecarProblem(fixture("i9repro.json.attrs")), undefined);
        assert.match(sidecarProblem("") ?? "", /^empty \(0 bytes\): every read of its file fails with EOF/);
        assert.match(sidecarProblem(fixture("i9repro.json.attrs").slice(0, 40)) ?? "", /^not whole JSON \(40 bytes, cut short\)/);
        assert.match(sidecarProblem("[]") ?? "", /not a JSON object/);
    });

    it("names why a file is not a whole checkpoint of the stack", () => {
        const problem = (content: string) => judgeCheckpoint(file("checkpoint", content), QUALIFIED).problem;
        assert.match(problem(CURRENT.slice(0, 5000)) ?? "", /^not whole JSON \(5000 bytes\)/);
        assert.match(problem("") ?? "", /^not whole JSON \(0 bytes\)/);
        assert.match(problem(CURRENT.replace(QUALIFIED, "organization/icc-bench/other")) ?? "", /a checkpoint of "organization\/icc-bench\/other", not of organization\/icc-bench\/i9repro/);
        assert.match(problem(`{"version":7,"checkpoint":{}}`) ?? "", /not a checkpoint \(version 7\)/);
        assert.match(problem(`{"version":3,"checkpoint":{"stack":"${QUALIFIED}"}}`) ?? "", /no deployment/);
    });

    it("takes the newest whole checkpoint: a whole unfinished write over the stack's own", () => {
        const later = writtenAt(CURRENT, "2026-12-01T21:50:00Z");
        const { chosen, judged } = chooseCheckpoint([file("checkpoint", CURRENT), file("previous checkpoint (.bak)", BAK), file("unfinished write", later)], QUALIFIED);
        assert.equal(chosen?.file.kind, "unfinished write");
        assert.deepEqual(judged.map((j) => j.file.kind), ["unfinished write", "checkpoint", "previous checkpoint (.bak)"]);
    });

    it("skips a cut-short write, a file of another stack and garbage; falls back to older ones in order", () => {
        const files = [
            file("unfinished write", writtenAt(CURRENT, "2026-12-01T22:00:00Z").slice(0, 9000)),
            file("backup", CURRENT.replace(QUALIFIED, "organization/icc-bench/other")),
            file("checkpoint", "\u0000\u0000"),
            file("history", BAK),
            file("previous checkpoint (.bak)", writtenAt(BAK, "2026-12-01T21:49:02.50Z")),
        ];
        const { chosen, judged } = chooseCheckpoint(files, QUALIFIED);
        assert.equal(chosen?.file.kind, "previous checkpoint (.bak)");
        assert.deepEqual(judged.filter((j) => j.problem === undefined).map((j) => j.file.kind), ["previous checkpoint (.bak)", "history"]);
        assert.equal(judged.filter((j) => j.problem !== undefined).length, 3);
    });

    it("the stack's own checkpoint wins over an identical-time copy; nothing whole gives no choice", () => {
        assert.equal(chooseCheckpoint([file("history", CURRENT), file("checkpoint", CURRENT), file("backup", CURRENT)], QUALIFIED).chosen?.file.kind, "checkpoint");
        assert.equal(chooseCheckpoint([file("checkpoint", ""), file("unfinished write", "{")], QUALIFIED).chosen, undefined);
    });

    it("the backend folder of file:// URLs, with options and ~; none for other backends", () => {
        assert.equal(fileBackendDir("file:///var/state"), "/var/state");
        assert.equal(fileBackendDir("file:///var/state?no_tmp_dir=true"), "/var/state");
        assert.match(fileBackendDir("file://~/.icc-bench/state") ?? "", /^\/.+\/\.icc-bench\/state$/);
        assert.equal(fileBackendDir("s3://bucket"), undefined);
        assert.equal(fileBackendDir("https://api.pulumi.com"), undefined);
    });
});

describe("a stack's files in a file backend folder, laid out as the backend writes them", () => {
    const dir = mkdtempSync(join(tmpdir(), "icc-bench-checkpoint-unit-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const paths = stackPaths(dir, "icc-bench", STACK);
    const other = stackPaths(dir, "icc-bench", "i9repro.json");

    function layOut(): void {
        rmSync(join(dir, ".pulumi"), { recursive: true, force: true });
        mkdirSync(paths.stacksDir, { recursive: true });
        mkdirSync(paths.backupsDir, { recursive: true });
        mkdirSync(paths.historyDir, { recursive: true });
        for (const name of ["i9repro.json", "i9repro.json.attrs", "i9repro.json.bak"]) {
            cpSync(join(FIXTURES, name), join(paths.stacksDir, name));
        }
        writeFileSync(join(paths.backupsDir, "i9repro.1796161742572287973.json"), CURRENT);
        writeFileSync(join(paths.historyDir, "i9repro-1796161742571610705.checkpoint.json"), CURRENT);
        writeFileSync(join(paths.historyDir, "i9repro-1796161742571610705.history.json"), "{}");
        // A stack whose name extends this one's: none of its files are this stack's.
        writeFileSync(other.checkpoint, CURRENT.replace(QUALIFIED, other.qualifiedName));
    }

    it("a sound stack loads and has nothing to report", () => {
        layOut();
        assert.deepEqual(stackHealth(paths), { stack: STACK, loads: true, problems: [] });
        assert.deepEqual(backendStacks(dir, "icc-bench"), ["i9repro", "i9repro.json"]);
        assert.deepEqual(checkpointFiles(paths).map((f) => f.kind).sort(), ["backup", "checkpoint", "history", "previous checkpoint (.bak)"]);
    });

    it("an empty sidecar and a stranded write, as the kill of the issue left them: does not load, names both", () => {
        layOut();
        writeFileSync(paths.checkpoint + ".attrs", "");
        const tmp = `${paths.checkpoint}.${(1796161742599999999n).toString(16)}.tmp`;
        writeFileSync(tmp, writtenAt(CURRENT, "2026-12-01T21:50:00Z"));
        const health = stackHealth(paths);
        assert.equal(health.loads, false);
        assert.deepEqual(health.problems, [
            `sidecar ${paths.checkpoint}.attrs: empty (0 bytes): every read of its file fails with EOF`,
            `stranded temporary file of an unfinished write: ${tmp}`,
        ]);
        assert.deepEqual(strandedWrites(paths), [tmp]);
        assert.equal(chooseCheckpoint(checkpointFiles(paths), paths.qualifiedName).chosen?.file.path, tmp);
        assert.deepEqual(stackHealth(other), { stack: other.stack, loads: true, problems: [] }, "the other stack is sound");
    });

    it("reads who holds the stack's lock from its lock files", () => {
        layOut();
        mkdirSync(paths.locksDir, { recursive: true });
        assert.match(paths.locksDir, /\.pulumi\/locks\/organization\/icc-bench\/i9repro$/);
        writeFileSync(join(paths.locksDir, "def0c688.json"), '{"pid":7727,"username":"root","hostname":"vm","timestamp":"2026-12-01T22:09:47Z"}');
        writeFileSync(join(paths.locksDir, "cut.json"), '{"pid":77');
        assert.deepEqual(lockFileHolders(paths), [{ host: "vm", pid: 7727 }]);
    });

    it("a cut sidecar of a backup does not stop the stack loading, and is named", () => {
        layOut();
        const backup = join(paths.backupsDir, "i9repro.1796161742572287973.json");
        writeFileSync(backup + ".attrs", '{"user.cache_control":"');
        assert.deepEqual(brokenSidecars(paths).map((s) => s.path), [backup + ".attrs"]);
        assert.equal(stackHealth(paths).loads, true);
    });
});
