import { expandInputs, readBarsFile, type Bars, type ReadReport } from '../data/index.js';
import { UsageError } from '../errors.js';
import { hasMarketContext, marketContext, type ContextColumns } from '../features/index.js';
import { loadRunModel, type LoadedModel } from './load.js';
import { withHistory } from './history.js';
import { predictBars, type PredictionTable } from './predict.js';

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
  // Market context (when the model has it) is computed across every input, history included.
  const spec = model.run.features;
  const context = hasMarketContext(spec)
    ? marketContext(batches.map((x) => ({ symbol: x.symbol, bars: withHistory(x.batch.bars, x.h?.bars).bars })), spec)
    : null;
  const results = batches.map(({ symbol, batch, h }, i): SymbolPrediction => {
    const table = predictBars(batch.bars, spec, model.model, {
      minConfidence: o.minConfidence,
      modelVersion: model.version,
      intervalMs: model.run.data.intervalMs > 0 ? model.run.data.intervalMs : batch.report.intervalMs,
      ...(h === undefined ? {} : { history: h.bars }),
      ...(model.run.symbolFeature === undefined ? {} : { symbolEncoding: model.run.symbolFeature }),
      ...(context === null ? {} : { context: context[i] as ContextColumns }),
    });
    return { symbol, table, data: batch.report, history: h?.report ?? null };
  });
  return { model, results, unusedHistory: [...hist.keys()].filter((s) => !seen.has(s)) };
}
