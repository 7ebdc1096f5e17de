import { join } from 'node:path';
import { makeRunId, openRegistry } from '../registry/index.js';
import { evenIndices, finiteOrNull } from '../util/downsample.js';
import { sha256, writeJsonAtomic } from '../util/fs-atomic.js';
import type { WssBatchResult } from './batch.js';
import { wssSummary } from './output.js';
import { signalName, type WssResult } from './score.js';
import { isoUtc } from '../data/index.js';

/** Hours of the WSS series a record keeps (evenly spaced, the last included). */
export const WSS_SERIES_POINTS = 1000;

export interface WssRecordMeta {
  /** When the batch ran (passed in: core does not read the clock). */
  createdAt: Date;
  command: string;
  mmVersion: string;
}

/** The WSS series as a record stores it: at most WSS_SERIES_POINTS of its hours. */
export interface RecordedWss {
  /** Hours in the series; `time.length` of them are kept. */
  hours: number;
  time: string[];
  /** Null where no weighted symbol had a prediction. */
  wss: (number | null)[];
  signal: ('BUY' | 'SELL' | 'HOLD')[];
}

export interface WssRecord {
  id: string;
  createdAt: string;
  mmVersion: string;
  command: string;
  inputs: { symbol: string; path: string; sha256: string }[];
  /** What `mm wss --out` writes as summary.json: model, weights, options, signal counts, index evaluation. */
  summary: Record<string, unknown>;
  series: RecordedWss;
}

const iso = isoUtc;

/** Downsample a WSS series for a record. */
export function recordedWss(w: WssResult): RecordedWss {
  const idx = evenIndices(w.n, WSS_SERIES_POINTS);
  return {
    hours: w.n,
    time: Array.from(idx, (i) => iso(w.times[i] as number)),
    wss: Array.from(idx, (i) => finiteOrNull(w.wss[i] as number)),
    signal: Array.from(idx, (i) => signalName(w.signal[i] as number)),
  };
}

/**
 * Record a WSS batch under `<registry>/wss/<id>.json` (atomic write), as `mm backtest` records its
 * runs: the summary and the bounded series, so `mm report` can chart it. The id is a run id of kind
 * `wss` from the creation time and a hash of the content.
 * @returns the record id and the file written.
 * @throws ConflictError when the registry has another schema version.
 */
export function recordWss(registry: string, r: WssBatchResult, meta: WssRecordMeta): { id: string; path: string } {
  const body = {
    inputs: r.predictions.results.map((p) => ({ symbol: p.symbol, path: p.data.source, sha256: p.data.sha256 })),
    summary: wssSummary(r),
    series: recordedWss(r.wss),
  };
  const id = makeRunId(meta.createdAt, 'wss', sha256(JSON.stringify(body)));
  const record: WssRecord = { id, createdAt: meta.createdAt.toISOString(), mmVersion: meta.mmVersion, command: meta.command, ...body };
  const reg = openRegistry(registry, { create: true });
  const path = join(reg.root, 'wss', `${id}.json`);
  writeJsonAtomic(path, record);
  return { id, path };
}
