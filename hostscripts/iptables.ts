import { Shell, cmd, ifName, ipv4, lines, mark, port, quote, raw } from "./shell";

/** One rule: table, chain and match/target arguments (already safe), plus its icc-bench comment. */
export interface Rule {
    readonly table: "filter" | "nat";
    readonly chain: string;
    readonly spec: readonly Shell[];
    readonly comment: string;
}

function iptables(verb: "-C" | "-A" | "-I" | "-D", rule: Rule): Shell {
    return cmd(
        raw("iptables -w -t"), quote(rule.table), raw(verb), quote(rule.chain),
        ...rule.spec, raw("-m comment --comment"), mark(rule.comment),
    );
}

/** Succeeds when the rule is there. */
export function checkRule(rule: Rule): Shell {
    return iptables("-C", rule);
}

/** Adds the rule once; -w waits for the xtables lock, so parallel creates do not race. */
export function ensureRule(rule: Rule): Shell {
    const add = rule.chain === "DOCKER-USER" ? "-I" : "-A";
    return cmd(iptables("-C", rule), raw("2>/dev/null ||"), iptables(add, rule));
}

/** Removes every copy of the rule; succeeds when there is none. */
export function deleteRule(rule: Rule): Shell {
    return cmd(raw("while"), iptables("-C", rule), raw("2>/dev/null; do"), iptables("-D", rule), raw("; done"));
}

/** Lets traffic that enters and leaves through `iface` pass Docker's FORWARD policy DROP. */
export function acceptForward(iface: string, comment: string): Rule {
    const i = ifName(iface);
    return { table: "filter", chain: "DOCKER-USER", spec: [raw("-i"), i, raw("-o"), i, raw("-j ACCEPT")], comment };
}

/** Clients dial `external:port`; the host sends it on to the server. */
export function dnat(external: string, server: string, tcpPort: number, comment: string): Rule {
    return {
        table: "nat",
        chain: "PREROUTING",
        spec: [raw("-d"), ipv4(external), raw("-p tcp --dport"), port(tcpPort), raw("-j DNAT --to-destination"), quote(`${server}:${tcpPort}`)],
        comment,
    };
}

/**
 * Hairpin NAT: client and server share a segment, so without rewriting the source the server
 * would answer the client directly and the client would drop the reply.
 */
export function hairpinMasquerade(server: string, tcpPort: number, comment: string): Rule {
    return {
        table: "nat",
        chain: "POSTROUTING",
        spec: [raw("-d"), ipv4(server), raw("-p tcp --dport"), port(tcpPort), raw("-j MASQUERADE")],
        comment,
    };
}

export function ensureRules(rules: readonly Rule[]): Shell {
    return lines(rules.map(ensureRule));
}

export function deleteRules(rules: readonly Rule[]): Shell {
    return lines(rules.map(deleteRule));
}
