// `npm run hosts:up -- [N] [--ssh | --tls]` (default 2) makes N simulated Docker hosts on this
// machine and prints them as a stack's `hosts` (with --ssh, each also runs an sshd and is reached
// over ssh://root@ADDRESS; with --tls, over tcp://ADDRESS:2376 with this machine's client
// certificate); `npm run hosts:down` removes them all.
import { stringify } from "yaml";
import { Reach, hostsDown, hostsUp } from "./simulated";

async function main(argv: readonly string[]): Promise<void> {
    const [command, ...rest] = argv;
    const reach: Reach = rest.includes("--ssh") ? "ssh" : rest.includes("--tls") ? "tls" : "socket";
    const [count] = rest.filter((a) => a !== "--ssh" && a !== "--tls");
    if (command === "up") {
        const hosts = await hostsUp(count === undefined ? 2 : Number(count), reach);
        process.stdout.write(stringify({ "icc-bench:hosts": hosts }));
    } else if (command === "down") {
        await hostsDown();
    } else {
        throw new Error("usage: hosts up [N] [--ssh | --tls] | hosts down");
    }
}

main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`hosts: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
});
