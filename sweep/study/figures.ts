import { Method, TopologySettings } from "../../model";
import { Axis, StudyAxis, SweepPoint, SweepSpec, isStudyAxis } from "../spec";

/**
 * The 2014 study "Docker network performance" (Docker 0.11, iperf2, Xeon 1.8 GHz, kernel 3.8):
 * its three tables in Gbit/s, as printed (see /work/shared/seed/docker-network-performance.txt).
 * Its "iptables" is macvlan-nat here; table 3 has no iptables row.
 */
export interface StudyTable {
    readonly title: string;
    /** Column labels, as the sweep labels its points. */
    readonly columns: readonly string[];
    readonly rows: Readonly<Partial<Record<Method, readonly number[]>>>;
}

export const STUDY: Readonly<Record<StudyAxis, StudyTable>> = {
    clientContainers: {
        title: "One server and multiple clients (1 iperf client per container)",
        columns: ["1", "2", "4", "8", "16", "20"],
        rows: {
            "macvlan-nat": [10.0, 8.0, 4.2, 2.1, 1.0, 0.8],
            pipework: [11.6, 8.3, 5.1, 2.7, 1.4, 1.0],
            link: [12.0, 8.1, 4.9, 2.5, 1.2, 1.0],
            ovs: [13.2, 11.0, 6.6, 3.3, 1.8, 1.4],
        },
    },
    serversAndClients: {
        title: "Multiple servers and multiple clients (client i talks to server i mod n)",
        columns: ["1", "2", "4", "20"],
        rows: {
            "macvlan-nat": [10.0, 8.3, 4.3, 0.8],
            pipework: [11.6, 10.0, 5.5, 1.3],
            link: [12.0, 9.1, 5.1, 1.1],
            ovs: [13.2, 10.8, 5.6, 1.4],
        },
    },
    shapes: {
        title: "One server, containers x iperf clients per container",
        columns: ["1x1", "1x2", "1x4", "1x16", "2x1", "4x1", "16x1", "2x2", "4x4", "16x16"],
        rows: {
            pipework: [11.16, 9.81, 3.38, 1.07, 9.33, 4.99, 1.52, 4.63, 1.2, 0.04],
            link: [12.1, 7.7, 3.3, 0.8, 8.2, 4.9, 1.2, 4.3, 1.1, 0.0],
            ovs: [13.06, 11.14, 6.36, 1.54, 11.24, 6.63, 1.99, 6.4, 1.5, 0.06],
        },
    },
};

/** What a sweep along the axis measures: the study's table title, or the length axis's. */
export function sweepTitle(axis: Axis): string {
    return isStudyAxis(axis) ? STUDY[axis].title : "One topology at several iperf lengths (-l: bytes per write, datagram or request)";
}

/** The study's name for a method. */
export const STUDY_NAMES: Readonly<Partial<Record<Method, string>>> = {
    "macvlan-nat": "iptables",
    pipework: "pipework",
    link: "link",
    ovs: "ovs",
};

/** The study's Gbit/s for this point and method, when it measured that setup (TCP, -P 1). */
export function studyValue(spec: Pick<SweepSpec, "axis" | "iperf">, point: SweepPoint, method: Method): number | undefined {
    if (!isStudyAxis(spec.axis)) {
        return undefined;
    }
    const table = STUDY[spec.axis];
    const column = table.columns.indexOf(point.label);
    const sameIperf = spec.iperf.protocol !== "udp" && spec.iperf.parallel === 1;
    return column < 0 || !sameIperf || !studySetup(spec.axis, point.topology) ? undefined : table.rows[method]?.[column];
}

/** What the study held fixed in each table: one server, or one iperf client per container. */
export const TABLE_TOPOLOGY: Readonly<Record<StudyAxis, Partial<TopologySettings>>> = {
    clientContainers: { servers: 1, clientsPerContainer: 1 },
    serversAndClients: { clientsPerContainer: 1 },
    shapes: { servers: 1 },
};

/** The study's number of each table (table 1 is clientContainers). */
export const TABLE_NUMBER: Readonly<Record<StudyAxis, number>> = { clientContainers: 1, serversAndClients: 2, shapes: 3 };

/** The study's number of a study table's axis (a study's tables never vary anything else). */
export function tableNumber(axis: Axis): number {
    if (!isStudyAxis(axis)) {
        throw new Error(`the ${axis} axis is not one of the study's tables`);
    }
    return TABLE_NUMBER[axis];
}

function studySetup(axis: StudyAxis, t: TopologySettings): boolean {
    return Object.entries(TABLE_TOPOLOGY[axis]).every(([key, value]) => t[key as keyof TopologySettings] === value);
}
