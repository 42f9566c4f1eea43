import { STACK_LABEL } from "../model/constants";
import type { DockerEndpoint } from "../model/hosts";
import { docker } from "./dockerHost";
import { Shell, cidr, cmd, ipv4, lines, number, quote, raw, word } from "./shell";

/**
 * Docker Swarm membership of a lab's hosts, each reached only through its Docker endpoint
 * (`docker -H`). A node the lab makes a member (swarm init or join) carries the node label
 * icc-bench.stack=<stack>, set through the manager; a delete leaves the swarm only where that
 * label says the lab made the membership: a host already in a swarm is used and left as it was.
 * Swarm's own networks stay in the lab's addresses: init gets the lab's address pool, and a host
 * without docker_gwbridge gets one of the lab's (labelled, removed with the membership).
 */

/** A host as the swarm scripts reach it. */
export interface SwarmHost extends DockerEndpoint {
    readonly name: string;
    /** Its underlay address: what the swarm advertises and listens on. */
    readonly address: string;
}

export interface SwarmPlan {
    readonly stack: string;
    /** The host that inits the swarm and holds the lab's overlay network. */
    readonly manager: SwarmHost;
    /** Address pool of a swarm the lab inits (its ingress network takes a block of it). */
    readonly pool: string;
    /** Block size of the pool's networks. */
    readonly poolMaskLength: number;
    /** Subnet of a docker_gwbridge the lab makes. */
    readonly gatewayBridge: string;
}

const SWARM_PORT = 2377;
const GWBRIDGE = "docker_gwbridge";

/** Sets $state to the host's LocalNodeState (inactive, active, pending, error, locked); fails when its dockerd does not answer. */
function readState(host: SwarmHost): Shell {
    return cmd(raw("state=$("), docker(host, raw("info -f '{{.Swarm.LocalNodeState}}'")), raw(")"));
}

/** Sets $node to the host's swarm node id. */
function readNode(host: SwarmHost): Shell {
    return cmd(raw("node=$("), docker(host, raw("info -f '{{.Swarm.NodeID}}'")), raw(")"));
}

/** Exit 0 when the manager's record of $node carries this stack's label. */
function nodeIsOurs(plan: SwarmPlan): Shell {
    return cmd(raw('[ "$('), docker(plan.manager, raw(`node inspect "$node" -f '{{index .Spec.Labels "${STACK_LABEL}"}}'`), raw("2>/dev/null)\" =")), quote(plan.stack), raw("]"));
}

/** Seconds a new member may take until the manager has it ready (containers attach to overlays only then). */
const READY_SECONDS = 60;

/** Waits until the manager reports $node ready; fails naming the state it was left in. */
function waitReady(plan: SwarmPlan): Shell {
    const status = cmd(raw("$("), docker(plan.manager, raw(`node inspect "$node" -f '{{.Status.State}}'`)), raw(")"));
    return lines(
        raw("i=0"),
        word(raw('while [ "'), status, raw(`" != ready ]; do i=$((i+1)); [ "$i" -le ${READY_SECONDS * 5} ] || { echo "icc-bench: swarm node $node not ready after ${READY_SECONDS} s" >&2; exit 1; }; sleep 0.2; done`)),
    );
}

function labelNode(plan: SwarmPlan): Shell {
    return docker(plan.manager, raw("node update --label-add"), quote(`${STACK_LABEL}=${plan.stack}`), raw('"$node" >/dev/null'));
}

/** docker_gwbridge in the lab's addresses, made only where the host has none. */
function ensureGatewayBridge(host: SwarmHost, plan: SwarmPlan): Shell {
    return cmd(
        docker(host, raw(`network inspect ${GWBRIDGE} >/dev/null 2>&1 ||`)),
        docker(
            host,
            raw("network create --driver bridge --subnet"),
            cidr(plan.gatewayBridge),
            raw(`--opt com.docker.network.bridge.name=${GWBRIDGE} --opt com.docker.network.bridge.enable_icc=false --opt com.docker.network.bridge.enable_ip_masquerade=true --label`),
            quote(`${STACK_LABEL}=${plan.stack}`),
            raw(`${GWBRIDGE} >/dev/null`),
        ),
    );
}

