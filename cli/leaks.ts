import { parseArgs } from "node:util";
import { badDockerEndpoint, hostClean } from "../scripts/host-clean";
import { Subcommand, UsageError } from "./exit";

const HELP = `usage: icc-bench leaks [--docker ENDPOINT]...

Lists every icc-bench object on this host (containers, networks, OVS objects, iptables rules,
interfaces, namespaces, files), and on each other Docker host given: the leak check. Changes
nothing (clean --all --dry-run).
exit: 0 nothing found, 1 something found, 3 could not look (a tool missing, failing or timing out)`;

export const leaks: Subcommand = {
    summary: "list every icc-bench object on this host (the leak check)",
    help: HELP,
    async run(argv) {
        const { values } = parseArgs({ args: [...argv], options: { docker: { type: "string", multiple: true } }, strict: true });
        const dockers = values.docker ?? [];
        const bad = badDockerEndpoint(dockers);
        if (bad !== undefined) {
            throw new UsageError(bad);
        }
        return hostClean({ dryRun: true, dockers });
    },
};
