import { isUncalibrated, verdictOf, type Verdict } from '../evaluate/index.js';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { listRunIds, openRegistry, readAliases, readRun } from '../registry/index.js';
import { AppError, NotFoundError } from '../errors.js';
import { wssView, type WssView } from './collect-wss.js';
import { num, numbers, obj, records, scalars, str, strings, type Obj } from './read.js';
import { stableJson } from '../util/stable-json.js';

/** [x, y] points of one curve: ROC [fpr, tpr], PR [recall, precision]. */
export type PointsView = [number, number][];

/** Evaluation metrics of one model on the test rows, as run.json stores them. */
export interface MetricsView {
  n: number | null;
  accuracy: number | null;
  balancedAccuracy: number | null;
  macroF1: number | null;
  logLoss: number | null;
  brier: number | null;
  ece: number | null;
  macroRocAuc: number | null;
  macroPrAuc: number | null;
  rankIc: number | null;
  confusion: number[][] | null;
  perClass: { precision: number | null; recall: number | null; f1: number | null; support: number | null; rocAuc: number | null; prAuc: number | null }[];
  /** One-vs-rest curves per class (null for a class without one); null when the run stored none (runs before curves were kept, baselines). */
  curves: { roc: (PointsView | null)[]; pr: (PointsView | null)[] } | null;
}

export interface RunView {
  id: string;
  createdAt: string | null;
  kind: string | null;
  command: string | null;
  symbols: string[];
  rows: number | null;
  from: string | null;
  to: string | null;
  scheme: string | null;
  aliases: string[];
  tags: Record<string, string>;
  /** model, majority, persistence… whatever the run evaluated. */
  metrics: Record<string, MetricsView>;
  /** A calibrated run's reliability diagram (test rows when it has them, else its inner folds); null otherwise. */
  calibration?: CalibrationView | null;
  error: string | null;
}

/** Reliability diagram points [mean confidence, accuracy] per non-empty bin, before and after calibration, with the scores. */
export interface CalibrationView {
  method: string;
  folds: number | null;
  source: 'test rows' | 'inner folds';
  before: { points: PointsView | null; logLoss: number | null; ece: number | null };
  after: { points: PointsView | null; logLoss: number | null; ece: number | null };
}

function calibrationView(x: unknown): CalibrationView | null {
  const c = obj(x);
  if (typeof c['method'] !== 'string') return null;
  const test = obj(c['test']);
  const useTest = typeof obj(test['before'])['logLoss'] === 'number';
  const src = useTest ? test : obj(c['inner']);
  const side = (s: unknown): CalibrationView['before'] => {
    const o = obj(s);
    const bins = Array.isArray(o['bins']) ? o['bins'].map(obj) : [];
    const pts = bins.filter((b) => typeof b['meanConfidence'] === 'number' && typeof b['accuracy'] === 'number').map((b) => [b['meanConfidence'], b['accuracy']]);
    return { points: pointsView(pts), logLoss: num(o['logLoss']), ece: num(o['ece']) };
  };
  return { method: c['method'], folds: num(c['folds']), source: useTest ? 'test rows' : 'inner folds', before: side(src['before']), after: side(src['after']) };
}

export interface ComparisonView {
  id: string;
  createdAt: string | null;
  metric: string | null;
  bestBaseline: string | null;
  candidates: {
    name: string; kind: string | null; rank: number | null; runId: string | null; isBaseline: boolean; macroF1: number | null; macroF1Std: number | null;
    logLoss: number | null; brier: number | null; ece: number | null;
    /** Read off the recorded interval to the best baseline: real / worse / not significant. */
    verdict: Verdict | null;
    uncalibrated: boolean | null;
  }[];
  error: string | null;
}

export interface BacktestView {
  id: string;
  createdAt: string | null;
  symbol: string | null;
  model: string | null;
  from: string | null;
  to: string | null;
  bars: number | null;
  /** Scalar statistics of the strategy and of buy-and-hold. */
  stats: Record<string, number | null>;
  benchmark: Record<string, number | null>;
  /** Strategy equity at the stored bars (`series.equity`, or an older record's top-level `equity`); null when not stored. */
  equity: number[] | null;
  /** Buy-and-hold equity at the same bars (`series.buyHold`); null when not stored. */
  buyHold: number[] | null;
  /** Timestamps of the stored bars (`series.time`); null when not stored. */
  time: string[] | null;
  /**
   * Ids of every record with this content (this one first): the same backtest run twice is one
   * entry recorded several times. Just this id for a unique or unreadable record.
   */
  recorded: string[];
  error: string | null;
}

