// `npm run hosts:up -- [N] [--ssh]` (default 2) makes N simulated Docker hosts on this machine and
// prints them as a stack's `hosts` (with --ssh, each also runs an sshd and is reached over
// ssh://root@ADDRESS); `npm run hosts:down` removes them all.
import { stringify } from "yaml";
import { hostsDown, hostsUp } from "./simulated";

async function main(argv: readonly string[]): Promise<void> {
    const [command, ...rest] = argv;
    const ssh = rest.includes("--ssh");
    const [count] = rest.filter((a) => a !== "--ssh");
    if (command === "up") {
        const hosts = await hostsUp(count === undefined ? 2 : Number(count), ssh ? "ssh" : "socket");
        process.stdout.write(stringify({ "icc-bench:hosts": hosts }));
    } else if (command === "down") {
        await hostsDown();
    } else {
        throw new Error("usage: hosts up [N] [--ssh] | hosts down");
    }
}

main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`hosts: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});
