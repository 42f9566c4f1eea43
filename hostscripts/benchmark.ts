import { Shell, cmd, containerName, ipv4, lines, number, port, quote, raw } from "./shell";

/** iperf2 client options, as in the study's `iperf -c $ServerIP -P 1 -i 1 -p 5001 -f g -t 5`. */
export interface IperfOptions {
    readonly duration: number;
    readonly interval: number;
    readonly parallel: number;
    readonly port: number;
}

/** One client container of a lab run: its processes all dial `target`. */
export interface BenchmarkClient {
    readonly container: string;
    readonly target: string;
    readonly serverIndex: number;
    readonly processes: number;
}

export interface BenchmarkLab {
    readonly method: string;
    readonly clients: readonly BenchmarkClient[];
}

/** Framing markers of the benchmark's stdout, read back by results/benchmark.ts. */
export const MARK = {
    version: "icc-bench-version",
    lab: "icc-bench-lab",
    proc: "icc-bench-proc",
    err: "icc-bench-err",
} as const;

/**
 * Runs inside a client container: starts $7 iperf processes that all begin sending at the
 * instant $6, waits for them (each killed after $8 seconds at most), then prints each one's
 * framed CSV and stderr.
 * Args: target port duration interval parallel start processes limit method container server.
 */
const IN_CONTAINER = [
    `d=$(mktemp -d)`,
    `i=1; while [ "$i" -le "$7" ]; do`,
    `  ( timeout -k 5 "$8" iperf -c "$1" -p "$2" -t "$3" -i "$4" -P "$5" -y C --txstart-time "$6" >"$d/$i.csv" 2>"$d/$i.err"; echo $? >"$d/$i.rc" ) &`,
    `  i=$((i+1)); done`,
    `wait; fail=0; i=1`,
    `while [ "$i" -le "$7" ]; do`,
    // iperf2 exits 0 even when it cannot connect: no report at all is a failure too.
    `  rc=$(cat "$d/$i.rc"); [ "$rc" = 0 ] && [ -s "$d/$i.csv" ] || fail=1`,
    `  echo "${MARK.proc} $9 \${10} $i \${11} $rc"; cat "$d/$i.csv"; sed "s/^/${MARK.err} /" "$d/$i.err"`,
    `  i=$((i+1)); done`,
    `rm -rf "$d"; exit $fail`,
].join("\n");

/** A client process that has not finished this long after its start is stuck (e.g. a TCP hang). */
function processTimeLimit(options: IperfOptions, lead: number): number {
    return Math.ceil(lead + options.duration) + 30;
}

/** Seconds between scheduling and the common start: every `docker exec` must be up by then. */
export function leadSeconds(containers: number): number {
    return 2 + Math.ceil(containers / 4);
}

function clientCommand(lab: BenchmarkLab, client: BenchmarkClient, options: IperfOptions, lead: number): Shell {
    return cmd(
        raw("docker exec"), containerName(client.container), raw("sh -c"), quote(IN_CONTAINER), raw("icc-bench"),
        ipv4(client.target), port(options.port), number(options.duration), number(options.interval),
        number(options.parallel), raw(`"$start"`), number(client.processes), number(processTimeLimit(options, lead)), quote(lab.method),
        containerName(client.container), number(client.serverIndex),
        raw(`>"$out/$n" 2>&1 & pids="$pids $!"; n=$((n+1))`),
    );
}

function labSteps(lab: BenchmarkLab, options: IperfOptions): Shell {
    const lead = leadSeconds(lab.clients.length);
    return lines(
        raw(`start=$(( $(date +%s) + ${lead} ))`),
        cmd(raw("echo"), quote(`${MARK.lab} ${lab.method}`), raw(`"$start"`)),
        raw(`pids=""; n=0; rm -f "$out"/*`),
        lab.clients.map((c) => clientCommand(lab, c, options, lead)),
        raw(`for p in $pids; do wait "$p" || failed=1; done`),
        raw(`cat "$out"/*`),
    );
}

/**
 * The whole benchmark of a stack: labs one after another (never two at once), every client
 * process of a lab starting at the same instant. Exits non-zero when any client failed,
 * after printing everything.
 */
export function benchmarkScript(labs: readonly BenchmarkLab[], options: IperfOptions): string {
    const first = labs.flatMap((l) => l.clients)[0];
    if (first === undefined) {
        throw new Error("a benchmark needs at least one client");
    }
    return lines(
        raw("set -eu"),
        raw(`out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; failed=0`),
        cmd(raw("echo"), quote(MARK.version), raw(`"$(docker exec`), containerName(first.container), raw(`iperf -v 2>&1 | head -n 1)"`)),
        labs.map((lab) => labSteps(lab, options)),
        raw(`if [ "$failed" != 0 ]; then echo "icc-bench: some iperf clients failed; see the ${MARK.proc} lines above" >&2; exit 1; fi`),
    );
}
