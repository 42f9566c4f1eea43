// The command provider: command:local:Command only, official v1 lifecycle semantics.
import { randomBytes } from "node:crypto";
import * as provider from "@pulumi/pulumi/provider";
import { RESOURCE_TYPE, applyDefaults, diffInputs, pickInputs, toCommandInputs, validateInputs } from "./inputs";
import { CommandOutput, NO_OUTPUT, runCommand } from "./run";
import { PropertyMap, containsSecret, isRecord, makeSecret, reveal } from "../shared/values";

export const PROVIDER_VERSION = "1.2.1";

/** Type and name from `urn:pulumi:stack::project::parent$type::name`. */
export function parseUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) {
        throw new Error(`malformed URN ${JSON.stringify(urn)}`);
    }
    const qualified = parts[2];
    return { type: qualified.slice(qualified.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

function assertSupported(urn: string): void {
    const { type } = parseUrn(urn);
    if (type !== RESOURCE_TYPE) {
        throw new Error(`unsupported resource type ${type}: this offline command provider implements only ${RESOURCE_TYPE}`);
    }
}

function asMap(v: unknown): PropertyMap {
    return isRecord(v) ? v : {};
}

/** stdout/stderr stored in a resource's outputs. */
export function storedOutput(outs: PropertyMap): CommandOutput {
    const v = reveal(outs) as PropertyMap;
    return {
        stdout: typeof v.stdout === "string" ? v.stdout : "",
        stderr: typeof v.stderr === "string" ? v.stderr : "",
    };
}

/** Outputs: all inputs plus stdout/stderr, secret when any input is secret. */
export function makeOutputs(inputs: PropertyMap, result: CommandOutput): PropertyMap {
    const wrap = containsSecret(inputs) ? makeSecret : (s: string): unknown => s;
    return { ...inputs, stdout: wrap(result.stdout), stderr: wrap(result.stderr) };
}

async function check(urn: string, _olds: unknown, news: unknown): Promise<provider.CheckResult> {
    assertSupported(urn);
    const inputs = asMap(news);
    const failures = validateInputs(inputs);
    return failures.length > 0 ? { inputs, failures } : { inputs: applyDefaults(inputs) };
}

async function diff(_id: string, urn: string, olds: unknown, news: unknown): Promise<provider.DiffResult> {
    assertSupported(urn);
    return diffInputs(asMap(olds), asMap(news));
}

async function create(urn: string, news: unknown): Promise<provider.CreateResult> {
    assertSupported(urn);
    const inputs = asMap(news);
    const cmd = toCommandInputs(inputs);
    const id = parseUrn(urn).name + randomBytes(4).toString("hex");
    const result = cmd.create === undefined ? NO_OUTPUT : await runCommand(cmd.create, cmd, NO_OUTPUT);
    return { id, outs: makeOutputs(inputs, result) };
}

async function update(_id: string, urn: string, olds: unknown, news: unknown): Promise<provider.UpdateResult> {
    assertSupported(urn);
    const inputs = asMap(news);
    const cmd = toCommandInputs(inputs);
    const previous = storedOutput(asMap(olds));
    const command = cmd.update ?? cmd.create;
    const result = command === undefined ? previous : await runCommand(command, cmd, previous);
    return { outs: makeOutputs(inputs, result) };
}

async function del(_id: string, urn: string, props: unknown): Promise<void> {
    assertSupported(urn);
    const state = asMap(props);
    const cmd = toCommandInputs(state);
    if (cmd.delete !== undefined) {
        await runCommand(cmd.delete, cmd, storedOutput(state));
    }
}

async function read(id: string, urn: string, props: unknown): Promise<provider.ReadResult> {
    assertSupported(urn);
    const state = asMap(props);
    return { id, props: state, inputs: pickInputs(state) };
}

export function makeProvider(): provider.Provider {
    return { version: PROVIDER_VERSION, check, diff, create, update, delete: del, read };
}
