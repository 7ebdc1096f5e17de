import { writePredictionCsv } from '../predict/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/fs-atomic.js';
import { pathInside } from '../util/safe-path.js';
import type { WssBatchResult } from './batch.js';
import { wssCsv } from './score.js';

function stripSeries<T extends { nextReturn: Float64Array }>(e: T): Omit<T, 'nextReturn'> {
  const { nextReturn: _drop, ...rest } = e;
  return rest;
}

/** What a WSS batch found, without the series: the summary.json of `mm wss --out` and the pipeline. */
export function wssSummary(r: WssBatchResult): Record<string, unknown> {
  return {
    model: { runId: r.predictions.model.run.id, alias: r.predictions.model.alias },
    weights: {
      source: r.weights.source,
      pointInTime: r.weights.pointInTime,
      snapshots: r.wss.snapshots.map((u, i) => ({ ...u, column: r.weights.snapshots[i]?.column, symbols: r.weights.snapshots[i]?.weights.size })),
      ignored: r.weights.ignored,
      hoursWithoutSnapshot: r.wss.noSnapshot,
    },
    options: r.wss.options,
    hours: r.wss.n,
    counts: r.counts,
    baseline: { counts: r.baseline.counts },
    unweighted: r.wss.unweighted,
    missingData: r.wss.missingData,
    flaggedLowCoverage: r.wss.flaggedLowCoverage,
    evaluation: r.evaluation === null ? null : {
      model: stripSeries(r.evaluation.model),
      baseline: stripSeries(r.evaluation.baseline),
      trade: r.evaluation.trade,
      sweep: r.evaluation.sweep,
    },
  };
}

/**
 * Write a WSS batch to `dir`: `<SYMBOL>.csv` prediction tables, `wss.csv` (the hourly series and
 * signals), `wss_persistence.csv` (the baseline's vote) and `summary.json`. Each file is atomic.
 * @returns the file names written.
 */
export function writeWssOutputs(dir: string, r: WssBatchResult): string[] {
  const files: string[] = [];
  const put = (name: string, text: string): void => {
    writeFileAtomic(pathInside(dir, name), text);
    files.push(name);
  };
  for (const p of r.predictions.results) {
    writePredictionCsv(pathInside(dir, `${p.symbol}.csv`), p.table);
    files.push(`${p.symbol}.csv`);
  }
  put('wss.csv', wssCsv(r.wss));
  put('wss_persistence.csv', wssCsv(r.baseline.wss));
  writeJsonAtomic(pathInside(dir, 'summary.json'), wssSummary(r));
  files.push('summary.json');
  return files;
}
