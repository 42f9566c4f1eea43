import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { NAMESPACE } from "../model";

/** The Pulumi project: this file compiles to dist/automation/, two levels below it. */
export const PROJECT_DIR = resolve(__dirname, "..", "..");

/** Stack config values by key without the namespace, e.g. { topology: { servers: 2 } }. */
export type LabConfig = Readonly<Record<string, unknown>>;

/** Writes the whole icc-bench config of a stack (structured values as objects, as in YAML). */
export async function setLabConfig(stack: Stack, config: LabConfig): Promise<void> {
    const entries = Object.entries(config).map(([key, value]) => [
        `${NAMESPACE}:${key}`,
        typeof value === "object" && value !== null
            ? { value: JSON.stringify(value), objectValue: value, secret: false }
            : { value: String(value), secret: false },
    ]);
    const current = await stack.getAllConfig();
    for (const key of Object.keys(current).filter((k) => k.startsWith(`${NAMESPACE}:`))) {
        await stack.removeConfig(key);
    }
    await stack.setAllConfigJson(JSON.stringify(Object.fromEntries(entries)));
}

/** Creates (or selects) a stack of the icc-bench project with exactly this config. */
export async function labStack(name: string, config: LabConfig): Promise<Stack> {
    const stack = await LocalWorkspace.createOrSelectStack({ stackName: name, workDir: PROJECT_DIR });
    await setLabConfig(stack, config);
    return stack;
}

/** Destroys the stack's resources and forgets the stack, its state and its config file. */
export async function removeLabStack(stack: Stack): Promise<void> {
    await stack.destroy();
    await stack.workspace.removeStack(stack.name);
    rmSync(join(PROJECT_DIR, "stacks", `Pulumi.${stack.name}.yaml`), { force: true });
}
