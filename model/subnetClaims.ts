import { ConfigProblem } from "./config";
import { NAMESPACE } from "./constants";
import { Cidr, formatCidr, overlaps, parseCidr, subBlock } from "./ipv4";
import { DEFAULT_SUBNET_POOL, DEFAULT_SUBNET_PREFIX, PortBlock } from "./plan";

/** What a stack's lab holds on this host (as its containers' labels say). */
export interface SubnetClaim {
    readonly stack: string;
    readonly subnet: string;
    /** The labId its host interface names carry. */
    readonly labId?: string;
    /** Ports its host-method servers take, as "first-last". */
    readonly hostPorts?: string;
}

/**
 * The problem, if any, with `stack` taking `subnet` while other stacks hold `claims`: it names
 * both stacks and both subnets, and suggests a free default-sized subnet when there is one.
 * Claims of the same stack (its own lab, deployed before) and unreadable claims are ignored.
 */
export function subnetConflicts(stack: string, subnet: string, claims: readonly SubnetClaim[]): ConfigProblem[] {
    const wanted = parseCidr(subnet);
    if (wanted === undefined) {
        return [];
    }
    const others = claims.filter((c) => c.stack !== stack && parseCidr(c.subnet) !== undefined);
    const clashing = others.filter((c) => overlaps(wanted, parseCidr(c.subnet) as Cidr));
    if (clashing.length === 0) {
        return [];
    }
    // Every container of a stack carries its claim: name each stack and subnet once.
    const held = [...new Set(clashing.map((c) => `stack ${JSON.stringify(c.stack)} holds ${c.subnet}`))].join(", ");
    const free = freeSubnet(others.map((c) => parseCidr(c.subnet) as Cidr));
    const hint = free === undefined ? "" : `; e.g. ${free} is free`;
    return [
        {
            key: `${NAMESPACE}:subnet`,
            value: subnet,
            allowed: `a subnet that overlaps no other stack's lab on this host, but ${held} (this is stack ${JSON.stringify(stack)})${hint}`,
        },
    ];
}

/** The first default-sized block of the default pool that no claim overlaps. */
function freeSubnet(taken: readonly Cidr[]): string | undefined {
    const pool = parseCidr(DEFAULT_SUBNET_POOL) as Cidr;
    const bits = DEFAULT_SUBNET_PREFIX - pool.prefix;
    for (let i = 0; i < 2 ** bits; i++) {
        const block = subBlock(pool, bits, i);
        if (!taken.some((t) => overlaps(block, t))) {
            return formatCidr(block);
        }
    }
    return undefined;
}

/** Another stack using the same labId would give its host interfaces the same names. */
export function labIdConflicts(stack: string, labId: string, claims: readonly SubnetClaim[]): ConfigProblem[] {
    const holders = [...new Set(claims.filter((c) => c.stack !== stack && c.labId === labId).map((c) => c.stack))];
    if (holders.length === 0) {
        return [];
    }
    const named = holders.map((h) => JSON.stringify(h)).join(", ");
    return [
        {
            key: `${NAMESPACE}:labId`,
            value: labId,
            allowed: `a labId no other stack's lab uses on this host, but stack ${named} uses ${labId} (this is stack ${JSON.stringify(stack)}; its host interface names would be the same)`,
        },
    ];
}

/** "first-last", as the host ports label holds a block. */
export function formatPortBlock(block: PortBlock): string {
    return `${block.first}-${block.first + block.count - 1}`;
}

function parsePortBlock(text: string | undefined): PortBlock | undefined {
    const m = /^(\d{1,5})-(\d{1,5})$/.exec(text ?? "");
    return m && Number(m[2]) >= Number(m[1]) ? { first: Number(m[1]), count: Number(m[2]) - Number(m[1]) + 1 } : undefined;
}

function portsOverlap(a: PortBlock, b: PortBlock): boolean {
    return a.first < b.first + b.count && b.first < a.first + a.count;
}

/** Another stack's host-method servers on ports of this block would take this stack's. */
export function hostPortConflicts(stack: string, block: PortBlock, claims: readonly SubnetClaim[]): ConfigProblem[] {
    const clashing = claims.filter((c) => {
        const theirs = parsePortBlock(c.hostPorts);
        return c.stack !== stack && theirs !== undefined && portsOverlap(block, theirs);
    });
    if (clashing.length === 0) {
        return [];
    }
    const held = [...new Set(clashing.map((c) => `stack ${JSON.stringify(c.stack)} holds ports ${c.hostPorts}`))].join(", ");
    return [
        {
            key: `${NAMESPACE}:hostPort`,
            value: block.first,
            allowed: `a first port whose block (${formatPortBlock(block)}) overlaps no other stack's host lab on this host, but ${held} (this is stack ${JSON.stringify(stack)})`,
        },
    ];
}
