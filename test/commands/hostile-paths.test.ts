import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fixture, tempDir } from '../helpers.js';
import { mm } from './run-cli.js';

/** A copy of a fixture CSV with a `symbol` column holding `sym` on every row. */
function withSymbol(src: string, dest: string, sym: string): string {
  const [head, ...rows] = readFileSync(src, 'utf8').trim().split('\n');
  writeFileSync(dest, `${head},symbol\n${rows.map((r) => `${r},${sym}`).join('\n')}\n`);
  return dest;
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

describe('symbols from data never become paths outside the output folder', () => {
  let tmp: string;
  let reg: string;
  before(async () => {
    reg = tempDir();
    await mm(['train', fixture('pooled'), '--trees', '5', '--registry', reg]);
  });
  after(() => cleanup(reg));
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => cleanup(tmp));

  for (const [name, sym] of [['traversal', '../victim'], ['NUL byte', 'AB\u0000C'], ['300 characters', 'A'.repeat(300)]] as const) {
    it(`mm predict a.csv b.csv --out out/ with a ${name} symbol exits 3 naming the file and line, writing nothing`, async () => {
      mkdirSync(join(tmp, 'in'));
      const bad = withSymbol(fixture('pooled', 'AAPL.csv'), join(tmp, 'in', 'AAPL.csv'), sym);
      const r = await mm(['predict', bad, fixture('pooled', 'MSFT.csv'), '--model', 'latest', '--registry', reg, '--out', join(tmp, 'out')]);
      expect(r.exitCode, r.stderr).to.equal(3);
      expect(r.stderr).to.include(`${bad}:2 (column symbol)`);
      expect(tree(tmp)).to.deep.equal(['in', join('in', 'AAPL.csv')]);
    });
  }

  it('mm wss --out with a ../victim symbol exits 3 and writes nothing beside the folder', async () => {
    mkdirSync(join(tmp, 'in'));
    withSymbol(fixture('pooled', 'AAPL.csv'), join(tmp, 'in', 'AAPL.csv'), '../victim');
    withSymbol(fixture('pooled', 'MSFT.csv'), join(tmp, 'in', 'MSFT.csv'), 'MSFT');
    const r = await mm(['wss', join(tmp, 'in'), '--weights', fixture('weights', 'qqq_2025-09-24_3.csv'), '--model', 'latest', '--registry', reg, '--out', join(tmp, 'out')]);
    expect(r.exitCode, r.stderr).to.equal(3);
    expect(existsSync(join(tmp, 'VICTIM.csv'))).to.equal(false);
    expect(existsSync(join(tmp, 'out'))).to.equal(false);
  });

  it('mm resample dir --out with a ../../PWNED symbol exits 3 and writes nothing', async () => {
    mkdirSync(join(tmp, 'a', 'in'), { recursive: true });
    withSymbol(fixture('pooled', 'AAPL.csv'), join(tmp, 'a', 'in', 'AAPL.csv'), '../../PWNED');
    withSymbol(fixture('pooled', 'MSFT.csv'), join(tmp, 'a', 'in', 'MSFT.csv'), 'MSFT');
    const r = await mm(['resample', join(tmp, 'a', 'in'), '--interval', '1h', '--out', join(tmp, 'a', 'out')]);
    expect(r.exitCode, r.stderr).to.equal(3);
    expect(tree(tmp)).to.deep.equal(['a', join('a', 'in'), join('a', 'in', 'AAPL.csv'), join('a', 'in', 'MSFT.csv')]);
  });

  it("the pipeline's ingest step with a ../../PWNED symbol exits 3 and writes nothing two levels up", async () => {
    mkdirSync(join(tmp, 'p', 'q'), { recursive: true });
    const inc = withSymbol(fixture('cli', 'NVDA_train.csv'), join(tmp, 'p', 'q', 'NVDA.csv'), '../../PWNED');
    const cfg = join(tmp, 'p', 'q', 'pipeline.json');
    writeFileSync(cfg, JSON.stringify({ data: 'data', ingest: { from: [inc] }, compare: { models: ['logreg'], folds: 2 } }));
    const r = await mm(['pipeline', cfg, '--registry', join(tmp, 'runs'), '--json']);
    expect(r.exitCode, r.stdout).to.equal(3);
    expect(existsSync(join(tmp, 'PWNED.csv'))).to.equal(false);
    expect(existsSync(join(tmp, 'p', 'PWNED.csv'))).to.equal(false);
    expect(existsSync(join(tmp, 'p', 'q', 'data'))).to.equal(false);
  });

  it('an input without any symbol cannot name an output after its path (the second wall)', async () => {
    mkdirSync(join(tmp, 'in'));
    // "-x.csv" breaks the grammar, so the file has no symbol; its output name would be built from its path.
    const nameless = join(tmp, 'in', '-x.csv');
    writeFileSync(nameless, readFileSync(fixture('pooled', 'AAPL.csv')));
    const r = await mm(['predict', nameless, fixture('pooled', 'MSFT.csv'), '--model', 'latest', '--registry', reg, '--out', join(tmp, 'out')]);
    expect(r.exitCode, r.stderr).to.equal(3);
    expect(r.stderr).to.match(/refusing to write .* in .*out/);
    expect(tree(tmp)).to.deep.equal(['in', join('in', '-x.csv')]);
  });

  it('--symbol with a path in it is a usage error (exit 2)', async () => {
    const r = await mm(['features', fixture('cli', 'NVDA_predict.csv'), '--symbol', '../x', '--json']);
    expect(r.exitCode, r.stdout).to.equal(2);
  });
});