export interface RegistryView {
  registry: string;
  aliases: Record<string, string>;
  runs: RunView[];
  comparisons: ComparisonView[];
  backtests: BacktestView[];
  wss: WssView[];
}

function pointsView(x: unknown): PointsView | null {
  const ok = Array.isArray(x) && x.length > 0 && x.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v)));
  return ok ? (x as PointsView) : null;
}

function curvesView(x: unknown): MetricsView['curves'] {
  const c = obj(x);
  if (!Array.isArray(c['roc']) && !Array.isArray(c['pr'])) return null;
  const list = (v: unknown): (PointsView | null)[] => (Array.isArray(v) ? v.map(pointsView) : []);
  return { roc: list(c['roc']), pr: list(c['pr']) };
}

function metricsView(x: unknown): MetricsView {
  const m = obj(x);
  const conf = Array.isArray(m['confusion']) && m['confusion'].every((r) => Array.isArray(r) && r.every((v) => typeof v === 'number'))
    ? (m['confusion'] as number[][]) : null;
  const per = Array.isArray(m['perClass']) ? m['perClass'].map((p) => {
    const o = obj(p);
    return { precision: num(o['precision']), recall: num(o['recall']), f1: num(o['f1']), support: num(o['support']), rocAuc: num(o['rocAuc']), prAuc: num(o['prAuc']) };
  }) : [];
  return {
    n: num(m['n']), accuracy: num(m['accuracy']), balancedAccuracy: num(m['balancedAccuracy']), macroF1: num(m['macroF1']), logLoss: num(m['logLoss']), brier: num(m['brier']), ece: num(m['ece']),
    macroRocAuc: num(m['macroRocAuc']), macroPrAuc: num(m['macroPrAuc']), rankIc: num(m['rankIc']), confusion: conf, perClass: per,
    curves: curvesView(m['curves']),
  };
}

/**
 * Everything `mm report` shows, read from the registry: runs with their aliases and metrics (and
 * ROC/PR curves when stored), comparison records, backtest records with their equity curves, and
 * WSS records with their series. A corrupt run or record does not stop the report: it appears
 * with `error` set.
 * @throws NotFoundError when the registry does not exist; ConflictError for another schema version.
 */
