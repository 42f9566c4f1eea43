import * as pulumi from "@pulumi/pulumi";
import { Lab } from "./components";
import { rawConfigFromPulumi } from "./model";

// Validate the whole icc-bench config namespace (unknown keys included) before anything exists.
const lab = new Lab(pulumi.getStack(), rawConfigFromPulumi(pulumi.runtime.allConfig()));

/** Per method: Gbit/s per client process and per container, means, total, start, duration. */
export const results = lab.results;
