import { isoUtc, readBarsFile } from '../data/index.js';
import { makeSymbolEncoding, pooledRows, type PooledRows, type Series } from '../dataset/index.js';
import { UsageError } from '../errors.js';
import { computeFeaturesMany, withMarketContext, type FeatureFrame, type FeatureSpec } from '../features/index.js';
import { fitThresholds, forwardReturns, labelBars, N_CLASSES, type LabelSpec } from '../labels/index.js';
import { fitModel, loadModel, resolveModelParams, withFitMemo } from '../models/index.js';
import { calibrationReport, type CalibrationReport } from '../train/index.js';
import { makeRunId, openRegistry, writeRun, type RunRecord } from '../registry/index.js';
import type { Clock } from '../util/clock.js';
import { sha256, writeJsonAtomic } from '../util/fs-atomic.js';
import { encodeModelState, stateToJson } from '../util/model-artifact.js';
import { Rng } from '../util/rng.js';
import { compareCandidates, fitCost, fitGroups, groupUnits, ungroupResults, RANK_METRICS, type Candidate, type CandidateResult, type CompareDeps, type CompareResult, type RankMetric } from './compare.js';
import { derivedKey, type SourceReads, type UnitSource } from './source.js';
import type { Unit } from '../exec/index.js';
import { resolve } from 'node:path';
import type { WalkForwardConfig } from './folds.js';

export interface ComparisonOptions {
  /** One CSV, or several symbols' CSVs pooled into one model. */
  paths: string[];
  tz?: string;
  symbol?: string;
  symbolEncoding?: 'none' | 'ordinal' | 'onehot';
  features: FeatureSpec;
  /** Add the market-context features (basket = the input symbols); pooled inputs only. */
  marketContext?: boolean;
  /** Threshold schemes to try; with several, the one whose best candidate has the largest edge over its best baseline wins. */
  labels: LabelSpec[];
  candidates: Candidate[];
  cv: WalkForwardConfig;
  metric: RankMetric;
  bootstrap: { resamples: number; blockSessions: number };
  seed: number;
  registry: string;
  command: string;
  mmVersion: string;
  tags?: Record<string, string>;
}

export type ComparisonDeps = CompareDeps;

export interface SchemeChoice {
  scheme: string;
  labels: LabelSpec;
  bestCandidate: string | null;
  /** Best candidate's mean metric minus the best baseline's, in the metric's better direction. */
  edge: number | null;
  chosen: boolean;
}

export interface ComparisonResult extends CompareResult {
  comparisonId: string;
  /** One row per threshold scheme tried (label definitions differ, so raw scores are not comparable across them; edges over the baselines are). */
  schemes: SchemeChoice[];
  /** Run id recorded for each candidate (its model refitted on all usable bars). */
  runs: Record<string, string>;
}

/**
 * `mm compare`: walk-forward comparison, then one run per candidate (the model refitted on every
 * usable bar, its metrics the out-of-fold ones) and a comparison record under
 * `<registry>/comparisons/`. Runs from one comparison share data, labels and folds, so the
 * promotion gate compares them on their recorded metrics.
 */