/** Removes docker_gwbridge when the lab made it (its label); succeeds when it is gone. */
function removeGatewayBridge(host: SwarmHost, plan: SwarmPlan): Shell {
    return cmd(
        raw('if [ "$('),
        docker(host, raw(`network inspect ${GWBRIDGE} -f '{{index .Labels "${STACK_LABEL}"}}'`), raw('2>/dev/null)" =')),
        quote(plan.stack),
        raw("]; then"),
        docker(host, raw(`network rm ${GWBRIDGE} >/dev/null; fi`)),
    );
}

function becomeMember(host: SwarmHost, plan: SwarmPlan): Shell {
    const listen = [raw("--advertise-addr"), ipv4(host.address), raw("--listen-addr"), quote(`${host.address}:${SWARM_PORT}`)];
    if (host.name === plan.manager.name) {
        return docker(host, raw("swarm init"), ...listen, raw("--default-addr-pool"), cidr(plan.pool), raw("--default-addr-pool-mask-length"), number(plan.poolMaskLength), raw(">/dev/null"));
    }
    return lines(
        cmd(raw("token=$("), docker(plan.manager, raw("swarm join-token -q worker")), raw(")")),
        docker(host, raw('swarm join --token "$token"'), ...listen, quote(`${plan.manager.address}:${SWARM_PORT}`), raw(">/dev/null")),
    );
}

/**
 * Makes `host` a swarm member: init on the manager, join elsewhere, when it is in no swarm
 * (prints "made"); a host already active is used as it is ("kept"), the manager only if it
 * can manage. Run again after it made the membership, it finds its own label and prints "made".
 */
export function swarmMemberCreate(host: SwarmHost, plan: SwarmPlan): { readonly steps: Shell; readonly undo: Shell } {
    const isManager = host.name === plan.manager.name;
    const steps = lines(
        readState(host),
        raw('case "$state" in'),
        raw("inactive)"),
        ensureGatewayBridge(host, plan),
        becomeMember(host, plan),
        raw("joined=1"),
        readNode(host),
        waitReady(plan),
        labelNode(plan),
        raw("echo made ;;"),
        raw("active)"),
        ...(isManager
            ? [cmd(raw('[ "$('), docker(host, raw("info -f '{{.Swarm.ControlAvailable}}'")), raw(')" = true ] || { echo "icc-bench: host"'), quote(host.name), raw('"is a swarm worker; the servers\' host must be a manager" >&2; exit 1; }'))]
            : []),
        readNode(host),
        cmd(raw("if"), nodeIsOurs(plan), raw("; then echo made; else echo kept; fi ;;")),
        cmd(raw('*) echo "icc-bench: host"'), quote(host.name), raw('"is in swarm state $state; fix or leave that swarm first" >&2; exit 1 ;;')),
        raw("esac"),
    );
    // A membership made before its node got the label is the lab's too: $joined says so.
    const undo = lines(raw('if [ "${joined:-}" = 1 ]; then'), readNode(host), leaveSwarm(host, plan), raw("fi"), swarmMemberDelete(host, plan));
    return { steps, undo };
}

/** Leaves the swarm ($node: the host's node id), a worker's node record removed from the manager too. */
function leaveSwarm(host: SwarmHost, plan: SwarmPlan): Shell {
    return host.name === plan.manager.name
        ? docker(host, raw("swarm leave --force >/dev/null"))
        : lines(docker(host, raw("swarm leave >/dev/null")), docker(plan.manager, raw('node rm --force "$node" >/dev/null 2>&1 || true')));
}

/** Leaves the swarm where the lab made the membership (its node label), then its docker_gwbridge; succeeds when there is nothing to leave. */
export function swarmMemberDelete(host: SwarmHost, plan: SwarmPlan): Shell {
    return lines(
        readState(host),
        raw('if [ "$state" = active ]; then'),
        readNode(host),
        cmd(raw("if"), nodeIsOurs(plan), raw("; then")),
        leaveSwarm(host, plan),
        raw("fi; fi"),
        removeGatewayBridge(host, plan),
    );
}

/** Exit 0 when the host is an active swarm member. */
export function swarmActive(host: SwarmHost): Shell {
    return cmd(raw('[ "$('), docker(host, raw("info -f '{{.Swarm.LocalNodeState}}'")), raw(')" = active ]'));
}
