import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { NAMESPACE, LabSettings, validateSettings } from "../model";
import { StackHealth, StackPaths, backendStacks, fileBackendDir, stackHealth, stackPaths } from "./checkpoint";

/** The Pulumi project: this file compiles to dist/automation/, two levels below it. */
export const PROJECT_DIR = resolve(__dirname, "..", "..");

/** The project's name, as Pulumi.yaml gives it. */
export function projectName(): string {
    return (parseYaml(readFileSync(join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { name: string }).name;
}

/** Where the file backend of PULUMI_BACKEND_URL keeps the stack's files; undefined for another backend. */
export function labStackPaths(stack: string): StackPaths | undefined {
    const dir = fileBackendDir();
    return dir === undefined ? undefined : stackPaths(dir, projectName(), stack);
}

/** Each stack of the project in the file backend and what is wrong with its files; undefined for another backend. */
export function labStacksHealth(): StackHealth[] | undefined {
    const dir = fileBackendDir();
    return dir === undefined ? undefined : backendStacks(dir, projectName()).map((s) => stackHealth(stackPaths(dir, projectName(), s)));
}

/** Stack config values by key without the namespace, e.g. { topology: { servers: 2 } }. */
export type LabConfig = Readonly<Record<string, unknown>>;

/**
 * Writes the whole icc-bench config of a stack (structured values as objects, as in YAML) in one
 * write of its settings file, without a CLI call: keys of the namespace not in `config` are gone,
 * other namespaces and the file's other settings (encryptionsalt, secrets provider) are kept.
 */
export async function setLabConfig(stack: Stack, config: LabConfig): Promise<void> {
    const file = join(PROJECT_DIR, "stacks", `Pulumi.${stack.name}.yaml`);
    const settings = existsSync(file) ? ((parseYaml(readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>) : {};
    const current = (settings.config ?? {}) as Record<string, unknown>;
    const others = Object.entries(current).filter(([key]) => !key.startsWith(`${NAMESPACE}:`));
    const own = Object.entries(config).map(([key, value]) => [`${NAMESPACE}:${key}`, typeof value === "object" && value !== null ? value : String(value)]);
    writeFileSync(file, stringifyYaml({ ...settings, config: Object.fromEntries([...others, ...own]) }));
}

/** A stack's settings as its config file in stacks/ says them; undefined when it has none. Throws ConfigError when they are not valid. */
export function stackFileSettings(stack: string): LabSettings | undefined {
    const file = join(PROJECT_DIR, "stacks", `Pulumi.${stack}.yaml`);
    if (!existsSync(file)) {
        return undefined;
    }
    const config = (((parseYaml(readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>).config ?? {}) as Record<string, unknown>;
    const own = Object.entries(config).filter(([key]) => key.startsWith(`${NAMESPACE}:`)).map(([key, value]) => [key.slice(NAMESPACE.length + 1), value]);
    return validateSettings(Object.fromEntries(own));
}

/**
 * The program's environment for the ups this code runs: no ts-node type check of the program at
 * each up (about 3.5 s here), since this code runs compiled by tsc from the same, checked, source.
 */
const PROGRAM_ENV = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };

/**
 * Pulumi writes the whole state after every step of an up; a lab of every method at the study's
 * largest sizes holds several MB of it (each attachment's scripts, the benchmark's output), and an
 * up adding 20 servers to it took 132 s that way against 63 s writing it once at the end (its
 * deletes 114 s against 45 s). The price: an up killed hard (not Ctrl-C, which lets it finish)
 * leaves objects its state does not name; `icc-bench clean --stack` finds them by their label.
 */
const FINAL_CHECKPOINT_ONLY = { PULUMI_SKIP_CHECKPOINTS: "true" };

export interface LabStackOptions {
    /** Write the state once at the end of each up, not after every step (the sweeps' and the study's many ups). */
    readonly finalCheckpointOnly?: boolean;
}

/** Creates (or selects) a stack of the icc-bench project with exactly this config. */
export async function labStack(name: string, config: LabConfig, options: LabStackOptions = {}): Promise<Stack> {
    const envVars = { ...PROGRAM_ENV, ...(options.finalCheckpointOnly ? FINAL_CHECKPOINT_ONLY : {}) };
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: name, workDir: PROJECT_DIR }, { envVars });
    await setLabConfig(stack, config);
    return stack;
}

/** Destroys the stack's resources and forgets the stack, its state and its config file. */
export async function removeLabStack(stack: Stack): Promise<void> {
    await stack.destroy();
    await stack.workspace.removeStack(stack.name);
    rmSync(join(PROJECT_DIR, "stacks", `Pulumi.${stack.name}.yaml`), { force: true });
}
