import { deleteLink, ensureBridge, setMaster } from "../ip";
import { acceptForward, deleteRule, ensureRule } from "../iptables";
import { createScript, deleteScript, lines, raw } from "../shell";
import { ContainerPort, HostCommand } from "./hostCommand";
import { vethPort } from "./vethPort";

/**
 * The lab's Linux bridge, and the DOCKER-USER rule without which br_netfilter sends its
 * traffic through Docker's FORWARD policy DROP.
 */
export function pipeworkBridge(bridge: string, mark: string): HostCommand {
    const rule = acceptForward(bridge, mark);
    const teardown = lines(deleteRule(rule), deleteLink(bridge));
    return {
        create: createScript(lines(ensureBridge(bridge), ensureRule(rule)), teardown),
        delete: deleteScript(teardown),
    };
}

/** What `pipework <bridge> <container> <address>/<prefix>` does. */
export function pipeworkPort(bridge: string, port: ContainerPort): HostCommand {
    return vethPort(port, {
        join: (hostEnd) => setMaster(hostEnd, bridge),
        leave: () => raw(":"),
    });
}
