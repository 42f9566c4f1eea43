import { basename, extname } from "node:path";
import { parse } from "yaml";
import { ConfigError, ConfigProblem, IperfSettings, LabSettings, Method, TopologySettings, planStack, validateSettings } from "../model";

/** The topologies a sweep can vary: one study table each. */
export const STUDY_AXES = ["clientContainers", "serversAndClients", "shapes"] as const;
export type StudyAxis = (typeof STUDY_AXES)[number];
/** What a sweep varies: a study table's topology, or iperf's length (-l) at the base topology. */
export const AXES = [...STUDY_AXES, "length"] as const;
export type Axis = (typeof AXES)[number];

export function isStudyAxis(axis: Axis): axis is StudyAxis {
    return (STUDY_AXES as readonly string[]).includes(axis);
}

/** One point of a sweep: one column of its tables. */
export interface SweepPoint {
    /** Column label: "4", or "2x16" for shapes. */
    readonly label: string;
    /** The varied number: client containers, servers (= clients), client processes (M x K), or bytes. */
    readonly size: number;
    readonly topology: TopologySettings;
    /** iperf options the point sets over the base's (the length axis). */
    readonly iperf?: Pick<IperfSettings, "length">;
}

/** A validated sweep file. */
export interface SweepSpec {
    readonly name: string;
    /** The file it was read from. */
    readonly file: string;
    readonly repeats: number;
    /** Seed of the per-repeat method shuffles; absent: one is drawn and recorded. */
    readonly seed?: number;
    readonly axis: Axis;
    /** Stack config shared by every point (keys without the namespace), topology left out. */
    readonly base: Readonly<Record<string, unknown>>;
    /** Methods as configured; each repeat measures them in a shuffled order. */
    readonly methods: readonly Method[];
    readonly iperf: IperfSettings;
    readonly image: string;
    readonly points: readonly SweepPoint[];
}

export class SweepFileError extends Error {
    constructor(readonly file: string, readonly problems: readonly ConfigProblem[]) {
        super(`invalid sweep file ${file}:\n` + problems.map((p) => `  ${p.key}: got ${JSON.stringify(p.value) ?? "nothing"}; allowed: ${p.allowed}`).join("\n"));
        this.name = "SweepFileError";
    }
}

const TOP_KEYS = ["name", "repeats", "seed", "base", "vary"];
const NAME_RE = /^[a-z0-9][a-z0-9-]{0,19}$/;
const SHAPE_RE = /^([1-9]\d{0,2})x([1-9]\d{0,2})$/;
const MAX_REPEATS = 50;
const MAX_POINTS = 64;
export const DEFAULT_REPEATS = 3;
/** Stack name of a sweep (every stack a sweep makes starts with "sweep"). */
export const sweepStackName = (name: string): string => `sweep-${name}`;

/**
 * Reads a sweep file (YAML): a base stack config, the axis to vary and the repeats. Every
 * point's whole stack config is validated and planned as `pulumi up` would, so a bad value
 * fails here, naming the point, before anything is deployed.
 */
export function parseSweep(text: string, file: string): SweepSpec {
    return sweepSpecOf(parseYaml(text, file), file);
}

/** parseSweep of a sweep file's parsed value (the study builds its tables' sweeps this way). */
export function sweepSpecOf(value: unknown, file: string): SweepSpec {
    const problems: ConfigProblem[] = [];
    const fail = <T>(key: string, value: unknown, allowed: string, fallback: T): T => {
        problems.push({ key: `sweep:${key}`, value, allowed });
        return fallback;
    };
    const top = asRecord(value);
    for (const key of Object.keys(top).filter((k) => !TOP_KEYS.includes(k))) {
        fail(key, top[key], `one of the keys ${TOP_KEYS.join(", ")}`, undefined);
    }
    const name = readName(top.name, file, fail);
    const repeats = readWhole(top.repeats, DEFAULT_REPEATS, 1, MAX_REPEATS) ?? fail("repeats", top.repeats, `a whole number from 1 to ${MAX_REPEATS}`, 1);
    const seed = top.seed === undefined ? undefined : readWhole(top.seed, 0, 0, 2 ** 32 - 1) ?? fail("seed", top.seed, "a whole number from 0 to 4294967295", 0);
    const base = readBase(top.base, fail);
    const [axis, points] = readVary(top.vary, base, fail);
    if (problems.length > 0) {
        throw new SweepFileError(file, problems);
    }
    const settings = checkPoints(name, base, points, file);
    return { name, file, repeats, ...(seed === undefined ? {} : { seed }), axis, base, methods: settings.methods, iperf: settings.iperf, image: settings.image, points };
}

type Fail = <T>(key: string, value: unknown, allowed: string, fallback: T) => T;

export function parseYaml(text: string, file: string): unknown {
    try {
        return parse(text);
    } catch (e) {
        throw new SweepFileError(file, [{ key: "sweep", value: (e as Error).message.split("\n")[0], allowed: "a YAML mapping" }]);
    }
}

