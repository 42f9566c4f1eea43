import { parseArgs } from "node:util";
import { STACK_NAME_RE } from "../model";
import { badDockerEndpoint, hostClean } from "../scripts/host-clean";
import { Subcommand, UsageError } from "./exit";

const HELP = `usage: icc-bench clean (--stack NAME | --all) [--docker ENDPOINT]... [--dry-run]

Removes what this host holds of one stack's lab (or of every icc-bench lab) without Pulumi, e.g.
after the stack's state was lost: containers and networks by label, OVS objects and iptables rules
by their marks, interfaces by their names. Only objects carrying the lab's mark are touched.
A stack whose config has hosts is cleaned on each of them too, through its Docker endpoint (the
swarm membership its lab made included).
  --stack NAME       one stack's objects
  --all              every icc-bench object on this host
  --docker ENDPOINT  another Docker host to clean as well (repeatable)
  --dry-run          only list
exit: 0 nothing (left) of it, 1 something found or left, 2 usage error,
      3 could not look (a tool missing, failing or timing out; it is named)`;

export const clean: Subcommand = {
    summary: "remove what the host holds of a stack's lab, without Pulumi",
    help: HELP,
    async run(argv) {
        const { values } = parseArgs({
            args: [...argv],
            options: { stack: { type: "string" }, all: { type: "boolean", default: false }, docker: { type: "string", multiple: true }, "dry-run": { type: "boolean", default: false } },
            strict: true,
        });
        if (values.all === (values.stack !== undefined)) {
            throw new UsageError("give exactly one of --stack NAME and --all");
        }
        if (values.stack !== undefined && !STACK_NAME_RE.test(values.stack)) {
            throw new UsageError(`not a stack name: ${JSON.stringify(values.stack)}`);
        }
        const dockers = values.docker ?? [];
        const bad = badDockerEndpoint(dockers);
        if (bad !== undefined) {
            throw new UsageError(bad);
        }
        return hostClean({ stack: values.stack, dryRun: values["dry-run"], dockers });
    },
};
