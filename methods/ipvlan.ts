import { REFUSES_NOTHING, defineMethod } from "./contract";
import { PARENT_INTERFACES, parentNetwork, parentNetworkName, vethParent } from "./vethParent";

/** Docker's ipvlan network driver, L2 mode, on a parent the lab owns. */
export const ipvlan = defineMethod({
    name: "ipvlan",
    code: "i",
    description: "Docker's ipvlan driver (L2 mode) on a veth parent the lab owns; needs the ipvlan kernel module",
    attachmentType: "IpvlanAttachment",
    labInterfaces: PARENT_INTERFACES,
    listening: "own-address",
    isLimit: false,
    span: "one-host",
    needs: { commands: ["ip"], kernelModules: ["ipvlan"], openvswitch: false },
    refuse: REFUSES_NOTHING,
    networking: (lab, c) => ({ kind: "network", network: parentNetworkName(lab), address: c.address }),
    dial: (_lab, server) => ({ kind: "address", address: server.address }),
    dockerNetworks: (lab) => [parentNetwork(lab, "ipvlan", { ipvlan_mode: "l2" })],
    hostObjects: (lab) => [vethParent(lab)],
});
