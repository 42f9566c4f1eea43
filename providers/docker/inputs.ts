// Inputs of the served resource types (official v5 names and shapes, see @pulumi/docker
// container.d.ts, network.d.ts and types/input.d.ts): one schema per type, from which check,
// defaults and diff are derived (providers/shared/values.ts). Pure functions only.
import { CheckFailure } from "@pulumi/pulumi/provider";
import {
    Equal,
    PropertyMap,
    PropertySchema,
    ResourceSchema,
    Validator,
    bool,
    checkedInputs,
    computed,
    isRecord,
    isUnknown,
    known,
    listOf,
    mapEqual,
    mapOf,
    nonEmptyStr,
    nonNegativeInt,
    objectOf,
    oneOf,
    onlyFalse,
    orderedEqual,
    scalarEqual,
    setEqual,
    setEqualBy,
    str,
} from "../shared/values";

export const IMPLEMENTER = "the icc-bench offline docker plugin";

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

/** One entry of a container's `networksAdvanced`. */
export interface NetworkAttachment {
    name: string;
    ipv4Address?: string;
    aliases?: string[];
}

/** Checked container inputs with secrets revealed and the official defaults filled in. */
export interface ContainerSpec {
    name?: string;
    image: string;
    command?: string[];
    entrypoints?: string[];
    envs?: string[];
    labels?: Label[];
    hosts?: Host[];
    networkMode: string;
    networksAdvanced?: NetworkAttachment[];
    capabilities?: Capabilities;
    restart: RestartPolicy;
    mustRun: boolean;
    start: boolean;
    init?: boolean;
    rm: boolean;
    destroyGraceSeconds?: number;
}

/** One entry of a network's `ipamConfigs`. */
export interface IpamConfig {
    subnet?: string;
    gateway?: string;
    ipRange?: string;
    auxAddress?: Record<string, string>;
}

/** Checked network inputs with secrets revealed and the official defaults filled in. */
export interface NetworkSpec {
    name: string;
    driver?: string;
    options?: Record<string, string>;
    ipamConfigs?: IpamConfig[];
    ipamDriver: string;
    labels?: Label[];
    attachable?: boolean;
    internal?: boolean;
    ipv6?: boolean;
}

// ---------------------------------------------------------------- shared shapes

const labelList: Validator = listOf(objectOf({ label: str, value: str }, ["label", "value"]));
const labelsEqual: Equal = setEqual;

const replacing = (validate: Validator, equal: Equal, dflt?: unknown): PropertySchema => ({
    validate,
    equal,
    forceNew: true,
    default: dflt,
});
const inPlace = (validate: Validator, equal: Equal, dflt?: unknown): PropertySchema => ({
    validate,
    equal,
    forceNew: false,
    default: dflt,
});

// ---------------------------------------------------------------- docker:index/container:Container

export const CONTAINER_TYPE = "docker:index/container:Container";

/** The network modes served: Docker's default bridge, none, host and another container's namespace. */
export const NETWORK_MODES = ["bridge", "none", "host", "container:<id>"] as const;

const networkMode: Validator = known((v, p) =>
    typeof v === "string" && (["bridge", "none", "host"].includes(v) || /^container:.+/.test(v))
        ? []
        : [{ property: p, reason: `unsupported network mode ${JSON.stringify(v)}: ${IMPLEMENTER} implements ${NETWORK_MODES.join(", ")}` }],
);

const restart: Validator = oneOf(RESTART_POLICIES);

const commandPart: Validator = known((v, p) =>
    typeof v === "string" && v !== "" ? [] : [{ property: p, reason: "values for command may not be empty" }],
);

const attachment: Validator = objectOf({ name: nonEmptyStr, ipv4Address: str, aliases: listOf(str) }, ["name"]);

/** A networksAdvanced entry as compared: aliases as a set, an absent address as "". */
function normalizeAttachment(v: unknown): unknown {
    if (!isRecord(v)) {
        return v;
    }
    const aliases = Array.isArray(v.aliases) ? [...new Set(v.aliases.map(String))].sort() : [];
    return { name: v.name, ipv4Address: v.ipv4Address ?? "", aliases };
}

