import { swarmActive, swarmMemberCreate, swarmMemberDelete, SwarmPlan } from "../hostscripts/swarm";
import { createScript, deleteScript } from "../hostscripts/shell";
import { Cidr, formatCidr, parseCidr, subBlock } from "../model/ipv4";
import type { HostSettings, LabPlan } from "../model";
import { REFUSES_NOTHING, defineMethod, type HostObjectPlan } from "./contract";
import { hostsOf, labMembers } from "./common";
import { fact } from "./facts";

/**
 * A Docker Swarm overlay network (VXLAN built into the engine) across the lab's hosts: the
 * servers' host inits a swarm (or is already a manager of one), the clients' hosts join it, and
 * an attachable, internal overlay network on the lab's slice connects containers at fixed addresses.
 */

/**
 * Swarm gives each node on the network a load-balancer address of its choosing, the first free
 * one (it took a server's fixed address before the server started: "Address already in use").
 * Its choices go to the slice's second quarter, which no container of this lab takes (servers
 * are below it, clients in the upper half).
 */
function dynamicRange(lab: LabPlan): string {
    return formatCidr(subBlock(parseCidr(lab.subnet) as Cidr, 2, 1));
}

function networkName(lab: LabPlan): string {
    return `icc-bench-${lab.stack}-${lab.method}`;
}

function swarmMember(lab: LabPlan, host: HostSettings): HostObjectPlan {
    const hosts = hostsOf(lab);
    const plan: SwarmPlan = { stack: lab.stack, manager: hosts.servers, pool: hosts.swarmPool, poolMaskLength: hosts.swarmPoolMaskLength, gatewayBridge: hosts.gatewayBridge };
    const { steps, undo } = swarmMemberCreate(host, plan);
    return {
        key: `swarm-${host.name}`,
        scripts: { create: createScript(steps, undo), delete: deleteScript(swarmMemberDelete(host, plan)) },
        facts: [fact(`host ${host.name} in a swarm`, swarmActive(host))],
    };
}

export const overlay = defineMethod({
    name: "overlay",
    code: "v",
    description: "a Docker Swarm overlay network (attachable, internal) across the hosts, fixed addresses on the lab's slice",
    attachmentType: "OverlayAttachment",
    labInterfaces: [],
    listening: "own-address",
    isLimit: false,
    span: "across-hosts",
    needs: { commands: ["docker"], kernelModules: [], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: (lab, c) => ({ kind: "network", network: networkName(lab), address: c.address }),
    dial: (_lab, server) => ({ kind: "address", address: server.address }),
    dockerNetworks: (lab) => [
        {
            key: "network",
            name: networkName(lab),
            driver: "overlay",
            subnet: lab.subnet,
            gateway: lab.hostAddress,
            options: {},
            ipRange: dynamicRange(lab),
            attachable: true,
            internal: true,
            host: hostsOf(lab).servers.name,
        },
    ],
    hostObjects: (lab) => labMembers(hostsOf(lab)).map((h) => swarmMember(lab, h)),
});
