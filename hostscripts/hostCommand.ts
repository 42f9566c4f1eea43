import type { Shell } from "./shell";

/** The create and delete scripts of one host object, as a local.Command takes them. */
export interface HostCommand {
    readonly create: Shell;
    readonly delete: Shell;
}

/** A container's end of an attachment: where it lives and what it is called there. */
export interface ContainerPort {
    /** Docker container name. */
    readonly container: string;
    /** Host-side interface name (veth host end). */
    readonly host: string;
    /** Interface that moves into the container, named so while still on the host. */
    readonly peer: string;
    /** Name inside the container. */
    readonly inside: string;
    readonly address: string;
    readonly prefixLength: number;
    /** The lab's mark: the alias of its host interfaces, the owner of its OVS ports. */
    readonly owner: string;
}
