import { execFileSync } from "node:child_process";
import { HostFact, methodModule } from "../methods";
import { lines, raw } from "../hostscripts/shell";
import { StackPlan } from "../model";

/**
 * Which of a lab's host objects are gone from the host. The command provider never looks at the
 * host on refresh, so an interface, bridge or rule removed by hand stays "created" in the state;
 * the doctor finds such objects so that `up --replace` can make them again. What each object
 * makes comes from its method's module (HostObjectPlan.facts).
 */

/** A host object of the plan: the create script its resource runs, and what that script makes. */
export interface PlannedHostObject {
    /** The local.Command's `create`: identifies the resource in the stack's state. */
    readonly create: string;
    readonly facts: readonly HostFact[];
}

/** A planned host object with facts missing on the host. */
export interface BrokenHostObject {
    readonly create: string;
    readonly missing: readonly string[];
}

/** Every host object of the stack's labs with what it makes, in creation order. */
export function plannedHostObjects(plan: StackPlan): PlannedHostObject[] {
    return plan.labs.flatMap((lab) => methodModule(lab.method).hostObjects(lab).map((o) => ({ create: o.scripts.create, facts: o.facts })));
}

/**
 * Exit statuses of a test that did not look: its command could not run (126, 127) or the helper
 * of another host did not start (docker run's own 125).
 */
const COULD_NOT_LOOK = 125;

/**
 * Runs every fact's test in one shell and returns the objects with missing facts.
 * The tests only read: ip, ovs-vsctl, iptables -C, docker inspect, nsenter ... ip.
 * Each in a subshell: a test that exits ends only itself. A test that could not look (see
 * COULD_NOT_LOOK) fails the whole check, naming the fact.
 */
export function findBroken(objects: readonly PlannedHostObject[]): BrokenHostObject[] {
    const all = objects.flatMap((o, i) => o.facts.map((f, j) => ({ key: `${i}.${j}`, test: f.test })));
    if (all.length === 0) {
        return [];
    }
    const script = lines(
        all.map((t) =>
            lines(raw("rc=0; ("), t.test, raw(`) >/dev/null 2>&1 || rc=$?; if [ "$rc" -ge ${COULD_NOT_LOOK} ]; then echo "unseen ${t.key} $rc"; elif [ "$rc" -ne 0 ]; then echo "missing ${t.key}"; fi`)),
        ),
    );
    const verdicts = execFileSync("sh", ["-c", script], { encoding: "utf8", timeout: 120_000 }).split("\n").filter((l) => l !== "");
    const factOf = (key: string): HostFact => {
        const [i, j] = key.split(".").map(Number);
        return objects[i].facts[j];
    };
    const unseen = verdicts.filter((v) => v.startsWith("unseen ")).map((v) => v.split(" "));
    if (unseen.length > 0) {
        throw new Error(`the doctor could not look at: ${unseen.map(([, key, rc]) => `${factOf(key).what} (exit ${rc})`).join("; ")}`);
    }
    const missing = new Set(verdicts.map((v) => v.replace(/^missing /, "")));
    return objects
        .map((o, i) => ({ create: o.create, missing: o.facts.filter((_, j) => missing.has(`${i}.${j}`)).map((f) => f.what) }))
        .filter((b) => b.missing.length > 0);
}