export async function runComparison(o: ComparisonOptions, deps: ComparisonDeps): Promise<ComparisonResult> {
  const readOpts: { tz?: string; symbol?: string; minRows: number } = { minRows: o.features.window + Math.max(...o.labels.map((l) => l.horizon)) + 10 };
  if (o.tz !== undefined) readOpts.tz = o.tz;
  if (o.symbol !== undefined && o.paths.length === 1) readOpts.symbol = o.symbol;
  const reads = o.paths.map((p, i) => {
    if (o.paths.length > 1) deps.onUnit?.(i, o.paths.length, `reading ${p}`);
    return readBarsFile(p, readOpts);
  });
  const source: UnitSource = { inputs: reads.map((r, i) => ({ path: resolve(o.paths[i] as string), sha256: r.report.sha256 })), read: readOpts };
  const symbols = reads.map((r, i) => r.bars.symbol ?? `#${i}`);
  const dup = symbols.find((x, i) => symbols.indexOf(x) !== i);
  if (dup !== undefined) throw new UsageError(`two inputs give the symbol ${dup}`, { hint: 'pass each symbol once' });
  const enc = makeSymbolEncoding(reads.length > 1 ? (o.symbolEncoding ?? 'ordinal') : 'none', symbols);
  const features = o.marketContext === true ? withMarketContext(o.features, symbols) : o.features;
  if (o.labels.length === 0) throw new UsageError('no threshold scheme to compare');
  // One threshold scheme (the default): the final refits' labels are known before the folds run, so
  // the refits join the folds' batch and a pool never waits for the last fold before refitting.
  const early = o.labels.length === 1 && deps.executor !== undefined ? earlyRefits(o, reads, source, enc.kind, features, o.labels[0] as LabelSpec, deps) : null;
  const tried: CompareResult[] = [];
  for (const labels of o.labels) {
    deps.onProgress?.(`threshold scheme ${labels.scheme}`);
    tried.push(await compareCandidates(
      {
        series: reads, symbolEncoding: enc.kind, features, labels, candidates: o.candidates, cv: o.cv, seed: o.seed, metric: o.metric, bootstrap: o.bootstrap, source,
        ...(early === null ? {} : { extraUnits: early.units }),
      },
      deps,
    ));
  }
  const sign = RANK_METRICS[o.metric] === 'lower' ? -1 : 1;
  const edges = tried.map((r) => {
    const best = r.candidates.find((c) => !c.isBaseline);
    const base = r.candidates.find((c) => c.name === r.bestBaseline);
    const a = best?.summary[o.metric].mean;
    const b = base?.summary[o.metric].mean;
    return { best: best?.name ?? null, edge: a === undefined || b === undefined || a === null || b === null ? null : sign * (a - b) };
  });
  let pickIdx = 0;
  edges.forEach((e, i) => {
    if (e.edge !== null && (edges[pickIdx]?.edge === null || e.edge > (edges[pickIdx]?.edge as number))) pickIdx = i;
  });
  const result = tried[pickIdx] as CompareResult;
  const schemes: SchemeChoice[] = tried.map((r, i) => ({ scheme: r.labels.scheme, labels: r.labels, bestCandidate: edges[i]?.best ?? null, edge: edges[i]?.edge ?? null, chosen: i === pickIdx }));
  const chosenLabels = result.labels;
  // Final models: thresholds and fit on every usable bar of every symbol; their quality is what the folds measured.
  const refit = early?.refit ?? prepareRefit(reads, enc.kind, features, chosenLabels);
  const { labels } = refit;
  const createdAt = deps.clock.now();
  const base = result.candidates.filter((c) => c.isBaseline);
  const split = { ...o.cv, foldRanges: result.folds, schemes: schemes.map((x) => ({ scheme: x.scheme, edge: x.edge, chosen: x.chosen })) };
  const runs: Record<string, string> = {};
  const finalists = result.candidates.filter((cand) => !cand.isBaseline);
  let models: RefitResult[];
  if (early !== null && result.extraResults !== undefined) {
    const byCandidate = ungroupResults(result.extraResults, early.at);
    models = finalists.map((cand) => checkedRefit(byCandidate[o.candidates.findIndex((k) => (k.name ?? k.kind) === cand.name)], cand.name));
  } else {
    models = await runRefits(o, source, enc.kind, features, chosenLabels, refit, finalists, deps);
  }
  for (const [ci, cand] of finalists.entries()) {
    const { modelJson: refitJson, calibration } = models[ci] as RefitResult;
    // Refits travel between processes as plain JSON; stored like every run (header + binary node arrays).
    const artifact = encodeModelState(loadModel(JSON.parse(refitJson), `${cand.name} refit`).toJSON());
    const modelJson = artifact.json;
    const metrics: Record<string, unknown> = {
      model: cand.pooled,
      ...Object.fromEntries(base.map((b) => [b.name, b.pooled])),
      evaluation: 'walk-forward out-of-fold',
      folds: cand.folds.map((f) => ({
        fold: f.fold, testFrom: f.testFrom, testTo: f.testTo, macroF1: f.metrics.macroF1, logLoss: f.metrics.logLoss, brier: f.metrics.brier, ece: f.metrics.ece,
        balancedAccuracy: f.metrics.balancedAccuracy, accuracy: f.metrics.accuracy,
      })),
      summary: cand.summary,
      rankMetric: result.metric,
      bestBaseline: result.bestBaseline,
      vsBestBaseline: cand.vsBestBaseline,
      verdict: cand.verdict,
      beatsBaselines: cand.beatsBaselines,
      uncalibrated: cand.uncalibrated,
      rank: cand.rank,
    };
    const body = {
      schemaVersion: 1,
      mmVersion: o.mmVersion,
      command: o.command,
      seed: o.seed,
      data: {
        paths: o.paths,
        sha256: reads.map((r) => r.report.sha256),
        symbols: reads.flatMap((r) => (r.bars.symbol === null ? [] : [r.bars.symbol])),
        rows: reads.reduce((a, r) => a + r.report.rows, 0),
        // The same ISO form as every other run record, so `mm runs diff` compares like with like.
        from: isoUtc(Math.min(...reads.map((r) => r.report.first))),
        to: isoUtc(Math.max(...reads.map((r) => r.report.last))),
        intervalMs: reads[0]?.report.intervalMs ?? 0,
      },
      features,
      labels,
      model: { kind: cand.kind, params: cand.params, file: 'model.json', sha256: sha256(modelJson) },
      split,
      ...(enc.kind === 'none' ? {} : { symbolFeature: enc }),
      metrics,
      ...(calibration === null ? {} : { calibration }),
      timings: { fitMsMean: cand.summary.fitMs.mean ?? 0 },
      tags: o.tags ?? {},
    };
    const hash = sha256(JSON.stringify({ ...body, timings: null }) + modelJson);
    const rec: RunRecord = { id: makeRunId(createdAt, cand.kind, hash), createdAt: createdAt.toISOString(), ...body };
    runs[cand.name] = writeRun(o.registry, rec, artifact).id;
  }
  const comparisonId = makeRunId(createdAt, 'compare', sha256(JSON.stringify(runs)));
  const p = openRegistry(o.registry, { create: true });
  // Each candidate's ROC/PR curves are in its run.json; the comparison record keeps the numbers.
  const candidates = result.candidates.map(({ pooled: { curves: _curves, ...pooled }, ...c }) => ({ ...c, pooled }));
  writeJsonAtomic(`${p.root}/comparisons/${comparisonId}.json`, { id: comparisonId, createdAt: createdAt.toISOString(), command: o.command, runs, schemes, ...result, candidates });
  return { ...result, comparisonId, runs, schemes };
}

