/**
 * Exits with `code` once stdout and stderr have taken everything written to them. process.exit
 * right after a large write to a pipe drops what the pipe had not taken yet (seen here: a 3 MB
 * write reached its reader as 64 KiB; the benchmark's results of a 16x16 lab were cut short).
 * Every entry point that prints and then exits goes through it: the runner, the CLI, the sweep's
 * and study's worker, lab:repair.
 */
export function exitWhenFlushed(code: number): void {
    let pending = 2;
    const written = (): void => {
        pending -= 1;
        if (pending === 0) {
            process.exit(code);
        }
    };
    process.stdout.write("", written);
    process.stderr.write("", written);
}
