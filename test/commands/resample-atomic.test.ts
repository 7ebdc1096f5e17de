import { expect } from 'chai';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { mm } from './run-cli.js';

describe('mm resample: all or nothing', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => cleanup(tmp));

  it('a directory holding a non-bar file exits 3 and writes no output at all', async () => {
    const dir = join(tmp, 'in');
    mkdirSync(dir);
    copyFileSync(fixture('pooled', 'AAPL.csv'), join(dir, 'AAPL.csv'));
    copyFileSync(fixture('pooled', 'MSFT.csv'), join(dir, 'MSFT.csv'));
    copyFileSync(fixture('weights', 'qqq_2025-09-24_3.csv'), join(dir, 'ZZ_weights.csv'));
    const r = await mm(['resample', dir, '--interval', '1h', '--out', join(tmp, 'out')]);
    expect(r.exitCode, r.stderr).to.equal(3);
    expect(r.stderr).to.include('ZZ_weights.csv');
    expect(readdirSync(tmp)).to.deep.equal(['in']);
  });

  it('two inputs of one symbol are a clear error naming both, not a silent overwrite', async () => {
    const dir = join(tmp, 'in');
    mkdirSync(dir);
    copyFileSync(fixture('cli', 'NVDA_train.csv'), join(dir, 'NVDA_a.csv'));
    copyFileSync(fixture('cli', 'NVDA_predict.csv'), join(dir, 'NVDA_b.csv'));
    const out = join(tmp, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    const r = await mm(['resample', dir, '--interval', '1h', '--out', out]);
    expect(r.exitCode, r.stderr).to.equal(3);
    expect(r.stderr).to.match(/NVDA_a\.csv and .*NVDA_b\.csv would both be written to .*NVDA_1h\.csv/);
    expect(readdirSync(out)).to.deep.equal(['keep.txt']);
  });

  for (const [what, make] of [['a new folder named with a trailing "/"', (p: string) => `${p}/`], ['an existing folder', (p: string) => { mkdirSync(p); return p; }]] as const) {
    it(`one input with --out naming ${what} writes <SYMBOL>_<interval>.csv inside it`, async () => {
      const out = make(join(tmp, 'h1'));
      const r = await mm(['resample', fixture('cli', 'NVDA_predict.csv'), '--interval', '1h', '--out', out]);
      expect(r.exitCode, r.stderr).to.equal(0);
      expect(readdirSync(join(tmp, 'h1'))).to.deep.equal(['NVDA_1h.csv']);
      expect(readFileSync(join(tmp, 'h1', 'NVDA_1h.csv'), 'utf8').split('\n')[0]).to.match(/^timestamp,open,high,low,close,volume/);
    });
  }

  it('one input with --out naming a file still writes that file', async () => {
    const out = join(tmp, 'x.csv');
    const r = await mm(['resample', fixture('cli', 'NVDA_predict.csv'), '--interval', '1h', '--out', out]);
    expect(r.exitCode, r.stderr).to.equal(0);
    expect(readdirSync(tmp)).to.deep.equal(['x.csv']);
  });
});
