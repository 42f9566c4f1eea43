import { IperfSettings, UDP_RATE_RE } from "../model";
import { MARK } from "../framing/benchmark";
import { Shell, cmd, containerName, dialTarget, ipv4, lines, number, port, quote, raw, word } from "./shell";

/** One client container of a lab run: its processes all dial `target` on `port`. */
export interface BenchmarkClient {
    readonly container: string;
    /** An IPv4 address, or a name Docker's DNS resolves. */
    readonly target: string;
    readonly port: number;
    readonly serverIndex: number;
    readonly processes: number;
}

/** A server container of a lab run: where its iperf listens. */
export interface BenchmarkServer {
    readonly container: string;
    readonly port: number;
    /** The address it binds to, when not every address of its namespace. */
    readonly bind?: string;
}

export interface BenchmarkLab {
    readonly method: string;
    readonly clients: readonly BenchmarkClient[];
    /** Server containers, by server index: their CPU time is measured too. */
    readonly servers?: readonly BenchmarkServer[];
}


/**
 * Runs inside a client container: says "ready", reads the common start instant from stdin,
 * starts $6 iperf processes that all begin sending then (each killed after $7 seconds at most),
 * waits for them and prints each one's framed report and stderr.
 * Args: target port duration interval parallel processes limit method container server, then
 * the mode's own iperf options (see modeOptions).
 */
