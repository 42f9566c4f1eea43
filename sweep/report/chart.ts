import { View, parse } from "vega";
import { TopLevelSpec, compile } from "vega-lite";
import { SweepRecord } from "../record";
import { STUDY, studyValue } from "../study";
import { CellSummary } from "../summary";

/** One plotted value: a measured median with its min-max band, or the study's figure. */
interface ChartRow {
    readonly label: string;
    readonly size: number;
    readonly method: string;
    readonly source: "measured" | "study (2014)";
    readonly gbps: number;
    readonly min?: number;
    readonly max?: number;
}

function chartRows(record: SweepRecord, cells: readonly CellSummary[]): ChartRow[] {
    const { spec } = record;
    return spec.points.flatMap((point) =>
        spec.methods.flatMap((method): ChartRow[] => {
            const stats = cells.find((c) => c.point === point.label && c.method === method)?.perClient;
            const study = studyValue(spec, point, method);
            const at = { label: point.label, size: point.size, method };
            return [
                ...(stats ? [{ ...at, source: "measured" as const, gbps: stats.median, min: stats.min, max: stats.max }] : []),
                ...(study !== undefined ? [{ ...at, source: "study (2014)" as const, gbps: study }] : []),
            ];
        }),
    );
}

/**
 * Vega-Lite spec: Gbit/s per client process against the point, one colour per method, solid
 * for the measured median with its min-max band, dashed for the study. Numeric axes are log2;
 * shapes ("MxK") keep the file's order.
 */
export function chartSpec(record: SweepRecord, cells: readonly CellSummary[]): TopLevelSpec {
    const { spec } = record;
    const labels = spec.points.map((p) => p.label);
    const rows = chartRows(record, cells);
    const x =
        spec.axis === "shapes"
            ? { field: "label", type: "ordinal" as const, sort: labels, title: "containers x iperf clients per container" }
            : {
                  field: "size",
                  type: "quantitative" as const,
                  scale: { type: "log" as const, base: 2, nice: false, padding: 12 },
                  axis: { values: spec.points.map((p) => p.size), format: "d" },
                  title: spec.axis === "clientContainers" ? "client containers (log2)" : "servers = client containers (log2)",
              };
    // One legend for both layers: the same definition in each.
    const color = { field: "method", type: "nominal" as const, title: "method", legend: { symbolType: "stroke", symbolStrokeWidth: 3, symbolOpacity: 1 } };
    return {
        $schema: "https://vega.github.io/schema/vega-lite/v5.json",
        title: { text: `icc-bench ${spec.name}: ${STUDY[spec.axis].title}`, subtitle: `median of ${spec.repeats}, band: min-max${rows.some((r) => r.source !== "measured") ? "; dashed: the 2014 study" : ""}` },
        width: 560,
        height: 340,
        data: { values: rows as unknown as Record<string, unknown>[] },
        layer: [
            {
                transform: [{ filter: "datum.source === 'measured'" }],
                mark: { type: "area", opacity: 0.18 },
                encoding: { x, y: { field: "min", type: "quantitative" }, y2: { field: "max" }, color },
            },
            {
                mark: { type: "line", point: true },
                encoding: {
                    x,
                    y: { field: "gbps", type: "quantitative", title: "Gbit/s per client process" },
                    color,
                    // Explained by the subtitle.
                    strokeDash: { field: "source", type: "nominal", scale: { domain: ["measured", "study (2014)"], range: [[1, 0], [5, 4]] }, legend: null },
                    detail: { field: "source", type: "nominal" },
                },
            },
        ],
    };
}

/** The chart as SVG, rendered by Vega without a browser. */
export async function chartSvg(record: SweepRecord, cells: readonly CellSummary[]): Promise<string> {
    const view = new View(parse(compile(chartSpec(record, cells)).spec), { renderer: "none" });
    try {
        return await view.toSVG();
    } finally {
        view.finalize();
    }
}
