#!/usr/bin/env node
import { clean } from "./clean";
import { compare } from "./compare";
import { exitWhenFlushed } from "../framing/exit";
import { EXIT, Subcommand, UsageError } from "./exit";
import { inspect } from "./inspect";
import { leaks } from "./leaks";
import { repair } from "./repair";
import { start } from "./start";
import { study } from "./study";
import { sweep } from "./sweep";

/** `icc-bench <subcommand> [options]`: the one command line of the project (package.json bin). */

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = { start, sweep, study, compare, inspect, repair, clean, leaks };

function overview(): string {
    const width = Math.max(...Object.keys(SUBCOMMANDS).map((n) => n.length));
    return [
        "usage: icc-bench <subcommand> [options]   (icc-bench <subcommand> --help for its options)",
        "",
        ...Object.entries(SUBCOMMANDS).map(([name, s]) => `  ${name.padEnd(width)}  ${s.summary}`),
        "",
        `exit: ${EXIT.ok} done (clean/leaks: nothing there), ${EXIT.failed} failed (clean/leaks: something found), ${EXIT.usage} usage error,`,
        `      ${EXIT.cannotLook} could not look at the host (a tool missing, failing or timing out); sweep/study: 130 interrupted`,
    ].join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
    const [name, ...rest] = argv;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
        console.log(overview());
        return name === undefined ? EXIT.usage : EXIT.ok;
    }
    const subcommand = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
    if (subcommand === undefined) {
        console.error(`icc-bench: no subcommand ${JSON.stringify(name)}\n\n${overview()}`);
        return EXIT.usage;
    }
    if (rest.includes("--help") || rest.includes("-h")) {
        console.log(subcommand.help);
        return EXIT.ok;
    }
    try {
        return await subcommand.run(rest);
    } catch (e) {
        // parseArgs throws TypeErrors with a code ERR_PARSE_ARGS_* for unknown or malformed options.
        const parse = (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") === true;
        if (e instanceof UsageError || parse) {
            console.error(`icc-bench ${name}: ${(e as Error).message}\n\n${subcommand.help}`);
            return EXIT.usage;
        }
        console.error(`icc-bench ${name}: ${e instanceof Error ? e.message : String(e)}`);
        return EXIT.failed;
    }
}

main(process.argv.slice(2)).then(exitWhenFlushed);
