import { ECE_BINS, isUncalibrated } from '../evaluate/index.js';
import { formatStat, STAT_ROWS } from '../backtest/index.js';
import { ACTIONS } from '../labels/index.js';
import { runAnchor as anchor, runLink } from './anchors.js';
import type { BacktestView, CalibrationView, ComparisonView, MetricsView, RegistryView, RunView } from './collect.js';
import { parseTimes } from './axis.js';
import { esc, fmt, heatStyle, htmlPage, htmlTable, svgLines, type Cell } from './html.js';
import { wssSection } from './render-wss.js';
import { svgCurves, type CurveSeries } from './svg-curves.js';

export interface RenderReportOptions {
  /** When the report was made (passed in: core does not read the clock). */
  generatedAt: string;
  title?: string;
}

function runsSection(v: RegistryView): string {
  if (v.runs.length === 0) return '<section id="runs"><h2>Runs</h2><p class="muted">no runs yet</p></section>';
  const rows = v.runs.map((r): Cell[] => {
    const m = r.metrics['model'];
    const bases = ['majority', 'persistence'].map((k) => r.metrics[k]?.macroF1 ?? null).filter((x): x is number => x !== null);
    const unc = isUncalibrated(m?.logLoss, r.metrics['majority']?.logLoss);
    return [
      runLink(r.id), r.aliases.join(' '), r.kind, r.symbols.join(' '), r.rows, r.scheme, fmt(m?.logLoss), fmt(m?.brier), fmt(m?.ece),
      unc === null ? null : unc ? { html: 'uncalibrated', cls: 'drift' } : 'ok',
      fmt(m?.macroF1), fmt(bases.length > 0 ? Math.max(...bases) : null),
      fmt(m?.balancedAccuracy), fmt(m?.macroRocAuc), fmt(m?.rankIc), r.error === null ? 'ok' : { html: esc(`corrupt: ${r.error}`), cls: 'drift' },
    ];
  });
  return `<section id="runs"><h2>Runs</h2>${htmlTable(
    ['run', 'aliases', 'kind', 'symbols', 'rows', 'scheme', 'log-loss', 'Brier', 'ECE', 'calibration', 'macro F1', 'best baseline F1', 'bal. acc.', 'macro ROC-AUC', 'rank IC', 'status'], rows)}` +
    `<p class="muted">${esc(`Log-loss, Brier and ECE (top-label, ${ECE_BINS} equal-width bins) on the run's out-of-sample rows; "uncalibrated": log-loss not below the majority baseline's on the same rows.`)}</p></section>`;
}

function aliasesSection(v: RegistryView): string {
  const entries = Object.entries(v.aliases).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return '<section id="aliases"><h2>Aliases</h2><p class="muted">no aliases</p></section>';
  return `<section id="aliases"><h2>Aliases</h2>${htmlTable(['alias', 'run'], entries.map(([a, id]) => [a, runLink(id)]))}</section>`;
}

function comparisonsSection(cs: ComparisonView[]): string {
  if (cs.length === 0) return '<section id="comparisons"><h2>Comparisons</h2><p class="muted">no comparison records</p></section>';
  const parts = cs.map((c) => {
    if (c.error !== null) return `<h3>${esc(c.id)}</h3><p class="drift">${esc(c.error)}</p>`;
    const rows = [...c.candidates].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9)).map((k): Cell[] => [
      k.rank, k.name, k.kind, k.runId === null ? null : runLink(k.runId), k.isBaseline ? 'baseline' : '',
      fmt(k.logLoss), fmt(k.brier), fmt(k.ece), fmt(k.macroF1), fmt(k.macroF1Std),
      k.verdict === null ? null : k.uncalibrated === true ? { html: esc(`${k.verdict}; uncalibrated`), cls: 'drift' } : k.verdict,
    ]);
    return `<h3>${esc(c.id)}</h3><p class="muted">${esc(`${c.createdAt ?? ''} · ranked by ${c.metric ?? '?'} · best baseline ${c.bestBaseline ?? '?'}`)}</p>` +
      htmlTable(['rank', 'candidate', 'kind', 'run', '', 'log-loss (mean)', 'Brier (mean)', 'ECE (mean)', 'macro F1 (mean)', 'macro F1 (std)', `verdict vs ${c.bestBaseline ?? 'best baseline'} (95% CI)`], rows);
  });
  return `<section id="comparisons"><h2>Comparisons</h2>${parts.join('')}</section>`;
}

function confusionHeatmap(conf: number[][]): string {
  // Shade by the row share (recall of the true class), so rare classes are as readable as "hold".
  const rows = conf.map((row, i): Cell[] => {
    const total = row.reduce((a, b) => a + b, 0);
    return [ACTIONS[i] ?? String(i), ...row.map((v): Cell => ({ html: esc(v), style: heatStyle(total > 0 ? v / total : 0) }))];
  });
  return htmlTable(['true \\ predicted', ...conf.map((_, j) => ACTIONS[j] ?? String(j))], rows, { cls: 'heat', caption: 'Confusion matrix (rows: true class; shade: share of the row)' });
}

