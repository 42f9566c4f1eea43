import { CERT_PATH_RE } from "../model/hosts";

/**
 * Shell text builders. Every value that reaches a shell passes a validator here and is
 * single-quoted; callers never splice raw strings into commands.
 */

const IFNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const CONTAINER_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const MARK_RE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,200}$/;
const DOCKER_ENDPOINT_RE = /^(unix|tcp|ssh):\/\/[A-Za-z0-9@._:/-]+$/;
const CIDR_RE = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

/** A fragment of shell text that is safe to run: produced only by the builders of this folder. */
export type Shell = string & { readonly __shell: unique symbol };

export function quote(value: string): Shell {
    return `'${value.replace(/'/g, `'\\''`)}'` as Shell;
}

function valid(kind: string, value: string, re: RegExp): string {
    if (!re.test(value)) {
        throw new Error(`refusing to put ${kind} ${JSON.stringify(value)} into a host command`);
    }
    return value;
}

function checked(kind: string, value: string, re: RegExp): Shell {
    return quote(valid(kind, value, re));
}

/** A Linux interface name: 1..15 characters, no slash or space. */
export function ifName(name: string): Shell {
    return checked("interface name", name, IFNAME_RE);
}

export function validIpv4(address: string): string {
    return valid("IPv4 address", address, IPV4_RE);
}

export function ipv4(address: string): Shell {
    return quote(validIpv4(address));
}

export function ipv4Cidr(address: string, prefix: number): Shell {
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
        throw new Error(`refusing prefix length ${prefix}`);
    }
    ipv4(address);
    return quote(`${address}/${prefix}`);
}

/** What a client dials: an IPv4 address, or a container name Docker's DNS resolves. */
export function validDialTarget(target: string): string {
    return IPV4_RE.test(target) ? target : valid("address or container name", target, CONTAINER_RE);
}

export function dialTarget(target: string): Shell {
    return quote(validDialTarget(target));
}

/** A name Docker allows for a container (the benchmark runner passes it as an argument, not to a shell). */
export function validContainerName(name: string): string {
    return valid("container name", name, CONTAINER_RE);
}

export function containerName(name: string): Shell {
    return quote(validContainerName(name));
}

/** A Docker endpoint as `docker -H` takes it (unix://, tcp:// or ssh://). */
export function validDockerEndpoint(endpoint: string): string {
    return valid("Docker endpoint", endpoint, DOCKER_ENDPOINT_RE);
}

export function dockerEndpoint(endpoint: string): Shell {
    return quote(validDockerEndpoint(endpoint));
}

/** A folder of the Docker CLI's TLS files (ca.pem, cert.pem, key.pem). */
export function validCertPath(path: string): string {
    return valid("TLS files folder", path, CERT_PATH_RE);
}

/** An IPv4 network with its prefix, e.g. 198.18.0.0/24. */
export function cidr(value: string): Shell {
    const [address] = value.split("/");
    validIpv4(address);
    return checked("IPv4 network", value, CIDR_RE);
}

/** The mark carried by iptables comments and OVS external_ids. */
export function mark(value: string): Shell {
    return checked("mark", value, MARK_RE);
}

export function validPort(value: number): number {
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
        throw new Error(`refusing port ${value}`);
    }
    return value;
}

export function port(value: number): Shell {
    return quote(String(validPort(value)));
}

/** A finite number, not negative. */
export function validNumber(value: number): number {
    if (!Number.isFinite(value) || value < 0) {
        throw new Error(`refusing number ${value}`);
    }
    return value;
}

export function number(value: number): Shell {
    return quote(String(validNumber(value)));
}

/** Joins already-safe fragments into one command line. */
export function cmd(...parts: Shell[]): Shell {
    return parts.join(" ") as Shell;
}

/** Glues fragments into one shell word, e.g. a key=value argument. */
export function word(...parts: Shell[]): Shell {
    return parts.join("") as Shell;
}

/** Literal shell syntax written in this folder (never derived from input). */
export function raw(text: string): Shell {
    return text as Shell;
}

export function lines(...steps: (Shell | readonly Shell[])[]): Shell {
    return steps.flat().join("\n") as Shell;
}

/**
 * A create script that can run twice and undoes its work when a step fails:
 * `undo` must succeed on a host where any part of the object is missing.
 */
export function createScript(steps: Shell, undo: Shell): Shell {
    return lines(
        raw("set -eu"),
        raw("undo() {"),
        undo,
        raw("}"),
        raw(`trap 'rc=$?; if [ "$rc" -ne 0 ]; then echo "icc-bench: create failed (exit $rc), undoing" >&2; set +e; undo; fi' EXIT`),
        steps,
    );
}

/** A delete script: every step is written to succeed when its object is already gone. */
export function deleteScript(steps: Shell): Shell {
    return lines(raw("set -eu"), steps);
}
