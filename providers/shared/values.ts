// Helpers for property values as the provider server hands them over: plain JSON with the
// engine's wire markers left in (unknowns during preview, secret wrappers), and the input
// schemas the providers derive check, defaults and diff from.
import type { CheckFailure, DiffResult } from "@pulumi/pulumi/provider";

/** A property bag as received over the wire. */
export type PropertyMap = Record<string, unknown>;

/** The engine's sentinel for a value not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isRecord(v: unknown): v is PropertyMap {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isUnknown(v: unknown): boolean {
    return v === UNKNOWN;
}

export function isSecret(v: unknown): v is { value: unknown } {
    return isRecord(v) && v[SIG_KEY] === SECRET_SIG;
}

export function makeSecret(v: unknown): PropertyMap {
    return { [SIG_KEY]: SECRET_SIG, value: v };
}

/** The value with every secret wrapper removed, deeply. */
export function reveal(v: unknown): unknown {
    if (isSecret(v)) {
        return reveal(v.value);
    }
    if (Array.isArray(v)) {
        return v.map(reveal);
    }
    if (isRecord(v)) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
    }
    return v;
}

export function containsSecret(v: unknown): boolean {
    if (isSecret(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsSecret);
    }
    return isRecord(v) && Object.values(v).some(containsSecret);
}

export function containsUnknown(v: unknown): boolean {
    if (isUnknown(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsUnknown);
    }
    return isRecord(v) && Object.values(v).some(containsUnknown);
}

/** A copy without the keys whose value is undefined (protobuf Structs reject undefined). */
export function compact(m: PropertyMap): PropertyMap {
    return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined));
}

/** Structural equality of JSON-like values (object key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) {
        return true;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    }
    if (!isRecord(a) || !isRecord(b)) {
        return false;
    }
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
}

// ---------------------------------------------------------------- input schemas
// A resource's inputs described once (validator, equality, ForceNew, default per property);
// check, defaults and diff of every resource type are derived from that table.

/** Check failures of one value at a property path ("labels[0].value"). */
export type Validator = (v: unknown, path: string) => CheckFailure[];

/** Whether an old state value and a new input value are the same for the diff. */
export type Equal = (old: unknown, neu: unknown) => boolean;

const fail = (property: string, reason: string): CheckFailure[] => [{ property, reason }];

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** Wraps a validator so that unknown values (preview) always pass. */
export const known =
    (validate: Validator): Validator =>
    (v, path) =>
        v === UNKNOWN ? [] : validate(v, path);

export const str: Validator = known((v, p) => (typeof v === "string" ? [] : fail(p, "must be a string")));
export const nonEmptyStr: Validator = known((v, p) =>
    typeof v === "string" && v !== "" ? [] : fail(p, "must be a non-empty string"),
);
export const bool: Validator = known((v, p) => (typeof v === "boolean" ? [] : fail(p, "must be a boolean")));
export const nonNegativeInt: Validator = known((v, p) =>
    isInt(v) && v >= 0 ? [] : fail(p, "must be a non-negative integer"),
);
export const oneOf = (allowed: readonly string[]): Validator =>
    known((v, p) => (allowed.includes(v as string) ? [] : fail(p, `must be one of ${allowed.map((x) => `'${x}'`).join(", ")}`)));
/** A value that must be `false` when given (a feature this plugin does not implement). */
export const onlyFalse = (why: string): Validator =>
    known((v, p) => (v === false ? [] : fail(p, `only false is supported: ${why}`)));

export const listOf = (item: Validator): Validator =>
    known((v, p) => (Array.isArray(v) ? v.flatMap((x, i) => item(x, `${p}[${i}]`)) : fail(p, "must be a list")));

/** A string-to-string map. */
export const mapOf = (item: Validator): Validator =>
    known((v, p) => (isRecord(v) ? Object.entries(v).flatMap(([k, x]) => item(x, `${p}.${k}`)) : fail(p, "must be an object")));

/** An object with exactly the given fields; any other field is rejected by name. */
export const objectOf = (fields: Record<string, Validator>, required: readonly string[]): Validator =>
    known((v, p) => {
        if (!isRecord(v)) {
            return fail(p, "must be an object");
        }
        const missing = required.filter((k) => v[k] === undefined).flatMap((k) => fail(`${p}.${k}`, "is required"));
        const checked = Object.entries(v).flatMap(([k, x]) =>
            fields[k] === undefined
                ? fail(`${p}.${k}`, `unsupported property "${p}.${k}": only ${Object.keys(fields).join(", ")} are implemented in ${p}`)
                : x === undefined || x === null
                  ? []
                  : fields[k](x, `${p}.${k}`),
        );
        return [...missing, ...checked];
    });

const canonical = (v: unknown): string => {
    if (Array.isArray(v)) {
        return `[${v.map(canonical).join(",")}]`;
    }
    if (isRecord(v)) {
        const keys = Object.keys(v)
            .filter((k) => v[k] !== undefined && v[k] !== null)
            .sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
    }
    return JSON.stringify(v);
};

