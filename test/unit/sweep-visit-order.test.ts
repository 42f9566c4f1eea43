import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStudy } from "../../sweep/study/spec";
import { SweepPoint } from "../../sweep/spec";
import { churn, labDistance, visitOrder } from "../../sweep/visitOrder";

const STUDY = parseStudy("name: study\nbase:\n  methods: [ovs, link]\n", "study.yaml", false);
const [TABLE1, TABLE2, TABLE3] = STUDY.tables.map((t) => t.points);

const labels = (points: readonly SweepPoint[]): string[] => points.map((p) => p.label);

/** Each table in `orderOf`'s order, each starting from the lab the previous one left; the containers made or removed in all. */
function studyChurn(orderOf: (points: readonly SweepPoint[], start: SweepPoint["topology"] | undefined) => readonly SweepPoint[]): number {
    let start: SweepPoint["topology"] | undefined;
    let moves = 0;
    for (const table of [TABLE1, TABLE2, TABLE3]) {
        const order = orderOf(table, start);
        moves += churn(order, start) - labDistance(undefined, order[order.length - 1].topology);
        start = order[order.length - 1].topology;
    }
    return moves + labDistance(undefined, start as SweepPoint["topology"]);
}

describe("the order a sweep measures its points in", () => {
    it("counts the containers a move makes or removes: servers and client containers, not processes", () => {
        assert.equal(labDistance(undefined, { servers: 1, clientContainers: 20 }), 21);
        assert.equal(labDistance({ servers: 20, clientContainers: 20 }, { servers: 1, clientContainers: 16 }), 23);
        assert.equal(labDistance(TABLE3[0].topology, TABLE3[3].topology), 0, "1x1 and 1x16: one container either way");
    });

    it("table 3 from an empty stack: every 1-container shape first, then 2, 4 and 16 containers, file order among equals", () => {
        assert.deepEqual(labels(TABLE3), ["1x1", "1x2", "1x4", "1x16", "2x1", "4x1", "16x1", "2x2", "4x4", "16x16"]);
        assert.deepEqual(labels(visitOrder(TABLE3)), ["1x1", "1x2", "1x4", "1x16", "2x1", "2x2", "4x1", "4x4", "16x1", "16x16"]);
    });

    it("table 3 after table 2's 20 x 20: the 16-container shapes first, shrinking from there", () => {
        assert.deepEqual(labels(visitOrder(TABLE3, { servers: 20, clientContainers: 20 })), ["16x1", "16x16", "4x1", "4x4", "2x1", "2x2", "1x1", "1x2", "1x4", "1x16"]);
    });

    it("a table already in the nearest order keeps it", () => {
        assert.deepEqual(labels(visitOrder(TABLE1)), ["1", "2", "4", "8", "16", "20"]);
        assert.deepEqual(labels(visitOrder(TABLE2, { servers: 1, clientContainers: 20 })), ["1", "2", "4", "20"]);
    });

    it("the whole study makes and removes fewer containers per method than in file order", () => {
        const nearest = studyChurn((points, start) => visitOrder(points, start));
        const fileOrder = studyChurn((points) => points);
        assert.deepEqual([nearest, fileOrder], [118, 176]);
    });
});
