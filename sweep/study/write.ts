import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chartSvg } from "../report/chart";
import { csvReport } from "../report/csv";
import { summarize } from "../summary";
import { studyFindings } from "./findings";
import { studyHtml } from "./html";
import { chartFile, studyMarkdown } from "./markdown";
import { STUDY_FORMAT, StudyRecord } from "./record";

/** The files of a study's folder. */
export interface StudyFiles {
    readonly dir: string;
    readonly markdown: string;
    readonly html: string;
    readonly csv: string;
    readonly json: string;
    readonly charts: readonly string[];
}

/** Reads a study's results.json (what `--render` starts from). */
export function loadStudy(dir: string): StudyRecord {
    const path = join(dir, "results.json");
    const record = JSON.parse(readFileSync(path, "utf8")) as Partial<StudyRecord>;
    if (record.format !== STUDY_FORMAT) {
        throw new Error(`${path}: not an icc-bench study result (format ${JSON.stringify(record.format)}, expected ${STUDY_FORMAT})`);
    }
    return record as StudyRecord;
}

/**
 * Writes study.md, study.html (self-contained), one chart-table<n>.svg per table, results.csv
 * (every table's rows, one header) and results.json (the record, each table with its per-cell
 * summary) into `dir`. Everything but the record is derived, so --render can write it again.
 */
export async function writeStudy(record: StudyRecord, dir: string): Promise<StudyFiles> {
    mkdirSync(dir, { recursive: true });
    const summaries = record.tables.map((t) => summarize(t.spec.points, t.spec.methods, t.measurements));
    const svgs = new Map<string, string>();
    for (const [i, table] of record.tables.entries()) {
        svgs.set(chartFile(table), await chartSvg(table, summaries[i]));
    }
    const markdown = studyMarkdown(record, studyFindings(record.tables, record.environment));
    const files: StudyFiles = {
        dir,
        markdown: join(dir, "study.md"),
        html: join(dir, "study.html"),
        csv: join(dir, "results.csv"),
        json: join(dir, "results.json"),
        charts: [...svgs.keys()].map((f) => join(dir, f)),
    };
    for (const [file, svg] of svgs) {
        writeFileSync(join(dir, file), svg);
    }
    writeFileSync(files.markdown, markdown);
    writeFileSync(files.html, studyHtml(markdown, svgs));
    const csvs = record.tables.map((t) => csvReport(t).split("\n"));
    writeFileSync(files.csv, csvs.length === 0 ? "" : [csvs[0][0], ...csvs.flatMap((lines) => lines.slice(1).filter((l) => l !== ""))].join("\n") + "\n");
    const tables = record.tables.map((t, i) => ({ ...t, summary: summaries[i] }));
    writeFileSync(files.json, JSON.stringify({ ...record, tables }, null, 2) + "\n");
    return files;
}
