import { createHash } from "node:crypto";
import { Method } from "./methods";

/** A small seeded PRNG: orders can be replayed from their seed. */
export function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Fisher-Yates. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}

/**
 * The order the labs are measured in, per round of one benchmark run: round 1 as `methods` lists
 * them, each later round a shuffle seeded by the runId, so that no method always runs first or
 * right after the same one, and the same config gives the same orders.
 */
export function roundOrders(methods: readonly Method[], repeats: number, runId: string): Method[][] {
    const random = mulberry32(parseInt(createHash("sha256").update(runId).digest("hex").slice(0, 8), 16));
    return Array.from({ length: repeats }, (_, i) => (i === 0 ? [...methods] : shuffle(methods, random)));
}
