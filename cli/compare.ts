import { parseArgs } from "node:util";
import { Subcommand, UsageError } from "./exit";
import { runScript } from "./script";

const HELP = `usage: icc-bench compare A/results.json B/results.json

Per point and method of two sweeps or studies: the medians, the change from A to B and whether
it exceeds the noise of both runs.
exit: 0 compared, 1 a file cannot be read, 2 usage error`;

export const compare: Subcommand = {
    summary: "compare two sweeps' results.json beyond their noise",
    help: HELP,
    async run(argv) {
        const { positionals } = parseArgs({ args: [...argv], options: {}, allowPositionals: true, strict: true });
        if (positionals.length !== 2) {
            throw new UsageError("give two results.json files");
        }
        return runScript("node", "compare.js", positionals);
    },
};
