import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createNetworks, hostObjects, makeLab, planLab, removeLab, sh, targetOf } from "../../host/handLab";
import { NOTHING, takeInventory } from "../../host/inventory";
import { methodUnsupported } from "../../host/preflight";
import { claimPath } from "../../hostscripts/ip";
import { methodModule } from "../../methods";
import { ovsBridgeOf } from "../../methods/ovs";
import { pipeworkBridgeOf } from "../../methods/pipework";
import { CONTAINER_IFNAME, IperfSettings, LabPlan, defaultMethods, validateSettings } from "../../model";
import { MIN_TICK_COVERAGE } from "../../results/benchmark";
import { measure, shFails } from "./lab";

/** Each registered method made by hand on this host with its module's scripts and networks, iperf through it. */

const STACK = "hosttest";
/** 64-byte datagrams at 20 Mbit/s per client process: a packet rate test every method can carry on 2 cores. */
const UDP_SMALL: IperfSettings = { duration: 1, interval: 1, parallel: 1, port: 5001, protocol: "udp", udpRate: "20M", length: 64 };

function leftovers(lab: LabPlan) {
    return takeInventory({ stack: STACK, interfacePrefixes: [`ib${lab.id}`] });
}

/** The address a container's lab interface holds, as the container sees it (eth1, or the Docker network's eth0). */
function addressInside(container: string, networked: boolean): string {
    const dev = networked ? "eth0" : CONTAINER_IFNAME;
    return sh(`nsenter -t "$(docker inspect -f '{{.State.Pid}}' ${container})" -n ip -o -4 addr show dev ${dev}`);
}

for (const method of defaultMethods(false)) {
    const module = methodModule(method);
    const unsupported = methodUnsupported(method);
    if (unsupported.length > 0) {
        describe(`${method} on a host without what it needs`, () => {
            it("is refused, naming the method and what is missing", () => {
                assert.ok(unsupported.every((reason) => reason.includes(`the ${method} method`)), unsupported.join("\n"));
                if (method === "ipvlan") {
                    assert.match(unsupported.join("\n"), /needs the kernel module ipvlan/);
                }
            });
        });
        continue;
    }
    describe(`${method} on a real host`, () => {
        const lab = planLab(STACK, method, { servers: 2, clientContainers: 3 });
        after(() => removeLab(lab));

        it("connects every container, carries iperf traffic, and creating its host objects twice changes nothing", () => {
            makeLab(lab);
            hostObjects(lab).forEach((o) => sh(o.scripts.create));
            const result = measure(lab);
            assert.deepEqual(result.failures, []);
            assert.equal(result.clients.length, 3);
            for (const c of result.clients) {
                assert.ok(c.gbps > 0, `${c.container}: ${c.gbps} Gbit/s`);
            }
            const networking = module.networking(lab, lab.clients[0]);
            if (networking.kind === "none" || networking.kind === "network") {
                const inside = addressInside(lab.clients[0].name, networking.kind === "network");
                assert.match(inside, new RegExp(`inet ${lab.clients[0].address.replace(/\./g, "\\.")}/${lab.prefixLength}`));
            }
            if (module.clientEnvironment) {
                const fromEnv = sh(`docker exec ${lab.clients[0].name} sh -c 'echo "$ISERV_PORT_5001_TCP_ADDR"'`).trim();
                assert.equal(fromEnv, targetOf(lab, 0), "the client has what --link would have injected");
            }
        });

        it("carries request/response transactions: every client's rate above zero, its round trips in order", () => {
            const result = measure(lab, { mode: "rr" });
            assert.deepEqual(result.failures, []);
            assert.equal(result.mode, "rr");
            assert.equal(result.clients.length, 3);
            for (const figures of [...result.clients.map((c) => c.rr), result.latency]) {
                assert.ok(figures !== undefined && figures.transactionsPerSecond > 0, JSON.stringify(figures));
                const { minMicros, p50Micros, p90Micros, p99Micros, maxMicros } = figures;
                assert.ok(0 < minMicros && minMicros <= p50Micros && p50Micros <= p90Micros && p90Micros <= p99Micros && p99Micros <= maxMicros, JSON.stringify(figures));
            }
            // A cost only from a window the kernel accounted (this VM's kernel sometimes misses most of a 1 s one).
            const coverage = result.cpu?.tickCoverage;
            assert.ok(coverage !== undefined, `the host's cores were read: ${JSON.stringify(result.cpu)}`);
            if (coverage >= MIN_TICK_COVERAGE) {
                assert.ok((result.cpuCost?.cpuSecondsPerThousandTransactions ?? 0) > 0, JSON.stringify(result.cpuCost));
            } else {
                assert.equal(result.cpuCost, undefined, `coverage ${coverage}: no cost`);
            }
        });

        if (module.refuse({ ...validateSettings({ methods: [method] }), iperf: UDP_SMALL }).length === 0) {
            it("carries small UDP datagrams: a packet rate above zero for every client", () => {
                const result = measure(lab, UDP_SMALL);
                assert.deepEqual(result.failures, []);
                assert.equal(result.clients.length, 3);
                assert.ok(result.clients.every((c) => (c.udp?.packetsPerSecond ?? 0) > 0), JSON.stringify(result.clients));
                assert.ok((result.packets?.receivedPerSecond ?? 0) > 0, JSON.stringify(result.packets));
            });
        }

        it("removes everything it made, twice in a row, leaving no marked object behind", () => {
            removeLab(lab);
            removeLab(lab);
            assert.deepEqual(leftovers(lab), NOTHING);
        });

        const objects = hostObjects(lab);
        const firstPort = objects.find((o) => o.container !== undefined);
        if (firstPort !== undefined) {
            it("undoes a half-made attachment when the container is missing", () => {
                createNetworks(lab);
                const message = shFails(firstPort.scripts.create);
                assert.match(message, /create failed .* undoing/);
                assert.deepEqual(takeInventory({ stack: STACK, interfacePrefixes: [lab.servers[0].ifnames.host] }).interfaces, []);
                removeLab(lab);
                assert.deepEqual(leftovers(lab), NOTHING);
            });
        }
    });
}