export function collectRegistry(root: string): RegistryView {
  if (!existsSync(root)) throw new NotFoundError(`no registry at ${root}`, { hint: 'pass --registry <dir> (or set MM_REGISTRY), or train a model first' });
  openRegistry(root, { create: false });
  const aliases = readAliases(root);
  const runs = listRunIds(root).map((id): RunView => {
    const names = [...aliases].filter(([, v]) => v === id).map(([k]) => k).sort();
    try {
      const r = readRun(root, id);
      const metrics: Record<string, MetricsView> = {};
      // Only evaluations (objects with a macro F1); compare runs also keep folds and summaries here.
      for (const [who, m] of Object.entries(r.metrics)) if (typeof obj(m)['macroF1'] === 'number') metrics[who] = metricsView(m);
      return {
        id, createdAt: r.createdAt, kind: r.model.kind, command: r.command, symbols: r.data.symbols, rows: r.data.rows, from: r.data.from, to: r.data.to,
        scheme: r.labels.scheme, aliases: names, tags: r.tags, metrics, calibration: calibrationView(r.calibration), error: null,
      };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return { id, createdAt: null, kind: null, command: null, symbols: [], rows: null, from: null, to: null, scheme: null, aliases: names, tags: {}, metrics: {}, error: e.message };
    }
  });
  const comparisons = records(join(root, 'comparisons')).map(({ id, value, error }): ComparisonView => {
    const c = obj(value);
    const runIds = obj(c['runs']);
    const list = Array.isArray(c['candidates']) ? c['candidates'].map(obj) : [];
    // The majority baseline's pooled out-of-fold log-loss: what "uncalibrated" is measured against.
    const majorityLogLoss = num(obj(list.find((k) => k['name'] === 'majority')?.['pooled'])['logLoss']);
    const cands = list.map((k) => {
      const s = obj(k['summary']);
      const name = str(k['name']) ?? '?';
      const isBaseline = k['isBaseline'] === true;
      // The verdict is read off the recorded interval, also for records made before verdicts were
      // stored (their "beatsBaselines" compared means and could contradict their own interval).
      const iv = obj(k['vsBestBaseline']);
      const lo = num(iv['lo']);
      const hi = num(iv['hi']);
      return {
        name, kind: str(k['kind']), rank: num(k['rank']), runId: str(Object.hasOwn(runIds, name) ? runIds[name] : undefined), isBaseline,
        macroF1: num(obj(s['macroF1'])['mean']), macroF1Std: num(obj(s['macroF1'])['std']), logLoss: num(obj(s['logLoss'])['mean']),
        brier: num(obj(s['brier'])['mean']), ece: num(obj(s['ece'])['mean']),
        verdict: isBaseline || lo === null || hi === null ? null : verdictOf({ lo, hi }),
        uncalibrated: isBaseline ? null : isUncalibrated(num(obj(k['pooled'])['logLoss']), majorityLogLoss),
      };
    });
    return { id, createdAt: str(c['createdAt']), metric: str(c['metric']), bestBaseline: str(c['bestBaseline']), candidates: cands, error };
  });
  const btRecords = records(join(root, 'backtests'));
  const allBacktests = btRecords.map(({ id, value, error }): BacktestView => {
    const b = obj(value);
    const range = obj(b['range']);
    const stats = obj(b['stats']);
    const series = obj(b['series']);
    const equity = numbers(series['equity']) ?? numbers(b['equity']);
    // A buy-and-hold line or time axis that does not match the equity points would be drawn wrong: drop it.
    const same = <T>(x: T[] | null): T[] | null => (x !== null && equity !== null && x.length === equity.length ? x : null);
    return {
      id, createdAt: str(b['createdAt']), symbol: str(b['symbol']), model: str(obj(b['source'])['model']) ?? str(obj(b['source'])['kind']),
      from: str(range['from']), to: str(range['to']), bars: num(range['bars']), stats: scalars(stats), benchmark: scalars(stats['benchmark']),
      equity, buyHold: same(numbers(series['buyHold'])), time: same(strings(series['time'])), recorded: [id], error,
    };
  });
  const backtests = dedupeBacktests(allBacktests, btRecords.map((r) => r.value));
  const wss = records(join(root, 'wss')).map(({ id, value, error }) => wssView(id, value, error));
  return { registry: root, aliases: Object.fromEntries(aliases), runs, comparisons, backtests, wss };
}

/** What makes two backtest records the same backtest: everything but when, by whom and from where. */
const NOT_CONTENT = new Set(['id', 'createdAt', 'mmVersion', 'command']);


/**
 * The content key of a backtest record: its JSON without id, creation time, mm version, command
 * line and data path (the data's sha256 stays), hashed. Null for an unreadable record.
 */
export function backtestContentKey(record: Obj | null): string | null {
  if (record === null) return null;
  const rest: Obj = {};
  for (const [k, v] of Object.entries(record)) {
    if (NOT_CONTENT.has(k)) continue;
    if (k === 'data') {
      const { path: _path, ...data } = obj(v);
      rest[k] = data;
    } else rest[k] = v;
  }
  return createHash('sha256').update(stableJson(rest)).digest('hex');
}

/** One view per distinct backtest (the oldest record), carrying the ids of all its records. */
export function dedupeBacktests(views: BacktestView[], raw: (Obj | null)[]): BacktestView[] {
  const first = new Map<string, BacktestView>();
  const out: BacktestView[] = [];
  views.forEach((v, i) => {
    const key = v.error === null ? backtestContentKey(raw[i] ?? null) : null;
    const seen = key === null ? undefined : first.get(key);
    if (seen !== undefined) {
      seen.recorded.push(v.id);
      return;
    }
    if (key !== null) first.set(key, v);
    out.push(v);
  });
  return out;
}
