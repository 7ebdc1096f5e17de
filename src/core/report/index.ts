/** Report stage: the registry as a static, self-contained HTML page, and the HTML helpers it uses. */
export { esc, fmt, fmtP, heatStyle, htmlPage, htmlTable, svgLines, type Cell, type SvgLinesOptions } from './html.js';
export { svgCurves, type CurveRef, type CurveSeries, type SvgCurvesOptions } from './svg-curves.js';
export { niceStep, niceTicks, formatTick, timeTicks, parseTimes, type NumericTicks, type TimeTick } from './axis.js';
export { wssThresholdLines } from './render-wss.js';
export { backtestContentKey, dedupeBacktests, collectRegistry, type BacktestView, type ComparisonView, type MetricsView, type PointsView, type RegistryView, type RunView } from './collect.js';
export { type IndexTradeView, type SignalCountsView, type SignalEvaluationView, type WssView } from './collect-wss.js';
export { renderRegistryHtml, type RenderReportOptions } from './render.js';
