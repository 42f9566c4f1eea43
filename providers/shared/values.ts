// Helpers for property values as the provider server hands them over: plain JSON with the
// engine's wire markers left in (unknowns during preview, secret wrappers).

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
