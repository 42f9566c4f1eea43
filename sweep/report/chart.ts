import { View, parse } from "vega";
import { TopLevelSpec, compile } from "vega-lite";
import { SweepRecord } from "../record";
import { Axis } from "../spec";
import { studyValue, sweepTitle } from "../study/figures";
import { CellSummary } from "../summary";

/** One plotted value: a measured median with its band (min-max, or p50-p99 for rr), or the study's figure. */
interface ChartRow {
    readonly label: string;
    readonly size: number;
    readonly method: string;
    readonly source: "measured" | "study (2014)";
    readonly value: number;
    readonly min?: number;
    readonly max?: number;
}

/** What a chart plots: Gbit/s per client (min-max over the repeats), or for rr the round trip's p50 up to its p99. */
interface Plotted {
    readonly title: string;
    readonly band: string;
    readonly row: (cell: CellSummary) => Pick<ChartRow, "value" | "min" | "max"> | undefined;
}

const GBPS: Plotted = {
    title: "Gbit/s per client process",
    band: "min-max",
    row: (c) => (c.perClient ? { value: c.perClient.median, min: c.perClient.min, max: c.perClient.max } : undefined),
};

const ROUND_TRIP: Plotted = {
    title: "round trip µs, p50",
    band: "p50 to p99",
    row: (c) => (c.p50Micros && c.p99Micros ? { value: c.p50Micros.median, min: c.p50Micros.median, max: c.p99Micros.median } : undefined),
};

function plottedOf(record: SweepRecord): Plotted {
    return record.spec.iperf.mode === "rr" ? ROUND_TRIP : GBPS;
}

function chartRows(record: SweepRecord, cells: readonly CellSummary[]): ChartRow[] {
    const { spec } = record;
    const plotted = plottedOf(record);
    return spec.points.flatMap((point) =>
        spec.methods.flatMap((method): ChartRow[] => {
            const cell = cells.find((c) => c.point === point.label && c.method === method);
            const measured = cell === undefined ? undefined : plotted.row(cell);
            const study = plotted === GBPS ? studyValue(spec, point, method) : undefined;
            const at = { label: point.label, size: point.size, method };
            return [
                ...(measured ? [{ ...at, source: "measured" as const, ...measured }] : []),
                ...(study !== undefined ? [{ ...at, source: "study (2014)" as const, value: study }] : []),
            ];
        }),
    );
}

/** A y axis is logarithmic when its values span at least this factor (16x16 next to 1x1). */
export const LOG_Y_SPAN = 10;

/**
 * Vega-Lite spec: Gbit/s per client process (rr: the round trip's p50, its band up to p99), one
 * colour per method; the measured median with its min-max range beside the study's figure. Numeric axes (tables 1 and 2) are log2 lines,
 * solid measured with a band, dashed study; shapes ("MxK", table 3) are categories: grouped
 * bars, the study's paler, in the file's order. The y axis is logarithmic when the values span
 * LOG_Y_SPAN or more (values of 0 cannot be drawn there and are left out, as the subtitle says).
 */
