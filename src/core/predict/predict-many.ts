import { expandInputs, readBarsFile, type Bars, type ReadReport } from '../data/index.js';
import { UsageError } from '../errors.js';
import { hasMarketContext, marketContext, type ContextColumns } from '../features/index.js';
import { loadRunModel, type LoadedModel } from './load.js';
import { withHistory } from './history.js';
import { predictBars, type PredictionTable } from './predict.js';
import { resolve } from 'node:path';
import type { Executor, Unit, UnitProgress } from '../exec/index.js';
import type { UnitSource } from '../compare/index.js';

export interface PredictManyOptions {
  inputs: string[];
  registry: string;
  ref: string;
  minConfidence: number;
  /** Earlier bars: files, a directory or a glob; matched to the batch by symbol. */
  history?: string[];
  tz?: string;
}

export interface SymbolPrediction {
  symbol: string;
  table: PredictionTable;
  data: ReadReport;
  history: ReadReport | null;
}

export interface PredictManyResult {
  model: LoadedModel;
  results: SymbolPrediction[];
  /** History files whose symbol is not in the batch. */
  unusedHistory: string[];
}

/**
 * Batch prediction for several symbols with one model: one table per input file, each with its
 * symbol's history when given.
 * @throws UsageError for two inputs of one symbol; NotFoundError / DataError as the single-file path.
 */
export function predictMany(o: PredictManyOptions): PredictManyResult {
  const plan = planMany(o);
  const { model, batches } = plan;
  // Market context (when the model has it) is computed across every input, history included.
  const spec = model.run.features;
  const context = hasMarketContext(spec)
    ? marketContext(batches.map((x) => ({ symbol: x.symbol, bars: withHistory(x.batch.bars, x.h?.bars).bars })), spec)
    : null;
  const results = batches.map(({ symbol, batch, h }, i): SymbolPrediction => {
    const table = predictBars(batch.bars, spec, model.model, {
      ...tableOptions(o, model, batch.report),
      ...(h === undefined ? {} : { history: h.bars }),
      ...(model.run.symbolFeature === undefined ? {} : { symbolEncoding: model.run.symbolFeature }),
      ...(context === null ? {} : { context: context[i] as ContextColumns }),
    });
    return { symbol, table, data: batch.report, history: h?.report ?? null };
  });
  return { model, results, unusedHistory: plan.unusedHistory };
}

function tableOptions(o: PredictManyOptions, model: LoadedModel, report: ReadReport): { minConfidence: number; modelVersion: string; intervalMs: number } {
  return { minConfidence: o.minConfidence, modelVersion: model.version, intervalMs: model.run.data.intervalMs > 0 ? model.run.data.intervalMs : report.intervalMs };
}

/**
 * predictMany with one unit per symbol on an executor (threads or queue workers): the same tables.
 * A model with market-context features needs every symbol at once and is scored here.
 */
export async function predictManyOn(o: PredictManyOptions, executor: Executor | undefined, onUnit?: UnitProgress): Promise<PredictManyResult> {
  if (executor === undefined || executor.kind === 'local') return predictMany(o);
  const plan = planMany(o);
  const { model, batches } = plan;
  if (hasMarketContext(model.run.features)) return predictMany(o);
  const tz = o.tz === undefined ? {} : { tz: o.tz };
  // the coordinator's reads above already enforced the warm-up length
  const src = (r: { report: ReadReport }): UnitSource => ({ inputs: [{ path: resolve(r.report.source), sha256: r.report.sha256 }], read: { ...tz, minRows: 1 } });
  const units: Unit[] = batches.map(({ symbol, batch, h }) => ({
    kind: 'predict.file',
    label: symbol,
    params: {
      batch: src(batch),
      history: h === undefined ? null : src(h),
      runId: model.run.id,
      modelSha256: model.run.model.sha256,
      ...tableOptions(o, model, batch.report),
    },
  }));
  const tables = (await executor.run(units, onUnit)) as PredictionTable[];
  const results = batches.map(({ symbol, batch, h }, i): SymbolPrediction => ({ symbol, table: tables[i] as PredictionTable, data: batch.report, history: h?.report ?? null }));
  return { model, results, unusedHistory: plan.unusedHistory };
}

/** Load the model, read history and batches, refuse two inputs of one symbol. */
function planMany(o: PredictManyOptions): { model: LoadedModel; batches: { symbol: string; batch: { bars: Bars; report: ReadReport }; h: { bars: Bars; report: ReadReport } | undefined }[]; unusedHistory: string[] } {
  if (!(o.minConfidence >= 0 && o.minConfidence <= 1)) throw new UsageError(`--min-confidence must be between 0 and 1, got ${o.minConfidence}`);
  const model = loadRunModel(o.registry, o.ref);
  const tz = o.tz === undefined ? {} : { tz: o.tz };
  const hist = new Map<string, { bars: Bars; report: ReadReport }>();
  for (const p of o.history === undefined ? [] : expandInputs(o.history)) {
    const r = readBarsFile(p, { ...tz, minRows: 1 });
    hist.set(r.bars.symbol ?? p, r);
  }
  const seen = new Set<string>();
  const batches = expandInputs(o.inputs).map((path) => {
    const batch = readBarsFile(path, { ...tz, ...(hist.size === 0 ? { minRows: model.run.features.window + 1 } : {}) });
    const symbol = batch.bars.symbol ?? path;
    if (seen.has(symbol)) throw new UsageError(`two inputs give the symbol ${symbol}`, { hint: 'pass one file per symbol' });
    seen.add(symbol);
    return { symbol, batch, h: hist.get(symbol) };
  });
  return { model, batches, unusedHistory: [...hist.keys()].filter((s) => !seen.has(s)) };
}