export const orderedEqual: Equal = (a, b) => canonical(a ?? []) === canonical(b ?? []);
/** Lists compared as sets (order and duplicates do not matter; key order inside objects neither). */
export const setEqual: Equal = (a, b) => {
    const set = (v: unknown): Set<string> => new Set(Array.isArray(v) ? v.map(canonical) : []);
    const [x, y] = [set(a), set(b)];
    return x.size === y.size && [...x].every((e) => y.has(e));
};
/** Sets of objects compared after `normalize` (fill defaults, sort nested sets). */
export const setEqualBy =
    (normalize: (item: unknown) => unknown): Equal =>
    (a, b) =>
        setEqual(Array.isArray(a) ? a.map(normalize) : a, Array.isArray(b) ? b.map(normalize) : b);
/** Maps compared by content; absent equals empty. */
export const mapEqual: Equal = (a, b) => canonical(a ?? {}) === canonical(b ?? {});
export const scalarEqual =
    (dflt: unknown): Equal =>
    (a, b) =>
        (a ?? dflt) === (b ?? dflt);
/** Optional+Computed properties: leaving them out of the program keeps what is in the state. */
export const computed =
    (eq: Equal): Equal =>
    (a, b) =>
        b === undefined || eq(a, b);

/** One input property of a resource. */
export interface PropertySchema {
    readonly validate: Validator;
    readonly equal: Equal;
    /** Changing it replaces the resource (ForceNew in the official provider). */
    readonly forceNew: boolean;
    /** The official schema default, filled in by check. */
    readonly default?: unknown;
}

/** The inputs of one resource type, and what the plugin says about the others. */
export interface ResourceSchema {
    readonly type: string;
    /** "the icc-bench offline docker plugin" */
    readonly implementer: string;
    readonly properties: Readonly<Record<string, PropertySchema>>;
    readonly required: readonly string[];
    /** Checks across properties (after the per-property ones passed). */
    readonly crossCheck?: (inputs: PropertyMap) => CheckFailure[];
}

export function unsupportedReason(schema: ResourceSchema, property: string): string {
    return (
        `unsupported property "${property}": ${schema.implementer} implements only ` +
        `${Object.keys(schema.properties).join(", ")} of ${schema.type}`
    );
}

/** Check failures of a resource's new inputs (secrets are looked through). */
export function validateInputs(schema: ResourceSchema, news: PropertyMap): CheckFailure[] {
    const inputs = reveal(news) as PropertyMap;
    const missing = schema.required.filter((k) => inputs[k] === undefined || inputs[k] === null).flatMap((k) => fail(k, "is required"));
    const checked = Object.entries(inputs).flatMap(([k, v]) => {
        const property = schema.properties[k];
        if (property === undefined) {
            return fail(k, unsupportedReason(schema, k));
        }
        return v === undefined || v === null ? [] : property.validate(v, k);
    });
    const failures = [...missing, ...checked];
    return failures.length === 0 && schema.crossCheck ? schema.crossCheck(inputs) : failures;
}

/** The inputs with the official defaults filled in and absent (null/undefined) values dropped. */
export function applyDefaults(schema: ResourceSchema, news: PropertyMap): PropertyMap {
    const defaults = Object.entries(schema.properties).filter(([, p]) => p.default !== undefined);
    const present = Object.entries(news).filter(([, v]) => v !== undefined && v !== null);
    return { ...Object.fromEntries(defaults.map(([k, p]) => [k, p.default])), ...Object.fromEntries(present) };
}

/** Checked inputs with secrets revealed and defaults filled; throws on invalid or unknown ones. */
export function checkedInputs(schema: ResourceSchema, inputs: PropertyMap): PropertyMap {
    const failures = validateInputs(schema, inputs);
    if (failures.length > 0) {
        throw new Error(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
    }
    if (containsUnknown(inputs)) {
        throw new Error("inputs contain unknown values outside of a preview");
    }
    return applyDefaults(schema, reveal(inputs) as PropertyMap);
}

/** The properties whose value differs between the old state and the new inputs. */
export function changedProperties(schema: ResourceSchema, olds: PropertyMap, news: PropertyMap): string[] {
    const [o, n] = [reveal(olds) as PropertyMap, reveal(news) as PropertyMap];
    return Object.entries(schema.properties)
        .filter(([k, p]) => containsUnknown(n[k]) || !p.equal(o[k] ?? undefined, n[k] ?? undefined))
        .map(([k]) => k);
}

export function diffInputs(schema: ResourceSchema, olds: PropertyMap, news: PropertyMap): DiffResult {
    const changed = changedProperties(schema, olds, news);
    return { changes: changed.length > 0, replaces: changed.filter((k) => schema.properties[k].forceNew) };
}
