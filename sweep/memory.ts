import { readFileSync, readdirSync } from "node:fs";

/** Peak resident memory of a sweep, MiB. */
export interface PeakMemory {
    /** The sweep's own Node.js process (VmHWM). */
    readonly sweepMiB: number;
    /** The sweep and every process under it (Pulumi CLI, language host, plugins), sampled. */
    readonly treeMiB: number;
    readonly sampleSeconds: number;
}

const PAGE = 4096;
const MIB = 2 ** 20;

function read(path: string): string {
    try {
        return readFileSync(path, "utf8");
    } catch {
        return "";
    }
}

/** Resident bytes of `root` and all its descendants now. */
export function treeRss(root: number): number {
    const parent = new Map<number, number>();
    const rss = new Map<number, number>();
    for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
        const stat = read(`/proc/${entry}/stat`);
        // The command name may hold spaces and parentheses: fields start after the last ")".
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        parent.set(Number(entry), Number(fields[1]));
        rss.set(Number(entry), Number(read(`/proc/${entry}/statm`).split(" ")[1] ?? 0) * PAGE);
    }
    const inTree = (pid: number): boolean => {
        for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 0 && hops < 64; p = parent.get(p), hops++) {
            if (p === root) {
                return true;
            }
        }
        return false;
    };
    return [...rss].filter(([pid]) => inTree(pid)).reduce((acc, [, bytes]) => acc + bytes, 0);
}

/** This process's peak resident memory (VmHWM), bytes. */
function ownPeak(): number {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(read("/proc/self/status"));
    return kb ? Number(kb[1]) * 1024 : process.memoryUsage().rss;
}

/** Samples this process's tree every `seconds` until stopped; stop() gives the peaks. */
export function watchMemory(seconds = 1): { stop(): PeakMemory } {
    let peak = treeRss(process.pid);
    const timer = setInterval(() => {
        peak = Math.max(peak, treeRss(process.pid));
    }, seconds * 1000);
    timer.unref();
    return {
        stop(): PeakMemory {
            clearInterval(timer);
            peak = Math.max(peak, treeRss(process.pid));
            return { sweepMiB: round(ownPeak() / MIB), treeMiB: round(peak / MIB), sampleSeconds: seconds };
        },
    };
}

function round(value: number): number {
    return Math.round(value * 10) / 10;
}
