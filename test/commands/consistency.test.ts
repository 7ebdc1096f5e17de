import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cleanup, fixture, repoRoot, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');
const PREDICT = fixture('cli', 'NVDA_predict.csv');

describe('one vocabulary across commands', () => {
  let reg: string;
  before(() => {
    reg = tempDir();
  });
  after(() => cleanup(reg));

  it('latest is the most recently created run; after a compare, its best-ranked candidate, not the alphabetically last kind', async () => {
    const c = await mm(['compare', TRAIN, '--models', 'logreg,knn,rf', '--params', '{"rf":{"nTrees":10}}', '--folds', '2', '--registry', reg, '--json']);
    expect(c.exitCode, c.stdout.slice(0, 300)).to.equal(0);
    const doc = json<{ runs: Record<string, string>; candidates: { name: string; rank: number; isBaseline: boolean }[] }>(c);
    const best = doc.candidates.filter((x) => !x.isBaseline).sort((a, b) => a.rank - b.rank)[0]!;
    const latest = json<{ runId: string }>(await mm(['runs', 'show', 'latest', '--registry', reg, '--json']));
    expect(latest.runId).to.equal(doc.runs[best.name]);
    // The three runs share their creation second, so sorting ids alone would pick rf.
    const ids = readdirSync(reg).filter((d) => /-(logreg|knn|rf)-/.test(d)).sort();
    expect(new Set(ids.map((id) => id.slice(0, 16))).size).to.equal(1);
    // A later train is the latest then.
    const t = json<{ runId: string }>(await mm(['train', TRAIN, '--trees', '5', '--registry', reg, '--json']));
    const after = json<{ runId: string }>(await mm(['runs', 'show', 'latest', '--registry', reg, '--json']));
    expect(after.runId).to.equal(t.runId);
  });

  it('train and compare runs of one file record its range the same way, so runs diff shows no false differences', async () => {
    const ids = readdirSync(reg).filter((d) => /-(logreg|rf)-/.test(d)).sort();
    const compared = ids.find((d) => d.includes('-logreg-'))!;
    const trained = ids.filter((d) => d.includes('-rf-')).pop()!;
    const d = await mm(['runs', 'diff', compared, trained, '--registry', reg, '--json']);
    expect(d.exitCode, d.stdout.slice(0, 300)).to.equal(0);
    const fields = JSON.stringify(JSON.parse(d.stdout));
    expect(fields).to.not.include('data.from');
    expect(fields).to.not.include('data.to');
  });

  it('runs show --json has the metrics where train --json has them (.metrics), as well as under .run', async () => {
    const t = json<{ runId: string; metrics: unknown; run: { metrics: unknown } }>(await mm(['train', TRAIN, '--trees', '5', '--registry', reg, '--json']));
    const s = json<{ runId: string; metrics: unknown; run: { metrics: unknown } }>(await mm(['runs', 'show', t.runId, '--registry', reg, '--json']));
    expect(s.runId).to.equal(t.runId);
    expect(s.metrics).to.deep.equal(s.run.metrics);
    expect(t.run.metrics).to.deep.equal(s.run.metrics);
  });

  it('mm backtest takes --symbol as mm predict does', async () => {
    const r = await mm(['backtest', PREDICT, '--model', 'latest', '--symbol', 'XNVDA', '--registry', reg, '--json']);
    expect(r.exitCode, r.stdout.slice(0, 300)).to.equal(0);
    expect(json<{ symbol: string; overlap: unknown }>(r).symbol).to.equal('XNVDA');
    const p = await mm(['predict', PREDICT, '--model', 'latest', '--symbol', 'XNVDA', '--registry', reg, '--json']);
    expect(json<{ predictions: { symbol: string }[] }>(p).predictions[0]!.symbol).to.equal('XNVDA');
  });
});

describe('--out says what it wrote, the same way in every command', () => {
  let reg: string;
  before(async () => {
    reg = tempDir();
    const t = await mm(['train', TRAIN, '--model', 'logreg', '--registry', reg]);
    expect(t.exitCode).to.equal(0);
  });
  after(() => cleanup(reg));

  const cases: [string, (out: string) => string[], RegExp][] = [
    ['features', (o) => ['features', PREDICT, '--out', `${o}/f.csv`], /^wrote .*\/f\.csv$/m],
    ['label', (o) => ['label', PREDICT, '--out', `${o}/l.csv`], /^wrote .*\/l\.csv$/m],
    ['predict', (o) => ['predict', PREDICT, '--model', 'latest', '--out', `${o}/p.csv`], /^wrote .*\/p\.csv$/m],
    ['backtest', (o) => ['backtest', PREDICT, '--model', 'latest', '--out', `${o}/bt`], /^wrote .*\/bt: equity\.csv, trades\.csv, equity\.svg$/m],
    ['drift', (o) => ['drift', '-r', TRAIN, '-c', PREDICT, '--out', `${o}/d.html`], /^wrote .*\/d\.html$/m],
    ['report', (o) => ['report', '--out', `${o}/r.html`], /^wrote .*\/r\.html: \d+ runs/m],
  ];
  for (const [name, args, line] of cases) {
    it(`mm ${name} --out prints one "wrote <path>" line on stderr, and nothing extra under --json`, () => {
      const out = tempDir();
      try {
        const env = { ...process.env, NO_COLOR: '1', MM_REGISTRY: reg };
        const r = spawnSync(process.execPath, ['bin/run.js', ...args(out)], { cwd: repoRoot, encoding: 'utf8', env });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stderr).to.match(line);
        expect(r.stdout).to.not.match(/^wrote /m);
        const j = spawnSync(process.execPath, ['bin/run.js', ...args(out), '--json'], { cwd: repoRoot, encoding: 'utf8', env });
        expect(j.stderr).to.not.match(/^wrote /m);
        expect(() => JSON.parse(j.stdout)).to.not.throw();
      } finally {
        cleanup(out);
      }
    });
  }
});
