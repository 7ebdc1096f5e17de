import { runAnchor } from './anchors.js';
import type { IndexTradeView, SignalCountsView, SignalEvaluationView, WssView } from './collect-wss.js';
import { formatPercent as pct } from '../backtest/index.js';
import { esc, fmt, htmlTable, svgLines, type Cell } from './html.js';
import { parseTimes } from './axis.js';

const hits = (h: SignalEvaluationView['buy']): string => (h.n === null ? '–' : `${h.hits ?? '–'}/${h.n}`);

function signalsTable(w: WssView): string {
  const ev = w.evaluation;
  const row = (name: string, c: SignalCountsView | null, e: SignalEvaluationView | undefined): Cell[] => [
    name, c?.BUY ?? null, c?.SELL ?? null, c?.HOLD ?? null,
    ...(e === undefined ? [] : [hits(e.buy), fmt(e.buy.hitRate), hits(e.sell), fmt(e.sell.hitRate), fmt(e.pearson), fmt(e.spearman), e.n]),
  ];
  const cols = ['signals from', 'BUY', 'SELL', 'HOLD', ...(ev === null ? [] : ['BUY hits', 'BUY hit rate', 'SELL hits', 'SELL hit rate', 'corr (Pearson)', 'corr (Spearman)', 'hours measured'])];
  return htmlTable(cols, [row('model', w.counts, ev?.model), row('persistence baseline', w.baselineCounts, ev?.baseline)], {
    caption: ev === null ? 'Signal counts' : 'Signal counts, and hits against the index next-bar return',
  });
}

function tradeTable(model: IndexTradeView, baseline: IndexTradeView): string {
  const row = (name: string, s: Record<string, number | null>): Cell[] => [name, pct(s['totalReturn']), fmt(s['sharpe'], 2), pct(s['maxDrawdown']), s['trades'] ?? null, pct(s['feesPaid'])];
  return htmlTable(['strategy', 'total return', 'Sharpe', 'max drawdown', 'trades', 'costs'], [
    row('model signal', model.stats), row('persistence signal', baseline.stats), row('buy & hold index', model.benchmark),
  ], { caption: `Trading the index on the signal (${model.rows ?? '?'} hours)` });
}

function evaluationPart(w: WssView): string {
  const ev = w.evaluation;
  if (ev === null) return '<p class="muted">no index evaluation in this record (mm wss --index scores the signal against the index)</p>';
  let out = `<p>${esc(`index up-hour share (the hit rate of always BUY): ${fmt(ev.model.upShare)}`)}</p>`;
  if (ev.trade !== null) out += tradeTable(ev.trade.model, ev.trade.baseline);
  if (ev.sweep !== null) {
    const t = ev.sweep.test.stats;
    out += `<p>${esc(`threshold sweep: best ±${ev.sweep.best ?? 'none'}; test ${ev.sweep.from ?? ''} → ${ev.sweep.to ?? ''} with ±${ev.sweep.threshold ?? '?'}: ` +
      `total return ${pct(t['totalReturn'])}, Sharpe ${fmt(t['sharpe'], 2)}, trades ${t['trades'] ?? '–'} (buy & hold ${pct(ev.sweep.test.benchmark['totalReturn'])})`)}</p>`;
  }
  return out;
}

/**
 * The reference lines of a WSS chart: the thresholds the signals were computed with, and when a
 * sweep chose other ones, those from the start of the test range on (where they were traded).
 */
export function wssThresholdLines(w: WssView, times: readonly number[] | null): { value: number; label: string; fromIndex?: number }[] {
  const lines: { value: number; label: string; fromIndex?: number }[] = [];
  if (w.buy !== null) lines.push({ value: w.buy, label: `BUY ≥ ${w.buy}` });
  if (w.sell !== null) lines.push({ value: w.sell, label: `SELL ≤ ${w.sell}` });
  const sw = w.evaluation?.sweep ?? null;
  const x = sw?.threshold ?? null;
  if (sw !== null && x !== null && !(x === w.buy && -x === w.sell)) {
    const from = sw.from === null ? NaN : Date.parse(sw.from);
    const at = times === null || !Number.isFinite(from) ? -1 : times.findIndex((t) => t >= from);
    const fromIndex = at < 0 ? undefined : at;
    lines.push(
      { value: x, label: `sweep BUY ≥ ${x} (test)`, ...(fromIndex === undefined ? {} : { fromIndex }) },
      { value: -x, label: `sweep SELL ≤ ${-x} (test)`, ...(fromIndex === undefined ? {} : { fromIndex }) },
    );
  }
  return lines;
}

function wssChart(w: WssView): string {
  const s = w.series;
  if (s === null || s.wss.length === 0) return '<p class="muted">WSS series not stored in this record</p>';
  const kept = w.hours !== null && w.hours > s.wss.length ? ` (${s.wss.length} of ${w.hours} hours)` : '';
  const times = parseTimes(s.time.length === s.wss.length ? s.time : null);
  return svgLines([{ name: 'WSS', values: s.wss }], {
    title: `WSS${kept}`, width: 900, yLabel: `WSS (${w.use ?? 'score'}, −2 … +2)`, hlines: wssThresholdLines(w, times), ...(times === null ? { xLabel: 'hour' } : { times }),
  });
}

/** The WSS section of the report: per `mm wss` record its signals, index evaluation and series chart. */
export function wssSection(ws: WssView[]): string {
  if (ws.length === 0) return '<section id="wss"><h2>WSS</h2><p class="muted">no WSS records (mm wss records each run)</p></section>';
  const parts = ws.map((w) => {
    const head = `<h3 id="wss-${esc(w.id)}">${esc(w.id)}</h3>`;
    if (w.error !== null) return `${head}<p class="drift">${esc(w.error)}</p>`;
    const model = w.runId === null ? '' : `<a href="#${esc(runAnchor(w.runId))}">${esc(w.runId)}</a>${w.alias === null || w.alias === w.runId ? '' : ` (${esc(w.alias)})`}`;
    const facts = `<p class="muted">model ${model} · ${esc(`${w.symbols.length} symbols ${w.symbols.join(' ')} · weights ${w.weights ?? '?'} · ${w.hours ?? '?'} hours · ` +
      `WSS by ${w.use ?? '?'}, BUY ≥ ${w.buy ?? '?'}, SELL ≤ ${w.sell ?? '?'} · created ${w.createdAt ?? ''}`)}</p>` +
      (w.command === null ? '' : `<p class="mono">${esc(w.command)}</p>`);
    return head + facts + signalsTable(w) + evaluationPart(w) + wssChart(w);
  });
  return `<section id="wss"><h2>WSS</h2>${parts.join('')}</section>`;
}