const IN_CLIENT = [
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

/**
 * Runs inside a server container: (re)starts a UDP iperf server on port $1 (bound to $2 when
 * given) in the background. Line-buffered, so every stream's report is in the file as soon as
 * the stream ends.
 */
const UDP_SERVER_START = [
    `f=/tmp/icc-bench-udp`,
    `[ ! -f "$f.pid" ] || kill -9 "$(cat "$f.pid")" 2>/dev/null || true`,
    `stdbuf -oL iperf -s -u -p "$1" \${2:+-B "$2"} -y C >"$f.csv" 2>&1 &`,
    `echo $! >"$f.pid"`,
].join("\n");

/** Runs inside a server container: stops the UDP server and prints its framed reports. Args: method container index. */
const UDP_SERVER_STOP = [
    `f=/tmp/icc-bench-udp`,
    `kill -9 "$(cat "$f.pid")" 2>/dev/null || true`,
    `echo "${MARK.udpServer} $1 $2 $3"`,
    `cat "$f.csv" 2>/dev/null || true`,
    `rm -f "$f.pid" "$f.csv"`,
].join("\n");

/**
 * Host functions: `cpu_files NAME...` writes "name counter-file" per container (cgroup v2
 * cpu.stat, at /sys/fs/cgroup or /sys/fs/cgroup/unified; "-" when none is readable);
 * `cpu_sample PHASE` prints /proc/stat's cpu line and every container's usage_usec;
 * `servers_down NAME...` prints "name exit-code" (or "name missing") per container not running.
 */
const HOST_FUNCTIONS = [
    `cpu_file() {`,
    `  p=$(sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null || true)`,
    `  for f in "/sys/fs/cgroup$p/cpu.stat" "/sys/fs/cgroup/unified$p/cpu.stat"; do`,
    `    if [ -n "$p" ] && [ "$p" != / ] && [ -r "$f" ]; then echo "$f"; return 0; fi`,
    `  done`,
    `  echo -`,
    `}`,
    `cpu_files() {`,
    `  docker inspect -f '{{.Name}} {{.State.Pid}}' "$@" 2>/dev/null | while read -r name pid; do echo "\${name#/} $(cpu_file "$pid")"; done`,
    `}`,
    `cpu_sample() {`,
    `  echo "${MARK.hostCpu} $1 $(date +%s%N) $(head -n 1 /proc/stat)"`,
    `  while read -r name f; do`,
    `    u=-; [ "$f" = - ] || u=$(sed -n 's/^usage_usec //p' "$f" 2>/dev/null || true)`,
    `    echo "${MARK.containerCpu} $1 $name \${u:--}"`,
    `  done <"$out/cpu"`,
    `}`,
    `servers_down() {`,
    `  docker inspect -f '{{.Name}} {{.State.Running}} {{.State.ExitCode}}' "$@" >"$out/state" 2>/dev/null || true`,
    `  for c in "$@"; do awk -v n="/$c" -v c="$c" '$1 == n { found = 1; if ($2 != "true") print c, $3 } END { if (!found) print c, "missing" }' "$out/state"; done`,
    `}`,
].join("\n");

/**
 * Shell variables holding the scripts run inside containers: each is written once at the top of
 * the benchmark, not once per container, so the script grows by a launch line per client only.
 */
const IN_CONTAINER = { client: "in_client", udpStart: "udp_start", udpStop: "udp_stop" } as const;

function inContainerScripts(): Shell {
    return lines(
        word(raw(`${IN_CONTAINER.client}=`), quote(IN_CLIENT)),
        word(raw(`${IN_CONTAINER.udpStart}=`), quote(UDP_SERVER_START)),
        word(raw(`${IN_CONTAINER.udpStop}=`), quote(UDP_SERVER_STOP)),
    );
}

/** The shell function that runs the i-th lab: defined once, called once per round. */
function labFunction(i: number): string {
    return `lab_${i}`;
}

/** A client process that has not finished this long after the start is stuck (e.g. a TCP hang). */
function processTimeLimit(options: IperfSettings, processes: number): number {
    return Math.ceil(options.duration + startMarginMicros(processes) / 1e6) + 30;
}

/**
 * Time from "every client container is ready" to the common start: each container still has to
 * fork its iperf processes, which connect before sending.
 */
export function startMarginMicros(processes: number): number {
    return 200_000 + 10_000 * processes;
}

/** Seconds to wait for every `docker exec` to say ready before starting anyway. */
export function readyTimeoutSeconds(containers: number): number {
    return 30 + containers;
}

/**
 * The iperf client options of the configured mode: CSV reports for stream (TCP, or UDP at its
 * offered rate); for rr, back-to-back bounceback transactions, whose figures iperf prints only
 * as text (results/bounceback.ts reads them).
 */
export function modeOptions(options: IperfSettings): Shell[] {
    const length = options.length === undefined ? [] : [raw("-l"), number(options.length)];
    if (options.mode === "rr") {
        return [raw("--bounceback --bounceback-period 0"), ...length];
    }
    if (options.protocol !== "udp") {
        return [...length, raw("-y C")];
    }
    const rate = options.udpRate ?? "";
    if (!UDP_RATE_RE.test(rate)) {
        throw new Error(`refusing UDP rate ${JSON.stringify(rate)}`);
    }
    return [raw("-u -b"), quote(rate), ...length, raw("-y C")];
}

/**
 * One client's `docker exec`, in the background: stdin delivers the start instant from the fifo
 * go<n>, its first output line ("ready") goes to fd 3, the rest to out<n>, its exit code to rc<n>.
 */
function clientLaunch(lab: BenchmarkLab, client: BenchmarkClient, options: IperfSettings, processes: number): Shell {
    const exec = cmd(
        raw("docker exec -i"), containerName(client.container), raw(`sh -c "$${IN_CONTAINER.client}" icc-bench`),
        dialTarget(client.target), port(client.port), number(options.duration), number(options.interval),
        number(options.parallel), number(client.processes), number(processTimeLimit(options, processes)), quote(lab.method),
        containerName(client.container), number(client.serverIndex), ...modeOptions(options),
    );
    return lines(
        raw(`mkfifo "$out/go$n"`),
        cmd(
            raw(`{ read -r s <"$out/go$n"; echo "$s"; } | {`), exec,
            raw(`2>&1; echo "$?" >"$out/rc$n"; } | { read -r r || r=; echo "$r" >&3; [ "$r" = ready ] || printf '%s\\n' "$r"; cat; } >"$out/out$n" &`),
        ),
        raw(`n=$((n+1))`),
    );
}

function udpServers(lab: BenchmarkLab, options: IperfSettings, script: string, args: (server: BenchmarkServer, index: number) => Shell[]): Shell[] {
    if (options.protocol !== "udp") {
        return [];
    }
    return (lab.servers ?? []).map((server, i) =>
        cmd(raw("docker exec"), containerName(server.container), raw(`sh -c "$${script}" icc-bench`), ...args(server, i), raw("|| failed=1")),
    );
}

function serverNames(lab: BenchmarkLab): string[] {
    return (lab.servers ?? []).map((s) => s.container);
}

/**
 * A lab whose server is already down is not run: a client would get "connection refused" or,
 * on Docker's bridge, reach whatever container took the dead server's address.
 */
function labSteps(lab: BenchmarkLab, options: IperfSettings): Shell {
    const servers = serverNames(lab).map(containerName);
    return lines(
        cmd(raw(`rm -f "$out"/*;`), word(raw("method="), quote(lab.method))),
        cmd(raw("servers_down"), ...servers, raw(`>"$out/down"`)),
        raw(`if [ -s "$out/down" ]; then`),
        // Still a lab block, so the results say which server was down instead of leaving the lab out.
        cmd(raw("echo"), quote(`${MARK.lab} ${lab.method}`), raw(`"$(date +%s)"`)),
        raw(`  while read -r c code; do echo "${MARK.serverDown} $c $code"; echo "icc-bench: $method: server container $c is not running (exit code $code): iperf -s died; recreate the lab" >&2; done <"$out/down"`),
        raw("else"),
        labRun(lab, options),
        cmd(raw("servers_down"), ...servers, raw(`| while read -r c code; do echo "${MARK.serverDown} $c $code"; echo "icc-bench: $method: server container $c stopped during the run (exit code $code); later runs need the lab recreated" >&2; done`)),
        raw("fi"),
    );
}

function labRun(lab: BenchmarkLab, options: IperfSettings): Shell {
    const processes = lab.clients.reduce((acc, c) => acc + c.processes, 0);
    const containers = [...serverNames(lab), ...lab.clients.map((c) => c.container)];
    return lines(
        raw(`mkfifo "$out/ready"; exec 3<>"$out/ready"; n=0`),
        cmd(raw("cpu_files"), ...containers.map(containerName), raw(`>"$out/cpu"`)),
        udpServers(lab, options, IN_CONTAINER.udpStart, (server) => [port(server.port), server.bind === undefined ? quote("") : ipv4(server.bind)]),
        lab.clients.map((c) => clientLaunch(lab, c, options, processes)),
        cmd(
            raw("timeout"), number(readyTimeoutSeconds(lab.clients.length)),
            raw(`sh -c 'i=0; while [ "$i" -lt "$1" ]; do read -r r || exit 1; i=$((i+1)); done' icc-bench "$n" <&3`),
            raw(`|| echo "icc-bench: not every client said ready; starting anyway" >&2`),
        ),
        raw(`t=$(( $(date +%s%N) / 1000 + ${startMarginMicros(processes)} )); start="$((t / 1000000)).$(printf %06d $((t % 1000000)))"`),
        cmd(raw("echo"), quote(`${MARK.lab} ${lab.method}`), raw(`"$start"`)),
        raw(`i=0; while [ "$i" -lt "$n" ]; do echo "$start" >"$out/go$i"; i=$((i+1)); done`),
        // CPU is sampled from the start instant on, not while the clients get ready.
        raw(`w=$(( t - $(date +%s%N) / 1000 )); [ "$w" -le 0 ] || sleep "$((w / 1000000)).$(printf %06d $((w % 1000000)))"`),
        raw(`cpu_sample before; wait; cpu_sample after; exec 3>&-`),
        udpServers(lab, options, IN_CONTAINER.udpStop, (server, i) => [quote(lab.method), containerName(server.container), number(i)]),
        raw(`i=0; while [ "$i" -lt "$n" ]; do cat "$out/out$i"; [ "$(cat "$out/rc$i" 2>/dev/null)" = 0 ] || failed=1; i=$((i+1)); done`),
    );
}

/**
 * The whole benchmark of a stack (run by RUN_SCRIPT_FROM_STDIN): rounds one after another, each running the labs in its order,
 * one after another (never two at once; by default one round in `labs` order). In each lab every
 * client container first says it is ready, then all iperf processes start sending at one instant
 * a short margin later; CPU time of the host and of every container is sampled at the start and
 * at the end. A failed client or a server found down is printed, not an exit status: the results
 * keep it (see verdictScript), so the stack outputs show what failed.
 */
export function benchmarkScript(labs: readonly BenchmarkLab[], options: IperfSettings, rounds: readonly (readonly string[])[] = [labs.map((l) => l.method)]): string {
    const first = labs.flatMap((l) => l.clients)[0];
    if (first === undefined) {
        throw new Error("a benchmark needs at least one client");
    }
    if (options.protocol === "udp" && labs.some((l) => (l.servers ?? []).length === 0)) {
        throw new Error("a UDP benchmark needs every lab's server containers");
    }
    return lines(
        raw("set -eu"),
        raw(`out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; failed=0`),
        raw(HOST_FUNCTIONS),
        cmd(raw("echo"), quote(MARK.version), raw(`"$(docker exec`), containerName(first.container), raw(`iperf -v 2>&1 | head -n 1)"`)),
        cmd(raw("echo"), quote(`${MARK.mode} ${options.mode ?? "stream"}`)),
        cmd(raw("echo"), quote(MARK.hostCores), raw(`"$(grep -c '^cpu[0-9]' /proc/stat)"`)),
        inContainerScripts(),
        labs.map((lab, i) => lines(raw(`${labFunction(i)}() {`), labSteps(lab, options), raw("}"))),
        rounds.map((order, r) => lines(cmd(raw("echo"), quote(`${MARK.round} ${r + 1}`)), order.map((method) => raw(labFunction(labIndex(labs, method)))))),
        raw(`if [ "$failed" != 0 ]; then echo "icc-bench: some iperf clients failed; see the ${MARK.proc} lines above" >&2; fi`),
    );
}

function labIndex(labs: readonly BenchmarkLab[], method: string): number {
    const i = labs.findIndex((l) => l.method === method);
    if (i < 0) {
        throw new Error(`a round names the method ${method}, which has no lab in this benchmark`);
    }
    return i;
}

/**
 * The benchmark command itself: runs the script it is given on stdin (benchmarkScript) from a
 * temporary file, with stdin closed. A large lab's script outgrows one `sh -c` argument (at most
 * 128 KiB on Linux: spawn fails with E2BIG); stdin has no such limit.
 */
export const RUN_SCRIPT_FROM_STDIN = lines(
    raw(`f=$(mktemp) || exit 1`),
    raw(`trap 'rm -f "$f"' EXIT`),
    raw(`cat >"$f" || exit 1`),
    raw(`sh "$f" </dev/null`),
);

/**
 * The benchmark's verdict as a command: fails with `failure` (see results/benchmark.ts
 * benchmarkFailure) so that the update fails while the results, failures included, reach the
 * stack outputs; succeeds when there is nothing to report.
 */
export function verdictScript(failure: string | undefined): string {
    return failure === undefined ? "true" : lines(cmd(raw("printf '%s\\n'"), quote(failure), raw(">&2")), raw("exit 1"));
}