const capabilitiesEqual: Equal = (a, b) => {
    const part = (v: unknown, k: string): unknown => (isRecord(v) ? v[k] : undefined);
    return setEqual(part(a, "adds"), part(b, "adds")) && setEqual(part(a, "drops"), part(b, "drops"));
};

/** networksAdvanced attaches through Docker's default mode only (the official create disconnects "bridge"). */
function containerCrossCheck(inputs: PropertyMap): CheckFailure[] {
    const attached = Array.isArray(inputs.networksAdvanced) && inputs.networksAdvanced.length > 0;
    const mode = inputs.networkMode ?? "bridge";
    return attached && mode !== "bridge" && !isUnknown(mode)
        ? [{ property: "networksAdvanced", reason: `networksAdvanced needs networkMode "bridge" (the default), not ${JSON.stringify(mode)}` }]
        : [];
}

export const CONTAINER: ResourceSchema = {
    type: CONTAINER_TYPE,
    implementer: IMPLEMENTER,
    required: ["image"],
    crossCheck: containerCrossCheck,
    properties: {
        name: replacing(str, computed(scalarEqual(undefined))),
        image: replacing(nonEmptyStr, scalarEqual(undefined)),
        command: replacing(listOf(commandPart), computed(orderedEqual)),
        entrypoints: replacing(listOf(str), computed(orderedEqual)),
        envs: replacing(listOf(str), computed(setEqual)),
        labels: replacing(labelList, computed(labelsEqual)),
        hosts: replacing(listOf(objectOf({ host: str, ip: str }, ["host", "ip"])), setEqual),
        networkMode: replacing(networkMode, scalarEqual("bridge"), "bridge"),
        networksAdvanced: replacing(listOf(attachment), setEqualBy(normalizeAttachment)),
        capabilities: replacing(objectOf({ adds: listOf(str), drops: listOf(str) }, []), capabilitiesEqual),
        restart: inPlace(restart, scalarEqual("no"), "no"),
        mustRun: inPlace(bool, scalarEqual(true), true),
        start: inPlace(bool, scalarEqual(true), true),
        rm: inPlace(bool, scalarEqual(false), false),
        init: inPlace(bool, computed(scalarEqual(false))),
        destroyGraceSeconds: inPlace(nonNegativeInt, scalarEqual(0)),
    },
};

// ---------------------------------------------------------------- docker:index/network:Network

export const NETWORK_TYPE = "docker:index/network:Network";

const ipamConfig: Validator = objectOf({ subnet: str, gateway: str, ipRange: str, auxAddress: mapOf(str) }, []);

/** An ipamConfigs entry as compared: absent strings are "", an absent auxAddress is {}. */
function normalizeIpamConfig(v: unknown): unknown {
    if (!isRecord(v)) {
        return v;
    }
    return { subnet: v.subnet ?? "", gateway: v.gateway ?? "", ipRange: v.ipRange ?? "", auxAddress: v.auxAddress ?? {} };
}

export const NETWORK: ResourceSchema = {
    type: NETWORK_TYPE,
    implementer: IMPLEMENTER,
    // The official provider autonames a network left without a name; this plugin does not.
    required: ["name"],
    properties: {
        name: replacing(nonEmptyStr, scalarEqual(undefined)),
        driver: replacing(nonEmptyStr, computed(scalarEqual(undefined))),
        options: replacing(mapOf(str), computed(mapEqual)),
        ipamConfigs: replacing(listOf(ipamConfig), computed(setEqualBy(normalizeIpamConfig))),
        ipamDriver: replacing(nonEmptyStr, scalarEqual("default"), "default"),
        labels: replacing(labelList, labelsEqual),
        attachable: replacing(bool, scalarEqual(false)),
        internal: replacing(bool, computed(scalarEqual(false))),
        ipv6: replacing(onlyFalse("IPv6 networks are not implemented"), scalarEqual(false)),
    },
};

// ---------------------------------------------------------------- typed specs

/** Typed container spec of checked inputs; throws on invalid or unknown ones. */
export function toContainerSpec(inputs: PropertyMap): ContainerSpec {
    return checkedInputs(CONTAINER, inputs) as unknown as ContainerSpec;
}

/** Typed network spec of checked inputs; throws on invalid or unknown ones. */
export function toNetworkSpec(inputs: PropertyMap): NetworkSpec {
    return checkedInputs(NETWORK, inputs) as unknown as NetworkSpec;
}
