import { REFUSES_NOTHING, defineMethod } from "./contract";
import { PARENT_INTERFACES, parentNetwork, parentNetworkName, vethParent } from "./vethParent";

/** Docker's macvlan network driver, bridge mode, on a parent the lab owns: the direct path that macvlan-nat adds NAT to. */
export const dockerMacvlan = defineMethod({
    name: "docker-macvlan",
    code: "d",
    description: "Docker's macvlan driver (bridge mode) on a veth parent the lab owns; no NAT",
    attachmentType: "DockerMacvlanAttachment",
    labInterfaces: PARENT_INTERFACES,
    listening: "own-address",
    isLimit: false,
    span: "one-host",
    needs: { commands: ["ip"], kernelModules: ["macvlan"], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: (lab, c) => ({ kind: "network", network: parentNetworkName(lab), address: c.address }),
    dial: (_lab, server) => ({ kind: "address", address: server.address }),
    dockerNetworks: (lab) => [parentNetwork(lab, "macvlan", { macvlan_mode: "bridge" })],
    hostObjects: (lab) => [vethParent(lab)],
});
