import { compareRecords, comparedFigures, differences, formatComparison, loadRecord } from "../sweep/compare";

/**
 * npm run compare -- A.json B.json
 * Per point and method of two sweeps (their results.json): the medians, the change from A to B
 * and whether it exceeds the noise of both runs; for two rr sweeps, of transactions per client
 * and of the mean and p99 round trips.
 */
function main(argv: readonly string[]): number {
    if (argv.length !== 2) {
        console.error("usage: npm run compare -- A.json B.json");
        return 2;
    }
    const [a, b] = argv.map(loadRecord);
    console.log(`A: ${argv[0]} (${a.spec.name}, ${a.startTime})\nB: ${argv[1]} (${b.spec.name}, ${b.startTime})\n`);
    for (const note of differences(a, b)) {
        console.log(`note: ${note}`);
    }
    for (const { figure, title } of comparedFigures(a, b)) {
        console.log(`${title}\n\n${formatComparison(compareRecords(a, b, figure), title)}\n`);
    }
    return 0;
}

try {
    process.exitCode = main(process.argv.slice(2));
} catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
}
