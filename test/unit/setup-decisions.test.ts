import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { HAND_SUBNET } from "../../host/handLab";
import { BENCHMARK_RANGE, Cidr, DEFAULT_SUBNET_POOL, contains, overlaps, parseCidr } from "../../model";
import { SUITE_SUBNETS } from "../suiteStack";

/** What scripts/setup-host.sh decides about dockerd, on data: it starts nothing when asked to decide. */

const SCRIPT = join(__dirname, "..", "..", "..", "scripts", "setup-host.sh");

function decide(answers: "yes" | "no", bridge = ""): string {
    return execFileSync("bash", [SCRIPT, "--decide-dockerd", answers, bridge], { encoding: "utf8" }).trim();
}

function cidr(text: string): Cidr {
    const parsed = parseCidr(text);
    assert.ok(parsed, text);
    return parsed;
}

describe("the setup's decision about dockerd", () => {
    it("uses a dockerd that answers as it is, Docker's stock 172.17.0.0/16 bridge included, and never restarts it", () => {
        for (const bridge of ["172.17.0.0/16", "198.19.255.0/24", ""]) {
            const decision = decide("yes", bridge);
            assert.match(decision, /^use: dockerd answers; used as it is/);
            assert.ok(decision.includes(bridge === "" ? "unknown" : bridge), decision);
            assert.doesNotMatch(decision, /restart|refus|--bip/i);
        }
    });

    it("starts one only when none answers, with its bridge and pool inside the benchmarking range and apart from every lab subnet", () => {
        const decision = decide("no");
        const bip = /--bip (\S+)/.exec(decision)?.[1] ?? "";
        const pool = /--default-address-pool base=(\S+),size=24/.exec(decision)?.[1] ?? "";
        assert.match(decision, /^start: no dockerd answers/);
        const bridge = cidr(bip.replace(/\.1\/24$/, ".0/24"));
        for (const block of [bridge, cidr(pool)]) {
            assert.ok(contains(cidr(BENCHMARK_RANGE), block), decision);
            for (const lab of [DEFAULT_SUBNET_POOL, HAND_SUBNET, ...Object.values(SUITE_SUBNETS)]) {
                assert.ok(!overlaps(block, cidr(lab)), `${JSON.stringify(block)} overlaps ${lab}`);
            }
        }
    });
});
