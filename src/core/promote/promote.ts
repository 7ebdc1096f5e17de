import { compareCandidates, type WalkForwardConfig } from '../compare/index.js';
import { readBarsFile } from '../data/index.js';
import { CheckFailedError, ConflictError, DataError } from '../errors.js';
import type { ModelKind } from '../models/index.js';
import type { Metrics } from '../evaluate/index.js';
import { loadRunModel } from '../predict/index.js';
import { readAliases, readRun, resolveRef, setAlias, validateAliasName, type AliasLogEntry, type RunRecord } from '../registry/index.js';
import { scoreOnRunSplit } from '../train/index.js';
import type { Clock } from '../util/clock.js';
import { judge, type GateResult, type GateRule } from './gate.js';

export interface PromoteOptions extends GateRule {
  registry: string;
  ref: string;
  alias: string;
  force: boolean;
  clock: Clock;
  lockTimeoutMs: number;
}

export interface PromoteResult {
  alias: string;
  from: string | null;
  to: string;
  forced: boolean;
  gate: GateResult;
  log: AliasLogEntry;
}

function recorded(r: RunRecord): Metrics | null {
  const m = (r.metrics as { model?: Metrics }).model;
  return m !== undefined && typeof m.macroF1 === 'number' ? m : null;
}

/** Two runs share an evaluation when they saw the same bytes, labels and test rows or folds. */
function sameEvaluation(a: RunRecord, b: RunRecord): boolean {
  const key = (r: RunRecord): string => {
    const s = r.split as { kind?: unknown; test?: unknown; foldRanges?: { test?: unknown }[] };
    return JSON.stringify([r.data.sha256, r.labels, s.kind, s.test ?? s.foldRanges?.map((f) => f.test)]);
  };
  return key(a) === key(b);
}

/**
 * A walk-forward challenger against a champion evaluated elsewhere: refit the champion's kind and
 * parameters inside the challenger's folds on the challenger's data, beside the challenger itself.
 * @throws DataError when the two use different feature specs (their rows would differ) or the data changed.
 */
async function refitOnFolds(challenger: RunRecord, champion: RunRecord, clock: Clock): Promise<[Metrics, Metrics]> {
  if (JSON.stringify(challenger.features) !== JSON.stringify(champion.features) || JSON.stringify(challenger.symbolFeature) !== JSON.stringify(champion.symbolFeature)) {
    throw new DataError(`${champion.id} uses another feature spec than ${challenger.id}, so they cannot be refitted on the same folds`, {
      hint: 'compare both with one `mm compare` run, or promote with --force',
    });
  }
  const reads = challenger.data.paths.map((path, i) => {
    const r = readBarsFile(path);
    if (r.report.sha256 !== challenger.data.sha256[i]) {
      throw new DataError(`${path} changed since run ${challenger.id} was recorded (sha256 differs)`, { hint: 'restore the file or rerun mm compare' });
    }
    return r;
  });
  const split = challenger.split as unknown as WalkForwardConfig;
  const cv: WalkForwardConfig = { kind: 'walk-forward', folds: split.folds, mode: split.mode, purge: split.purge, embargo: split.embargo, trainSize: split.trainSize };
  const r = await compareCandidates(
    {
      series: reads, symbolEncoding: challenger.symbolFeature?.kind ?? 'none', features: challenger.features, labels: challenger.labels, cv, seed: challenger.seed, metric: 'macroF1',
      bootstrap: { resamples: 200, blockSessions: 1 },
      candidates: [
        { name: 'challenger', kind: challenger.model.kind as ModelKind, params: challenger.model.params },
        { name: 'champion', kind: champion.model.kind as ModelKind, params: champion.model.params },
      ],
    },
    { clock },
  );
  const get = (name: string): Metrics => (r.candidates.find((c) => c.name === name) as { pooled: Metrics }).pooled;
  return [get('challenger'), get('champion')];
}

/**
 * Champion–challenger promotion: point `alias` at the challenger only if it beats the run the alias
 * holds now by the gate rule on the same evaluation. Runs evaluated on the same data, labels and
 * test range are compared on their recorded metrics; otherwise both models are re-scored on the
 * challenger's test rows. The decision and the move happen under the registry lock.
 * @throws CheckFailedError (exit 6) when the gate fails without --force, with the comparison in
 *   `details`; nothing changes then.
 */
export async function promote(o: PromoteOptions): Promise<PromoteResult> {
  const { id } = resolveRef(o.registry, o.ref);
  validateAliasName(o.alias);
  // The model must load exactly as predict and serve will load it (sha256 against run.json, state
  // validation, kind and feature count) before any alias can point at it.
  const challenger = loadRunModel(o.registry, id).run;
  // The evaluation can take a while (re-scoring or refitting), so it runs outside the lock; the
  // move then happens only if the alias still points where it did (optimistic concurrency).
  const seen = readAliases(o.registry).get(o.alias) ?? null;
  const gate = await decide(o, challenger, seen);
  const log = setAlias(o.registry, o.alias, id, {
    clock: o.clock,
    lockTimeoutMs: o.lockTimeoutMs,
    forced: o.force,
    gate: (current) => {
      if (current !== seen) {
        throw new ConflictError(`alias "${o.alias}" moved from ${seen ?? '(none)'} to ${current ?? '(none)'} while the gate was evaluated`, {
          hint: 'run mm promote again to gate against the new holder',
        });
      }
      if (!gate.passed && !o.force) {
        const d = gate.delta === null ? 'n/a' : gate.delta.toFixed(4);
        throw new CheckFailedError(
          `${id} does not beat ${current} on ${gate.metric}: ${fmt(gate.challenger)} vs ${fmt(gate.champion)} (improvement ${d}, required > ${gate.required.toFixed(4)})`,
          { hint: `alias "${o.alias}" is unchanged; use --force to promote anyway (it is logged)`, details: { alias: o.alias, from: current, to: id, gate } },
        );
      }
      return gate;
    },
  });
  return { alias: o.alias, from: log.from, to: id, forced: o.force && !gate.passed, gate, log };
}

const fmt = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(4));

async function decide(o: PromoteOptions, challenger: RunRecord, current: string | null): Promise<GateResult> {
  const none = (evaluation: GateResult['evaluation']): GateResult => ({
    metric: o.metric, challenger: recorded(challenger)?.[o.metric] ?? null, champion: null, delta: null, required: 0, passed: true, evaluation,
  });
  if (current === null) return none('no-champion');
  if (current === challenger.id) return none('same-run');
  const champion = readRun(o.registry, current);
  const a = recorded(challenger);
  const b = recorded(champion);
  if (a !== null && b !== null && sameEvaluation(challenger, champion)) return judge(o, a, b, 'recorded');
  if ((challenger.split as { kind?: unknown }).kind === 'walk-forward') return judge(o, ...(await refitOnFolds(challenger, champion, o.clock)), 'recomputed');
  const ch = loadRunModel(o.registry, challenger.id);
  const cp = loadRunModel(o.registry, champion.id);
  const scores = scoreOnRunSplit(challenger, [
    { name: 'challenger', features: ch.run.features, model: ch.model },
    { name: 'champion', features: cp.run.features, model: cp.model },
  ]);
  return judge(o, scores['challenger'] as Metrics, scores['champion'] as Metrics, 'recomputed');
}
