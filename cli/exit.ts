/** What every icc-bench subcommand's exit status means. */
export const EXIT = {
    /** Done; for clean/leaks: the host holds nothing of it. */
    ok: 0,
    /** It ran and failed, or (clean/leaks) found something left on the host. */
    failed: 1,
    /** Bad command line: nothing was done. */
    usage: 2,
    /** The host could not be looked at (a tool missing, failing or timing out): nothing claimed. */
    cannotLook: 3,
} as const;

/** A command line the subcommand cannot run: its message and the subcommand's help are printed. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** One `icc-bench <name>` subcommand. */
export interface Subcommand {
    /** One line for the command list. */
    readonly summary: string;
    /** What --help prints: usage, options, exit statuses. */
    readonly help: string;
    /** Runs with the arguments after the subcommand's name; resolves to the exit status. */
    readonly run: (argv: readonly string[]) => Promise<number>;
}
