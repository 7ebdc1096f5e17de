import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cleanup, fixture, repoRoot, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

interface Step {
  step: string;
  status: string;
  details: unknown;
}
interface Result {
  id: string;
  status: string;
  exitCode: number;
  steps: Step[];
  error: { code: string; message: string } | null;
}

const TRAIN = fixture('cli', 'NVDA_train.csv');
const PREDICT = fixture('cli', 'NVDA_predict.csv');

describe('mm pipeline', () => {
  let tmp: string;
  let reg: string;
  beforeEach(() => {
    tmp = tempDir();
    reg = join(tmp, 'runs');
  });
  afterEach(() => cleanup(tmp));

  /** A config in tmp: ingest the training fixture, compare two fast candidates, predict, drift. */
  const config = (extra: Record<string, unknown> = {}, name = 'pipeline.json'): string => {
    const p = join(tmp, name);
    const cfg = {
      data: 'data',
      ingest: { from: [TRAIN] },
      compare: { models: ['rf', 'logreg'], folds: 2, params: { rf: { nTrees: 30, minSamplesLeaf: 40, calibrate: 'none' } } },
      gate: { alias: 'champion' },
      predict: { input: PREDICT, out: 'out' },
      ...extra,
    };
    writeFileSync(p, JSON.stringify(cfg, null, 2));
    return p;
  };
  const aliases = (): Record<string, string> => JSON.parse(readFileSync(join(reg, 'aliases.json'), 'utf8')) as Record<string, string>;
  const runDirs = (): string[] => readdirSync(reg).filter((d) => /^\d{8}T/.test(d)).sort();
  const records = (): Result[] => readdirSync(join(reg, 'pipelines')).sort().map((f) => JSON.parse(readFileSync(join(reg, 'pipelines', f), 'utf8')) as Result);

  it('runs ingest → compare → gate/promote → predict → drift, records every step, and is idempotent', async () => {
    const cfg = config({ drift: { current: PREDICT } });
    const r = await mm(['pipeline', cfg, '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout).to.equal(0);
    const doc = json<Result>(r);
    expect(doc.status).to.equal('ok');
    expect(doc.steps.map((s) => s.step)).to.deep.equal(['ingest', 'compare', 'gate', 'predict', 'drift']);
    expect(doc.steps.slice(0, 4).map((s) => s.status)).to.deep.equal(['ok', 'ok', 'ok', 'ok']);
    expect(['ok', 'warning']).to.include(doc.steps[4]?.status);
    // The ingested data, the promoted champion and the prediction table are all there.
    expect(readFileSync(join(tmp, 'data', 'NVDA.csv'), 'utf8').trim().split('\n')).to.have.length(readFileSync(TRAIN, 'utf8').trim().split('\n').length);
    const compare = doc.steps[1]?.details as { best: string; ranking: { name: string }[] };
    expect(compare.ranking.map((x) => x.name).sort()).to.deep.equal(['logreg', 'majority', 'persistence', 'rf']);
    expect(aliases()).to.deep.equal({ champion: compare.best });
    // The prediction table is the CSV `mm predict` writes, by the model just promoted.
    const table = readFileSync(join(tmp, 'out', 'NVDA.csv'), 'utf8').trim().split('\n');
    expect(table[0]).to.equal('symbol,timestamp,timestamp_next,action,confidence,decision,p_strong_sell,p_sell,p_hold,p_buy,p_strong_buy,model_version');
    expect(table.length).to.be.greaterThan(100);
    expect(table.slice(1).every((l) => l.endsWith(`,${compare.best} (champion)`))).to.equal(true);
    const gate = doc.steps[2]?.details as { promoted: boolean; beatsBaselines: boolean; to: string };
    expect(gate).to.include({ promoted: true, to: compare.best });
    expect(gate.beatsBaselines).to.equal((compare.ranking as { name: string; beatsBaselines: boolean | null }[]).find((x) => x.name !== 'majority' && x.name !== 'persistence')?.beatsBaselines);
    expect(records().map((x) => x.id)).to.deep.equal([doc.id]);

    // Same data, same config: nothing is retrained or moved, and the skip is recorded.
    const runsBefore = runDirs();
    const again = await mm(['pipeline', cfg, '--registry', reg, '--json']);
    expect(again.exitCode).to.equal(0);
    const second = json<Result>(again);
    expect(second.status).to.equal('up-to-date');
    expect(second.steps.map((s) => [s.step, s.status])).to.deep.equal([['ingest', 'ok']]);
    expect((second.steps[0]?.details as { added: number }[])[0]?.added).to.equal(0);
    expect(runDirs()).to.deep.equal(runsBefore);
    expect(aliases()).to.deep.equal({ champion: compare.best });
    expect(records().map((x) => x.status).sort()).to.deep.equal(['ok', 'up-to-date']);
  });

  it('Phase B: pools the constituents with market context, then writes per-symbol tables, the WSS series and its index evaluation', async () => {
    const pooled = fixture('pooled');
    const cfg = config({
      ingest: { from: [pooled] },
      compare: { models: ['rf'], folds: 2, params: { rf: { nTrees: 30, minSamplesLeaf: 40, calibrate: 'none' } }, symbolFeature: 'ordinal', marketContext: true },
      gate: { alias: 'index' },
      predict: { input: [pooled], out: 'wss', weights: fixture('weights', 'qqq_2025-09-24_3.csv'), index: fixture('index', 'QQQ.csv') },
    });
    const r = await mm(['pipeline', cfg, '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout).to.equal(0);
    const doc = json<Result>(r);
    expect((doc.steps[0]?.details as { symbol: string }[]).map((x) => x.symbol).sort()).to.deep.equal(['AAPL', 'MSFT', 'NVDA']);
    const predict = doc.steps.find((s) => s.step === 'predict')?.details as { hours: number; files: string[]; index: { modelReturn: number; buyHoldReturn: number } };
    expect(predict.files.sort()).to.deep.equal(['AAPL.csv', 'MSFT.csv', 'NVDA.csv', 'summary.json', 'wss.csv', 'wss_persistence.csv']);
    const series = readFileSync(join(tmp, 'wss', 'wss.csv'), 'utf8').trim().split('\n');
    expect(series[0]).to.equal('timestamp,timestamp_next,wss,signal,coverage,n_symbols');
    expect(series.length - 1).to.equal(predict.hours);
    expect(series.slice(1).every((l) => /,(BUY|SELL|HOLD),/.test(l))).to.equal(true);
    // The index evaluation in the record is the one summary.json carries.
    const summary = JSON.parse(readFileSync(join(tmp, 'wss', 'summary.json'), 'utf8')) as { evaluation: { trade: { model: { stats: { totalReturn: number; benchmark: { totalReturn: number } } } } } };
    expect(predict.index.modelReturn).to.equal(summary.evaluation.trade.model.stats.totalReturn);
    expect(predict.index.buyHoldReturn).to.equal(summary.evaluation.trade.model.stats.benchmark.totalReturn);
    expect(aliases()).to.have.keys(['index']);
    // The champion sees the basket (market context), and predict fed it all three constituents.
    const champion = JSON.parse(readFileSync(join(reg, aliases()['index'] as string, 'run.json'), 'utf8')) as { features: { basket: string[] } };
    expect(champion.features.basket).to.deep.equal(['AAPL', 'MSFT', 'NVDA']);
    // The WSS record mm report charts is there too.
    const record = (doc.steps.find((s) => s.step === 'predict')?.details as { record: string }).record;
    const stored = JSON.parse(readFileSync(join(reg, 'wss', `${record}.json`), 'utf8')) as { series: { hours: number } };
    expect(stored.series.hours).to.equal(predict.hours);
  });

  it('a rejected gate keeps the champion and exits 0; with failOnReject it exits 6', async () => {
    expect((await mm(['pipeline', config(), '--registry', reg])).exitCode).to.equal(0);
    const champion = aliases()['champion'];
    // A new config (different seed) retrains; a min-delta of 1 cannot be met by any log-loss here.
    const soft = await mm(['pipeline', config({ gate: { alias: 'champion', minDelta: 1 }, compare: { models: ['logreg'], folds: 2, seed: 7 } }), '--registry', reg, '--json']);
    expect(soft.exitCode).to.equal(0);
    const gate = json<Result>(soft).steps.find((s) => s.step === 'gate');
    expect(gate?.status).to.equal('rejected');
    expect(aliases()).to.deep.equal({ champion });
    const hard = await mm(['pipeline', config({ gate: { alias: 'champion', minDelta: 1, failOnReject: true }, compare: { models: ['logreg'], folds: 2, seed: 8 } }), '--registry', reg, '--json']);
    expect(hard.exitCode).to.equal(6);
    const err = json<{ error: { code: string; details: Result } }>(hard).error;
    expect(err.code).to.equal('CHECK_FAILED');
    // The failing gate stops the flow: predict does not run.
    expect(err.details.steps.map((s) => [s.step, s.status])).to.deep.equal([['ingest', 'ok'], ['compare', 'ok'], ['gate', 'failed']]);
    expect(aliases()).to.deep.equal({ champion });
  });

  it('with gate.requireBaselines a model that does not beat both baselines is not promoted', async () => {
    const r = await mm(['pipeline', config({ compare: { models: ['logreg'], folds: 2 }, gate: { alias: 'champion', requireBaselines: true } }), '--registry', reg, '--json']);
    const doc = json<{ error: { details: Result } }>(r).error.details;
    // On these 468 bars (seeded, so always the same) logistic regression loses to persistence.
    const ranking = (doc.steps[1]?.details as { ranking: { name: string; beatsBaselines: boolean | null }[] }).ranking;
    expect(ranking.find((x) => x.name === 'logreg')?.beatsBaselines).to.equal(false);
    expect(doc.steps[2]?.details).to.include({ promoted: false, beatsBaselines: false });
    expect(existsSync(join(reg, 'aliases.json')) ? aliases() : {}).to.deep.equal({});
    // No champion yet, so predict has no model: the pipeline stops there with exit 4.
    expect(r.exitCode).to.equal(4);
    expect(doc.steps.map((s) => [s.step, s.status])).to.deep.equal([['ingest', 'ok'], ['compare', 'ok'], ['gate', 'rejected'], ['predict', 'failed']]);
  });

  it('a conflicting bar stops the pipeline at ingest with exit 3 and leaves the data as it was', async () => {
    expect((await mm(['pipeline', config(), '--registry', reg])).exitCode).to.equal(0);
    const stored = readFileSync(join(tmp, 'data', 'NVDA.csv'), 'utf8');
    const lines = readFileSync(TRAIN, 'utf8').trim().split('\n');
    const revised = join(tmp, 'NVDA_revised.csv');
    writeFileSync(revised, [lines[0], ...lines.slice(1, 20), lines[20]?.replace(/,(\d+)$/, (_, v: string) => `,${Number(v) + 5}`)].join('\n') + '\n');
    const r = await mm(['pipeline', config({ ingest: { from: [revised] } }), '--registry', reg, '--json']);
    expect(r.exitCode).to.equal(3);
    const err = json<{ error: { code: string; message: string; details: Result } }>(r).error;
    expect(err.code).to.equal('BAD_INPUT');
    expect(err.message).to.match(/differs from the one already stored/);
    expect(err.details.steps.map((s) => [s.step, s.status])).to.deep.equal([['ingest', 'failed']]);
    expect(readFileSync(join(tmp, 'data', 'NVDA.csv'), 'utf8')).to.equal(stored);
    expect(records().map((x) => x.status).sort()).to.deep.equal(['failed', 'ok']);
  });

  it('rejects a config with an unknown key or a missing compare section with exit 3, a missing file with 4', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ data: 'data', compare: {}, predcit: {} }));
    const r = await mm(['pipeline', bad, '--registry', reg, '--json']);
    expect(r.exitCode).to.equal(3);
    expect(json<{ error: { message: string } }>(r).error.message).to.match(/unknown key "predcit"/);
    writeFileSync(bad, JSON.stringify({ data: 'data', compare: {}, gate: { requireBaseline: true } }));
    const nested = await mm(['pipeline', bad, '--registry', reg, '--json']);
    expect(nested.exitCode).to.equal(3);
    expect(json<{ error: { message: string; hint: string } }>(nested).error).to.include({ message: `${bad}: gate: unknown key "requireBaseline"` });
    writeFileSync(bad, JSON.stringify({ data: 'data' }));
    expect((await mm(['pipeline', bad, '--registry', reg])).exitCode).to.equal(3);
    expect((await mm(['pipeline', join(tmp, 'none.json'), '--registry', reg])).exitCode).to.equal(4);
    expect(existsSync(join(reg, 'pipelines'))).to.equal(false);
  });

  it('a lock held by a live process exits 5 at once, or after --wait; a dead owner\'s lock is reclaimed', async () => {
    const cfg = config();
    await mm(['pipeline', cfg, '--registry', reg, '--json']);
    const lock = join(reg, 'pipeline.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    const r = await mm(['pipeline', cfg, '--registry', reg, '--json']);
    expect(r.exitCode).to.equal(5);
    const err = json<{ error: { code: string; message: string; hint: string } }>(r).error;
    expect(err.message).to.match(/pipeline lock .* is held by process \d+/);
    expect(err.hint).to.match(/--wait/);
    const t0 = Date.now();
    const waited = await mm(['pipeline', cfg, '--registry', reg, '--wait', '0.5']);
    expect(waited.exitCode).to.equal(5);
    expect(waited.stderr).to.match(/waiting up to 0.5 s: the pipeline lock .* is held by process \d+/);
    expect(Date.now() - t0).to.be.at.least(450);
    expect(existsSync(lock)).to.equal(true);
    // A pid that cannot be alive: the lock of a killed pipeline.
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), since: '2026-01-01T00:00:00Z' }));
    const reclaimed = await mm(['pipeline', cfg, '--registry', reg, '--json']);
    expect(reclaimed.exitCode).to.equal(0);
    expect(json<Result>(reclaimed).status).to.equal('up-to-date');
    expect(existsSync(lock)).to.equal(false);
  });

  it('a pipeline killed mid-run leaves only whole runs and its lock is reclaimed by the next one', async () => {
    const cfg = config({ compare: { models: ['rf', 'et', 'logreg'], folds: 3, params: { rf: { nTrees: 200, minSamplesLeaf: 40, calibrate: 'none' }, et: { nTrees: 200, minSamplesLeaf: 40, calibrate: 'none' } } } });
    await new Promise<void>((done) => {
      const p = spawn(process.execPath, ['bin/run.js', 'pipeline', cfg, '--registry', reg], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
      p.stderr.on('data', (d: Buffer) => {
        if (/compare: start/.test(d.toString())) p.kill('SIGKILL');
      });
      p.on('exit', () => done());
    });
    expect(existsSync(join(reg, 'pipeline.lock'))).to.equal(true);
    // Whatever the kill interrupted, every run the registry shows is complete and loads.
    const list = await mm(['runs', 'list', '--registry', reg, '--json']);
    expect(list.exitCode).to.equal(0);
    for (const id of runDirs()) expect((await mm(['runs', 'show', id, '--registry', reg])).exitCode).to.equal(0);
    expect(existsSync(join(reg, 'aliases.json'))).to.equal(false);
    const next = await mm(['pipeline', cfg, '--registry', reg, '--json']);
    expect(next.exitCode).to.equal(0);
    expect(json<Result>(next).status).to.equal('ok');
    expect(Object.keys(aliases())).to.deep.equal(['champion']);
    expect(existsSync(join(reg, 'pipeline.lock'))).to.equal(false);
  });

  it('two pipelines started at once: the second waits for the first, then finds everything up to date', async () => {
    const cfg = config();
    const start = (): Promise<{ code: number | null; stdout: string; stderr: string }> =>
      new Promise((done) => {
        const p = spawn(process.execPath, ['bin/run.js', 'pipeline', cfg, '--registry', reg, '--wait', '120', '--json'], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('exit', (code) => done({ code, stdout, stderr }));
      });
    const both = await Promise.all([start(), start()]);
    expect(both.map((x) => x.code), both.map((x) => x.stderr).join('\n')).to.deep.equal([0, 0]);
    const statuses = both.map((x) => (JSON.parse(x.stdout) as Result).status).sort();
    expect(statuses).to.deep.equal(['ok', 'up-to-date']);
    // Logs are plain lines on stderr, with no terminal control codes.
    expect(both.map((x) => x.stderr).join('')).to.not.match(/\u001b\[/);
    expect(both.some((x) => /compare: ok/.test(x.stderr))).to.equal(true);
    expect(records().map((x) => x.status).sort()).to.deep.equal(['ok', 'up-to-date']);
    expect(existsSync(join(reg, 'pipeline.lock'))).to.equal(false);
    // Exactly one comparison's runs exist: rf and logreg (the baselines are not stored as runs).
    expect(readdirSync(reg).filter((d) => /^\d{8}T/.test(d))).to.have.length(2);
  });
});
