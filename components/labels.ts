import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { STACK_LABEL } from "../model";

/** Labels that mark a container as the lab's own: the stop hook and host:clean look for them. */
export function containerLabels(
    stack: pulumi.Input<string>,
    method: pulumi.Input<string>,
    role: "server" | "client",
): docker.types.input.ContainerLabel[] {
    return [
        { label: STACK_LABEL, value: stack },
        { label: "icc-bench.method", value: method },
        { label: "icc-bench.role", value: role },
    ];
}
