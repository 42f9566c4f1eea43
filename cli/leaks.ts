import { parseArgs } from "node:util";
import { hostClean } from "../scripts/host-clean";
import { Subcommand } from "./exit";

const HELP = `usage: icc-bench leaks

Lists every icc-bench object on this host (containers, networks, OVS objects, iptables rules,
interfaces, namespaces, files): the leak check. Changes nothing (clean --all --dry-run).
exit: 0 nothing found, 1 something found, 3 could not look (a tool missing, failing or timing out)`;

export const leaks: Subcommand = {
    summary: "list every icc-bench object on this host (the leak check)",
    help: HELP,
    async run(argv) {
        parseArgs({ args: [...argv], options: {}, strict: true });
        return hostClean({ dryRun: true });
    },
};