/** All rows of every symbol, labelled with thresholds fitted on all of them: what the recorded models are fitted on. */
export interface RefitData {
  labels: LabelSpec;
  rows: PooledRows;
  /** Each row's bar time (calibrated models cut their inner folds on it). */
  time: Float64Array;
}

/** A refitted model: its model.json text and, for calibrated models, the calibration diagnostics of its inner folds. */
export interface RefitResult {
  modelJson: string;
  calibration: CalibrationReport | null;
}

/** The final fit's rows and thresholds, built the same way by the coordinator and by any unit. */
export function prepareRefit(reads: SourceReads, symbolEncoding: 'none' | 'ordinal' | 'onehot', features: FeatureSpec, chosenLabels: LabelSpec): RefitData {
  const symbols = reads.map((r, i) => r.bars.symbol ?? `#${i}`);
  const enc = makeSymbolEncoding(reads.length > 1 ? symbolEncoding : 'none', symbols);
  const h = chosenLabels.horizon;
  const frames = computeFeaturesMany(reads.map((r) => ({ symbol: r.bars.symbol, bars: r.bars })), features);
  const series: Series[] = reads.map((r, i) => {
    const frame = frames[i] as FeatureFrame;
    return { symbol: r.bars.symbol, bars: r.bars, frame, first: Math.max(frame.warmup, chosenLabels.scheme === 'vol' ? chosenLabels.window : 0) };
  });
  const ranges = series.map((x) => ({ start: x.first, end: Math.max(x.first, x.bars.n - h) }));
  const fwdAll: number[] = [];
  series.forEach((x, i) => {
    const f = forwardReturns(x.bars.close, h);
    const r = ranges[i] as { start: number; end: number };
    for (let t = r.start; t < r.end; t++) fwdAll.push(f[t] as number);
  });
  const labels = fitThresholds(chosenLabels, Float64Array.from(fwdAll));
  const rows = pooledRows(series, series.map((x) => labelBars(x.bars.close, labels)), ranges, enc);
  const time = Float64Array.from(rows.index, (t, k) => (series[rows.series[k] as number] as Series).bars.time[t] as number);
  return { labels, rows, time };
}

/** Parameters of a 'compare.refit' unit: one candidate refitted on all rows; its result is the model.json text. */
export interface RefitUnitParams {
  source: UnitSource;
  symbolEncoding: 'none' | 'ordinal' | 'onehot';
  features: FeatureSpec;
  labels: LabelSpec;
  kind: string;
  params: Record<string, unknown>;
  seed: number;
}

