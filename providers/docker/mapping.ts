// Pure mappings between the resources' properties and the Docker Engine API.
import type Docker from "dockerode";
import { ContainerSpec, IpamConfig, Label, NetworkAttachment, NetworkSpec } from "./inputs";
import { PropertyMap, compact } from "../shared/values";

/** One entry of the `networkDatas` output (official field names). */
export interface NetworkData {
    networkName: string;
    ipAddress: string;
    ipPrefixLength: number;
    gateway: string;
    macAddress: string;
    globalIpv6Address: string;
    globalIpv6PrefixLength: number;
    ipv6Gateway: string;
}

/** The parts of a container inspect this provider reads (a subset of dockerode's type). */
export interface InspectedContainer {
    Id: string;
    Name: string;
    State: { Running: boolean; Status: string };
    Config: { Cmd?: string[] | null; Entrypoint?: string | string[] | null };
    HostConfig: { RestartPolicy?: { Name?: string } | null; AutoRemove?: boolean; Init?: boolean | null };
    NetworkSettings?: { Networks?: Record<string, Partial<Docker.NetworkInfo>> | null } | null;
}

const nonEmpty = <T>(v: T[] | undefined): T[] | undefined => (v !== undefined && v.length > 0 ? v : undefined);

export function labelsToMap(labels: Label[] | undefined): Record<string, string> | undefined {
    return labels === undefined || labels.length === 0
        ? undefined
        : Object.fromEntries(labels.map((l) => [l.label, l.value]));
}

/** Docker's label map as the official label list, sorted by label. */
export function labelsFromMap(labels: Record<string, string> | null | undefined): Label[] {
    return Object.keys(labels ?? {})
        .sort()
        .map((label) => ({ label, value: (labels ?? {})[label] }));
}

/** The endpoint of one networksAdvanced entry: its fixed address and aliases. */
export function endpointConfig(attachment: NetworkAttachment): Docker.EndpointSettings {
    const address = attachment.ipv4Address ? { IPAMConfig: { IPv4Address: attachment.ipv4Address } } : {};
    return compact({ ...address, Aliases: nonEmpty(attachment.aliases) }) as Docker.EndpointSettings;
}

/**
 * The networks a container joins after its create (docker network connect): all of
 * networksAdvanced but the first, which the create itself attaches (API 1.41 takes one endpoint).
 */
export function laterAttachments(spec: ContainerSpec): NetworkAttachment[] {
    return (spec.networksAdvanced ?? []).slice(1);
}

/**
 * The first networksAdvanced entry as the create's only endpoint: with the default mode
 * "bridge" Docker then attaches the container to that network instead of the default bridge,
 * which is where the official provider's disconnect-from-bridge-and-connect ends up.
 */
function firstEndpoint(spec: ContainerSpec): Docker.ContainerCreateOptions["NetworkingConfig"] {
    const first = spec.networksAdvanced?.[0];
    return first === undefined ? undefined : { EndpointsConfig: { [first.name]: endpointConfig(first) } };
}

/** Container create options, as the official provider builds them (unset lists are left out). */
export function toCreateOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
    const hostConfig: Docker.HostConfig = {
        NetworkMode: spec.networkMode,
        RestartPolicy: { Name: spec.restart, MaximumRetryCount: 0 },
        AutoRemove: spec.rm,
        Init: spec.init ?? false,
        ExtraHosts: nonEmpty(spec.hosts?.map((h) => `${h.host}:${h.ip}`)),
        CapAdd: nonEmpty(spec.capabilities?.adds),
        CapDrop: nonEmpty(spec.capabilities?.drops),
    };
    const options: Docker.ContainerCreateOptions = {
        name: spec.name,
        Image: spec.image,
        Cmd: nonEmpty(spec.command),
        Entrypoint: nonEmpty(spec.entrypoints),
        Env: nonEmpty(spec.envs),
        Labels: labelsToMap(spec.labels),
        Tty: false,
        OpenStdin: false,
        HostConfig: compact(hostConfig as PropertyMap) as Docker.HostConfig,
        NetworkingConfig: firstEndpoint(spec),
    };
    return compact(options as PropertyMap) as Docker.ContainerCreateOptions;
}

/** `networkDatas`: one entry per attached network, sorted by network name. */
export function toNetworkDatas(info: InspectedContainer): NetworkData[] {
    const networks = info.NetworkSettings?.Networks ?? {};
    return Object.keys(networks)
        .sort()
        .map((name) => {
            const n = networks[name];
            return {
                networkName: name,
                ipAddress: n.IPAddress ?? "",
                ipPrefixLength: n.IPPrefixLen ?? 0,
                gateway: n.Gateway ?? "",
                macAddress: n.MacAddress ?? "",
                globalIpv6Address: n.GlobalIPv6Address ?? "",
                globalIpv6PrefixLength: n.GlobalIPv6PrefixLen ?? 0,
                ipv6Gateway: n.IPv6Gateway ?? "",
            };
        });
}

