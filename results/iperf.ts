/** iperf2 `-y C` (CSV) report lines, client side. */
export interface IperfReport {
    /** Transfer id; -1 is the sum over parallel streams (-P > 1). */
    readonly id: number;
    readonly start: number;
    readonly end: number;
    readonly bytes: number;
    readonly bitsPerSecond: number;
}

/**
 * Parses one CSV report line: timestamp,src,srcport,dst,dstport,id,start-end,bytes,bits/s[,...].
 * Returns undefined for anything else (iperf's warnings, blank lines).
 */
export function parseReportLine(line: string): IperfReport | undefined {
    const f = line.trim().split(",");
    if (f.length < 9 || !/^\d{14}(\.\d+)?$/.test(f[0])) {
        return undefined;
    }
    const interval = /^(-?[\d.]+)-([\d.]+)$/.exec(f[6]);
    const numbers = [Number(f[5]), Number(f[7]), Number(f[8])];
    if (!interval || numbers.some((n) => !Number.isFinite(n))) {
        return undefined;
    }
    return { id: numbers[0], start: Number(interval[1]), end: Number(interval[2]), bytes: numbers[1], bitsPerSecond: numbers[2] };
}

/**
 * The whole-test report of one client process: the sum line when there are parallel streams,
 * else the single stream's report spanning the whole test (the longest from 0).
 */
export function finalReport(reports: readonly IperfReport[]): IperfReport | undefined {
    const sums = reports.filter((r) => r.id === -1);
    const candidates = (sums.length > 0 ? sums : reports).filter((r) => r.start === 0);
    const byId = new Set(candidates.map((r) => r.id));
    if (sums.length === 0 && byId.size > 1) {
        return sumStreams(candidates);
    }
    return longest(candidates);
}

function longest(reports: readonly IperfReport[]): IperfReport | undefined {
    return reports.reduce<IperfReport | undefined>((best, r) => (best === undefined || r.end - r.start >= best.end - best.start ? r : best), undefined);
}

/** iperf prints no sum line for -P 1 with several ids only when a stream restarts; sum the finals. */
function sumStreams(reports: readonly IperfReport[]): IperfReport | undefined {
    const finals = [...new Set(reports.map((r) => r.id))].map((id) => longest(reports.filter((r) => r.id === id)) as IperfReport);
    const end = Math.max(...finals.map((r) => r.end));
    const bytes = finals.reduce((acc, r) => acc + r.bytes, 0);
    return { id: -1, start: 0, end, bytes, bitsPerSecond: finals.reduce((acc, r) => acc + r.bitsPerSecond, 0) };
}
