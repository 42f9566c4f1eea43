import type { HostCommand } from "../hostscripts/hostCommand";
import type { Shell } from "../hostscripts/shell";
import type { ConfigProblem, LabContainerPlan, LabPlan, LabSettings, ServerPlan } from "../model";

/**
 * What an attachment method must say about itself. Each method is one module of this folder
 * exporting one MethodModule; methods/registry.ts lists them, and the model, the components,
 * the preflight, the doctor, host:clean and the hand-made lab all read a method through this.
 */

/** How a lab container is connected to Docker's networking. */
export type ContainerNetworking =
    /** No Docker network: a host object of the method brings the lab interface. */
    | { readonly kind: "none" }
    /** Docker's default bridge, wherever the host's dockerd put it. */
    | { readonly kind: "default-bridge" }
    /** A Docker network of the lab (see dockerNetworks), at a fixed address. */
    | { readonly kind: "network"; readonly network: string; readonly address: string }
    /** The host's own network namespace. */
    | { readonly kind: "host" }
    /** The network namespace of another container of the lab (by its container name). */
    | { readonly kind: "netns-of"; readonly container: string };

/** What a client dials to reach its server. */
export type Dial =
    | { readonly kind: "address"; readonly address: string }
    /** A DNS name Docker's embedded DNS resolves (a container name on a user-defined network). */
    | { readonly kind: "name"; readonly name: string }
    /** The server's address on Docker's default bridge, known once Docker has started it. */
    | { readonly kind: "default-bridge-address"; readonly container: string };

/** A Docker network the lab creates (labelled with the stack, like its containers). */
export interface DockerNetworkPlan {
    /** Resource name suffix, unique in the lab. */
    readonly key: string;
    /** Docker network name. */
    readonly name: string;
    readonly driver: "bridge" | "macvlan" | "ipvlan" | "overlay";
    /** Always the lab's own slice: never one of Docker's default pools. */
    readonly subnet: string;
    readonly gateway: string;
    /** Driver options (bridge name, macvlan parent and mode...). */
    readonly options: Readonly<Record<string, string>>;
    /** Where Docker hands out addresses of its own choosing (overlay: each node's load balancer), apart from the fixed ones. */
    readonly ipRange?: string;
    /** Whether containers may join it without a swarm service (overlay). */
    readonly attachable?: boolean;
    /** No way out of it (no docker_gwbridge attachment, no NAT). */
    readonly internal?: boolean;
    /** The host whose Docker creates it (labs across hosts: a swarm manager); the program's own when absent. */
    readonly host?: string;
}

/** One thing a host object's create script made that must exist while the object does. */
export interface HostFact {
    /** For people, e.g. "interface ibo3dc4c0". */
    readonly what: string;
    /** Exits 0 when the thing is there; only reads the host. */
    readonly test: Shell;
}

/** A host object of a lab: one command resource, its scripts, and what the doctor checks. */
export interface HostObjectPlan {
    /** Resource name suffix, unique in the lab: "bridge", "segment", "server0"... */
    readonly key: string;
    /** The lab container it attaches, by name: made again whenever that container is. */
    readonly container?: string;
    readonly scripts: HostCommand;
    readonly facts: readonly HostFact[];
}

/** What a host must have to run the method. */
export interface HostNeeds {
    /** Commands the method's scripts run. */
    readonly commands: readonly string[];
    /** Kernel modules its Docker driver or scripts need (loaded, built in, or loadable). */
    readonly kernelModules: readonly string[];
    /** Whether Open vSwitch must answer where the method plumbs: this host, or (across hosts) every host of the lab. */
    readonly openvswitch: boolean;
}

/** How the lab's servers listen. */
export type Listening =
    /** Every server on the configured iperf port of its own address. */
    | "own-address"
    /** Servers share the host's network namespace: each its own planned port, bound to 127.0.0.1. */
    | "host-loopback"
    /** Servers in their host's network namespace: each its own planned port, bound to the host's address. */
    | "host-address";

/** One attachment method. */
export interface MethodModule<N extends string = string> {
    /** Config name, e.g. "ovs". */
    readonly name: N;
    /** One lowercase letter: host interface names are ib + code + labId + suffix. */
    readonly code: string;
    /** One line for people (README, preview messages). */
    readonly description: string;
    /** Type name of the lab's attachment component, e.g. "OvsAttachment". */
    readonly attachmentType: string;
    /** Suffixes of the lab-wide host interfaces it names (host:clean finds a lab by them). */
    readonly labInterfaces: readonly string[];
    readonly listening: Listening;
    /** True for the method that measures the limit of its span (every other result is a fraction of it). */
    readonly isLimit: boolean;
    /** Whether its lab is on one host (the program's Docker) or its clients on other hosts than its servers. */
    readonly span: "one-host" | "across-hosts";
    readonly needs: HostNeeds;
    /** What it cannot do with these settings, each naming the key. */
    readonly refuse: (settings: LabSettings) => ConfigProblem[];
    readonly networking: (lab: LabPlan, container: LabContainerPlan) => ContainerNetworking;
    readonly dial: (lab: LabPlan, server: ServerPlan) => Dial;
    readonly dockerNetworks: (lab: LabPlan) => DockerNetworkPlan[];
    /** Host objects in creation order: lab-wide ones (no container) first, then per container. */
    readonly hostObjects: (lab: LabPlan) => HostObjectPlan[];
    /** What a client is given besides its networking, from the address of the server it dials. */
    readonly clientEnvironment?: (serverAddress: string, port: number) => ClientEnvironment;
}

/** Environment entries and /etc/hosts lines of a client container. */
export interface ClientEnvironment {
    readonly envs: readonly string[];
    readonly hosts: readonly { readonly host: string; readonly ip: string }[];
}

/** Keeps a module's name as its literal type, so the registry can type the method names. */
export function defineMethod<N extends string>(module: MethodModule<N>): MethodModule<N> {
    return module;
}

/** For modules that need nothing more than the defaults. */
export const NO_HOST_OBJECTS = (): HostObjectPlan[] => [];
export const NO_DOCKER_NETWORKS = (): DockerNetworkPlan[] => [];
export const REFUSES_NOTHING = (): ConfigProblem[] => [];
