import { existsSync, statSync } from 'node:fs';
import { isoUtc, readBarsFile, type Bars } from '../data/index.js';
import { AppError, DataError, NotFoundError } from '../errors.js';
import { computeFeatures, defaultFeatureSpec, hasMarketContext, marketContext, withoutMarketContext, type ContextColumns, type FeatureSpec } from '../features/index.js';
import { loadRunModel, predictBars, type LoadedModel } from '../predict/index.js';
import { readRun, resolveRef, type RunRecord } from '../registry/index.js';
import type { DriftOptions } from './options.js';
import { driftReport, type DriftReport } from './report.js';

/** The categorical column holding the model's predicted class (0 strong_sell … 4 strong_buy). */
export const PREDICTED_COLUMN = 'predicted_action';

export interface DriftRunOptions {
  /** A CSV file, or a run reference (run id, alias, `latest`) whose training rows are the reference. */
  reference: string;
  current: string;
  registry: string;
  /** Also compare the predicted-class mix of this model on both sides. */
  model?: string;
  tz?: string;
  /** Feature window when neither a reference run nor a model gives the spec. */
  window?: number;
  options?: Partial<DriftOptions>;
}

/** What one side of the comparison was made of. */
export interface DriftSide {
  kind: 'csv' | 'run';
  runId: string | null;
  paths: string[];
  sha256: string[];
  /** Bars in the compared range (feature rows are these minus the warm-up). */
  bars: number;
  from: string;
  to: string;
  /** Range of the predicted-class mix when it differs from the bars' (a run: its test rows); else null. */
  classMix: { from: string; to: string } | null;
}

export interface DriftResult {
  reference: DriftSide;
  current: DriftSide;
  features: FeatureSpec;
  model: { runId: string; alias: string | null } | null;
  report: DriftReport;
}

interface Side {
  info: DriftSide;
  /** Per file: the bars and the row range [lo, hi) compared. */
  parts: { bars: Bars; lo: number; hi: number }[];
  /**
   * Time range (epoch ms, inclusive) whose predictions form the class mix. For a run: its test
   * rows, because a model's predictions on its own training rows are in-sample (a forest nearly
   * reproduces the labels there) and would make any out-of-sample mix look drifted.
   */
  predict: { from: number; to: number };
}

const iso = isoUtc;

/**
 * `mm drift`: features (and optionally the model's predicted class) of a reference and a current
 * data set, compared column by column. A run as reference means its training rows: the files it
 * recorded are read again and must still have the recorded sha256, so the reference is exactly
 * what the model learnt from (no statistics are stored with runs). The predicted-class mix of a
 * run reference comes from its held-out test rows (out of sample, like the current data).
 * @throws NotFoundError for a reference that is neither a file nor a run, or a run's missing file.
 * @throws DataError when a run's training file changed, or for bad bars.
 * @throws UsageError for invalid thresholds.
 */
