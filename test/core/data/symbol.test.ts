import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { barsFromRecords, parseBarsCsv, readBarsFile } from '../../../src/core/data/index.js';
import { checkSymbol, isSymbol, symbolFlag, symbolFromFileName } from '../../../src/core/data/symbol.js';
import { DataError, UsageError } from '../../../src/core/errors.js';
import { parseWeightsCsv } from '../../../src/core/wss/weights.js';
import { cleanup, tempDir } from '../../helpers.js';

const ROWS = ['2023-04-10T13:30:00Z,100,101,99,100.5,1000', '2023-04-10T13:35:00Z,100.5,102,100,101,1200'];
const csvWithSymbol = (sym: string): string => `timestamp,open,high,low,close,volume,symbol\n${ROWS.map((r) => `${r},${sym}`).join('\n')}\n`;

describe('symbol grammar', () => {
  it('accepts real tickers of several venues', () => {
    for (const s of ['NVDA', 'BRK.B', 'BRK-B', '^GSPC', 'ES=F', 'EURUSD=X', 'A', '7203', 'BF_B', 'X'.repeat(32)]) expect(isSymbol(s), s).to.equal(true);
  });

  it('refuses path pieces, control characters, formulas, flags and more than 32 characters', () => {
    for (const s of ['', '.', '..', '../VICTIM', 'A/B', 'A\\B', 'AB\u0000C', 'A B', 'A\tB', '=HYPERLINK("x")', '=1+2', '-A', '+A', '@A', '.A', '_A', 'X'.repeat(33), 'ÄPFEL']) {
      expect(isSymbol(s), JSON.stringify(s)).to.equal(false);
    }
  });

  it('checkSymbol trims and upper-cases, and names where a bad one came from with exit 3', () => {
    expect(checkSymbol(' brk.b ', 'w.csv:2')).to.equal('BRK.B');
    expect(() => checkSymbol('../victim', 'in.csv:2 (column symbol)')).to.throw(DataError, /^in\.csv:2 \(column symbol\): symbol "\.\.\/VICTIM" is not a valid symbol/);
    const long = (() => { try { checkSymbol('A'.repeat(300), 'x.csv:5'); } catch (e) { return e as DataError; } return null; })();
    expect(long).to.be.instanceOf(DataError);
    expect(long?.exitCode).to.equal(3);
    expect(long?.message).to.match(/is 300 characters long/);
    // the message stays one short line: the value is cut
    expect(long?.message.length).to.be.below(120);
  });

  it('a --symbol flag value that breaks the grammar is a usage error (exit 2)', () => {
    expect(symbolFlag('nvda')).to.equal('NVDA');
    expect(() => symbolFlag('../x')).to.throw(UsageError);
  });

  it('a file name that breaks the grammar gives no symbol rather than a path piece', () => {
    expect(symbolFromFileName('dir/NVDA_5m.csv')).to.equal('NVDA');
    expect(symbolFromFileName('dir/.hidden.csv')).to.equal(null);
    expect(symbolFromFileName(`dir/${'A'.repeat(40)}.csv`)).to.equal(null);
    expect(symbolFromFileName('dir/=cmd.csv')).to.equal(null);
  });
});

describe('symbols entering through files and bodies', () => {
  it('a symbol column of ../victim, a NUL byte or 300 characters is a DataError naming file, line and column', () => {
    for (const sym of ['../victim', 'AB\u0000C', 'A'.repeat(300), '=HYPERLINK("http://x")']) {
      const err = (() => { try { parseBarsCsv(csvWithSymbol(sym), { source: 'in.csv' }); } catch (e) { return e; } return null; })();
      expect(err, sym).to.be.instanceOf(DataError);
      expect((err as DataError).message).to.match(/^in\.csv:2 \(column symbol\): symbol /);
    }
    expect(parseBarsCsv(csvWithSymbol('brk.b'), { source: 'in.csv' }).bars.symbol).to.equal('BRK.B');
  });

  it('readBarsFile on a real file with a hostile symbol exits 3 (not 1)', () => {
    const dir = tempDir();
    try {
      const p = join(dir, 'x.csv');
      writeFileSync(p, csvWithSymbol('../../PWNED'));
      expect(() => readBarsFile(p)).to.throw(DataError, /x\.csv:2 \(column symbol\)/);
    } finally {
      cleanup(dir);
    }
  });

  it('a symbol option given with JSON records is checked the same way', () => {
    const rec = [{ timestamp: '2023-04-10T13:30:00Z', open: 1, high: 1, low: 1, close: 1, volume: 1 }];
    expect(() => barsFromRecords(rec, { source: '<request>', symbol: '../x' })).to.throw(DataError, /<request>: symbol: symbol "\.\.\/X"/);
  });

  it('a weights file with a bad symbol names its line', () => {
    expect(() => parseWeightsCsv('symbol,weight\nNVDA,1\n../ETC,2\n', 'w.csv')).to.throw(DataError, /^w\.csv:3 \(column symbol\): symbol "\.\.\/ETC"/);
  });
});
