/** The main processes of lab containers, shared by the components and hand-made labs. */

/** Idles until stopped; `sleep` as pid 1 would ignore SIGTERM and make every stop wait. */
export const IDLE_COMMAND: readonly string[] = ["sh", "-c", "trap 'exit 0' TERM; sleep infinity & wait"];

/**
 * `iperf -s` on `port` (bound to `bind` when given), started again when it dies: iperf 2.1.8 has
 * crashed when hundreds of clients finished at once, and a dead server would break every later
 * run of the lab.
 */
export function serverCommand(port: number, bind?: string): string[] {
    if (bind === undefined) {
        return ["sh", "-c", `trap 'exit 0' TERM; while :; do iperf -s -p "$0"; sleep 0.2; done & wait`, String(port)];
    }
    return ["sh", "-c", `trap 'exit 0' TERM; while :; do iperf -s -p "$0" -B "$1"; sleep 0.2; done & wait`, String(port), bind];
}
