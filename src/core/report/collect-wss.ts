import { num, numbers, obj, scalars, str, strings, type Obj } from './read.js';

export interface SignalCountsView {
  BUY: number | null;
  SELL: number | null;
  HOLD: number | null;
}

/** How one signal (the model's or the persistence baseline's) scored against the index's next-bar return. */
export interface SignalEvaluationView {
  buy: { n: number | null; hits: number | null; hitRate: number | null };
  sell: { n: number | null; hits: number | null; hitRate: number | null };
  pearson: number | null;
  spearman: number | null;
  /** Hours with both a WSS and a measured next return. */
  n: number | null;
  upShare: number | null;
}

/** Statistics of trading the index on a signal (the scalars of a backtest's stats, benchmark apart). */
export interface IndexTradeView {
  rows: number | null;
  stats: Record<string, number | null>;
  benchmark: Record<string, number | null>;
}

export interface WssView {
  id: string;
  createdAt: string | null;
  command: string | null;
  /** Run id of the model, and the alias it was called by (if any). */
  runId: string | null;
  alias: string | null;
  weights: string | null;
  symbols: string[];
  hours: number | null;
  use: string | null;
  buy: number | null;
  sell: number | null;
  counts: SignalCountsView | null;
  baselineCounts: SignalCountsView | null;
  /** Null when the batch ran without an index. */
  evaluation: {
    model: SignalEvaluationView;
    baseline: SignalEvaluationView;
    trade: { model: IndexTradeView; baseline: IndexTradeView } | null;
    sweep: { best: number | null; threshold: number | null; from: string | null; to: string | null; test: IndexTradeView } | null;
  } | null;
  /** The stored series (at most ~1000 hours); null when the record has none. */
  series: { time: string[]; wss: number[]; signal: string[] } | null;
  error: string | null;
}

function counts(x: unknown): SignalCountsView | null {
  const c = obj(x);
  return Object.keys(c).length === 0 ? null : { BUY: num(c['BUY']), SELL: num(c['SELL']), HOLD: num(c['HOLD']) };
}

function evaluation(x: unknown): SignalEvaluationView {
  const e = obj(x);
  const side = (v: unknown): SignalEvaluationView['buy'] => {
    const s = obj(v);
    return { n: num(s['n']), hits: num(s['hits']), hitRate: num(s['hitRate']) };
  };
  const c = obj(e['correlation']);
  return { buy: side(e['buy']), sell: side(e['sell']), pearson: num(c['pearson']), spearman: num(c['spearman']), n: num(c['n']), upShare: num(e['upShare']) };
}

function trade(x: unknown): IndexTradeView {
  const t = obj(x);
  const stats = obj(t['stats']);
  return { rows: num(t['rows']), stats: scalars(stats), benchmark: scalars(stats['benchmark']) };
}

/** A `<registry>/wss/<id>.json` record (recordWss) as the report shows it; missing parts are null. */
export function wssView(id: string, value: Obj | null, error: string | null): WssView {
  const r = obj(value);
  const s = obj(r['summary']);
  const model = obj(s['model']);
  const opts = obj(s['options']);
  const ev = s['evaluation'] === null || s['evaluation'] === undefined ? null : obj(s['evaluation']);
  const sweep = ev === null || ev['sweep'] === null || ev['sweep'] === undefined ? null : obj(ev['sweep']);
  const tr = ev === null ? null : obj(ev['trade']);
  const series = obj(r['series']);
  const wss = numbers(series['wss']);
  const time = strings(series['time']);
  const signal = strings(series['signal']);
  return {
    id, createdAt: str(r['createdAt']), command: str(r['command']),
    runId: str(model['runId']), alias: str(model['alias']),
    weights: str(obj(s['weights'])['source']),
    symbols: Array.isArray(r['inputs']) ? r['inputs'].map((i) => str(obj(i)['symbol']) ?? '?') : [],
    hours: num(s['hours']), use: str(opts['use']), buy: num(opts['buy']), sell: num(opts['sell']),
    counts: counts(s['counts']), baselineCounts: counts(obj(s['baseline'])['counts']),
    evaluation: ev === null ? null : {
      model: evaluation(ev['model']),
      baseline: evaluation(ev['baseline']),
      trade: tr === null || Object.keys(tr).length === 0 ? null : { model: trade(tr['model']), baseline: trade(tr['baseline']) },
      sweep: sweep === null ? null : {
        best: num(sweep['best']), threshold: num(obj(sweep['test'])['threshold']), from: str(obj(sweep['test'])['from']), to: str(obj(sweep['test'])['to']), test: trade(sweep['test']),
      },
    },
    // The three columns must line up hour by hour, or the chart would put signals at the wrong time.
    series: wss !== null && time !== null && signal !== null && time.length === wss.length && signal.length === wss.length ? { time, wss, signal } : null,
    error,
  };
}
