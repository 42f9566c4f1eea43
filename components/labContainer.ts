import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { STACK_LABEL } from "../model";

/** What every lab container is given, whatever its role. */
export interface LabContainerArgs {
    /** Docker container name. */
    readonly containerName: pulumi.Input<string>;
    /** Image holding iperf2 (e.g. icc-bench/iperf:bookworm). */
    readonly image: pulumi.Input<string>;
    /** How it joins Docker's networking (networkMode, or networksAdvanced for a lab network). */
    readonly networking: ContainerNetworkArgs;
    /** Stack that owns the container (its icc-bench.stack label). */
    readonly stack: pulumi.Input<string>;
    /** Attachment method of the lab. */
    readonly method: pulumi.Input<string>;
    /** Further labels, e.g. the stack's subnet and lab id. */
    readonly ownerLabels?: Readonly<Record<string, string>>;
    /** The provider of the Docker host it runs on (labs across hosts); the program's own Docker when absent. */
    readonly provider?: docker.Provider;
}

/** The networking part of a container's args. */
export type ContainerNetworkArgs = Pick<docker.ContainerArgs, "networkMode" | "networksAdvanced">;

/** The role-specific part of a lab container. */
type RoleArgs = Pick<docker.ContainerArgs, "command" | "envs" | "hosts">;

/**
 * A lab container, labelled as the lab's own (the stop hook and host:clean look for the labels).
 * Its name is fixed, so a replacement deletes the old container first.
 */
export function labContainer(
    name: string,
    args: LabContainerArgs,
    role: "server" | "client",
    roleArgs: RoleArgs,
    parent: pulumi.Resource,
): docker.Container {
    return new docker.Container(
        name,
        {
            name: args.containerName,
            image: args.image,
            ...args.networking,
            labels: [
                { label: STACK_LABEL, value: args.stack },
                { label: "icc-bench.method", value: args.method },
                { label: "icc-bench.role", value: role },
                ...Object.entries(args.ownerLabels ?? {}).map(([label, value]) => ({ label, value })),
            ],
            restart: "no",
            mustRun: true,
            destroyGraceSeconds: 5,
            ...roleArgs,
        },
        { parent, deleteBeforeReplace: true, ...(args.provider === undefined ? {} : { provider: args.provider }) },
    );
}
