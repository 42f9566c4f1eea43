import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import assert from "node:assert/strict";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PROJECT_DIR } from "../../automation/labStack";
import { NOTHING, stackFilter, takeInventory } from "../../host/inventory";

/**
 * `pulumi up` runs the program from its TypeScript sources (Pulumi.yaml `main: index.ts`, ts-node),
 * never the build in dist/ (package.json's `main`): in a copy of the project with its build, an
 * edit of index.ts is what the next up runs.
 */

const STACK = `src${process.pid}`;
/** Top-level entries that are not the program's sources. */
const NOT_COPIED = new Set(["node_modules", ".git", "stacks", "results-out"]);

describe("the program runs from its TypeScript sources", () => {
    let dir = "";
    let stack: Stack;

    before(async () => {
        dir = mkdtempSync(join(tmpdir(), "icc-bench-source-"));
        cpSync(PROJECT_DIR, dir, { recursive: true, filter: (src) => !NOT_COPIED.has(src.slice(PROJECT_DIR.length + 1).split("/")[0]) });
        symlinkSync(join(PROJECT_DIR, "node_modules"), join(dir, "node_modules"));
        mkdirSync(join(dir, "stacks"));
        stack = await LocalWorkspace.createOrSelectStack({ stackName: STACK, workDir: dir });
        await stack.setAllConfig({ "icc-bench:methods": { value: '["link"]' }, "icc-bench:iperf": { value: '{"duration":1}' } });
    });

    after(async () => {
        await stack.destroy();
        await stack.workspace.removeStack(STACK);
        rmSync(dir, { recursive: true, force: true });
        assert.deepEqual(takeInventory(stackFilter(STACK)), NOTHING);
    });

    it("each up runs index.ts as edited, not the build", async () => {
        const index = join(dir, "index.ts");
        appendFileSync(index, `\nexport const probe = "first edit";\n`);
        const first = await stack.up();
        assert.equal(first.outputs.probe?.value, "first edit");
        assert.equal(first.outputs.results?.value.link.failures.length, 0);
        writeFileSync(index, readFileSync(index, "utf8").replace(`"first edit"`, `"second edit"`));
        const second = await stack.up();
        assert.equal(second.outputs.probe?.value, "second edit");
        assert.deepEqual(second.summary.resourceChanges, { same: first.summary.resourceChanges?.create });
    });
});
