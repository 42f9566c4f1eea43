// The input schema of command:local:Command (official v1.2.1 subset), its validation,
// defaults and diff. Pure functions: no I/O.
import { CheckFailure, DiffResult } from "@pulumi/pulumi/provider";
import { PropertyMap, deepEqual, isRecord, isSecret, isUnknown, reveal } from "../shared/values";

export const RESOURCE_TYPE = "command:local:Command";

/** The official `Logging` enum values (types/enums/local Logging). */
export const LOGGING_VALUES = ["stdout", "stderr", "stdoutAndStderr", "none"] as const;
export type Logging = (typeof LOGGING_VALUES)[number];

type Kind = "string" | "stringMap" | "stringList" | "list" | "boolean" | "logging";

/** Every input this provider supports, with its kind. Anything else is rejected. */
export const INPUT_KINDS: Readonly<Record<string, Kind>> = {
    create: "string",
    update: "string",
    delete: "string",
    environment: "stringMap",
    dir: "string",
    interpreter: "stringList",
    stdin: "string",
    triggers: "list",
    addPreviousOutputInEnv: "boolean",
    logging: "logging",
};

export const INPUT_KEYS: readonly string[] = Object.keys(INPUT_KINDS);

/** Typed, secret-free inputs used to run commands. */
export interface CommandInputs {
    create?: string;
    update?: string;
    delete?: string;
    environment?: Record<string, string>;
    dir?: string;
    interpreter?: string[];
    stdin?: string;
    triggers?: unknown[];
    addPreviousOutputInEnv: boolean;
    logging?: Logging;
}

/** What a value of the given kind must look like; undefined when it fits. */
function kindProblem(kind: Kind, raw: unknown): string | undefined {
    const v = isSecret(raw) ? raw.value : raw;
    if (v === null || v === undefined || isUnknown(v)) {
        return undefined;
    }
    switch (kind) {
        case "string":
            return typeof v === "string" ? undefined : "must be a string";
        case "boolean":
            return typeof v === "boolean" ? undefined : "must be a boolean";
        case "logging":
            return (LOGGING_VALUES as readonly unknown[]).includes(v)
                ? undefined
                : `must be one of ${LOGGING_VALUES.join(", ")}`;
        case "list":
            return Array.isArray(v) ? undefined : "must be a list";
        case "stringList":
            return Array.isArray(v) && v.every((x) => kindProblem("string", x) === undefined)
                ? undefined
                : "must be a list of strings";
        case "stringMap":
            return isRecord(v) && Object.values(v).every((x) => kindProblem("string", x) === undefined)
                ? undefined
                : "must be a map of strings";
    }
}

/** Check failures for unsupported properties and ill-typed values, each naming its property. */
export function validateInputs(news: PropertyMap): CheckFailure[] {
    const failures: CheckFailure[] = [];
    for (const [key, value] of Object.entries(news)) {
        const kind = INPUT_KINDS[key];
        if (kind === undefined) {
            failures.push({
                property: key,
                reason: `unsupported property "${key}" for ${RESOURCE_TYPE}: this offline provider supports only ${INPUT_KEYS.join(", ")}`,
            });
            continue;
        }
        const problem = kindProblem(kind, value);
        if (problem !== undefined) {
            failures.push({ property: key, reason: `property "${key}" ${problem}` });
        }
    }
    return failures;
}

/** The inputs with the official defaults applied (addPreviousOutputInEnv: true). */
export function applyDefaults(news: PropertyMap): PropertyMap {
    const out: PropertyMap = { ...news };
    if (out.addPreviousOutputInEnv === undefined || out.addPreviousOutputInEnv === null) {
        out.addPreviousOutputInEnv = true;
    }
    return out;
}

/** Typed inputs from a checked property bag (inputs or stored outputs); other keys are ignored. */
export function toCommandInputs(props: PropertyMap): CommandInputs {
    const v = reveal(props) as PropertyMap;
    const str = (k: string): string | undefined => (typeof v[k] === "string" ? (v[k] as string) : undefined);
    const inputs: CommandInputs = { addPreviousOutputInEnv: v.addPreviousOutputInEnv !== false };
    for (const k of ["create", "update", "delete", "dir", "stdin"] as const) {
        const s = str(k);
        if (s !== undefined) {
            inputs[k] = s;
        }
    }
    if (isRecord(v.environment)) {
        inputs.environment = v.environment as Record<string, string>;
    }
    if (Array.isArray(v.interpreter)) {
        inputs.interpreter = v.interpreter as string[];
    }
    if (Array.isArray(v.triggers)) {
        inputs.triggers = v.triggers;
    }
    if (typeof v.logging === "string") {
        inputs.logging = v.logging as Logging;
    }
    return inputs;
}

/** Only the input properties of a bag (e.g. of stored outputs). */
export function pickInputs(props: PropertyMap): PropertyMap {
    return Object.fromEntries(Object.entries(props).filter(([k]) => k in INPUT_KINDS));
}

/** The input properties whose value differs between the stored state and the new inputs. */
export function changedInputs(olds: PropertyMap, news: PropertyMap): string[] {
    const norm = (x: unknown): unknown => (x === null ? undefined : reveal(x));
    return INPUT_KEYS.filter((k) => !deepEqual(norm(olds[k]), norm(news[k])));
}

/** A change of `triggers` replaces; any other input change is an in-place update. */
export function diffInputs(olds: PropertyMap, news: PropertyMap): DiffResult {
    const changed = changedInputs(olds, news);
    return {
        changes: changed.length > 0,
        replaces: changed.includes("triggers") ? ["triggers"] : [],
        deleteBeforeReplace: false,
    };
}
