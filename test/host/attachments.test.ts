import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { linkEnvironment } from "../../components/linkAttachment";
import { takeInventory } from "../../host/inventory";
import { LabPlan } from "../../model";
import { createAll, deleteAll, hostCommands, planLab, removeContainers, sh, startContainers } from "../../host/handLab";
import { measure, shFails } from "./lab";

const STACK = "hosttest";

function assertNothingLeft(lab: LabPlan): void {
    const left = takeInventory({ stack: STACK, interfacePrefixes: [`ib${lab.id}`] });
    assert.deepEqual(left, { containers: [], interfaces: [], ovs: [], iptables: [] });
}

for (const method of ["pipework", "ovs", "macvlan-nat"]) {
    describe(`${method} on a real host`, () => {
        const lab = planLab(STACK, method, { servers: 2, clientContainers: 3 });
        after(() => {
            try {
                deleteAll(hostCommands(lab));
            } finally {
                removeContainers(lab);
            }
        });

        it("attaches every container, carries iperf traffic, and creating twice changes nothing", () => {
            startContainers(lab);
            createAll(hostCommands(lab));
            createAll(hostCommands(lab));
            const result = measure(lab);
            assert.deepEqual(result.failures, []);
            assert.equal(result.clients.length, 3);
            for (const c of result.clients) {
                assert.ok(c.gbps > 0, `${c.container}: ${c.gbps} Gbit/s`);
            }
            const inside = sh(`nsenter -t "$(docker inspect -f '{{.State.Pid}}' ${lab.clients[0].name})" -n ip -o -4 addr show dev eth1`);
            assert.match(inside, new RegExp(`inet ${lab.clients[0].address.replace(/\./g, "\\.")}/${lab.prefixLength}`));
        });

        it("deletes everything it made, twice in a row, leaving no marked object behind", () => {
            deleteAll(hostCommands(lab));
            deleteAll(hostCommands(lab));
            removeContainers(lab);
            assertNothingLeft(lab);
        });

        it("undoes a half-made attachment when the container is missing", () => {
            const [network, firstPort] = hostCommands(lab);
            sh(network.create);
            const message = shFails(firstPort.create);
            assert.match(message, /create failed .* undoing/);
            const left = takeInventory({ stack: STACK, interfacePrefixes: [lab.servers[0].port.host] });
            assert.deepEqual(left.interfaces, []);
            sh(network.delete);
            assertNothingLeft(lab);
        });
    });
}

describe("link on a real host", () => {
    const lab = planLab(STACK, "link", { servers: 1, clientContainers: 2 });
    after(() => removeContainers(lab));

    it("clients reach the server at the address --link would have injected", () => {
        startContainers({ ...lab, clients: [] });
        const address = sh(`docker inspect -f '{{.NetworkSettings.IPAddress}}' ${lab.servers[0].name}`).trim();
        startContainers({ ...lab, servers: [] }, () => linkEnvironment("iserv", address, 5001));
        const fromEnv = sh(`docker exec ${lab.clients[0].name} sh -c 'echo "$ISERV_PORT_5001_TCP_ADDR"'`).trim();
        assert.equal(fromEnv, address);
        const result = measure(lab);
        assert.equal(result.clients.length, 2);
        assert.ok(result.clients.every((c) => c.gbps > 0));
        removeContainers(lab);
        assertNothingLeft(lab);
    });
});
