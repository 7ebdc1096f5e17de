import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fixture, repoRoot, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');
const BUNDLED = join(repoRoot, 'data', 'NVDA_5m_train.csv');
// Leaves of ≥ 40 rows keep the uncalibrated forest's probabilities better than the class frequencies on the small fixture
// (no post-hoc calibration: on a few hundred rows its inner folds are too small to help).
const CALIBRATED_RF = ['--trees', '30', '--min-samples-leaf', '40', '--calibrate', 'none'];

interface Gate {
  metric: string; evaluation: string; reason: string; passed: boolean; failure: string | null; rows: number;
  challenger: number; champion: number; delta: number;
  calibration: { logLoss: number; majorityLogLoss: number; uncalibrated: boolean | null };
  interval: { delta: number; lo: number; hi: number; blocks: number } | null; verdict: string | null;
  scores: { challenger: { logLoss: number; brier: number; ece: number; macroF1: number } | null; champion: { logLoss: number; brier: number; ece: number; macroF1: number } | null };
}
interface Doc { gate?: Gate; error?: { exitCode: number; message: string; details: { gate: Gate } } }
const gateOf = (stdout: string): Gate => {
  const d = JSON.parse(stdout) as Doc;
  return (d.gate ?? d.error?.details.gate) as Gate;
};
interface TrainDoc { runId: string; split: { testRows: number }; metrics: { model: { logLoss: number; macroF1: number; brier: number }; majority: { logLoss: number } } }

