import { DockerEndpoint, HOST_NAME_RE, IperfSettings, UDP_RATE_RE, isMethod } from "../model";
import { validCertPath, validContainerName, validDialTarget, validDockerEndpoint, validIpv4, validNumber, validPort } from "../hostscripts/shell";

/** One client container of a lab run: its processes all dial `target` on `port`. */
export interface BenchmarkClient {
    readonly container: string;
    /** An IPv4 address, or a name Docker's DNS resolves. */
    readonly target: string;
    readonly port: number;
    readonly serverIndex: number;
    readonly processes: number;
    /** The host it runs on, by name (labs across hosts). */
    readonly host?: string;
}

/** A server container of a lab run: where its iperf listens. */
export interface BenchmarkServer {
    readonly container: string;
    readonly port: number;
    /** The address it binds to, when not every address of its namespace. */
    readonly bind?: string;
    /** The host it runs on, by name (labs across hosts). */
    readonly host?: string;
}

/** A Docker host of a lab across hosts, as the runner reaches it. */
export interface BenchmarkHost extends DockerEndpoint {
    readonly name: string;
}

/** One method's lab as the benchmark measures it. */
export interface BenchmarkLab {
    readonly method: string;
    readonly clients: readonly BenchmarkClient[];
    /** Server containers, by server index: their CPU time is measured too. */
    readonly servers?: readonly BenchmarkServer[];
}

/** What the benchmark runner is given (as JSON on stdin): the labs, the iperf options and the rounds. */
export interface BenchmarkPlan {
    readonly labs: readonly BenchmarkLab[];
    readonly iperf: IperfSettings;
    /** Method names in measuring order, one list per round. */
    readonly rounds: readonly (readonly string[])[];
    /** The hosts the containers name; absent: every container on the runner's own Docker (DOCKER_HOST). */
    readonly hosts?: readonly BenchmarkHost[];
}

/**
 * A checked plan: every lab has a valid name and containers, UDP has every lab's servers and a
 * valid rate, and each round names labs that exist. By default one round in `labs` order.
 */
export function benchmarkPlan(
    labs: readonly BenchmarkLab[],
    iperf: IperfSettings,
    rounds: readonly (readonly string[])[] = [labs.map((l) => l.method)],
    hosts?: readonly BenchmarkHost[],
): BenchmarkPlan {
    if (labs.flatMap((l) => l.clients).length === 0) {
        throw new Error("a benchmark needs at least one client");
    }
    labs.forEach(checkLab);
    checkIperf(iperf);
    if (iperf.protocol === "udp" && labs.some((l) => (l.servers ?? []).length === 0)) {
        throw new Error("a UDP benchmark needs every lab's server containers");
    }
    for (const method of rounds.flat()) {
        if (!labs.some((l) => l.method === method)) {
            throw new Error(`a round names the method ${method}, which has no lab in this benchmark`);
        }
    }
    checkHosts(labs, hosts);
    return { labs, iperf, rounds, ...(hosts === undefined ? {} : { hosts }) };
}

/** The plan the runner reads from stdin, checked as benchmarkPlan checks it. */
export function readPlan(json: string): BenchmarkPlan {
    const plan = JSON.parse(json) as BenchmarkPlan;
    if (typeof plan !== "object" || plan === null || !Array.isArray(plan.labs) || !Array.isArray(plan.rounds) || typeof plan.iperf !== "object") {
        throw new Error("the benchmark plan on stdin needs labs, iperf and rounds");
    }
    return benchmarkPlan(plan.labs, plan.iperf, plan.rounds, plan.hosts);
}


/** With hosts, every container names one of them; without, none names any. */
function checkHosts(labs: readonly BenchmarkLab[], hosts: readonly BenchmarkHost[] | undefined): void {
    for (const h of hosts ?? []) {
        if (!HOST_NAME_RE.test(h.name)) {
            throw new Error(`refusing host name ${JSON.stringify(h.name)}`);
        }
        validDockerEndpoint(h.docker);
        if (h.certPath !== undefined) {
            validCertPath(h.certPath);
        }
    }
    const names = new Set((hosts ?? []).map((h) => h.name));
    for (const c of labs.flatMap((l) => [...l.clients, ...(l.servers ?? [])])) {
        if ((hosts === undefined) !== (c.host === undefined) || (c.host !== undefined && !names.has(c.host))) {
            throw new Error(`container ${c.container} names the host ${JSON.stringify(c.host)}, but the plan's hosts are ${hosts === undefined ? "none" : [...names].join(", ")}`);
        }
    }
}

function checkLab(lab: BenchmarkLab): void {
    if (!isMethod(lab.method)) {
        throw new Error(`refusing method name ${JSON.stringify(lab.method)}: no method of the registry`);
    }
    for (const c of lab.clients) {
        validContainerName(c.container);
        validDialTarget(c.target);
        validPort(c.port);
        validNumber(c.serverIndex);
        if (!Number.isInteger(c.processes) || c.processes < 1) {
            throw new Error(`refusing ${c.processes} processes for client ${c.container}`);
        }
    }
    for (const s of lab.servers ?? []) {
        validContainerName(s.container);
        validPort(s.port);
        if (s.bind !== undefined) {
            validIpv4(s.bind);
        }
    }
}

function checkIperf(iperf: IperfSettings): void {
    [iperf.duration, iperf.interval, iperf.parallel, iperf.length ?? 0].forEach(validNumber);
    validPort(iperf.port);
    if (iperf.protocol === "udp" && !UDP_RATE_RE.test(iperf.udpRate ?? "")) {
        throw new Error(`refusing UDP rate ${JSON.stringify(iperf.udpRate ?? "")}`);
    }
}

/** Client processes of a lab, over all its client containers. */
export function labProcesses(lab: BenchmarkLab): number {
    return lab.clients.reduce((acc, c) => acc + c.processes, 0);
}
