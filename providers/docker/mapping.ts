// Pure mappings between the resource's properties and the Docker Engine API.
import type Docker from "dockerode";
import { ContainerSpec, Label } from "./inputs";
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
