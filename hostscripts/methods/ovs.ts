import { disableTxOffload } from "../ip";
import { addOvsPort, deleteOvsBridge, deleteOvsPort, ensureOvsBridge, readDatapath } from "../ovs";
import { cmd, createScript, deleteScript, raw } from "../shell";
import { ContainerPort, HostCommand } from "./hostCommand";
import { vethPort } from "./vethPort";

export function ovsBridge(bridge: string, owner: string): HostCommand {
    const teardown = deleteOvsBridge(bridge);
    return { create: createScript(ensureOvsBridge(bridge, owner), teardown), delete: deleteScript(teardown) };
}

/** One OVS port per container, the other end of its veth inside the container. */
export function ovsPort(bridge: string, owner: string, port: ContainerPort): HostCommand {
    return vethPort(port, {
        join: (hostEnd) => addOvsPort(bridge, hostEnd, owner),
        leave: (hostEnd) => deleteOvsPort(bridge, hostEnd),
        afterMove: (inside) => cmd(readDatapath(bridge), raw("; if [ \"$netdev\" = 1 ]; then"), disableTxOffload(inside), raw("; fi")),
    });
}
