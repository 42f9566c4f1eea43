/** The four inter-container attachment methods of the study, in their fixed slice order. */
export const METHODS = ["macvlan-nat", "pipework", "link", "ovs"] as const;

export type Method = (typeof METHODS)[number];

/** One letter per method, used in host interface names (which allow 15 characters). */
export const METHOD_CODES: Readonly<Record<Method, string>> = {
    "macvlan-nat": "m",
    pipework: "p",
    link: "l",
    ovs: "o",
};

export function isMethod(value: unknown): value is Method {
    return typeof value === "string" && (METHODS as readonly string[]).includes(value);
}