describe('mm promote: no model is scored on rows it was fitted on', () => {
  let reg: string;
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
    reg = join(dir, 'runs');
  });
  afterEach(() => cleanup(dir));

  it('issue #12 sequence: a compare champion refitted on all bars is refitted on the challenger\'s training rows before both are scored', async () => {
    // mm compare data/NVDA_5m_train.csv --models rf --folds 3; mm promote latest --alias champion;
    // mm train data/NVDA_5m_train.csv; mm promote latest --alias champion
    // (with 20 trees and leaves of ≥ 40 rows on both sides, to keep the suite fast and the forest
    // calibrated; the sequence is the same)
    const c = await mm(['compare', BUNDLED, '--models', 'rf', '--params', '{"rf":{"nTrees":20,"minSamplesLeaf":40,"calibrate":"none"}}', '--folds', '3', '--resamples', '100', '--registry', reg, '--json']);
    expect(c.exitCode).to.equal(0);
    const rfCand = json<{ candidates: { name: string; uncalibrated: boolean }[] }>(c).candidates.find((x) => x.name === 'rf');
    const first = await mm(['promote', 'latest', '--alias', 'champion', '--registry', reg, '--json']);
    // The first holder has nothing to beat; the default gate still refuses it when compare marked it uncalibrated.
    expect(first.exitCode).to.equal(rfCand?.uncalibrated ? 6 : 0);
    if (first.exitCode === 6) {
      expect(gateOf(first.stdout).failure).to.match(/^uncalibrated: log-loss/);
      expect((await mm(['promote', 'latest', '--alias', 'champion', '--force', '--registry', reg])).exitCode).to.equal(0);
    }
    const t = await mm(['train', BUNDLED, '--trees', '20', '--min-samples-leaf', '40', '--calibrate', 'none', '--registry', reg, '--json']);
    expect(t.exitCode).to.equal(0);
    const ch = json<TrainDoc>(t);

    const r = await mm(['promote', 'latest', '--alias', 'champion', '--registry', reg, '--json']);
    const g = gateOf(r.stdout);
    expect(g.evaluation).to.equal('refit-train');
    expect(g.reason).to.match(/reach the test rows .* so rf with its parameters was refitted on the challenger's training rows/);
    expect(g.metric).to.equal('logLoss');
    expect(g.rows).to.equal(ch.split.testRows);
    // The challenger is scored as train recorded it, on its own unseen test rows.
    expect(g.challenger).to.be.closeTo(ch.metrics.model.logLoss, 1e-12);
    // The champion's recipe (rf, 20 trees, leaf 40, seed 42) is the challenger's: refitted on the same
    // training rows it is the same forest, so an honest challenger ties instead of losing to a leaked score.
    expect(g.champion).to.be.closeTo(g.challenger, 1e-12);
    // A plausible out-of-sample log-loss (the majority baseline's is about 1.32 here), not an in-sample one.
    expect(g.champion).to.be.within(1.2, 1.6);
    expect(g.calibration.uncalibrated).to.equal(false);
    expect(g.interval).to.deep.include({ delta: 0, lo: 0, hi: 0 });
    expect(g.verdict).to.equal('not significant');
    expect(g.passed).to.equal(false);
    expect(r.exitCode).to.equal(6);

    // On macro F1 the champion was 0.92 before (scored on its own training rows); now out of sample.
    const f = gateOf((await mm(['promote', 'latest', '--alias', 'champion', '--metric', 'macroF1', '--registry', reg, '--json'])).stdout);
    expect(f.evaluation).to.equal('refit-train');
    expect(f.champion).to.be.closeTo(ch.metrics.model.macroF1, 1e-12);
    expect(f.champion).to.be.below(0.4);
    // The terminal output says which evaluation was used and why.
    const human = await mm(['promote', 'latest', '--alias', 'champion', '--registry', reg]);
    expect(human.stdout).to.match(/evaluation: refit on challenger's training rows \(\d+ rows\): .* was fitted on bars/);
    // Both models' proper scores, Brier and ECE beside macro F1, on the same rows.
    expect(human.stdout).to.match(/model \(same rows\)\s+log_loss\s+brier\s+ece\s+macro_f1/);
    expect(g.scores.challenger?.brier).to.be.closeTo(ch.metrics.model.brier, 1e-12);
    expect(g.scores.champion?.logLoss).to.equal(g.champion);
    expect(human.stderr).to.match(/is not promoted against .* \(refit on challenger's training rows\): does not beat the champion on logLoss/);
  });

  it('refit-train: the refitted champion scores exactly what training its recipe on the challenger\'s split scores', async () => {
    // The champion saw the first 80% of the bars, which reach the challenger's last-30% test rows.
    const champ = json<TrainDoc>(await mm(['train', TRAIN, '--model', 'logreg', '--test-size', '0.2', '--registry', reg, '--json']));
    await mm(['promote', champ.runId, '--alias', 'champion', '--force', '--registry', reg]);
    const challenger = json<TrainDoc>(await mm(['train', TRAIN, ...CALIBRATED_RF, '--registry', reg, '--json']));
    const r = await mm(['promote', challenger.runId, '--alias', 'champion', '--registry', reg, '--json']);
    const g = gateOf(r.stdout);
    expect(g.evaluation).to.equal('refit-train');
    // Independent reference: logreg trained on the challenger's split (same bars, same 30% test, same seed).
    const reference = json<TrainDoc>(await mm(['train', TRAIN, '--model', 'logreg', '--registry', join(dir, 'other'), '--json']));
    expect(g.champion).to.be.closeTo(reference.metrics.model.logLoss, 1e-12);
    expect(g.champion).to.not.be.closeTo(champ.metrics.model.logLoss, 1e-9);
    expect(g.challenger).to.be.closeTo(challenger.metrics.model.logLoss, 1e-12);
    // Calibration is judged against the majority baseline fitted on the challenger's training rows.
    expect(g.calibration.majorityLogLoss).to.be.closeTo(challenger.metrics.majority.logLoss, 1e-12);
    expect(r.exitCode).to.equal(g.passed ? 0 : 6);
    expect(g.passed).to.equal(g.calibration.uncalibrated === false && g.challenger < g.champion);
  });

  it('rescored-holdout: a champion fitted on bars before the challenger\'s test rows is scored on them as it is', async () => {
    const lines = readFileSync(TRAIN, 'utf8').trim().split('\n');
    const early = join(dir, 'NVDA_early.csv');
    writeFileSync(early, `${lines.slice(0, Math.floor(lines.length * 0.5)).join('\n')}\n`);
    const champ = json<TrainDoc>(await mm(['train', early, ...CALIBRATED_RF, '--seed', '3', '--registry', reg, '--json']));
    await mm(['promote', champ.runId, '--alias', 'champion', '--force', '--registry', reg]);
    const challenger = json<TrainDoc>(await mm(['train', TRAIN, ...CALIBRATED_RF, '--registry', reg, '--json']));
    const r = await mm(['promote', challenger.runId, '--alias', 'champion', '--registry', reg, '--json']);
    const g = gateOf(r.stdout);
    expect(g.evaluation).to.equal('rescored-holdout');
    expect(g.reason).to.match(/do not reach the test rows/);
    expect(g.rows).to.equal(challenger.split.testRows);
    expect(g.challenger).to.be.closeTo(challenger.metrics.model.logLoss, 1e-12);
    expect(g.interval?.delta).to.be.closeTo(g.delta, 1e-12);
    expect(r.exitCode).to.equal(g.passed ? 0 : 6);
    // A forest with one-row leaves puts probability 0 on classes that happen: re-scored, its
    // probabilities are floored exactly as train recorded them, so the score is the recorded one.
    const sharp = json<TrainDoc>(await mm(['train', TRAIN, '--trees', '10', '--calibrate', 'none', '--registry', reg, '--json']));
    await mm(['promote', champ.runId, '--alias', 'early', '--force', '--registry', reg]);
    const s2 = gateOf((await mm(['promote', sharp.runId, '--alias', 'early', '--registry', reg, '--json'])).stdout);
    expect(s2.evaluation).to.equal('rescored-holdout');
    expect(s2.challenger).to.be.closeTo(sharp.metrics.model.logLoss, 1e-12);
  });

  it('the default gate refuses an uncalibrated challenger with exit 6 and the reason; --force overrides and is logged', async () => {
    // A 10-tree forest with leaves of one row and no post-hoc calibration puts probability 0 on classes that happen: worse than the class frequencies.
    const bad = json<TrainDoc>(await mm(['train', TRAIN, '--trees', '10', '--calibrate', 'none', '--registry', reg, '--json']));
    expect(bad.metrics.model.logLoss).to.be.above(bad.metrics.majority.logLoss);
    const r = await mm(['promote', bad.runId, '--alias', 'champion', '--registry', reg, '--json']);
    expect(r.exitCode).to.equal(6);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.error?.message).to.match(/is not promoted: uncalibrated: log-loss \d\.\d{4} is not below the majority baseline's \d\.\d{4} on the same rows/);
    expect(doc.error?.details.gate.calibration).to.deep.include({ uncalibrated: true, logLoss: bad.metrics.model.logLoss, majorityLogLoss: bad.metrics.majority.logLoss });
    // Even when it beats a calibrated champion on macro F1, it is not promoted by default.
    const good = json<TrainDoc>(await mm(['train', TRAIN, ...CALIBRATED_RF, '--registry', reg, '--json']));
    await mm(['promote', good.runId, '--alias', 'champion', '--registry', reg]);
    // runs list and runs show carry the same mark.
    const list = json<{ runs: { id: string; uncalibrated: boolean | null; brier: number | null; ece: number | null }[] }>(await mm(['runs', 'list', '--registry', reg, '--json']));
    expect(Object.fromEntries(list.runs.map((x) => [x.id, x.uncalibrated]))).to.deep.equal({ [bad.runId]: true, [good.runId]: false });
    expect(list.runs.every((x) => typeof x.brier === 'number' && typeof x.ece === 'number')).to.equal(true);
    expect((await mm(['runs', 'list', '--registry', reg])).stdout).to.match(/uncalibrated/);
    expect((await mm(['runs', 'show', bad.runId, '--registry', reg])).stdout).to.match(/probabilities: UNCALIBRATED: log-loss \d\.\d{4} is not below the majority baseline's/);
    const vsF1 = await mm(['promote', bad.runId, '--alias', 'champion', '--metric', 'macroF1', '--registry', reg, '--json']);
    expect(vsF1.exitCode).to.equal(6);
    expect(gateOf(vsF1.stdout).failure).to.match(/^uncalibrated/);
    const forced = await mm(['promote', bad.runId, '--alias', 'champion', '--force', '--registry', reg]);
    expect(forced.exitCode).to.equal(0);
    expect(forced.stdout).to.match(/FORCED past a failed gate: uncalibrated/);
    const log = readFileSync(join(reg, 'aliases.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { to: string; forced: boolean });
    expect(log.map((e) => [e.to, e.forced])).to.deep.equal([[good.runId, false], [bad.runId, true]]);
  });
});
