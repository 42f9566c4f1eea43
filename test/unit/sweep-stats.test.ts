import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mulberry32, shuffle } from "../../model";
import { describe as stats } from "../../sweep/stats";

function close(actual: number | undefined, expected: number, what: string): void {
    assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);
}

describe("statistics over repeats", () => {
    it("nothing to describe without values", () => {
        assert.equal(stats([]), undefined);
    });

    it("one value: itself, no spread, not noisy", () => {
        assert.deepEqual(stats([7.5]), { n: 1, median: 7.5, mean: 7.5, min: 7.5, max: 7.5, stddev: 0, cv: 0, noisy: false });
    });

    it("odd count: the middle value; sample standard deviation (n - 1)", () => {
        const s = stats([12, 10, 11]);
        assert.equal(s?.median, 11);
        assert.equal(s?.min, 10);
        assert.equal(s?.max, 12);
        close(s?.mean, 11, "mean");
        close(s?.stddev, 1, "stddev"); // ((1 + 0 + 1) / 2) ** 0.5
        close(s?.cv, 1 / 11, "cv");
        assert.equal(s?.noisy, false);
    });

    it("even count: the mean of the two middle values", () => {
        assert.equal(stats([4, 1, 3, 2])?.median, 2.5);
    });

    it("noisy when the coefficient of variation exceeds 10%, not at 10% or below", () => {
        // mean 10, stddev 1: cv exactly 0.1
        const atLimit = stats([9, 10, 11]);
        close(atLimit?.cv, 0.1, "cv");
        assert.equal(atLimit?.noisy, false);
        const above = stats([8, 10, 12]);
        close(above?.cv, 0.2, "cv");
        assert.equal(above?.noisy, true);
    });

    it("a zero mean gives cv 0 rather than NaN", () => {
        assert.deepEqual(stats([0, 0]), { n: 2, median: 0, mean: 0, min: 0, max: 0, stddev: 0, cv: 0, noisy: false });
    });
});

describe("method order per repeat", () => {
    const methods = ["macvlan-nat", "pipework", "link", "ovs"];

    it("a shuffle is a permutation, and the same seed gives the same orders", () => {
        const a = mulberry32(7);
        const b = mulberry32(7);
        for (let i = 0; i < 20; i++) {
            const order = shuffle(methods, a);
            assert.deepEqual([...order].sort(), [...methods].sort());
            assert.deepEqual(shuffle(methods, b), order);
        }
    });

    it("shuffles: over many repeats every method comes first sometimes", () => {
        const random = mulberry32(1);
        const firsts = new Set(Array.from({ length: 200 }, () => shuffle(methods, random)[0]));
        assert.deepEqual([...firsts].sort(), [...methods].sort());
    });
});
