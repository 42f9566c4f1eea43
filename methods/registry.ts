import { bridge } from "./bridge";
import type { MethodModule } from "./contract";
import { dockerMacvlan } from "./docker-macvlan";
import { host } from "./host";
import { hostToHost } from "./host-to-host";
import { ipvlan } from "./ipvlan";
import { link } from "./link";
import { macvlanL2 } from "./macvlan-l2";
import { macvlanNat } from "./macvlan-nat";
import { overlay } from "./overlay";
import { ovs } from "./ovs";
import { ovsVxlan } from "./ovs-vxlan";
import { pipework } from "./pipework";
import { sharedNetns } from "./shared-netns";
import { vxlan } from "./vxlan";

/**
 * Every attachment method, in the order their labs take slices of the stack subnet (the study's
 * four first, so their addresses stay where they were). Adding a method: its module, a line here.
 */
export const METHOD_MODULES = [macvlanNat, pipework, link, ovs, bridge, dockerMacvlan, ipvlan, host, sharedNetns, hostToHost, overlay, vxlan, macvlanL2, ovsVxlan] as const;

export type Method = (typeof METHOD_MODULES)[number]["name"];

export const METHODS: readonly Method[] = METHOD_MODULES.map((m) => m.name);

const BY_NAME: ReadonlyMap<string, MethodModule<Method>> = new Map(METHOD_MODULES.map((m) => [m.name, m]));

export function isMethod(value: unknown): value is Method {
    return typeof value === "string" && BY_NAME.has(value);
}

export function methodModule(name: Method): MethodModule<Method> {
    return BY_NAME.get(name) as MethodModule<Method>;
}

/** The method whose result is the limit of a span, on one host or across hosts (see fractionOfLimit). */
export function limitMethod(span: MethodModule["span"]): Method {
    return (METHOD_MODULES.find((m) => m.isLimit && m.span === span) as MethodModule<Method>).name;
}
