import { readFileSync } from "node:fs";
import { LabResult } from "../results/benchmark";

/** Prints `pulumi stack output results --json` (read from stdin) as a table. */

function row(cells: readonly string[], widths: readonly number[]): string {
    return cells.map((c, i) => c.padStart(widths[i])).join("  ");
}

function table(results: Readonly<Record<string, LabResult>>): string {
    const header = ["method", "clients", "Gbit/s per client", "per container", "total", "of limit", "failed", "start"];
    const rows = Object.values(results).map((r) => [
        r.method,
        String(r.clients.length),
        r.meanPerClient.toFixed(2),
        r.meanPerContainer.toFixed(2),
        r.total.toFixed(2),
        r.fractionOfLimit === undefined ? "-" : r.fractionOfLimit.toFixed(2),
        String(r.failures.length),
        r.startTime,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    return [row(header, widths), ...rows.map((r) => row(r, widths))].join("\n");
}

const results = JSON.parse(readFileSync(0, "utf8")) as Record<string, LabResult>;
const first = Object.values(results)[0];
console.log(first ? `${first.iperfVersion}, ${first.durationSeconds.toFixed(1)} s per test\n` : "no results");
console.log(table(results));
