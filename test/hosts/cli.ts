// `npm run hosts:up -- [N]` (default 2) makes N simulated Docker hosts on this machine and prints
// them as a stack's `hosts`; `npm run hosts:down` removes them all.
import { stringify } from "yaml";
import { hostsDown, hostsUp } from "./simulated";

async function main(argv: readonly string[]): Promise<void> {
    const [command, count] = argv;
    if (command === "up") {
        const hosts = await hostsUp(count === undefined ? 2 : Number(count));
        process.stdout.write(stringify({ "icc-bench:hosts": hosts }));
    } else if (command === "down") {
        await hostsDown();
    } else {
        throw new Error("usage: hosts up [N] | hosts down");
    }
}

main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`hosts: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});