function perClassTable(m: MetricsView): string {
  const rows = m.perClass.map((p, k): Cell[] => [ACTIONS[k] ?? String(k), fmt(p.precision), fmt(p.recall), fmt(p.f1), p.support, fmt(p.rocAuc), fmt(p.prAuc)]);
  return htmlTable(['class', 'precision', 'recall', 'F1', 'support', 'ROC-AUC (one-vs-rest)', 'PR-AUC'], rows, { caption: 'Per-class metrics' });
}

/** One colour per class, strong_sell → strong_buy on a red–grey–blue scale. */
const CLASS_COLOURS = ['#b2182b', '#ef8a62', '#7f7f7f', '#67a9cf', '#2166ac'];

function curveCharts(m: MetricsView): string {
  const c = m.curves;
  if (c === null) return '<p class="muted">ROC and PR curves are not stored in this run (it was recorded before mm kept them); the AUCs above are.</p>';
  const classes = Array.from({ length: Math.max(c.roc.length, c.pr.length) }, (_, k) => ({ name: ACTIONS[k] ?? String(k), colour: CLASS_COLOURS[k % CLASS_COLOURS.length] as string }));
  const roc: CurveSeries[] = classes.map((x, k) => ({ ...x, points: c.roc[k] ?? null, note: `AUC ${fmt(m.perClass[k]?.rocAuc ?? null)}` }));
  const pr: CurveSeries[] = classes.map((x, k) => ({ ...x, points: c.pr[k] ?? null, note: `AP ${fmt(m.perClass[k]?.prAuc ?? null)}` }));
  // Chance precision is the class's share of the rows; the curve's last point (recall 1) has it too.
  const prevalence = (k: number): number | null => {
    const support = m.perClass[k]?.support ?? null;
    if (support !== null && m.n !== null && m.n > 0) return support / m.n;
    const pts = c.pr[k];
    return pts === null || pts === undefined ? null : (pts[pts.length - 1] as [number, number])[1];
  };
  const refs = classes.flatMap((x, k) => {
    const p = prevalence(k);
    return p === null || c.pr[k] === null ? [] : [{ from: [0, p] as const, to: [1, p] as const, colour: x.colour }];
  });
  return '<div class="charts">' +
    svgCurves(roc, { title: 'ROC, each class vs the rest', xLabel: 'false positive rate', yLabel: 'true positive rate', refs: [{ from: [0, 0], to: [1, 1], colour: '#777' }], refLabel: 'chance (diagonal)' }) +
    svgCurves(pr, { title: 'Precision–recall, each class vs the rest', xLabel: 'recall', yLabel: 'precision', refs, refLabel: 'class prevalence (chance)' }) +
    '</div>';
}

/** The reliability diagram of a calibrated run: accuracy against mean confidence per bin, before and after, beside the diagonal. */
function reliabilityChart(c: CalibrationView): string {
  const note = (s: CalibrationView['before']): string => `log-loss ${fmt(s.logLoss)}, ECE ${fmt(s.ece)}`;
  const series: CurveSeries[] = [
    { name: 'before calibration', colour: '#ef8a62', points: c.before.points, note: note(c.before) },
    { name: `after (${c.method})`, colour: '#2166ac', points: c.after.points, note: note(c.after) },
  ];
  const folds = c.folds === null ? '' : `, calibrators from ${c.folds} inner fold${c.folds === 1 ? '' : 's'} of the training rows`;
  return '<div class="charts">' +
    svgCurves(series, { title: `Reliability (${c.source}${folds})`, xLabel: 'mean top-label confidence', yLabel: 'accuracy', refs: [{ from: [0, 0], to: [1, 1], colour: '#777' }], refLabel: 'perfect calibration (diagonal)' }) +
    '</div>';
}

