import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SweepRecord } from "../record";
import { summarize } from "../summary";
import { chartSvg } from "./chart";
import { clientsCsvReport, csvReport } from "./csv";
import { markdownReport } from "./markdown";

/** The files of one sweep's report. */
export interface ReportFiles {
    readonly dir: string;
    readonly markdown: string;
    readonly csv: string;
    /** One row per client process. */
    readonly clientsCsv: string;
    readonly json: string;
    readonly svg: string;
}

/** "table1-20261127-114620": the sweep's name and its start time (UTC). */
export function reportDirName(name: string, startTime: string): string {
    return `${name}-${startTime.replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}`;
}

/**
 * Writes report.md, results.csv, clients.csv, results.json (the record plus its per-cell
 * statistics) and chart.svg into `<outDir>/<name>-<start time>/`.
 */
export async function writeReport(record: SweepRecord, outDir: string): Promise<ReportFiles> {
    const dir = join(outDir, reportDirName(record.spec.name, record.startTime));
    mkdirSync(dir, { recursive: true });
    const cells = summarize(record.spec.points, record.spec.methods, record.measurements);
    const files: ReportFiles = {
        dir,
        markdown: join(dir, "report.md"),
        csv: join(dir, "results.csv"),
        clientsCsv: join(dir, "clients.csv"),
        json: join(dir, "results.json"),
        svg: join(dir, "chart.svg"),
    };
    writeFileSync(files.markdown, markdownReport(record, cells));
    writeFileSync(files.csv, csvReport(record));
    writeFileSync(files.clientsCsv, clientsCsvReport(record));
    writeFileSync(files.json, JSON.stringify({ ...record, summary: cells }, null, 2) + "\n");
    writeFileSync(files.svg, await chartSvg(record, cells));
    return files;
}
