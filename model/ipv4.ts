/** IPv4 arithmetic on 32-bit unsigned integers; no Pulumi, no I/O. */

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    readonly network: number;
    /** Prefix length, 0..32. */
    readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): number | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) {
        return undefined;
    }
    return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Parses "a.b.c.d/n"; undefined unless the address is the network address of its prefix. */
export function parseCidr(text: string): Cidr | undefined {
    const match = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
    if (!match) {
        return undefined;
    }
    const network = parseIpv4(match[1]);
    const prefix = Number(match[2]);
    if (network === undefined || prefix > 32 || network % blockSize(prefix) !== 0) {
        return undefined;
    }
    return { network, prefix };
}

export function formatCidr(cidr: Cidr): string {
    return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

export function blockSize(prefix: number): number {
    return 2 ** (32 - prefix);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
    return (
        inner.prefix >= outer.prefix &&
        inner.network >= outer.network &&
        inner.network + blockSize(inner.prefix) <= outer.network + blockSize(outer.prefix)
    );
}

export function overlaps(a: Cidr, b: Cidr): boolean {
    return contains(a, b) || contains(b, a);
}

/** The index-th of the 2^extraBits equal sub-blocks of a CIDR. */
export function subBlock(cidr: Cidr, extraBits: number, index: number): Cidr {
    const prefix = cidr.prefix + extraBits;
    return { network: cidr.network + index * blockSize(prefix), prefix };
}
