// Inputs of docker:index/container:Container (official v5 names and shapes, see
// @pulumi/docker/container.d.ts): validation, defaults and the diff. Pure functions only.
import { CheckFailure, DiffResult } from "@pulumi/pulumi/provider";
import { PropertyMap, UNKNOWN, containsUnknown, isRecord, reveal } from "../shared/values";

export const RESOURCE_TYPE = "docker:index/container:Container";

export const RESTART_POLICIES = ["no", "on-failure", "always", "unless-stopped"] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

export interface Label {
    label: string;
    value: string;
}

export interface Host {
    host: string;
    ip: string;
}

export interface Capabilities {
    adds?: string[];
    drops?: string[];
}

/** Checked inputs with secrets revealed and the official defaults filled in. */
export interface ContainerSpec {
    name?: string;
    image: string;
    command?: string[];
    entrypoints?: string[];
    envs?: string[];
    labels?: Label[];
    hosts?: Host[];
    networkMode: string;
    capabilities?: Capabilities;
    restart: RestartPolicy;
    mustRun: boolean;
    start: boolean;
    init?: boolean;
    rm: boolean;
    destroyGraceSeconds?: number;
}

/** Properties whose change replaces the container (ForceNew in the official provider). */
export const FORCE_NEW = [
    "name",
    "image",
    "command",
    "entrypoints",
    "envs",
    "labels",
    "hosts",
    "networkMode",
    "capabilities",
] as const;

/** Properties updated in place. */
export const UPDATABLE = ["restart", "mustRun", "destroyGraceSeconds", "rm", "start", "init"] as const;

export const SUPPORTED_INPUTS: readonly string[] = [...FORCE_NEW, ...UPDATABLE];

/** The official schema defaults, filled in by check. */
export const DEFAULTS: Readonly<PropertyMap> = {
    networkMode: "bridge",
    restart: "no",
    mustRun: true,
    start: true,
    rm: false,
};

// ---------------------------------------------------------------- validation

type Validator = (v: unknown, path: string) => CheckFailure[];

const fail = (property: string, reason: string): CheckFailure[] => [{ property, reason }];

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** Wraps a validator so that unknown values (preview) always pass. */
const known =
    (validate: Validator): Validator =>
    (v, path) =>
        v === UNKNOWN ? [] : validate(v, path);

const str: Validator = known((v, p) => (typeof v === "string" ? [] : fail(p, "must be a string")));
const nonEmptyStr: Validator = known((v, p) =>
    typeof v === "string" && v !== "" ? [] : fail(p, "must be a non-empty string"),
);
const bool: Validator = known((v, p) => (typeof v === "boolean" ? [] : fail(p, "must be a boolean")));
const nonNegativeInt: Validator = known((v, p) =>
    isInt(v) && v >= 0 ? [] : fail(p, "must be a non-negative integer"),
);
const restart: Validator = known((v, p) =>
    (RESTART_POLICIES as readonly unknown[]).includes(v)
        ? []
        : fail(p, `must be one of ${RESTART_POLICIES.map((x) => `'${x}'`).join(", ")}`),
);

const listOf = (item: Validator): Validator =>
    known((v, p) => (Array.isArray(v) ? v.flatMap((x, i) => item(x, `${p}[${i}]`)) : fail(p, "must be a list")));

/** An object with exactly the given fields; any other field is rejected by name. */
const objectOf = (fields: Record<string, Validator>, required: readonly string[]): Validator =>
    known((v, p) => {
        if (!isRecord(v)) {
            return fail(p, "must be an object");
        }
        const missing = required.filter((k) => v[k] === undefined).flatMap((k) => fail(`${p}.${k}`, "is required"));
        const checked = Object.entries(v).flatMap(([k, x]) =>
            fields[k] === undefined ? fail(`${p}.${k}`, unsupportedReason(`${p}.${k}`)) : x === undefined ? [] : fields[k](x, `${p}.${k}`),
        );
        return [...missing, ...checked];
    });

const commandPart: Validator = known((v, p) =>
    typeof v === "string" && v !== "" ? [] : fail(p, "values for command may not be empty"),
);

const VALIDATORS: Record<string, Validator> = {
    name: str,
    image: nonEmptyStr,
    command: listOf(commandPart),
    entrypoints: listOf(str),
    envs: listOf(str),
    labels: listOf(objectOf({ label: str, value: str }, ["label", "value"])),
    hosts: listOf(objectOf({ host: str, ip: str }, ["host", "ip"])),
    networkMode: nonEmptyStr,
    capabilities: objectOf({ adds: listOf(str), drops: listOf(str) }, []),
    restart,
    mustRun: bool,
    start: bool,
    init: bool,
    rm: bool,
    destroyGraceSeconds: nonNegativeInt,
};

