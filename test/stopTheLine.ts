import { readdirSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_DIR } from "../automation/labStack";
import { describeLeftovers } from "../host/clean";
import { Leftovers, takeLeftovers } from "../host/inventory";

/**
 * The stop-the-line check that scripts/test.sh runs before and after the whole `npm test`: the
 * host holds no icc-bench object and stacks/ holds only the shipped stack files. Anything else
 * fails the run, named. A host tool that cannot look is an error too (exit 2), never "clean".
 *   node dist/test/stopTheLine.js before|after
 */

/** The stack files this repository ships in stacks/. */
export const SHIPPED_STACK_FILES = ["Pulumi.dev.yaml", "Pulumi.latency.yaml", "Pulumi.multihost.yaml", "Pulumi.setup1.yaml", "Pulumi.setup2.yaml", "Pulumi.setup3.yaml"];

/** What makes the line stop: every icc-bench object of the host and every stacks/ file not shipped. */
export function lineStoppers(found: Leftovers, stackFiles: readonly string[]): string[] {
    return [
        ...describeLeftovers(found).map((l) => `host: ${l}`),
        ...stackFiles.filter((f) => !SHIPPED_STACK_FILES.includes(f)).map((f) => `stacks/${f}: not a shipped stack file`),
        ...SHIPPED_STACK_FILES.filter((f) => !stackFiles.includes(f)).map((f) => `stacks/${f}: a shipped stack file is missing`),
    ];
}

function main(when: string): number {
    let stoppers: string[];
    try {
        stoppers = lineStoppers(takeLeftovers(), readdirSync(join(PROJECT_DIR, "stacks")));
    } catch (e) {
        console.error(`stop-the-line (${when} npm test): cannot look: ${e instanceof Error ? e.message : String(e)}`);
        return 2;
    }
    if (stoppers.length === 0) {
        console.log(`stop-the-line (${when} npm test): the host holds no icc-bench object; stacks/ holds the shipped stack files only`);
        return 0;
    }
    console.error(
        [
            `stop-the-line (${when} npm test): FAILED, this must not be there:`,
            ...stoppers.map((s) => `  ${s}`),
            "remove what the host holds with npm run host:clean -- --stack NAME (npm run host:leaks lists it) and stray stack files by hand",
        ].join("\n"),
    );
    return 1;
}

if (require.main === module) {
    process.exitCode = main(process.argv[2] ?? "around");
}