/** Someone else's objects that happen to have a lab's names: refused on create, left alone on delete. */
describe("objects of the lab's names that the lab did not make", () => {
    const pipework = planLab(STACK, "pipework", { servers: 1, clientContainers: 1 });
    const ovs = planLab(STACK, "ovs", { servers: 1, clientContainers: 1 });
    const bridgeName = pipeworkBridgeOf(pipework);
    const ovsName = ovsBridgeOf(ovs);
    const linkDetails = (name: string) => sh(`ip -d link show dev ${name}`).replace(/^\d+: /, "");

    after(() => {
        removeLab(pipework);
        removeLab(ovs);
        sh(`ip link del dev ${bridgeName} 2>/dev/null || true; ovs-vsctl --if-exists del-br ${ovsName}`);
    });

    it("a Linux bridge of the lab's bridge name is refused, named, never adopted, and survives the lab's delete", () => {
        sh(`ip link add ${bridgeName} type bridge`);
        const before = linkDetails(bridgeName);
        const [bridge] = hostObjects(pipework);
        const message = shFails(bridge.scripts.create);
        assert.match(message, new RegExp(`icc-bench: interface '?${bridgeName}'? exists and is not this lab's .* refusing to adopt or remove it`));
        sh(bridge.scripts.delete);
        removeLab(pipework);
        assert.equal(linkDetails(bridgeName), before, "the bystander bridge is exactly as it was");
        assert.deepEqual(leftovers(pipework), NOTHING, "nothing of the lab, and the bystander is not counted as the lab's");
        sh(`ip link del dev ${bridgeName}`);
    });

    it("a link a killed create made but had not marked yet is the lab's by the create's record: made again and removed", () => {
        const [bridge, firstPort] = hostObjects(pipework);
        const mark = pipework.names.mark;
        sh(bridge.scripts.create);
        // What a kill -9 between `ip link add` and the alias leaves: the link unmarked, its record kept.
        const host = pipework.servers[0].ifnames.host;
        sh(`ip link add ${host} type veth peer name ${host}x && printf %s '${mark}' > ${claimPath(host, mark)}`);
        assert.deepEqual(takeInventory({ stack: STACK, interfacePrefixes: [host] }).interfaces, [host], "the inventory counts it as the lab's");
        sh(firstPort.scripts.delete);
        assert.equal(sh(`ip link show dev ${host} >/dev/null 2>&1 && echo there || echo gone`).trim(), "gone");
        removeLab(pipework);
        assert.deepEqual(leftovers(pipework), NOTHING);
        assert.equal(sh(`[ -e ${claimPath(host, mark)} ] && echo there || echo gone`).trim(), "gone", "no record is left");
    });

    it("an OVS bridge of the lab's name without its mark is refused and survives the lab's delete", () => {
        sh(`ovs-vsctl add-br ${ovsName} -- set bridge ${ovsName} datapath_type=netdev`);
        const [bridge] = hostObjects(ovs);
        assert.match(shFails(bridge.scripts.create), new RegExp(`icc-bench: OVS bridge '?${ovsName}'? exists and is not this lab's`));
        sh(bridge.scripts.delete);
        assert.equal(sh(`ovs-vsctl br-exists ${ovsName} && echo yes`).trim(), "yes");
    });
});
