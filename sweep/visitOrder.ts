import { TopologySettings } from "../model";
import { SweepPoint } from "./spec";

/** The containers of one method's lab: what moving between points creates or deletes. */
export type LabSize = Pick<TopologySettings, "servers" | "clientContainers">;

/** Containers created or deleted (per method) to move the lab from `from` (none: an empty stack) to `to`. */
export function labDistance(from: LabSize | undefined, to: LabSize): number {
    return Math.abs((from?.servers ?? 0) - to.servers) + Math.abs((from?.clientContainers ?? 0) - to.clientContainers);
}

/**
 * The order to measure points in: from the lab at `start` (what the previous table left; none: an
 * empty stack), each next point the one whose lab is nearest the current one, file order among
 * equals. Every point is measured the same whenever it comes; moving less between them is what
 * costs less (a point's up creates and deletes only the difference). The study's table 3 in file
 * order grows to 16 containers, shrinks to 2, grows again; nearest first, it only grows.
 */
export function visitOrder(points: readonly SweepPoint[], start?: LabSize): SweepPoint[] {
    const left = [...points];
    const order: SweepPoint[] = [];
    let at = start;
    while (left.length > 0) {
        const next = left.reduce((best, p) => (labDistance(at, p.topology) < labDistance(at, best.topology) ? p : best));
        order.push(next);
        left.splice(left.indexOf(next), 1);
        at = next.topology;
    }
    return order;
}

/** Containers created and deleted, per method, visiting `points` in this order from `start` and destroying the lab at the end. */
export function churn(points: readonly SweepPoint[], start?: LabSize): number {
    const sizes = points.map((p) => p.topology);
    const moves = sizes.reduce((acc, size, i) => acc + labDistance(i === 0 ? start : sizes[i - 1], size), 0);
    return moves + (sizes.length === 0 ? 0 : labDistance(undefined, sizes[sizes.length - 1]));
}