export function runDrift(o: DriftRunOptions): DriftResult {
  const tz = o.tz === undefined ? {} : { tz: o.tz };
  const run = isFile(o.reference) ? null : referenceRun(o.registry, o.reference);
  const loaded: LoadedModel | null = o.model === undefined ? null : loadRunModel(o.registry, o.model);
  // Market-context columns need the whole basket at each bar, which one current file lacks: the
  // per-symbol features are compared (and the class mix, which needs the basket, when asked for).
  const spec = withoutMarketContext(run?.features ?? loaded?.run.features ?? defaultFeatureSpec(o.window));
  const ref = run === null ? csvSide(o.reference, tz) : runSide(run, tz);
  const cur = csvSide(o.current, tz);
  const frame = (s: Side): { names: string[]; columns: Float64Array[] } => {
    const columns = spec.features.map(() => [] as number[]);
    const names = [...spec.features];
    for (const p of s.parts) {
      const f = computeFeatures(p.bars, spec);
      f.columns.forEach((col, c) => {
        const out = columns[c] as number[];
        for (let t = Math.max(p.lo, f.warmup); t < p.hi; t++) out.push(col[t] as number);
      });
    }
    const cols: Float64Array[] = columns.map((c) => Float64Array.from(c));
    if (loaded !== null) {
      names.push(PREDICTED_COLUMN);
      cols.push(predictedClasses(s, loaded));
    }
    return { names, columns: cols };
  };
  const report = driftReport(frame(ref), frame(cur), { ...(o.options ?? {}), categorical: [PREDICTED_COLUMN] });
  return { reference: ref.info, current: cur.info, features: spec, model: loaded === null ? null : { runId: loaded.run.id, alias: loaded.alias }, report };
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

function referenceRun(registry: string, ref: string): RunRecord {
  try {
    return readRun(registry, resolveRef(registry, ref).id);
  } catch (e) {
    if (e instanceof NotFoundError) {
      throw new NotFoundError(`--reference "${ref}" is neither a CSV file nor a run in ${registry}: ${e.message}`, {
        hint: 'pass a CSV path, or a run id, alias or "latest" (with --registry)',
      });
    }
    throw e;
  }
}

function csvSide(path: string, tz: { tz?: string }): Side {
  const { bars, report } = readBarsFile(path, tz);
  return {
    info: { kind: 'csv', runId: null, paths: [path], sha256: [report.sha256], bars: bars.n, from: iso(report.first), to: iso(report.last), classMix: null },
    parts: [{ bars, lo: 0, hi: bars.n }],
    predict: { from: -Infinity, to: Infinity },
  };
}

/** The run's training rows: its files (hash-checked), limited to the split's training range when recorded. */
function runSide(run: RunRecord, tz: { tz?: string }): Side {
  const split = run.split as { trainFrom?: unknown; trainTo?: unknown; testFrom?: unknown; testTo?: unknown };
  const from = typeof split.trainFrom === 'string' ? Date.parse(split.trainFrom) : Date.parse(run.data.from);
  const to = typeof split.trainTo === 'string' ? Date.parse(split.trainTo) : Date.parse(run.data.to);
  const parts = run.data.paths.map((path, i) => {
    if (!isFile(path)) {
      throw new NotFoundError(`run ${run.id} was trained on ${path}, which no longer exists`, {
        hint: 'restore the file (paths are relative to where the run was made), or pass the training CSV itself as --reference',
      });
    }
    let read;
    try {
      read = readBarsFile(path, tz);
    } catch (e) {
      if (e instanceof AppError) throw new DataError(`run ${run.id}: cannot read its training file again: ${e.message}`, { hint: e.hint ?? 'pass the CSV as --reference' });
      throw e;
    }
    if (read.report.sha256 !== run.data.sha256[i]) {
      throw new DataError(`run ${run.id}: its training file ${path} changed since the run (sha256 ${read.report.sha256.slice(0, 12)}… ≠ recorded ${(run.data.sha256[i] ?? '').slice(0, 12)}…)`, {
        hint: 'restore the original file, or pass a CSV as --reference to compare against other data',
      });
    }
    const t = read.bars.time;
    let lo = 0;
    while (lo < read.bars.n && (t[lo] as number) < from) lo++;
    let hi = lo;
    while (hi < read.bars.n && (t[hi] as number) <= to) hi++;
    return { bars: read.bars, lo, hi };
  });
  const bars = parts.reduce((s, p) => s + p.hi - p.lo, 0);
  const predict = typeof split.testFrom === 'string' && typeof split.testTo === 'string'
    ? { from: Date.parse(split.testFrom), to: Date.parse(split.testTo) } : { from, to };
  return {
    info: { kind: 'run', runId: run.id, paths: run.data.paths, sha256: run.data.sha256, bars, from: iso(from), to: iso(to), classMix: { from: iso(predict.from), to: iso(predict.to) } },
    parts,
    predict,
  };
}

/** The model's argmax class for every bar of the side's range that has a full warm-up window. */
function predictedClasses(s: Side, m: LoadedModel): Float64Array {
  const out: number[] = [];
  const context = hasMarketContext(m.run.features) ? marketContext(s.parts.map((p) => ({ symbol: p.bars.symbol, bars: p.bars })), m.run.features) : null;
  for (const [k, p] of s.parts.entries()) {
    const table = predictBars(p.bars, m.run.features, m.model, {
      ...(context === null ? {} : { context: context[k] as ContextColumns }),
      minConfidence: 0,
      modelVersion: m.version,
      intervalMs: m.run.data.intervalMs,
      ...(m.run.symbolFeature === undefined ? {} : { symbolEncoding: m.run.symbolFeature }),
    });
    for (let i = 0; i < table.n; i++) {
      const t = table.time[i] as number;
      if (t >= s.predict.from && t <= s.predict.to) out.push(table.action[i] as number);
    }
  }
  return Float64Array.from(out);
}
