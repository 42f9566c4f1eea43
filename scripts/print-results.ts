import { readFileSync } from "node:fs";
import { LabResult, describePlacement, placementOf } from "../results/benchmark";

/** Prints `pulumi stack output results --json` (read from stdin) as a table. */

function row(cells: readonly string[], widths: readonly number[]): string {
    return cells.map((c, i) => c.padStart(widths[i])).join("  ");
}

/** A column of the table: its header and its cell for one method's result. */
type Column = readonly [string, (r: LabResult) => string];

const fixed = (digits: number) => (value: number | undefined) => (value === undefined ? "-" : value.toFixed(digits));

const STREAM: readonly Column[] = [
    ["Gbit/s per client", (r) => r.meanPerClient.toFixed(2)],
    ["per container", (r) => r.meanPerContainer.toFixed(2)],
    ["total", (r) => r.total.toFixed(2)],
    ["of limit", (r) => fixed(2)(r.fractionOfLimit)],
    ["CPU s per Gbit", (r) => fixed(3)(r.cpuCost?.cpuSecondsPerGbit)],
];

const PACKETS: readonly Column[] = [
    ["packets/s per client", (r) => fixed(0)(r.packets?.meanReceivedPerSecondPerClient)],
    ["loss %", (r) => fixed(2)(r.packets?.lossPercent)],
];

/** rr: transactions and round trips; percentiles to the histogram's bin (see README). */
const RR: readonly Column[] = [
    ["transactions/s per client", (r) => fixed(0)(r.latency?.meanTransactionsPerSecondPerClient)],
    ["total", (r) => fixed(0)(r.latency?.transactionsPerSecond)],
    ["mean µs", (r) => fixed(1)(r.latency?.meanMicros)],
    ["p50 µs", (r) => fixed(0)(r.latency?.p50Micros)],
    ["p99 µs", (r) => fixed(0)(r.latency?.p99Micros)],
    ["of limit", (r) => fixed(2)(r.ofLimit?.["latency.meanTransactionsPerSecondPerClient"])],
    ["CPU s per 1000", (r) => fixed(4)(r.cpuCost?.cpuSecondsPerThousandTransactions)],
];

/** Labs across hosts: where the servers and the clients ran. */
const HOSTS: Column = ["hosts (servers -> clients)", (r) => {
    const placement = placementOf(r);
    return placement === undefined ? "-" : describePlacement(placement);
}];

function columnsOf(results: readonly LabResult[]): readonly Column[] {
    const figures = results.some((r) => r.mode === "rr") ? RR : results.some((r) => r.protocol === "udp") ? [...STREAM, ...PACKETS] : STREAM;
    const hosts = results.some((r) => r.hosts !== undefined) ? [HOSTS] : [];
    return [["method", (r) => r.method], ...hosts, ["clients", (r) => String(r.clients.length)], ...figures, ["failed", (r) => String(r.failures.length)], ["start", (r) => r.startTime]];
}

function table(results: Readonly<Record<string, LabResult>>): string {
    const columns = columnsOf(Object.values(results));
    const header = columns.map(([name]) => name);
    const rows = Object.values(results).map((r) => columns.map(([, cell]) => cell(r)));
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    return [row(header, widths), ...rows.map((r) => row(r, widths))].join("\n");
}

const results = JSON.parse(readFileSync(0, "utf8")) as Record<string, LabResult>;
const first = Object.values(results)[0];
console.log(first ? `${first.iperfVersion}, ${first.durationSeconds.toFixed(1)} s per test\n` : "no results");
console.log(table(results));