export function unsupportedReason(property: string): string {
    return (
        `unsupported property "${property}": the icc-bench offline docker plugin implements only ` +
        `${SUPPORTED_INPUTS.join(", ")} of ${RESOURCE_TYPE}`
    );
}

/** Check failures of a resource's new inputs (secrets are looked through). */
export function validateInputs(news: PropertyMap): CheckFailure[] {
    const inputs = reveal(news) as PropertyMap;
    const missing = inputs.image === undefined ? fail("image", "is required") : [];
    const checked = Object.entries(inputs).flatMap(([k, v]) => {
        const validate = VALIDATORS[k];
        if (validate === undefined) {
            return fail(k, unsupportedReason(k));
        }
        return v === undefined || v === null ? [] : validate(v, k);
    });
    return [...missing, ...checked];
}

/** The inputs with the official defaults filled in and absent (null/undefined) values dropped. */
export function applyDefaults(news: PropertyMap): PropertyMap {
    const present = Object.entries(news).filter(([, v]) => v !== undefined && v !== null);
    return { ...DEFAULTS, ...Object.fromEntries(present) };
}

/** Typed spec of checked inputs; throws on invalid ones. */
export function toSpec(inputs: PropertyMap): ContainerSpec {
    const failures = validateInputs(inputs);
    if (failures.length > 0) {
        throw new Error(failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
    }
    if (containsUnknown(inputs)) {
        throw new Error("inputs contain unknown values outside of a preview");
    }
    return applyDefaults(reveal(inputs) as PropertyMap) as unknown as ContainerSpec;
}

// ---------------------------------------------------------------- diff

type Equal = (old: unknown, neu: unknown) => boolean;

const sortedStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => JSON.stringify(x)).sort() : []);
const orderedEqual: Equal = (a, b) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
const setEqual: Equal = (a, b) => {
    const [x, y] = [new Set(sortedStrings(a)), new Set(sortedStrings(b))];
    return x.size === y.size && [...x].every((e) => y.has(e));
};
/** Sets of objects compared field by field (key order inside an object does not matter). */
const objectSetEqual =
    (fields: readonly string[]): Equal =>
    (a, b) => {
        const canon = (v: unknown): unknown =>
            Array.isArray(v) ? v.map((o) => fields.map((f) => (isRecord(o) ? o[f] : undefined))) : [];
        return setEqual(canon(a), canon(b));
    };
const scalarEqual =
    (dflt: unknown): Equal =>
    (a, b) =>
        (a ?? dflt) === (b ?? dflt);
const capabilitiesEqual: Equal = (a, b) => {
    const part = (v: unknown, k: string): unknown => (isRecord(v) ? v[k] : undefined);
    return setEqual(part(a, "adds"), part(b, "adds")) && setEqual(part(a, "drops"), part(b, "drops"));
};

/** Optional+Computed properties: leaving them out of the program keeps what is in the state. */
const computed =
    (eq: Equal): Equal =>
    (a, b) =>
        b === undefined || eq(a, b);

const EQUALS: Record<string, Equal> = {
    name: computed(scalarEqual(undefined)),
    image: scalarEqual(undefined),
    command: computed(orderedEqual),
    entrypoints: computed(orderedEqual),
    envs: computed(setEqual),
    labels: computed(objectSetEqual(["label", "value"])),
    hosts: objectSetEqual(["host", "ip"]),
    networkMode: scalarEqual(DEFAULTS.networkMode),
    capabilities: capabilitiesEqual,
    restart: scalarEqual(DEFAULTS.restart),
    mustRun: scalarEqual(DEFAULTS.mustRun),
    start: scalarEqual(DEFAULTS.start),
    rm: scalarEqual(DEFAULTS.rm),
    init: computed(scalarEqual(false)),
    destroyGraceSeconds: scalarEqual(0),
};

/** The supported properties whose value differs between the old state and the new inputs. */
export function changedProperties(olds: PropertyMap, news: PropertyMap): string[] {
    const [o, n] = [reveal(olds) as PropertyMap, reveal(news) as PropertyMap];
    return SUPPORTED_INPUTS.filter((k) => containsUnknown(n[k]) || !EQUALS[k](o[k] ?? undefined, n[k] ?? undefined));
}

export function diffInputs(olds: PropertyMap, news: PropertyMap): DiffResult {
    const changed = changedProperties(olds, news);
    const replaces = changed.filter((k) => (FORCE_NEW as readonly string[]).includes(k));
    return { changes: changed.length > 0, replaces };
}