export function asRecord(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function readWhole(value: unknown, fallback: number, min: number, max: number): number | undefined {
    if (value === undefined) {
        return fallback;
    }
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

function readName(value: unknown, file: string, fail: Fail): string {
    const name = value ?? basename(file, extname(file));
    return typeof name === "string" && NAME_RE.test(name) ? name : fail("name", name, "1 to 20 lowercase letters, digits or '-' (default: the file name)", "sweep");
}

function readBase(value: unknown, fail: Fail): Record<string, unknown> {
    const base = asRecord(value);
    if (value !== undefined && base !== value) {
        return fail("base", value, "a stack config mapping (keys without the icc-bench: namespace)", {});
    }
    for (const key of ["runId", "repeats"]) {
        if (base[key] !== undefined) {
            fail(`base.${key}`, base[key], `nothing: the sweep sets ${key} for every point (repeats at the top of the file)`, undefined);
        }
    }
    return base;
}

function readVary(value: unknown, base: Record<string, unknown>, fail: Fail): [Axis, SweepPoint[]] {
    const vary = asRecord(value);
    const axes = Object.keys(vary);
    const allowed = `exactly one of ${AXES.join(", ")}`;
    if (axes.length !== 1 || !(AXES as readonly string[]).includes(axes[0])) {
        return fail("vary", value, allowed, ["clientContainers", []]);
    }
    const axis = axes[0] as Axis;
    const list = vary[axis];
    if (!Array.isArray(list) || list.length === 0 || list.length > MAX_POINTS) {
        return fail(`vary.${axis}`, list, `a list of 1 to ${MAX_POINTS} values`, [axis, []]);
    }
    if (new Set(list.map(String)).size !== list.length) {
        return fail(`vary.${axis}`, list, "distinct values", [axis, []]);
    }
    const baseTopology = asRecord(base.topology);
    const points = list.map((v) => pointOf(axis, v, baseTopology) ?? fail(`vary.${axis}`, v, axisValues(axis), undefined));
    return [axis, points.filter((p): p is SweepPoint => p !== undefined)];
}

function axisValues(axis: Axis): string {
    return axis === "shapes" ? 'shapes "MxK" (M client containers with K iperf clients each), such as 4x16' : axis === "length" ? "whole numbers of bytes from 1" : "whole numbers from 1";
}

/** A topology from one value of the axis; the base's topology fills what the axis leaves. */
function pointOf(axis: Axis, value: unknown, base: Record<string, unknown>): SweepPoint | undefined {
    const whole = (v: unknown): number | undefined => (typeof v === "number" && Number.isInteger(v) && v >= 1 ? v : undefined);
    const n = whole(value);
    const servers = whole(base.servers) ?? 1;
    const perContainer = whole(base.clientsPerContainer) ?? 1;
    switch (axis) {
        case "length": {
            const topology = { servers, clientContainers: whole(base.clientContainers) ?? 1, clientsPerContainer: perContainer };
            return n === undefined ? undefined : { label: String(n), size: n, topology, iperf: { length: n } };
        }
        case "clientContainers":
            return n === undefined ? undefined : { label: String(n), size: n, topology: { servers, clientContainers: n, clientsPerContainer: perContainer } };
        case "serversAndClients":
            return n === undefined ? undefined : { label: String(n), size: n, topology: { servers: n, clientContainers: n, clientsPerContainer: perContainer } };
        case "shapes": {
            const m = typeof value === "string" ? SHAPE_RE.exec(value) : null;
            if (m === null) {
                return undefined;
            }
            const [containers, processes] = [Number(m[1]), Number(m[2])];
            return { label: value as string, size: containers * processes, topology: { servers, clientContainers: containers, clientsPerContainer: processes } };
        }
    }
}

/** The stack config of one point (method order, repeats and runId are the runner's). */
export function pointConfig(spec: Pick<SweepSpec, "base">, point: SweepPoint): Record<string, unknown> {
    const iperf = point.iperf === undefined ? {} : { iperf: { ...asRecord(spec.base.iperf), ...point.iperf } };
    return { ...spec.base, topology: { ...asRecord(spec.base.topology), ...point.topology }, ...iperf };
}

/** Validates and plans every point's config as the stack program will. */
function checkPoints(name: string, base: Record<string, unknown>, points: readonly SweepPoint[], file: string): LabSettings {
    const problems: ConfigProblem[] = [];
    let first: LabSettings | undefined;
    for (const point of points) {
        try {
            const settings = validateSettings({ ...pointConfig({ base }, point), runId: "1" });
            planStack(sweepStackName(name), settings);
            first ??= settings;
        } catch (e) {
            if (!(e instanceof ConfigError)) {
                throw e;
            }
            problems.push(...e.problems.map((p) => ({ ...p, key: `point ${point.label}: ${p.key}` })));
        }
    }
    if (problems.length > 0 || first === undefined) {
        throw new SweepFileError(file, problems);
    }
    return first;
}
