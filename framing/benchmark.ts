/**
 * Framing markers of the benchmark's stdout: the benchmark runner (runner/) prints them, results/benchmark.ts
 * reads them back. Each starts a line, followed by its fields separated by spaces.
 */
export const MARK = {
    /** The first line: the output ends with MARK.end, else it was cut short. */
    begin: "icc-bench-begin",
    /** The last line: the runner printed everything. */
    end: "icc-bench-end",
    version: "icc-bench-version",
    /** `<mark> stream|rr`: the iperf mode of every lab that follows (absent: stream). */
    mode: "icc-bench-mode",
    /** `<mark> <n>`: the labs that follow are round n (1-based) of the run. */
    round: "icc-bench-round",
    /** `<mark> <method> <start instant>`: one lab's run. */
    lab: "icc-bench-lab",
    proc: "icc-bench-proc",
    err: "icc-bench-err",
    /** `<mark> <n>`: the host's CPUs (the cpuN lines of /proc/stat). */
    hostCores: "icc-bench-cores",
    /** `<mark> before|after <epoch ns> cpu <user> <nice> <system> <idle> ...` (/proc/stat). */
    hostCpu: "icc-bench-cpu",
    /** `<mark> before|after <container> <usec|->`: the container's cgroup CPU time. */
    containerCpu: "icc-bench-cgroup",
    /** `<mark> <method> <container> <server index>`, then the UDP server's CSV reports. */
    udpServer: "icc-bench-udpserver",
    /** `<mark> <container> <exit code|missing>`: a server that stopped during the lab's run. */
    serverDown: "icc-bench-server-down",
    /** `<mark> <container> <host>`: the Docker host a container of the lab runs on (labs across hosts). */
    placement: "icc-bench-host",
    /** `<mark> <host> <offset µs> <round trip µs>`: the host's clock against the runner's, measured before the lab's start. */
    clock: "icc-bench-clock",
} as const;
