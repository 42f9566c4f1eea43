import { readFileSync } from "node:fs";

/** Where the runner reads CPU time: the host's counters and each container's cgroup. */
export interface CpuCounters {
    /** The first line of /proc/stat (`cpu  <user> <nice> <system> <idle> ...`). */
    hostLine(): string;
    /** The host's CPUs (the cpuN lines of /proc/stat). */
    cores(): number;
    /** The cgroup cpu.stat file of a container's first process, when one is readable. */
    cpuStatFile(pid: number): string | undefined;
    /** usage_usec of a cpu.stat file, when it can be read. */
    usageMicros(file: string): number | undefined;
}

/** cgroup v2 mounted at /sys/fs/cgroup, or in hybrid mode at /sys/fs/cgroup/unified. */
const CGROUP_ROOTS = ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"];

/** The counters of the machine the runner runs on: the local Docker engine's host. */
export const localCpuCounters: CpuCounters = {
    hostLine: () => readFileSync("/proc/stat", "utf8").split("\n")[0],
    cores: () => readFileSync("/proc/stat", "utf8").split("\n").filter((l) => /^cpu\d/.test(l)).length,
    cpuStatFile: (pid) => {
        const path = readOptional(`/proc/${pid}/cgroup`)?.match(/^0::(.*)$/m)?.[1];
        if (path === undefined || path === "" || path === "/") {
            return undefined;
        }
        return CGROUP_ROOTS.map((root) => `${root}${path}/cpu.stat`).find((f) => readOptional(f) !== undefined);
    },
    usageMicros: (file) => {
        const usec = readOptional(file)?.match(/^usage_usec (\d+)$/m)?.[1];
        return usec === undefined ? undefined : Number(usec);
    },
};

function readOptional(file: string): string | undefined {
    try {
        return readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}
