import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runComparison, type RankMetric } from '../compare/index.js';
import { expandInputs } from '../data/index.js';
import { runDrift } from '../drift/index.js';
import { AppError, CheckFailedError, ConflictError, UsageError } from '../errors.js';
import { defaultFeatureSpec } from '../features/index.js';
import { makeLabelSpec } from '../labels/index.js';
import { MODEL_KINDS, type ModelKind } from '../models/index.js';
import { predictManyOn, writePredictionCsv } from '../predict/index.js';
import type { Executor } from '../exec/index.js';
import { parseGateMetric, promote } from '../promote/index.js';
import { acquireLock, makeRunId, openRegistry } from '../registry/index.js';
import type { Clock } from '../util/clock.js';
import { sha256, writeFileAtomic, writeJsonAtomic } from '../util/fs-atomic.js';
import { pathInside } from '../util/safe-path.js';
import { recordWss, runWssBatch, signalName, writeWssOutputs } from '../wss/index.js';
import type { PipelineConfig } from './config.js';
import { ingest } from './ingest.js';

export interface StepRecord {
  step: 'ingest' | 'compare' | 'gate' | 'predict' | 'drift';
  /** rejected: the gate kept the champion; warning: drift found without failOnDrift. */
  status: 'ok' | 'skipped' | 'rejected' | 'warning' | 'failed';
  ms: number;
  details: unknown;
}

export interface PipelineResult {
  id: string;
  status: 'ok' | 'up-to-date' | 'failed';
  exitCode: number;
  fingerprint: string;
  steps: StepRecord[];
  error: { code: string; message: string } | null;
}

export interface PipelineOptions {
  config: PipelineConfig;
  configText: string;
  registry: string;
  /** Seconds to wait for another pipeline holding the lock (0 = fail at once with exit 5). */
  waitSeconds: number;
  clock: Clock;
  mmVersion: string;
  /** Plain log lines (the command sends them to stderr). */
  log: (line: string) => void;
  /** Long work inside a step (compare's fits): a stage label, or counts of units done (the command draws a bar). */
  onProgress?: (label: string, done?: number, total?: number) => void;
  /** Builds the executor the config's `queue` / `threads` ask for (default: everything in this process). */
  executor?: (e: { queue: string | null; threads: number | null }) => Promise<Executor>;
}

/**
 * Hash of the config and of every file the steps read (the data directory, the files to predict,
 * the weights and index, the drift sample): the same inputs give the same fingerprint.
 */
function fingerprint(c: PipelineConfig, configText: string): string {
  const data = existsSync(c.data) ? readdirSync(c.data).filter((f) => f.endsWith('.csv')).sort().map((f) => join(c.data, f)) : [];
  const p = c.predict;
  const extra = [...(p === null ? [] : [...expandInputs(p.input), ...[p.weights, p.index].filter((x): x is string => x !== null)]), ...(c.drift === null ? [] : [c.drift.current])];
  return sha256(JSON.stringify([configText, [...data, ...extra].map((f) => [f, existsSync(f) ? sha256(readFileSync(f)) : null])]));
}

function lastSuccess(root: string): string | null {
  const dir = join(root, 'pipelines');
  if (!existsSync(dir)) return null;
  const ok = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().reverse();
  for (const f of ok) {
    try {
      const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { status?: string; fingerprint?: string };
      if (r.status === 'ok') return r.fingerprint ?? null;
    } catch {
      // A damaged record never counts as a success.
    }
  }
  return null;
}

/**
 * The cron flow: ingest → compare → gate/promote → predict → drift, under one pipeline lock. Each
 * step's outcome is recorded in `<registry>/pipelines/<id>.json`; a failing step stops the flow
 * with its exit code. Artefacts are consistent after a failure or a kill: runs and data files are
 * written atomically, the alias moves atomically under the registry lock. When the data files and
 * the config are unchanged since the last successful pipeline, nothing is redone ("up-to-date").
 * @throws ConflictError (exit 5) when another pipeline holds the lock past `waitSeconds`.
 */
