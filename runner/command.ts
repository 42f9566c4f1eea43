import { cmd, quote, raw, word } from "../hostscripts/shell";

/**
 * The benchmark command resource's command: node running runner/main.ts of this installation,
 * with the BenchmarkPlan on stdin. From compiled JavaScript it runs main.js; when the Pulumi
 * program runs from TypeScript source (ts-node), main.ts through ts-node without type checks
 * (the program's own run has checked them).
 */
export function runnerCommand(): string {
    const main = require.resolve("./main");
    if (!main.endsWith(".ts")) {
        return cmd(raw("node"), quote(main));
    }
    // Whatever tsconfig the command's directory holds is not the one this file was written for.
    return cmd(
        raw("TS_NODE_SKIP_PROJECT=true"),
        word(raw("TS_NODE_COMPILER_OPTIONS="), quote(JSON.stringify(TS_NODE_OPTIONS))),
        raw("node -r"), quote(require.resolve("ts-node/register/transpile-only")), quote(main),
    );
}

/** The compiler options of this project's tsconfig.json that the runner's modules depend on. */
const TS_NODE_OPTIONS = { module: "commonjs", moduleResolution: "node", target: "ES2022", esModuleInterop: true };
