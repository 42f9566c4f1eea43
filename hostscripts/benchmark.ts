import { cmd, lines, quote, raw } from "./shell";

/**
 * The benchmark's verdict as a command: fails with `failure` (see results/benchmark.ts
 * benchmarkFailure) so that the update fails while the results, failures included, reach the
 * stack outputs; succeeds when there is nothing to report.
 */
export function verdictScript(failure: string | undefined): string {
    return failure === undefined ? "true" : lines(cmd(raw("printf '%s\\n'"), quote(failure), raw(">&2")), raw("exit 1"));
}
