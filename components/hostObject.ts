import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { ContainerPort, HostCommand } from "../hostscripts/methods/hostCommand";

/** A container and the host-side port that attaches it to a lab network. */
export interface AttachedContainer {
    /** Short unique suffix for resource names, e.g. "server0". */
    readonly key: string;
    /** Names and address of the attachment. */
    readonly port: ContainerPort;
    /** Docker id of the container: a new container means a new attachment. */
    readonly containerId: pulumi.Input<string>;
}

/**
 * A host object made and removed by shell scripts. Any change of its scripts or of what it
 * hangs on replaces it, delete first: its host names are fixed, and a plain update would run
 * the new create without ever removing what the old one made.
 */
export function hostObject(
    name: string,
    scripts: HostCommand,
    dependsOnIds: readonly pulumi.Input<string>[],
    parent: pulumi.Resource,
): command.local.Command {
    return new command.local.Command(
        name,
        {
            create: scripts.create,
            delete: scripts.delete,
            triggers: [scripts.create, scripts.delete, ...dependsOnIds],
        },
        { parent, deleteBeforeReplace: true },
    );
}

/**
 * One host object per container, named after it; each is made again when its container or the
 * lab's network object (bridge, segment) is.
 */
export function containerPorts<C extends AttachedContainer>(
    name: string,
    network: command.local.Command,
    containers: readonly C[],
    scriptsOf: (c: C) => HostCommand,
    parent: pulumi.Resource,
): command.local.Command[] {
    return containers.map((c) => hostObject(`${name}-${c.key}`, scriptsOf(c), [network.id, c.containerId], parent));
}