function runSection(r: RunView): string {
  const head = `<h3 id="${esc(anchor(r.id))}">${esc(r.id)}${r.aliases.length > 0 ? ` <small>(${esc(r.aliases.join(', '))})</small>` : ''}</h3>`;
  if (r.error !== null) return `<section class="run">${head}<p class="drift">${esc(r.error)}</p></section>`;
  const facts = `<p class="muted">${esc(`${r.kind ?? ''} · ${r.symbols.join(' ')} · ${r.rows ?? '?'} bars ${r.from ?? ''} → ${r.to ?? ''} · labels ${r.scheme ?? '?'} · created ${r.createdAt ?? ''}`)}</p>` +
    (r.command === null ? '' : `<p class="mono">${esc(r.command)}</p>`);
  const who = Object.keys(r.metrics);
  const summary = htmlTable(['evaluated', 'n', 'log-loss', 'Brier', 'ECE', 'macro F1', 'bal. acc.', 'accuracy', 'macro ROC-AUC', 'macro PR-AUC', 'rank IC'],
    who.map((w): Cell[] => {
      const m = r.metrics[w] as MetricsView;
      return [w, m.n, fmt(m.logLoss), fmt(m.brier), fmt(m.ece), fmt(m.macroF1), fmt(m.balancedAccuracy), fmt(m.accuracy), fmt(m.macroRocAuc), fmt(m.macroPrAuc), fmt(m.rankIc)];
    }), { caption: 'Test-set metrics, model beside the naive baselines' });
  const m = r.metrics['model'];
  const detail = (m === undefined ? '' : (m.confusion === null ? '' : confusionHeatmap(m.confusion)) + (m.perClass.length > 0 ? perClassTable(m) : '') + curveCharts(m)) +
    (r.calibration === undefined || r.calibration === null ? '' : reliabilityChart(r.calibration));
  return `<section class="run">${head}${facts}${summary}${detail}</section>`;
}

function backtestsSection(bs: BacktestView[]): string {
  if (bs.length === 0) return '<section id="backtests"><h2>Backtests</h2><p class="muted">no backtest records</p></section>';
  const parts = bs.map((b) => {
    const head = `<h3>${esc(b.id)}</h3>`;
    if (b.error !== null) return `${head}<p class="drift">${esc(b.error)}</p>`;
    // The terminal's rows and formats (mm backtest), for the statistics this record has.
    const rows = STAT_ROWS.filter((r) => r.key in b.stats || r.key in b.benchmark).map((r): Cell[] => [r.label, formatStat(b.stats[r.key], r.format), formatStat(b.benchmark[r.key], r.format)]);
    const again = b.recorded.length > 1 ? `<p class="muted">${esc(`the same backtest was recorded ${b.recorded.length} times: ${b.recorded.join(', ')}`)}</p>` : '';
    return `${head}<p class="muted">${esc(`${b.symbol ?? ''} · ${b.model ?? ''} · ${b.bars ?? '?'} bars ${b.from ?? ''} → ${b.to ?? ''}`)}</p>${again}` +
      htmlTable(['statistic', 'strategy', 'buy and hold'], rows) + equityChart(b);
  });
  return `<section id="backtests"><h2>Backtests</h2>${parts.join('')}</section>`;
}

function equityChart(b: BacktestView): string {
  if (b.equity === null) return '<p class="muted">equity curve not stored in this record</p>';
  const kept = b.bars !== null && b.bars > b.equity.length ? ` (${b.equity.length} of ${b.bars} bars)` : '';
  const lines = [{ name: 'strategy', values: b.equity }, ...(b.buyHold === null ? [] : [{ name: 'buy & hold', values: b.buyHold }])];
  const times = parseTimes(b.time);
  return svgLines(lines, { title: `equity ${b.symbol ?? ''}${kept}`, width: 900, yLabel: 'equity (start = 1)', ...(times === null ? { xLabel: 'bar' } : { times }) });
}

/**
 * The registry as one self-contained HTML page (inline CSS, no scripts, no network): runs table
 * with key metrics and aliases, aliases, comparison records, per run its metrics beside the
 * baselines, the confusion matrix as a heatmap, per-class precision/recall/F1 with one-vs-rest
 * ROC-AUC and PR-AUC and the ROC and PR curves (when the run stored them), backtest statistics
 * with the strategy and buy-and-hold equity curves, and WSS records with their series, signal
 * counts and index evaluation. All text is escaped.
 */
export function renderRegistryHtml(v: RegistryView, o: RenderReportOptions): string {
  const title = o.title ?? 'mm registry report';
  const body = [
    `<h1>${esc(title)}</h1>`,
    `<p class="muted">${esc(`registry ${v.registry} · ${v.runs.length} runs · ${v.comparisons.length} comparisons · ${v.backtests.length} backtests · ${v.wss.length} WSS records · generated ${o.generatedAt}`)}</p>`,
    '<nav><a href="#runs">runs</a><a href="#aliases">aliases</a><a href="#comparisons">comparisons</a><a href="#run-details">run details</a><a href="#backtests">backtests</a><a href="#wss">WSS</a></nav>',
    runsSection(v),
    aliasesSection(v),
    comparisonsSection(v.comparisons),
    `<section id="run-details"><h2>Run details</h2>${v.runs.length === 0 ? '<p class="muted">no runs</p>' : [...v.runs].reverse().map(runSection).join('')}</section>`,
    backtestsSection(v.backtests),
    wssSection(v.wss),
  ];
  return htmlPage(title, body.join('\n'));
}
