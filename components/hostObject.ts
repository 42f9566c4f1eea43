import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { HostCommand } from "../hostscripts/hostCommand";

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
    after?: pulumi.Resource,
): command.local.Command {
    return new command.local.Command(
        name,
        {
            create: scripts.create,
            delete: scripts.delete,
            triggers: [scripts.create, scripts.delete, ...dependsOnIds],
        },
        { parent, deleteBeforeReplace: true, ...(after === undefined ? {} : { dependsOn: [after] }) },
    );
}