export async function runPipeline(o: PipelineOptions): Promise<PipelineResult> {
  const reg = openRegistry(o.registry, { create: true });
  const lockPath = join(reg.root, 'pipeline.lock');
  const lock = (timeoutMs: number): (() => void) => acquireLock(lockPath, { clock: o.clock, timeoutMs, pollMs: 100 }, 'the pipeline lock');
  let release: () => void;
  try {
    release = lock(0);
  } catch (e) {
    if (!(e instanceof ConflictError) || o.waitSeconds <= 0) throw e;
    o.log(`waiting up to ${o.waitSeconds} s: ${e.message}`);
    release = lock(o.waitSeconds * 1000);
  }
  const steps: StepRecord[] = [];
  const c = o.config;
  let error: PipelineResult['error'] = null;
  let exitCode = 0;
  let status: PipelineResult['status'] = 'ok';
  const createdAt = o.clock.now();
  let fp = '';
  let executor: Executor | undefined;
  const step = async (name: StepRecord['step'], fn: () => Promise<{ status?: StepRecord['status']; details: unknown }> | { status?: StepRecord['status']; details: unknown }): Promise<void> => {
    const t0 = o.clock.elapsed();
    o.log(`${name}: start`);
    try {
      const r = await fn();
      steps.push({ step: name, status: r.status ?? 'ok', ms: Math.round(o.clock.elapsed() - t0), details: r.details });
      o.log(`${name}: ${r.status ?? 'ok'}`);
    } catch (e) {
      steps.push({ step: name, status: 'failed', ms: Math.round(o.clock.elapsed() - t0), details: null });
      o.log(`${name}: failed: ${(e as Error).message}`);
      throw e;
    }
  };
  try {
    if (c.ingest !== null) {
      const from = c.ingest.from;
      await step('ingest', () => ({ details: ingest(from, c.data) }));
    }
    fp = fingerprint(c, o.configText);
    if (lastSuccess(reg.root) === fp) {
      status = 'up-to-date';
      o.log('nothing changed since the last successful pipeline: up to date');
    } else {
      executor = o.executor === undefined ? undefined : await o.executor({ queue: c.queue, threads: c.threads });
      let best: string | null = null;
      let bestBeatsBaselines = false;
      await step('compare', async () => {
        const kinds = c.compare.models.map((k) => {
          if (!(MODEL_KINDS as readonly string[]).includes(k)) throw new UsageError(`pipeline config: unknown model kind "${k}"`);
          return k as ModelKind;
        });
        const r = await runComparison({
          paths: expandInputs([c.data]),
          features: defaultFeatureSpec(c.compare.window),
          labels: [makeLabelSpec({ scheme: c.compare.scheme })],
          candidates: kinds.map((kind) => ({
            kind,
            params: { ...(c.compare.calibrate === null ? {} : { calibrate: c.compare.calibrate }), ...((c.compare.params[kind] as Record<string, unknown> | undefined) ?? {}) },
          })),
          cv: { kind: 'walk-forward', folds: c.compare.folds, mode: 'expanding', purge: 1, embargo: 1, trainSize: null },
          metric: parseGateMetric(c.gate.metric) as RankMetric,
          bootstrap: { resamples: 500, blockSessions: 1 },
          symbolEncoding: c.compare.symbolFeature as 'none' | 'ordinal' | 'onehot',
          marketContext: c.compare.marketContext,
          seed: c.compare.seed,
          registry: o.registry,
          command: 'mm pipeline',
          mmVersion: o.mmVersion,
          tags: { pipeline: 'yes' },
        }, {
          clock: o.clock,
          ...(executor === undefined ? {} : { executor }),
          ...(o.onProgress === undefined ? {} : { onProgress: o.onProgress, onUnit: (done: number, total: number, label: string) => o.onProgress?.(label, done, total) }),
        });
        const top = r.candidates.find((x) => !x.isBaseline);
        best = top === undefined ? null : (r.runs[top.name] ?? null);
        bestBeatsBaselines = top?.beatsBaselines === true;
        if (top !== undefined && !bestBeatsBaselines) o.log(`compare: the best model (${top.name}) does not beat both naive baselines`);
        return { details: { comparisonId: r.comparisonId, best, ranking: r.candidates.map((x) => ({ name: x.name, rank: x.rank, macroF1: x.summary.macroF1.mean, beatsBaselines: x.beatsBaselines })) } };
      });
      await step('gate', async () => {
        if (best === null) return { status: 'skipped', details: 'no candidate' };
        if (c.gate.requireBaselines && !bestBeatsBaselines) {
          const reason = `${best} does not beat both naive baselines (gate.requireBaselines)`;
          if (c.gate.failOnReject) throw new CheckFailedError(reason);
          return { status: 'rejected', details: { promoted: false, reason, beatsBaselines: false } };
        }
        try {
          const r = await promote({ registry: o.registry, ref: best, alias: c.gate.alias, metric: parseGateMetric(c.gate.metric), minDelta: c.gate.minDelta, minRelDelta: c.gate.minRelDelta, force: false, clock: o.clock, lockTimeoutMs: 10_000 });
          return { details: { promoted: true, from: r.from, to: r.to, beatsBaselines: bestBeatsBaselines, gate: r.gate } };
        } catch (e) {
          if (!(e instanceof CheckFailedError) || c.gate.failOnReject) throw e;
          // The champion stays: a normal outcome for a scheduled run.
          return { status: 'rejected', details: { promoted: false, reason: e.message, beatsBaselines: bestBeatsBaselines, ...(e.details as object) } };
        }
      });
      const pr = c.predict;
      if (pr !== null) {
        await step('predict', async () => {
          if (pr.weights !== null) {
            const w = await runWssBatch({ inputs: pr.input, weightsPath: pr.weights, registry: o.registry, ref: c.gate.alias, minConfidence: pr.minConfidence, use: 'action', buy: 0.5, sell: -0.5, minCoverage: 0, history: [c.data], ...(pr.index === null ? {} : { indexPath: pr.index }) }, executor === undefined ? {} : { executor });
            const files = writeWssOutputs(pr.out, w);
            const rec = recordWss(o.registry, w, { createdAt: o.clock.now(), command: 'mm pipeline', mmVersion: o.mmVersion });
            const ev = w.evaluation;
            return {
              details: {
                model: w.predictions.model.run.id,
                record: rec.id,
                hours: w.wss.n,
                counts: w.counts,
                last: w.wss.n === 0 ? null : { timestamp: new Date(w.wss.times[w.wss.n - 1] as number).toISOString(), wss: w.wss.wss[w.wss.n - 1], signal: signalName(w.wss.signal[w.wss.n - 1] as number) },
                index: ev === null ? null : { modelReturn: ev.trade.model.stats.totalReturn, persistenceReturn: ev.trade.baseline.stats.totalReturn, buyHoldReturn: ev.trade.model.stats.benchmark.totalReturn },
                files,
              },
            };
          }
          const p = await predictManyOn({ inputs: pr.input, registry: o.registry, ref: c.gate.alias, minConfidence: pr.minConfidence, history: [c.data] }, executor);
          for (const x of p.results) writePredictionCsv(pathInside(pr.out, `${x.symbol}.csv`), x.table);
          return { details: { model: p.model.run.id, tables: p.results.map((x) => ({ symbol: x.symbol, rows: x.table.n })) } };
        });
      }
      const dr = c.drift;
      if (dr !== null) {
        await step('drift', () => {
          // The champion's training rows are the reference; the current file is what it now predicts.
          const r = runDrift({ reference: c.gate.alias, current: dr.current, registry: o.registry, model: c.gate.alias });
          const details = { drifted: r.report.drifted, nDrifted: r.report.nDrifted, nColumns: r.report.nColumns, columns: r.report.columns.filter((x) => x.drifted).map((x) => x.name) };
          if (r.report.drifted && dr.failOnDrift) throw new CheckFailedError(`data drift: ${details.nDrifted} of ${details.nColumns} columns`, { details });
          return { status: r.report.drifted ? 'warning' : 'ok', details };
        });
      }
    }
  } catch (e) {
    status = 'failed';
    exitCode = e instanceof AppError ? e.exitCode : 1;
    error = { code: e instanceof AppError ? e.code : 'INTERNAL', message: (e as Error).message };
  }
  await executor?.close();
  try {
    // Recorded before the lock is released, so a pipeline waiting on it sees this outcome.
    const id = makeRunId(createdAt, 'pipeline', sha256(JSON.stringify(steps) + fp));
    const result: PipelineResult = { id, status, exitCode, fingerprint: fp, steps, error };
    writeJsonAtomic(join(reg.root, 'pipelines', `${id}.json`), { ...result, createdAt: createdAt.toISOString(), mmVersion: o.mmVersion });
    return result;
  } finally {
    release();
  }
}
