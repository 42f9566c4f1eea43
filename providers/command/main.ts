// Entry point of the offline pulumi-resource-command plugin (command v1.2.1).
// Installed by a wrapper: `node dist/providers/command/main.js "$@"`.
import { main } from "@pulumi/pulumi/provider";
import { makeProvider } from "./provider";

main(makeProvider(), process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
});