export function refitKey(p: Pick<RefitUnitParams, 'source' | 'symbolEncoding' | 'features' | 'labels'>): string {
  return derivedKey('compare-refit', p.source, [p.symbolEncoding, p.features, p.labels]);
}

/** Fit one model on the refit rows; the model.json text (the same bytes for the same seed anywhere). */
export async function fitRefit(d: RefitData, kind: string, params: Record<string, unknown>, seed: number): Promise<RefitResult> {
  const input = { columns: d.rows.columns, n: d.rows.n, y: d.rows.y, nClasses: N_CLASSES, time: d.time, horizon: d.labels.horizon };
  const model = await fitModel(kind, input, params, new Rng(seed));
  return { modelJson: stateToJson(model.toJSON()), calibration: calibrationReport(model) };
}

async function runRefits(
  o: ComparisonOptions,
  source: UnitSource,
  symbolEncoding: 'none' | 'ordinal' | 'onehot',
  features: FeatureSpec,
  chosenLabels: LabelSpec,
  refit: RefitData,
  finalists: CandidateResult[],
  deps: ComparisonDeps,
): Promise<RefitResult[]> {
  const ex = deps.executor;
  const groups = fitGroups(finalists.map((c) => c.kind), finalists.map((c) => c.params));
  if (ex === undefined) {
    const out: RefitResult[] = new Array(finalists.length);
    let done = 0;
    for (const g of groups) {
      await withFitMemo(async () => {
        for (const i of g) {
          const cand = finalists[i] as CandidateResult;
          deps.onProgress?.(`refitting ${cand.kind} on all ${refit.rows.n} rows`);
          out[i] = await fitRefit(refit, cand.kind, cand.params, o.seed);
          deps.onUnit?.(++done, finalists.length, `${cand.name} on all rows`);
        }
      });
    }
    return out;
  }
  const base = { source, symbolEncoding, features, labels: chosenLabels };
  ex.cache?.set(refitKey(base), refit);
  const items: Unit[] = finalists.map((cand) => ({
    kind: 'compare.refit',
    params: { ...base, kind: cand.kind, params: cand.params, seed: o.seed } satisfies RefitUnitParams,
    label: `${cand.name} on all ${refit.rows.n} rows`,
    cost: fitCost(cand.kind, cand.params, refit.rows.n),
  }));
  const { units, at } = groupUnits(items, groups, 'compare.refit', `on all ${refit.rows.n} rows`);
  const out = ungroupResults((await ex.run(units, deps.onUnit)) as unknown[], at);
  return out.map((m, i) => checkedRefit(m, finalists[i]?.name ?? String(i)));
}

function checkedRefit(m: unknown, name: string): RefitResult {
  if (typeof (m as RefitResult | null | undefined)?.modelJson !== 'string') throw new Error(`refit of ${name} returned no model`);
  return m as RefitResult;
}

/** Refit units of every candidate on all rows labelled by `labels` (the only scheme), in candidate order. */
function earlyRefits(
  o: ComparisonOptions,
  reads: SourceReads,
  source: UnitSource,
  symbolEncoding: 'none' | 'ordinal' | 'onehot',
  features: FeatureSpec,
  labels: LabelSpec,
  deps: ComparisonDeps,
): { refit: RefitData; units: Unit[]; at: [number, number][] } {
  const refit = prepareRefit(reads, symbolEncoding, features, labels);
  const base = { source, symbolEncoding, features, labels };
  deps.executor?.cache?.set(refitKey(base), refit);
  const resolved = o.candidates.map((cand) => resolveModelParams(cand.kind, cand.params));
  const items: Unit[] = o.candidates.map((cand, ci) => {
    const params = resolved[ci] as Record<string, unknown>;
    return {
      kind: 'compare.refit',
      params: { ...base, kind: cand.kind, params, seed: o.seed } satisfies RefitUnitParams,
      label: `${cand.name ?? cand.kind} on all ${refit.rows.n} rows`,
      cost: fitCost(cand.kind, params, refit.rows.n),
    };
  });
  const { units, at } = groupUnits(items, fitGroups(o.candidates.map((c) => c.kind), resolved), 'compare.refit', `on all ${refit.rows.n} rows`);
  return { refit, units, at };
}
