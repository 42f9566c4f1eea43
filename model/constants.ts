/** Names and marks shared by the model, the method modules and the host tools. */

export const NAMESPACE = "icc-bench";
/** The benchmarking range of RFC 2544: lab addresses never leave it. */
export const BENCHMARK_RANGE = "198.18.0.0/15";
/** Linux limit on interface names (IFNAMSIZ - 1). */
export const MAX_IFNAME = 15;
/** Name of the lab interface inside every container (what pipework calls it). */
export const CONTAINER_IFNAME = "eth1";
/** Docker label that marks every container and network of the lab; its value is the stack name. */
export const STACK_LABEL = "icc-bench.stack";
/** Docker label with the Pulumi project of the stack that owns a container. */
export const PROJECT_LABEL = "icc-bench.project";
/** Docker labels a deployed stack's containers carry: what it holds on the host, for other stacks' previews. */
export const SUBNET_LABEL = "icc-bench.subnet";
export const LAB_ID_LABEL = "icc-bench.labId";
export const HOST_PORTS_LABEL = "icc-bench.hostPorts";
/** Where lab servers in the host's own network namespace listen: never the host's real addresses. */
export const LOOPBACK = "127.0.0.1";
