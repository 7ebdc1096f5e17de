import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell, csvText, exactNumber } from '../../../src/core/util/csv-write.js';
import { arrayRows, csvChunks, jsonChunks, JsonRows, writeCsvFile, type RowSource } from '../../../src/core/util/table-stream.js';
import { cleanup, tempDir } from '../../helpers.js';

describe('csvCell: formula injection', () => {
  it('prefixes a single quote to text cells a spreadsheet would evaluate', () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).to.equal(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csvCell('+cmd')).to.equal("'+cmd");
    expect(csvCell('-2+3+cmd|\' /C calc\'!A0')).to.equal("'-2+3+cmd|' /C calc'!A0");
    expect(csvCell('@SUM(A1:A9)')).to.equal("'@SUM(A1:A9)");
    expect(csvCell('\t=1')).to.equal("'\t=1");
    expect(csvCell('\r=1')).to.equal(`"'\r=1"`);
  });

  it('never changes numbers, nor text that is a plain number', () => {
    expect(csvCell(-0.5)).to.equal('-0.5');
    expect(csvCell(-12)).to.equal('-12');
    expect(csvCell('-0.500')).to.equal('-0.500');
    expect(csvCell('+1e-3')).to.equal('+1e-3');
    expect(csvCell('-3.2%')).to.equal('-3.2%');
  });

  it('leaves ordinary text alone and quotes only where RFC 4180 needs it', () => {
    expect(csvCell('NVDA')).to.equal('NVDA');
    expect(csvCell('BRK.B')).to.equal('BRK.B');
    expect(csvCell('a,b')).to.equal('"a,b"');
    expect(csvCell(null)).to.equal('');
    expect(csvText(['symbol', 'x'], [['=A1', -1], ['MSFT', null]])).to.equal("symbol,x\n'=A1,-1\nMSFT,\n");
  });

  it('neutralises every text cell starting with a formula character, whatever follows (fuzzed)', () => {
    fc.assert(fc.property(fc.constantFrom('=', '+', '-', '@', '\t', '\r'), fc.string(), (c, rest) => {
      const s = c + rest;
      const out = csvCell(s);
      const unquoted = out.startsWith('"') ? out.slice(1, -1).replace(/""/g, '"') : out;
      const isPlainNumber = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?$/.test(s);
      expect(unquoted).to.equal(isPlainNumber ? s : `'${s}`);
    }), { numRuns: 2000 });
  });
});

describe('exactNumber: float64 round trip', () => {
  it('parses back to the same bits for every double (fuzzed), -0 and the extremes included', () => {
    for (const x of [-0, 0, 5e-324, -5e-324, Number.MAX_VALUE, 0.1 + 0.2, 1 / 3, Infinity, -Infinity]) {
      expect(Object.is(Number(exactNumber(x)), x), String(x)).to.equal(true);
    }
    fc.assert(fc.property(fc.double({ noNaN: true }), (x) => Object.is(Number(exactNumber(x)), x)), { numRuns: 20000 });
    expect(exactNumber(Number.NaN)).to.equal('');
  });
});

describe('streamed tables', () => {
  const src = (n: number): RowSource => ({
    columns: ['i', 'x', 'name'],
    n,
    row(i, out) {
      out[0] = i;
      out[1] = i === 3 ? -0 : Math.sin(i) / 7;
      out[2] = i % 2 === 0 ? `=cmd${i}` : null;
    },
  });

  it('writes a CSV file chunk by chunk that equals the one-string writer and reads back exactly', () => {
    const dir = tempDir();
    try {
      const n = 30_000; // several 64 KB chunks
      const path = join(dir, 'sub', 't.csv');
      writeCsvFile(path, src(n));
      const text = readFileSync(path, 'utf8');
      const rows: (string | number | null)[][] = [];
      const s = src(n);
      for (let i = 0; i < n; i++) {
        const r: (string | number | null)[] = [null, null, null];
        s.row(i, r);
        rows.push(r);
      }
      expect(text).to.equal(csvText(s.columns, rows));
      const lines = text.trimEnd().split('\n').slice(1);
      expect(lines.length).to.equal(n);
      lines.forEach((l, i) => {
        const c = l.split(',');
        expect(Object.is(Number(c[1]), rows[i]?.[1])).to.equal(true);
        expect(c[2]).to.equal(i % 2 === 0 ? `'=cmd${i}` : '');
      });
      expect([...csvChunks(s)].length).to.be.above(5);
    } finally {
      cleanup(dir);
    }
  });

  it('streams --json records that JSON.parse reads back to the same values, bit for bit', () => {
    const doc = { a: 1, nested: { rows: new JsonRows(src(5000)), empty: new JsonRows(arrayRows(['x'], [])) }, tail: [1, 2] };
    const parsed = JSON.parse([...jsonChunks(doc)].join('')) as { a: number; nested: { rows: { i: number; x: number; name: string | null }[]; empty: unknown[] }; tail: number[] };
    expect(parsed.a).to.equal(1);
    expect(parsed.tail).to.deep.equal([1, 2]);
    expect(parsed.nested.empty).to.deep.equal([]);
    expect(parsed.nested.rows.length).to.equal(5000);
    const s = src(5000);
    const r: (string | number | null)[] = [null, null, null];
    parsed.nested.rows.forEach((row, i) => {
      s.row(i, r);
      expect(row.i).to.equal(i);
      expect(Object.is(row.x, r[1]), `row ${i}`).to.equal(true);
      expect(row.name).to.equal(r[2]); // JSON is not a spreadsheet: text stays as it is
    });
  });
});
