import { expect } from 'chai';
import { confidenceNote, sweepGrid } from '../../src/cli/render/confidence.js';
import { confidenceReach, type PredictionTable } from '../../src/core/predict/index.js';
import { spawnSync } from 'node:child_process';
import { cleanup, fixture, repoRoot, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');
const PREDICT = fixture('cli', 'NVDA_predict.csv');

function tableOf(conf: number[]): PredictionTable {
  return { confidence: Float64Array.from(conf), n: conf.length } as unknown as PredictionTable;
}

/** The real binary in a child process: notes go to its stderr. */
function run(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/run.js', ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stderr: r.stderr };
}

describe('when no bar reaches --min-confidence', () => {
  it('confidenceReach counts bars at or above the gate and the highest confidence, over a row range of several tables', () => {
    const a = tableOf([0.3, 0.61, 0.6]);
    const b = tableOf([0.2, 0.5]);
    expect(confidenceReach([a, b], 0.6)).to.deep.equal({ minConfidence: 0.6, bars: 5, atOrAbove: 2, maxConfidence: 0.61 });
    expect(confidenceReach(a, 0.6, { from: 0, to: 1 })).to.deep.equal({ minConfidence: 0.6, bars: 1, atOrAbove: 0, maxConfidence: 0.3 });
    expect(confidenceReach([], 0.6).maxConfidence).to.equal(null);
  });

  it('the note names the gate, the highest confidence and a sweep grid that reaches below it; none when a bar reached it', () => {
    const none = confidenceReach(tableOf([0.41, 0.52, 0.47]), 0.6);
    expect(sweepGrid(none)).to.equal('min-confidence=0.35:0.6:0.05');
    expect(confidenceNote(none, 'X')).to.equal('no bar reached --min-confidence 0.6 (highest confidence 0.520 over 3 bars): every decision is hold; tune the gate on validation rows with X');
    expect(confidenceNote(confidenceReach(tableOf([0.41, 0.6]), 0.6), 'X')).to.equal(null);
    expect(confidenceNote(confidenceReach(tableOf([]), 0.6), 'X')).to.equal(null);
  });

  describe('through the CLI', () => {
    let reg: string;
    before(async () => {
      reg = tempDir();
      // Logistic regression: its probabilities never reach 0.999 on these bars (a small forest's pure leaves would).
      const t = await mm(['train', TRAIN, '--model', 'logreg', '--registry', reg]);
      expect(t.exitCode, t.stderr).to.equal(0);
    });
    after(() => cleanup(reg));

    it('mm predict says so on stderr with the highest confidence and a backtest --sweep to run, and in --json', async () => {
      const text = run(['predict', PREDICT, '--model', 'latest', '--min-confidence', '0.999', '--registry', reg]);
      expect(text.status).to.equal(0);
      expect(text.stderr).to.match(/no bar reached --min-confidence 0\.999 \(highest confidence 0\.\d{3} over \d+ bars\): every decision is hold; tune the gate on validation rows with mm backtest .*NVDA_predict\.csv --model latest --sweep min-confidence=/);
      const j = json<{ confidence: { atOrAbove: number; maxConfidence: number; bars: number; note: string } }>(
        await mm(['predict', PREDICT, '--model', 'latest', '--min-confidence', '0.999', '--registry', reg, '--json']),
      );
      expect(j.confidence.atOrAbove).to.equal(0);
      expect(j.confidence.maxConfidence).to.be.below(0.999);
      expect(j.confidence.note).to.match(/^no bar reached/);
      // A gate some bar reaches: no note.
      const open = run(['predict', PREDICT, '--model', 'latest', '--min-confidence', '0.2', '--registry', reg]);
      expect(open.stderr).to.not.match(/no bar reached/);
    });

    it('mm backtest says so and points to --sweep', async () => {
      const r = run(['backtest', PREDICT, '--model', 'latest', '--min-confidence', '0.999', '--registry', reg]);
      expect(r.status).to.equal(0);
      expect(r.stderr).to.match(/no bar reached --min-confidence 0\.999 .*--sweep min-confidence=/);
      const j = json<{ confidence: { atOrAbove: number }; stats: { trades: number } }>(await mm(['backtest', PREDICT, '--model', 'latest', '--min-confidence', '0.999', '--registry', reg, '--json']));
      expect(j.confidence.atOrAbove).to.equal(0);
      expect(j.stats.trades).to.equal(0);
    });

    it('mm wss --use decision says so (the only WSS score that goes through the gate)', async () => {
      const pooled = tempDir();
      try {
        const t = await mm(['train', fixture('pooled'), '--model', 'logreg', '--registry', pooled]);
        expect(t.exitCode, t.stderr).to.equal(0);
        const w = fixture('weights', 'qqq_2025-09-24_3.csv');
        const gated = run(['wss', fixture('pooled'), '--weights', w, '--model', 'latest', '--use', 'decision', '--min-confidence', '0.999', '--registry', pooled]);
        expect(gated.status).to.equal(0);
        expect(gated.stderr).to.match(/no bar reached --min-confidence 0\.999 .*--sweep min-confidence=.*, or --use expected/);
        const expected = run(['wss', fixture('pooled'), '--weights', w, '--model', 'latest', '--use', 'expected', '--min-confidence', '0.999', '--registry', pooled]);
        expect(expected.stderr).to.not.match(/no bar reached/);
      } finally {
        cleanup(pooled);
      }
    });
  });
});
