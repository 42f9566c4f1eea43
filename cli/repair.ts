import { parseArgs } from "node:util";
import { STACK_NAME_RE } from "../model";
import { labRepair } from "../scripts/lab-repair";
import { Subcommand, UsageError } from "./exit";

const HELP = `usage: icc-bench repair --stack NAME

The one recovery for a lab whose pulumi up was interrupted (Ctrl-C, kill -9) or whose parts were
removed by hand: removes a stale lock, refreshes the state, removes the stack's containers the
state does not hold, checks every host object on the host and makes again what is missing.
exit: 0 the lab is whole and measured, 1 it is not, 2 usage error`;

export const repair: Subcommand = {
    summary: "make a broken or interrupted lab whole again and measure it",
    help: HELP,
    async run(argv) {
        const { values } = parseArgs({ args: [...argv], options: { stack: { type: "string" } }, strict: true });
        if (values.stack === undefined || !STACK_NAME_RE.test(values.stack)) {
            throw new UsageError("give --stack NAME (a stack name)");
        }
        return labRepair(values.stack);
    },
};
