import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";

const EXIT_MODULE = join(__dirname, "..", "..", "framing", "exit.js");

/** Runs node with `script`, its stdout and stderr pipes read to the end. */
function runNode(script: string): Promise<{ stdout: number; stderr: number; code: number | null }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = 0;
        let stderr = 0;
        child.stdout.on("data", (b: Buffer) => (stdout += b.length));
        child.stderr.on("data", (b: Buffer) => (stderr += b.length));
        child.on("error", reject);
        child.on("close", (code) => resolve({ stdout, stderr, code }));
    });
}

describe("exitWhenFlushed", () => {
    const write = `process.stdout.write("x".repeat(3e6)); process.stderr.write("y".repeat(1e6));`;

    it("exits with the code only after a pipe took all of a large write (the benchmark runner's and the CLI's output)", async () => {
        const got = await runNode(`${write} require(${JSON.stringify(EXIT_MODULE)}).exitWhenFlushed(3);`);
        assert.deepEqual(got, { stdout: 3e6, stderr: 1e6, code: 3 });
    });

    it("is needed: process.exit right after the same write drops part of it", async () => {
        const got = await runNode(`${write} process.exit(3);`);
        assert.equal(got.code, 3);
        assert.ok(got.stdout < 3e6, `process.exit delivered all ${got.stdout} bytes`);
    });
});
