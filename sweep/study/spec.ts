import { basename, extname } from "node:path";
import { ConfigProblem } from "../../model";
import { STUDY_AXES, StudyAxis, SweepFileError, SweepSpec, asRecord, parseYaml, sweepSpecOf } from "../spec";
import { STUDY, TABLE_NUMBER, TABLE_TOPOLOGY } from "./figures";
import { studyMethods } from "./methods";

/** A validated study file: one sweep per table of the study, all on one stack. */
export interface StudySpec {
    readonly name: string;
    readonly file: string;
    /** 1 repeat and tests of QUICK_DURATION seconds at most. */
    readonly quick: boolean;
    /** In table order. */
    readonly tables: readonly SweepSpec[];
}

const TOP_KEYS = ["name", "repeats", "seed", "base", "tables"];
const NAME_RE = /^[a-z0-9][a-z0-9-]{0,12}$/;
export const QUICK_DURATION = 2;
const DEFAULT_DURATION = 5;

/**
 * Reads a study file (YAML): `repeats`, `seed`, a `base` stack config shared by every table
 * (methods default to every method this host supports) and `tables`: the sizes of each table
 * by axis (default: the study's columns of all three). Each table becomes a sweep named
 * <name>-table<n>, validated and planned as `npm run sweep` does.
 */
export function parseStudy(text: string, file: string, quick: boolean): StudySpec {
    const top = asRecord(parseYaml(text, file));
    const problems: ConfigProblem[] = Object.keys(top)
        .filter((k) => !TOP_KEYS.includes(k))
        .map((k) => ({ key: `study:${k}`, value: top[k], allowed: `one of the keys ${TOP_KEYS.join(", ")}` }));
    const name = top.name ?? basename(file, extname(file));
    if (typeof name !== "string" || !NAME_RE.test(name)) {
        problems.push({ key: "study:name", value: name, allowed: "1 to 13 lowercase letters, digits or '-' (default: the file name)" });
    }
    const tables = top.tables === undefined ? Object.fromEntries(STUDY_AXES.map((a) => [a, STUDY[a].columns.map((c) => (a === "shapes" ? c : Number(c)))])) : asRecord(top.tables);
    const axes = Object.keys(tables);
    if (axes.length === 0 || axes.some((a) => !(STUDY_AXES as readonly string[]).includes(a))) {
        problems.push({ key: "study:tables", value: top.tables, allowed: `a mapping of 1 to 3 of ${STUDY_AXES.join(", ")} to their sizes` });
    }
    if (problems.length > 0) {
        throw new SweepFileError(file, problems);
    }
    const base = asRecord(top.base);
    const iperf = asRecord(base.iperf);
    const duration = typeof iperf.duration === "number" ? iperf.duration : DEFAULT_DURATION;
    const repeats = quick ? 1 : top.repeats;
    const tableBase = (axis: StudyAxis): Record<string, unknown> => ({
        ...base,
        methods: base.methods ?? studyMethods(),
        topology: { ...asRecord(base.topology), ...TABLE_TOPOLOGY[axis] },
        iperf: { ...iperf, duration: quick ? Math.min(duration, QUICK_DURATION) : duration },
    });
    const specs = STUDY_AXES.filter((a) => axes.includes(a)).map((axis) =>
        sweepSpecOf({ name: `${name as string}-table${TABLE_NUMBER[axis]}`, ...(repeats === undefined ? {} : { repeats }), ...(top.seed === undefined ? {} : { seed: top.seed }), base: tableBase(axis), vary: { [axis]: tables[axis] } }, file),
    );
    return { name: name as string, file, quick, tables: specs };
}
