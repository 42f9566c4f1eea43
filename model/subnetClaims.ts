import { ConfigProblem, NAMESPACE } from "./config";
import { Cidr, formatCidr, overlaps, parseCidr, subBlock } from "./ipv4";
import { DEFAULT_SUBNET_POOL, DEFAULT_SUBNET_PREFIX } from "./plan";

/** A subnet that a stack's lab holds on this host (as its containers' labels say). */
export interface SubnetClaim {
    readonly stack: string;
    readonly subnet: string;
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