export function chartSpec(record: SweepRecord, cells: readonly CellSummary[]): TopLevelSpec {
    const { spec } = record;
    const all = chartRows(record, cells);
    const plotted = plottedOf(record);
    const positive = all.filter((r) => r.value > 0).map((r) => r.value);
    const logY = positive.length > 0 && Math.max(...positive) / Math.min(...positive) >= LOG_Y_SPAN;
    const rows = logY ? all.filter((r) => r.value > 0) : all;
    const hasStudy = rows.some((r) => r.source !== "measured");
    const notes = [
        `median of ${spec.repeats}, ${spec.axis === "shapes" ? "whisker" : "band"}: ${plotted.band}`,
        ...(hasStudy ? [spec.axis === "shapes" ? "pale: the 2014 study" : "dashed: the 2014 study"] : []),
        ...(logY ? [`log y axis${rows.length < all.length ? `; ${all.length - rows.length} value(s) of 0 not drawn` : ""}`] : []),
    ];
    const y = { field: "value", type: "quantitative" as const, title: plotted.title, ...(logY ? { scale: { type: "log" as const } } : {}) };
    // One legend for every layer: the same definition in each.
    const color = { field: "method", type: "nominal" as const, title: "method", sort: spec.methods as string[] };
    return {
        $schema: "https://vega.github.io/schema/vega-lite/v5.json",
        title: { text: `icc-bench ${spec.name}: ${sweepTitle(spec.axis)}`, subtitle: notes.join("; ") },
        width: spec.axis === "shapes" ? Math.max(560, 34 * spec.points.length * Math.max(1, spec.methods.length) * (hasStudy ? 1 : 0.6)) : 560,
        height: 340,
        data: { values: rows as unknown as Record<string, unknown>[] },
        ...(spec.axis === "shapes" ? barLayers(spec.points.map((p) => p.label), y, color) : lineLayers(record, y, color)),
    };
}

type Encoding = Record<string, unknown>;
/** The layers of a layered chart, as vega-lite types them. */
type Layers = { readonly layer: Extract<TopLevelSpec, { layer: unknown }>["layer"] };

/** Table 3: a group of bars per shape, a bar per method and source, min-max whiskers on the measured. */
function barLayers(labels: readonly string[], y: Encoding, color: Encoding): Layers {
    const x = { field: "label", type: "nominal" as const, sort: labels as string[], title: X_TITLES.shapes, axis: { labelAngle: 0 } };
    const xOffset = { field: "series", type: "nominal" as const };
    const series = { calculate: "datum.method + ' ' + datum.source", as: "series" };
    return {
        layer: [
            {
                transform: [series],
                mark: { type: "bar" },
                encoding: { x, xOffset, y, color: { ...color, legend: { symbolType: "square" } }, opacity: { field: "source", type: "nominal", title: "source", scale: { domain: ["measured", "study (2014)"], range: [1, 0.4] } } },
            },
            {
                transform: [series, { filter: "datum.source === 'measured'" }],
                mark: { type: "rule", color: "black", strokeWidth: 1 },
                encoding: { x, xOffset, y: { ...y, field: "min" }, y2: { field: "max" } },
            },
        ],
    } as unknown as Layers;
}

/** The x axis's title, per sweep axis. */
const X_TITLES: Readonly<Record<Axis, string>> = {
    clientContainers: "client containers (log2)",
    serversAndClients: "servers = client containers (log2)",
    shapes: "containers x iperf clients per container",
    length: "bytes per write, datagram or request (log2)",
};

/** Tables 1 and 2 and the length axis: lines against a log2 size axis, the measured band, the study dashed. */
function lineLayers(record: SweepRecord, y: Encoding, color: Encoding): Layers {
    const { spec } = record;
    const x = {
        field: "size",
        type: "quantitative" as const,
        scale: { type: "log" as const, base: 2, nice: false, padding: 12 },
        axis: { values: spec.points.map((p) => p.size), format: "d" },
        title: X_TITLES[spec.axis],
    };
    const lineColor = { ...color, legend: { symbolType: "stroke", symbolStrokeWidth: 3, symbolOpacity: 1 } };
    return {
        layer: [
            {
                transform: [{ filter: "datum.source === 'measured'" }],
                mark: { type: "area", opacity: 0.18 },
                encoding: { x, y: { ...y, field: "min", title: null }, y2: { field: "max" }, color: lineColor },
            },
            {
                mark: { type: "line", point: true },
                encoding: {
                    x,
                    y,
                    color: lineColor,
                    // Explained by the subtitle.
                    strokeDash: { field: "source", type: "nominal", scale: { domain: ["measured", "study (2014)"], range: [[1, 0], [5, 4]] }, legend: null },
                    detail: { field: "source", type: "nominal" },
                },
            },
        ],
    } as unknown as Layers;
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
