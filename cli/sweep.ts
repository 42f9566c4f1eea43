import { parseArgs } from "node:util";
import { Subcommand, UsageError } from "./exit";
import { runScript } from "./script";

const HELP = `usage: icc-bench sweep FILE [--out DIR] [--stack NAME]

Runs a sweep (e.g. sweeps/table1.yaml) on its own stack (a name starting with "sweep") and writes
its report into DIR/<name>-<start time>/ (default results-out/). Ctrl-C stops after the current
step, destroys the stack and writes what was measured.
exit: 0 everything measured, 1 something failed, 2 bad sweep file or usage, 130 interrupted`;

export const sweep: Subcommand = {
    summary: "run a sweep file (the study's tables one at a time) and write its report",
    help: HELP,
    async run(argv) {
        const { values, positionals } = parseArgs({ args: [...argv], options: { out: { type: "string" }, stack: { type: "string" } }, allowPositionals: true, strict: true });
        if (positionals.length !== 1) {
            throw new UsageError("give one sweep file");
        }
        return runScript("node", "sweep.js", [positionals[0], ...flags(values)]);
    },
};

/** Options given back as the script's flags. */
export function flags(values: Readonly<Record<string, string | boolean | undefined>>): string[] {
    return Object.entries(values).flatMap(([name, value]) => (value === undefined || value === false ? [] : value === true ? [`--${name}`] : [`--${name}`, value]));
}
