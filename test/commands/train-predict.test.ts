import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');
const PREDICT = fixture('cli', 'NVDA_predict.csv');
const FAST = ['--trees', '20'];

describe('mm train and mm predict', () => {
  let reg: string;
  beforeEach(() => {
    reg = tempDir();
  });
  afterEach(() => cleanup(reg));

  it('train records a run with metrics for the model and both baselines on the same test rows', async () => {
    const r = await mm(['train', TRAIN, ...FAST, '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout).to.equal(0);
    const out = json<{ runId: string; metrics: Record<string, { n: number; macroF1: number; confusion: number[][] }>; split: { purge: number } }>(r);
    const { model, majority, persistence } = out.metrics as Record<string, { n: number; macroF1: number; confusion: number[][] }>;
    expect(model?.n).to.be.above(50);
    expect(majority?.n).to.equal(model?.n);
    expect(persistence?.n).to.equal(model?.n);
    expect(model?.confusion.flat().reduce((a, b) => a + b, 0)).to.equal(model?.n);
    expect(out.split.purge).to.equal(1);
    const files = readdirSync(join(reg, out.runId)).sort();
    // A forest's node arrays are stored as binary beside the small JSON header.
    expect(files).to.deep.equal(['model.bin', 'model.json', 'run.json']);
  });

  it('same seed gives a byte-identical model.json', async () => {
    const a = json<{ runId: string }>(await mm(['train', TRAIN, ...FAST, '--seed', '7', '--registry', reg, '--json']));
    const b = json<{ runId: string }>(await mm(['train', TRAIN, ...FAST, '--seed', '7', '--registry', reg, '--json']));
    expect(a.runId).to.not.equal(b.runId);
    expect(readFileSync(join(reg, b.runId, 'model.json'), 'utf8')).to.equal(readFileSync(join(reg, a.runId, 'model.json'), 'utf8'));
    expect(readFileSync(join(reg, b.runId, 'model.bin')).equals(readFileSync(join(reg, a.runId, 'model.bin')))).to.equal(true);
  });

  it('predict writes the docs/prediction-table.md table with timestamp_next from the session calendar', async () => {
    await mm(['train', TRAIN, ...FAST, '--registry', reg]);
    const r = await mm(['predict', PREDICT, '--model', 'latest', '--registry', reg]);
    expect(r.exitCode, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.equal(
      'symbol,timestamp,timestamp_next,action,confidence,decision,p_strong_sell,p_sell,p_hold,p_buy,p_strong_buy,model_version',
    );
    // 156 bars, the first W = 20 are warm-up without --history.
    expect(lines.length - 1).to.equal(156 - 20);
    const last = (lines[lines.length - 1] as string).split(',');
    expect(last[0]).to.equal('NVDA');
    // Wednesday 2023-05-03 12:55 PDT is the day's last bar; the next bar is Thursday's 09:30 New York open.
    expect(last[1]).to.equal('2023-05-03T19:55:00Z');
    expect(last[2]).to.equal('2023-05-04T13:30:00Z');
    for (const line of lines.slice(1)) {
      const c = line.split(',');
      const p = c.slice(6, 11).map(Number);
      expect(p.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-5);
      const conf = Number(c[4]);
      expect(conf).to.equal(Math.max(...p));
      expect(c[5]).to.equal(conf >= 0.6 ? c[3] : 'hold');
    }
  });

  it('predict with --history scores every bar of the batch, and --json is one document', async () => {
    await mm(['train', TRAIN, ...FAST, '--registry', reg]);
    const r = await mm(['predict', PREDICT, '--model', 'latest', '--history', TRAIN, '--registry', reg, '--json', '--min-confidence', '0.3']);
    expect(r.exitCode).to.equal(0);
    const out = json<{ predictions: { decision: string; action: string; confidence: number }[]; warmupSkipped: number }>(r);
    expect(out.predictions).to.have.length(156);
    expect(out.warmupSkipped).to.equal(0);
    for (const p of out.predictions) expect(p.decision).to.equal(p.confidence >= 0.3 ? p.action : 'hold');
  });

  it('predict --out writes the CSV atomically and prints the summary instead', async () => {
    await mm(['train', TRAIN, ...FAST, '--registry', reg]);
    const out = join(reg, 'pred.csv');
    const r = await mm(['predict', PREDICT, '--model', 'latest', '--registry', reg, '--out', out]);
    expect(r.exitCode).to.equal(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).to.match(/^symbol,timestamp,timestamp_next/);
    expect(r.stdout).to.match(/136 predictions by/);
  });

  it('an unknown model reference exits 4 with a JSON error and a hint', async () => {
    await mm(['train', TRAIN, ...FAST, '--registry', reg]);
    const r = await mm(['predict', PREDICT, '--model', 'champion', '--registry', reg, '--json']);
    expect(r.exitCode).to.equal(4);
    const e = json<{ error: { code: string; exitCode: number; hint: string } }>(r).error;
    expect(e.code).to.equal('NOT_FOUND');
    expect(e.exitCode).to.equal(4);
    expect(e.hint).to.match(/no aliases yet/);
  });

  it('bad input exits 3 naming the line, and writes no run', async () => {
    const r = await mm(['train', fixture('data-bad', 'high_below_close.csv'), '--registry', reg]);
    expect(r.exitCode).to.equal(3);
    // file:line (column …) like a compiler error, so editors can jump to it.
    expect(r.stderr).to.match(/high_below_close\.csv:4 \(column high\)/);
    expect(existsSync(reg) ? readdirSync(reg).filter((f) => !f.startsWith('registry')) : []).to.deep.equal([]);
  });

  it('a malformed flag value is a usage error (exit 2)', async () => {
    const r = await mm(['train', TRAIN, '--test-size', 'lots', '--registry', reg]);
    expect(r.exitCode).to.equal(2);
    const q = await mm(['predict', PREDICT, '--model', 'latest', '--min-confidence', '1.5', '--registry', reg, '--json']);
    expect(q.exitCode).to.be.oneOf([2, 4]);
  });

  it('runs list and runs show read back what train recorded', async () => {
    const t = json<{ runId: string }>(await mm(['train', TRAIN, ...FAST, '--registry', reg, '--json', '--tag', 'purpose=test']));
    const list = json<{ runs: { id: string; kind: string; tags: Record<string, string>; error: null }[] }>(await mm(['runs', 'list', '--registry', reg, '--json']));
    expect(list.runs.map((x) => x.id)).to.deep.equal([t.runId]);
    expect(list.runs[0]?.tags).to.deep.equal({ purpose: 'test' });
    const show = await mm(['runs', 'show', 'latest', '--registry', reg]);
    expect(show.exitCode).to.equal(0);
    expect(show.stdout).to.include(t.runId);
    expect(show.stdout).to.match(/verdict on log-loss \(95% block bootstrap over \d+ sessions/);
  });

  it('a model.bin that was modified or truncated after training is refused at load (exit 3), and the same run predicts again once restored', async () => {
    const t = json<{ runId: string }>(await mm(['train', TRAIN, ...FAST, '--registry', reg, '--json']));
    const bin = join(reg, t.runId, 'model.bin');
    const good = readFileSync(bin);
    const before = await mm(['predict', PREDICT, '--model', t.runId, '--registry', reg, '--json']);
    expect(before.exitCode, before.stdout).to.equal(0);
    const flipped = Buffer.from(good);
    flipped[good.length - 3] = (flipped[good.length - 3] as number) ^ 0x40;
    writeFileSync(bin, flipped);
    const bad = await mm(['predict', PREDICT, '--model', t.runId, '--registry', reg]);
    expect(bad.exitCode).to.equal(3);
    expect(bad.stderr).to.match(/model\.bin was modified after the run was written/);
    writeFileSync(bin, good.subarray(0, good.length - 8));
    expect((await mm(['predict', PREDICT, '--model', t.runId, '--registry', reg])).stderr).to.match(/truncated or replaced/);
    writeFileSync(bin, good);
    const after = await mm(['predict', PREDICT, '--model', t.runId, '--registry', reg, '--json']);
    expect(after.stdout).to.equal(before.stdout);
  });
});
