import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBarsFile } from '../../../src/core/data/index.js';
import { DataError } from '../../../src/core/errors.js';
import { ingest } from '../../../src/core/pipeline/index.js';
import { cleanup, fixture, tempDir } from '../../helpers.js';

const LINES = readFileSync(fixture('cli', 'NVDA_train.csv'), 'utf8').trim().split('\n');
const HEADER = LINES[0] as string;
const ROWS = LINES.slice(1);

/** Write rows [from, to) of the fixture as `<dir>/<name>`. */
function slice(dir: string, name: string, from: number, to: number, edit?: (row: string, i: number) => string): string {
  const p = join(dir, name);
  writeFileSync(p, [HEADER, ...ROWS.slice(from, to).map((r, k) => (edit ? edit(r, from + k) : r))].join('\n') + '\n');
  return p;
}

describe('pipeline ingest', () => {
  let tmp: string;
  let data: string;
  beforeEach(() => {
    tmp = tempDir();
    data = join(tmp, 'data');
  });
  afterEach(() => cleanup(tmp));

  it('creates the symbol file, then merges overlapping bars in time order without duplicates', () => {
    const a = slice(tmp, 'NVDA_a.csv', 0, 300);
    const first = ingest([a], data);
    expect(first).to.have.length(1);
    expect(first[0]).to.include({ symbol: 'NVDA', before: 0, added: 300, duplicates: 0, after: 300 });
    // The second file overlaps the first by 100 bars and carries 168 new ones.
    const b = slice(tmp, 'NVDA_b.csv', 200, ROWS.length);
    const second = ingest([b], data);
    expect(second[0]).to.include({ before: 300, added: ROWS.length - 300, duplicates: 100, after: ROWS.length });
    const merged = readBarsFile(join(data, 'NVDA.csv')).bars;
    const whole = readBarsFile(fixture('cli', 'NVDA_train.csv')).bars;
    expect(Array.from(merged.time)).to.deep.equal(Array.from(whole.time));
    expect(Array.from(merged.close)).to.deep.equal(Array.from(whole.close));
    expect(Array.from(merged.volume)).to.deep.equal(Array.from(whole.volume));
  });

  it('inserts older bars before the stored ones', () => {
    ingest([slice(tmp, 'NVDA_late.csv', 200, 400)], data);
    const r = ingest([slice(tmp, 'NVDA_early.csv', 0, 250)], data);
    expect(r[0]).to.include({ added: 200, duplicates: 50, after: 400 });
    const t = Array.from(readBarsFile(join(data, 'NVDA.csv')).bars.time);
    expect(t.every((x, i) => i === 0 || x > (t[i - 1] as number))).to.equal(true);
  });

  it('re-ingesting the same file changes nothing (not even the file)', () => {
    const a = slice(tmp, 'NVDA_a.csv', 0, 300);
    ingest([a], data);
    const before = readFileSync(join(data, 'NVDA.csv'), 'utf8');
    const r = ingest([a], data);
    expect(r[0]).to.include({ added: 0, duplicates: 300, after: 300 });
    expect(readFileSync(join(data, 'NVDA.csv'), 'utf8')).to.equal(before);
  });

  it('a bar that differs from the stored one is an error, and no file of the batch is written', () => {
    ingest([slice(tmp, 'NVDA_a.csv', 0, 300)], data);
    const before = readFileSync(join(data, 'NVDA.csv'), 'utf8');
    // A valid file for a new symbol plus a revised NVDA bar in the overlap.
    const other = slice(tmp, 'AMD_x.csv', 0, 50);
    const revised = slice(tmp, 'NVDA_b.csv', 250, 350, (row, i) => (i === 260 ? row.replace(/,(\d+)$/, (_, v: string) => `,${Number(v) + 1}`) : row));
    expect(() => ingest([other, revised], data)).to.throw(DataError, /differs from the one already stored/);
    expect(readFileSync(join(data, 'NVDA.csv'), 'utf8')).to.equal(before);
    expect(existsSync(join(data, 'AMD.csv'))).to.equal(false);
  });

  it('an invalid input file is rejected before anything is written', () => {
    const bad = join(tmp, 'NVDA_bad.csv');
    writeFileSync(bad, `${HEADER}\n${ROWS[0]}\n2023-04-24T06:35:00-07:00,272.72,abc,272.3,272.91,683520\n`);
    expect(() => ingest([slice(tmp, 'MSFT_ok.csv', 0, 40), bad], data)).to.throw(DataError);
    expect(existsSync(data) ? readdirSync(data) : []).to.deep.equal([]);
  });

  it('leaves no temporary files behind', () => {
    mkdirSync(data);
    ingest([slice(tmp, 'NVDA_a.csv', 0, 100), slice(tmp, 'AMD_a.csv', 0, 100)], data);
    expect(readdirSync(data).sort()).to.deep.equal(['AMD.csv', 'NVDA.csv']);
  });
});