export function containerName(info: InspectedContainer): string {
    return info.Name.replace(/^\//, "");
}

function entrypointList(v: string | string[] | null | undefined): string[] {
    return typeof v === "string" ? [v] : (v ?? []);
}

/**
 * Outputs after create/update: the checked inputs as given (secrets kept), the computed
 * properties left out of the program filled from the container, and `networkDatas`.
 */
export function toOutputs(inputs: PropertyMap, info: InspectedContainer): PropertyMap {
    return compact({
        ...inputs,
        name: inputs.name ?? containerName(info),
        command: inputs.command ?? info.Config.Cmd ?? [],
        entrypoints: inputs.entrypoints ?? entrypointList(info.Config.Entrypoint),
        envs: inputs.envs ?? [],
        labels: inputs.labels ?? [],
        init: inputs.init ?? info.HostConfig.Init ?? false,
        networkDatas: toNetworkDatas(info),
    });
}

/**
 * Outputs refreshed from a live container (`pulumi refresh`): what Docker reports for name,
 * restart, rm, init and the networks; a started container that is not running while it must run
 * gets `mustRun: false`, so that the next `up` shows a change (official documented behaviour).
 */
export function refreshOutputs(state: PropertyMap, info: InspectedContainer): PropertyMap {
    const stopped = !info.State.Running && state.mustRun !== false && state.start !== false;
    return compact({
        ...state,
        name: containerName(info),
        restart: info.HostConfig.RestartPolicy?.Name || "no",
        rm: info.HostConfig.AutoRemove ?? false,
        init: info.HostConfig.Init ?? false,
        mustRun: stopped ? false : state.mustRun,
        networkDatas: toNetworkDatas(info),
    });
}

// ---------------------------------------------------------------- networks

/** The parts of a network inspect this provider reads. */
export interface InspectedNetwork {
    Id: string;
    Name: string;
    Driver: string;
    Scope: string;
    Internal: boolean;
    Attachable: boolean;
    Ingress: boolean;
    EnableIPv6: boolean;
    IPAM: {
        Driver: string;
        Config?: Array<{ Subnet?: string; IPRange?: string; Gateway?: string; AuxiliaryAddresses?: Record<string, string> }> | null;
    };
    Options?: Record<string, string> | null;
    Labels?: Record<string, string> | null;
}

function ipamConfigToDocker(c: IpamConfig): PropertyMap {
    const aux = c.auxAddress !== undefined && Object.keys(c.auxAddress).length > 0 ? c.auxAddress : undefined;
    return compact({ Subnet: c.subnet || undefined, IPRange: c.ipRange || undefined, Gateway: c.gateway || undefined, AuxiliaryAddresses: aux });
}

/** Network create options, as the official provider builds them (IPAM always carries its driver). */
export function toNetworkCreateOptions(spec: NetworkSpec): Docker.NetworkCreateOptions {
    return compact({
        Name: spec.name,
        Driver: spec.driver,
        Options: spec.options,
        Labels: labelsToMap(spec.labels),
        Internal: spec.internal,
        Attachable: spec.attachable,
        EnableIPv6: spec.ipv6,
        IPAM: compact({ Driver: spec.ipamDriver, Config: spec.ipamConfigs?.map(ipamConfigToDocker) }),
    }) as unknown as Docker.NetworkCreateOptions;
}

/** `ipamConfigs` as the official provider reads them back: absent strings "", absent auxAddress null. */
export function toIpamConfigs(info: InspectedNetwork): PropertyMap[] {
    return (info.IPAM.Config ?? []).map((c) => ({
        subnet: c.Subnet ?? "",
        gateway: c.Gateway ?? "",
        ipRange: c.IPRange ?? "",
        auxAddress: c.AuxiliaryAddresses !== undefined && Object.keys(c.AuxiliaryAddresses).length > 0 ? c.AuxiliaryAddresses : null,
    }));
}

/**
 * A network's outputs from its inspect (the official read after create and on refresh): the
 * inputs, then what Docker reports. `keepLabels` keeps the labels as given (create/update).
 */
export function toNetworkOutputs(inputs: PropertyMap, info: InspectedNetwork, keepLabels: boolean): PropertyMap {
    return compact({
        ...inputs,
        name: info.Name,
        driver: info.Driver,
        scope: info.Scope,
        attachable: info.Attachable,
        internal: info.Internal,
        ingress: info.Ingress,
        ipv6: info.EnableIPv6,
        ipamDriver: info.IPAM.Driver,
        ipamOptions: null,
        options: info.Options ?? {},
        labels: keepLabels && inputs.labels !== undefined ? inputs.labels : labelsFromMap(info.Labels),
        ipamConfigs: toIpamConfigs(info),
    });
}
