/** CPU time one container used while a lab was measured (cgroup accounting). */
export interface ContainerCpu {
    readonly container: string;
    readonly cpuSeconds: number;
    /** cpuSeconds per second of the window: 1 is one core busy all the time. */
    readonly cores: number;
}

/** CPU use during one lab's measurement, from the start instant to the last client's end. */
export interface CpuUse {
    readonly windowSeconds: number;
    /** Busy share of the whole host (all cores), 0 to 100. */
    readonly hostBusyPercent: number;
    /** CPU seconds the whole host spent busy in the window, all cores and processes together. */
    readonly hostCpuSeconds: number;
    /**
     * The clock ticks /proc/stat counted (busy and idle) over those the window held on every core:
     * about 1 when the kernel accounted the whole window. Absent when the core count is unknown.
     */
    readonly tickCoverage?: number;
    /** CPU seconds of the window (all cores) that /proc/stat counted neither busy nor idle. */
    readonly unaccountedSeconds?: number;
    /** How long after the lab's start instant the first sample was taken (absent: no instant given). */
    readonly sampleLagSeconds?: number;
    /** Containers whose cgroup counter was readable, in the benchmark's order. */
    readonly containers: readonly ContainerCpu[];
}

type Phase = "before" | "after";

/** /proc/stat counts in clock ticks of 1/USER_HZ s; USER_HZ is 100 on every Linux architecture Docker runs on. */
const USER_HZ = 100;

interface HostSample {
    readonly nanos: bigint;
    readonly busy: number;
    readonly total: number;
}

/** The before/after samples of one lab, as the benchmark runner prints them (runner/run.ts). */
export class CpuSamples {
    private readonly host = new Map<Phase, HostSample>();
    private readonly usec = new Map<Phase, Map<string, number>>([["before", new Map()], ["after", new Map()]]);

    /** `before|after <epoch ns> cpu <user> <nice> <system> <idle> <iowait> <irq> <softirq> <steal> ...` */
    addHost(fields: readonly string[]): void {
        const [phase, nanos, , ...jiffies] = fields;
        // /proc/stat pads "cpu" with two spaces: empty fields are not values.
        const j = jiffies.filter((f) => f !== "").slice(0, 8).map(Number);
        if (isPhase(phase) && /^\d+$/.test(nanos ?? "") && j.length === 8 && j.every(Number.isFinite)) {
            const total = j.reduce((a, b) => a + b, 0);
            this.host.set(phase, { nanos: BigInt(nanos), busy: total - j[3] - j[4], total });
        }
    }

    /** `before|after <container> <usage usec|->` */
    addContainer(fields: readonly string[]): void {
        const [phase, container, usec] = fields;
        const value = Number(usec);
        if (isPhase(phase) && usec !== "-" && Number.isFinite(value)) {
            this.usec.get(phase)?.set(container, value);
        }
    }

    /**
     * Undefined when either host sample is missing (a benchmark from before CPU accounting).
     * `startInstant`: the lab's start, in seconds since the epoch.
     */
    use(cores?: number, startInstant?: number): CpuUse | undefined {
        const before = this.host.get("before");
        const after = this.host.get("after");
        if (before === undefined || after === undefined || after.nanos <= before.nanos) {
            return undefined;
        }
        const windowSeconds = Number(after.nanos - before.nanos) / 1e9;
        const total = after.total - before.total;
        const containers: ContainerCpu[] = [];
        for (const [container, start] of this.usec.get("before") ?? []) {
            const end = this.usec.get("after")?.get(container);
            if (end !== undefined) {
                const cpuSeconds = (end - start) / 1e6;
                containers.push({ container, cpuSeconds, cores: cpuSeconds / windowSeconds });
            }
        }
        const busy = after.busy - before.busy;
        const coreSeconds = cores === undefined || cores <= 0 ? undefined : windowSeconds * cores;
        const coverage = coreSeconds === undefined ? {} : { tickCoverage: total / USER_HZ / coreSeconds, unaccountedSeconds: Math.max(0, coreSeconds - total / USER_HZ) };
        const lag = startInstant === undefined ? {} : { sampleLagSeconds: Math.max(0, Number(before.nanos - BigInt(Math.round(startInstant * 1e6)) * 1000n) / 1e9) };
        return { windowSeconds, hostBusyPercent: total > 0 ? (100 * busy) / total : 0, hostCpuSeconds: busy / USER_HZ, ...coverage, ...lag, containers };
    }
}

function isPhase(value: string | undefined): value is Phase {
    return value === "before" || value === "after";
}
