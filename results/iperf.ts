/** What iperf2 adds to a UDP report line: the receiver's view (all zero on the client's own lines). */
export interface UdpFields {
    readonly jitterMs: number;
    readonly lost: number;
    /** Datagrams; -1 on the client's whole-test line. */
    readonly total: number;
    readonly lossPercent: number;
    readonly outOfOrder: number;
}

/** iperf2 `-y C` (CSV) report lines, client or server side. */
export interface IperfReport {
    /** Transfer id; -1 is the sum over parallel streams (-P > 1). */
    readonly id: number;
    readonly start: number;
    readonly end: number;
    readonly bytes: number;
    readonly bitsPerSecond: number;
    /** The stream's two ends, "address:port" each, in the order iperf printed them. */
    readonly endpoints: readonly [string, string];
    /** Present on UDP lines. */
    readonly udp?: UdpFields;
}

/**
 * Parses one CSV report line:
 * timestamp,src,srcport,dst,dstport,id,start-end,bytes,bits/s[,jitter,lost,total,lost%,out-of-order].
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
    const report = {
        id: numbers[0],
        start: Number(interval[1]),
        end: Number(interval[2]),
        bytes: numbers[1],
        bitsPerSecond: numbers[2],
        endpoints: [`${f[1]}:${f[2]}`, `${f[3]}:${f[4]}`] as const,
    };
    const udp = udpFields(f.slice(9));
    return udp === undefined ? report : { ...report, udp };
}

function udpFields(f: readonly string[]): UdpFields | undefined {
    const n = f.map(Number);
    if (f.length < 5 || n.some((v) => !Number.isFinite(v))) {
        return undefined;
    }
    return { jitterMs: n[0], lost: n[1], total: n[2], lossPercent: n[3], outOfOrder: n[4] };
}

/** The same key for a stream's client and server lines, whichever end iperf printed first. */
export function streamKey(report: IperfReport): string {
    return [...report.endpoints].sort().join(" ");
}

/**
 * The whole-test report of one client process: a sum line if there is one, else the sum of each
 * stream's whole-test report (iperf 2.1.8 prints no sum line in CSV for -P > 1), else the single
 * stream's report spanning the whole test (the longest from 0).
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

/** Each stream's whole-test report (the longest from 0 per transfer id), sum lines left out. */
export function streamFinals(reports: readonly IperfReport[]): IperfReport[] {
    const fromZero = reports.filter((r) => r.start === 0 && r.id !== -1);
    return [...new Set(fromZero.map((r) => r.id))].map((id) => longest(fromZero.filter((r) => r.id === id)) as IperfReport);
}

function longest(reports: readonly IperfReport[]): IperfReport | undefined {
    return reports.reduce<IperfReport | undefined>((best, r) => (best === undefined || r.end - r.start >= best.end - best.start ? r : best), undefined);
}

/** Several streams and no sum line: the sum of their whole-test reports. */
function sumStreams(reports: readonly IperfReport[]): IperfReport | undefined {
    const finals = streamFinals(reports);
    const end = Math.max(...finals.map((r) => r.end));
    const bytes = finals.reduce((acc, r) => acc + r.bytes, 0);
    return { id: -1, start: 0, end, bytes, bitsPerSecond: finals.reduce((acc, r) => acc + r.bitsPerSecond, 0), endpoints: finals[0].endpoints };
}
