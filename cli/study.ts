import { parseArgs } from "node:util";
import { Subcommand, UsageError } from "./exit";
import { runScript } from "./script";
import { flags } from "./sweep";

const HELP = `usage: icc-bench study [FILE] [--quick] [--out DIR] [--stack NAME]
       icc-bench study --render DIR

Regenerates the 2014 study on this host (default sweeps/study.yaml: tables 1, 2 and 3, every
supported method) on one stack, writing study.md, study.html, charts, results.csv and .json.
  --quick        1 repeat, 2 s tests
  --render DIR   write DIR's report again from its results.json, measuring nothing
exit: 0 everything measured, 1 something failed, 2 bad study file or usage, 130 interrupted`;

export const study: Subcommand = {
    summary: "regenerate the 2014 study's three tables and findings on this host",
    help: HELP,
    async run(argv) {
        const { values, positionals } = parseArgs({
            args: [...argv],
            options: { quick: { type: "boolean", default: false }, out: { type: "string" }, stack: { type: "string" }, render: { type: "string" } },
            allowPositionals: true,
            strict: true,
        });
        if (positionals.length > 1) {
            throw new UsageError("give at most one study file");
        }
        return runScript("node", "study.js", [...positionals, ...flags(values)]);
    },
};
