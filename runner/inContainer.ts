// What runs inside the lab's containers, as argv for an exec (no host shell). A client container
// keeps a small launcher: one exec per client process would cost a runc exec each (about 65 ms
// here, 16 s for the 256 processes of a 16x16 lab, against 1 s for its 16 containers).
import { IperfSettings } from "../model";
import { MARK } from "../framing/benchmark";
import { BenchmarkClient, BenchmarkServer } from "./plan";

/**
 * Runs inside a client container: says "ready", reads the common start instant from stdin,
 * starts $6 iperf processes that all begin sending then (each killed after $7 seconds at most),
 * waits for them and prints each one's framed report and stderr.
 * Args: target port duration interval parallel processes limit method container server, then
 * the mode's own iperf options (see modeOptions).
 */
export const CLIENT_LAUNCHER = [
    `echo ready`,
    `read -r start || exit 1`,
    `target=$1 port=$2 duration=$3 interval=$4 parallel=$5 processes=$6 limit=$7 method=$8 container=$9 server=\${10}; shift 10`,
    `d=$(mktemp -d); i=1`,
    `while [ "$i" -le "$processes" ]; do`,
    `  ( timeout -k 5 "$limit" iperf -c "$target" -p "$port" -t "$duration" -i "$interval" -P "$parallel" "$@" --txstart-time "$start" >"$d/$i.out" 2>"$d/$i.err"; echo $? >"$d/$i.rc" ) &`,
    `  i=$((i+1)); done`,
    `wait; fail=0; i=1`,
    `while [ "$i" -le "$processes" ]; do`,
    // iperf2 exits 0 even when it cannot connect: no report at all is a failure too.
    `  rc=$(cat "$d/$i.rc"); [ "$rc" = 0 ] && [ -s "$d/$i.out" ] || fail=1`,
    `  echo "${MARK.proc} $method $container $i $server $rc"; cat "$d/$i.out"; sed "s/^/${MARK.err} /" "$d/$i.err"`,
    `  i=$((i+1)); done`,
    `rm -rf "$d"; exit $fail`,
].join("\n");

/** The file prefix of a server container's UDP iperf server (pid and reports). */
const UDP_FILES = "/tmp/icc-bench-udp";

/**
 * Runs inside a server container: (re)starts a UDP iperf server on port $1 (bound to $2 when
 * given) in the background. Line-buffered, so every stream's report is in the file as soon as
 * the stream ends.
 */
const UDP_SERVER_START = [
    `f=${UDP_FILES}`,
    `[ ! -f "$f.pid" ] || kill -9 "$(cat "$f.pid")" 2>/dev/null || true`,
    `stdbuf -oL iperf -s -u -p "$1" \${2:+-B "$2"} -y C >"$f.csv" 2>&1 &`,
    `echo $! >"$f.pid"`,
].join("\n");

/** Runs inside a server container: stops the UDP server and prints its framed reports. Args: method container index. */
const UDP_SERVER_STOP = [
    `f=${UDP_FILES}`,
    `kill -9 "$(cat "$f.pid")" 2>/dev/null || true`,
    `echo "${MARK.udpServer} $1 $2 $3"`,
    `cat "$f.csv" 2>/dev/null || true`,
    `rm -f "$f.pid" "$f.csv"`,
].join("\n");

/** The name the in-container scripts see as $0. */
const ARG0 = "icc-bench";

/** The first line of this prints the image's iperf version (iperf -v writes it to stderr). */
export const IPERF_VERSION_ARGV: readonly string[] = ["iperf", "-v"];

/**
 * Reads a container's clock when told to: says ready, waits for a line on stdin, then prints
 * nanoseconds since the epoch (GNU date, in the image). Timing the line's round trip, not the
 * exec's, leaves out the exec's creation, which takes longer than its output's way back.
 */
export const CLOCK_ARGV: readonly string[] = ["sh", "-c", "echo ready; read -r go; date +%s%N"];

/**
 * The iperf client options of the configured mode: CSV reports for stream (TCP, or UDP at its
 * offered rate); for rr, back-to-back bounceback transactions, whose figures iperf prints only
 * as text (results/bounceback.ts reads them).
 */
export function modeOptions(options: IperfSettings): string[] {
    const length = options.length === undefined ? [] : ["-l", String(options.length)];
    if (options.mode === "rr") {
        return ["--bounceback", "--bounceback-period", "0", ...length];
    }
    if (options.protocol !== "udp") {
        return [...length, "-y", "C"];
    }
    return ["-u", "-b", options.udpRate ?? "", ...length, "-y", "C"];
}

/** A client process that has not finished this long after the start is stuck (e.g. a TCP hang). */
export function processTimeLimit(options: IperfSettings, processes: number): number {
    return Math.ceil(options.duration + startMarginMicros(processes) / 1e6) + 30;
}

/**
 * Time from "every client container is ready" to the common start: each container still has to
 * fork its iperf processes, which connect before sending.
 */
export function startMarginMicros(processes: number): number {
    return 200_000 + 10_000 * processes;
}

/** The launcher's exec in one client container; `limit` bounds each of its processes (seconds). */
export function clientArgv(method: string, client: BenchmarkClient, options: IperfSettings, limit: number): string[] {
    const args = [client.target, client.port, options.duration, options.interval, options.parallel, client.processes, limit, method, client.container, client.serverIndex];
    return ["sh", "-c", CLIENT_LAUNCHER, ARG0, ...args.map(String), ...modeOptions(options)];
}

export function udpServerStartArgv(server: BenchmarkServer): string[] {
    return ["sh", "-c", UDP_SERVER_START, ARG0, String(server.port), server.bind ?? ""];
}

export function udpServerStopArgv(method: string, server: BenchmarkServer, index: number): string[] {
    return ["sh", "-c", UDP_SERVER_STOP, ARG0, method, server.container, String(index)];
}
