import { parseArgs } from "node:util";
import { STACK_NAME_RE } from "../model";
import { Subcommand, UsageError } from "./exit";
import { runScript } from "./script";

const HELP = `usage: icc-bench start [--stack NAME]

Makes the host ready (scripts/setup.sh), deploys the stack (default dev; stacks/Pulumi.NAME.yaml),
which runs the benchmark, prints the results as a table and leaves the lab up (what npm start does).
exit: 0 deployed and measured, 1 it failed, 2 usage error (or no such stack config)`;

export const start: Subcommand = {
    summary: "make the host ready, deploy a stack, benchmark, print the table",
    help: HELP,
    async run(argv) {
        const { values } = parseArgs({ args: [...argv], options: { stack: { type: "string", default: "dev" } }, strict: true });
        if (!STACK_NAME_RE.test(values.stack)) {
            throw new UsageError(`not a stack name: ${JSON.stringify(values.stack)}`);
        }
        return runScript("shell", "start.sh", ["--stack", values.stack]);
    },
};
