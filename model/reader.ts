// Reading a raw config object: each reader returns a default on error and collects the problem.

/** One problem with one config value. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: unknown;
    readonly allowed: string;
}

export class ConfigError extends Error {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(
            `invalid icc-bench configuration:\n` +
                problems.map((p) => `  ${p.key}: got ${describe(p.value)}; allowed: ${p.allowed}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

function describe(value: unknown): string {
    return value === undefined ? "nothing" : JSON.stringify(value);
}

/** Collects problems while reading a raw config object; each reader returns a default on error. */
export class Reader {
    readonly problems: ConfigProblem[] = [];

    constructor(private readonly prefix: string) {}

    key(name: string): string {
        return `${this.prefix}${name}`;
    }

    fail<T>(name: string, value: unknown, allowed: string, fallback: T): T {
        this.problems.push({ key: this.key(name), value, allowed });
        return fallback;
    }

    object(name: string, value: unknown, known: readonly string[]): Record<string, unknown> {
        if (value === undefined) {
            return {};
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            return this.fail(name, value, `an object with keys ${known.join(", ")}`, {});
        }
        const record = value as Record<string, unknown>;
        for (const extra of Object.keys(record).filter((k) => !known.includes(k))) {
            this.fail(name === "" ? extra : `${name}.${extra}`, record[extra], `one of the keys ${known.join(", ")}`, undefined);
        }
        return record;
    }

    number(name: string, value: unknown, fallback: number, min: number, max: number, integer: boolean): number {
        if (value === undefined) {
            return fallback;
        }
        const kind = integer ? "a whole number" : "a number";
        const ok =
            typeof value === "number" && Number.isFinite(value) && (!integer || Number.isInteger(value)) &&
            value >= min && value <= max;
        return ok ? value : this.fail(name, value, `${kind} from ${min} to ${max}`, fallback);
    }

    positive(name: string, value: unknown, fallback: number, max: number): number {
        if (value === undefined) {
            return fallback;
        }
        const ok = typeof value === "number" && Number.isFinite(value) && value > 0 && value <= max;
        return ok ? value : this.fail(name, value, `a number of seconds above 0 and at most ${max}`, fallback);
    }

    pattern(name: string, value: unknown, fallback: string, re: RegExp, allowed: string): string {
        if (value === undefined) {
            return fallback;
        }
        return typeof value === "string" && re.test(value) ? value : this.fail(name, value, allowed, fallback);
    }
}
