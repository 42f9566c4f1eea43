// Entry point of the offline pulumi-resource-docker plugin (docker v5.2.0: Container and Network).
// Installed by a wrapper: `node dist/providers/docker/main.js "$@"`.
import { main } from "@pulumi/pulumi/provider";
import { installConfigureHook } from "./config";
import { DockerProvider } from "./provider";

installConfigureHook();
main(new DockerProvider(), process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
});
