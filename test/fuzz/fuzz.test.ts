/**
 * Property-based fuzzing with fast-check over everything hostile input reaches: the CSV reader, the
 * symbol grammar and output-path wall, the registry files (run.json, aliases.json, model.json) and
 * the server's HTTP bodies. Case counts are bounded so the suite stays a few seconds. The property
 * is always the same: no crash, and every error is a typed AppError that is not INTERNAL (exit 1);
 * the server never answers 5xx.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSymbol, isSymbol, parseBarsCsv } from '../../src/core/data/index.js';
import { splitCsvLine } from '../../src/core/data/header.js';
import { AppError } from '../../src/core/errors.js';
import { loadRunModel } from '../../src/core/predict/index.js';
import { listRuns, readAliases, resolveRef } from '../../src/core/registry/index.js';
import { sha256 } from '../../src/core/util/fs-atomic.js';
import { pathInside } from '../../src/core/util/safe-path.js';
import { buildApp } from '../../src/core/serve/index.js';
import { barRecords, clock, promote, trainSmall } from '../core/serve/model-fixture.js';
import { cleanup, referenceCsvCells, tempDir } from '../helpers.js';

let generated = 0;
const runs = (n: number): { numRuns: number } => {
  generated += n;
  return { numRuns: n };
};

/** Run `f`; any throw must be a typed AppError other than INTERNAL (so never exit 1). */
function typedOrNothing(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    expect(err, String((err as Error)?.stack ?? err)).to.be.instanceOf(AppError);
    expect((err as AppError).exitCode, (err as Error).message).to.not.equal(1);
  }
}

const HEADER = 'timestamp,open,high,low,close,volume,symbol\n';
const GOOD = ['2023-04-10T13:30:00Z,100,101,99,100.5,1000', '2023-04-10T13:35:00Z,100.5,102,100,101,1200'];

describe('fuzz (fast-check)', function () {
  this.timeout(120_000);
  after(() => {
    // eslint-disable-next-line no-console
    console.log(`      fuzz: ${generated} generated cases (each one a crash or an exit-1 would fail its test)`);
  });

  it('CSV reader: arbitrary cells, symbols and numbers give bars or a typed error (exit 3)', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('"', '""', '\r', '\n', ',', '\u0000', '../x', '=HYPERLINK("x")', '1e400', '-0', 'NaN', '9'.repeat(400), 'A'.repeat(300)),
      fc.double().map(String),
    );
    const row = fc.array(cell, { minLength: 7, maxLength: 7 }).map((c) => c.join(','));
    fc.assert(
      fc.property(fc.array(fc.oneof(row, fc.constantFrom(...GOOD.map((g) => `${g},NVDA`))), { maxLength: 6 }), fc.string({ maxLength: 20 }), (rows, sym) => {
        typedOrNothing(() => parseBarsCsv(HEADER + rows.join('\n'), { source: 'fuzz.csv' }));
        typedOrNothing(() => parseBarsCsv(HEADER + GOOD.map((g) => `${g},${sym}`).join('\n'), { source: 'fuzz.csv' }));
      }),
      runs(600),
    );
  });

  it('symbol grammar: whatever passes it is one safe file name inside its folder', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('..', '.', '/', 'A/../B', '^GSPC', 'ES=F')), (s) => {
        let sym: string | null = null;
        typedOrNothing(() => {
          sym = checkSymbol(s, 'fuzz');
        });
        if (sym !== null) {
          expect(isSymbol(sym)).to.equal(true);
          expect(pathInside('out', `${sym}.csv`)).to.equal(join('out', `${sym}.csv`));
        }
        typedOrNothing(() => pathInside('out', s));
      }),
      runs(1000),
    );
  });

  it('splitCsvLine agrees with the plain character-by-character reading', () => {
    const reference = referenceCsvCells;
    const piece = fc.oneof(fc.constantFrom('"', '""', ',', 'a', 'bc', ' ', '\r'), fc.string({ maxLength: 4 }));
    fc.assert(fc.property(fc.array(piece, { maxLength: 20 }).map((p) => p.join('')), (line) => {
      expect(splitCsvLine(line)).to.deep.equal(reference(line));
    }), runs(1500));
  });

  describe('registry files', () => {
    let reg: string;
    let runId: string;
    let runText: string;
    let modelText: string;
    before(async () => {
      reg = tempDir();
      runId = await trainSmall(reg, 1);
      promote(reg, 'champion', runId);
      runText = readFileSync(join(reg, runId, 'run.json'), 'utf8');
      modelText = readFileSync(join(reg, runId, 'model.json'), 'utf8');
    });
    after(() => cleanup(reg));
    afterEach(() => {
      writeFileSync(join(reg, runId, 'run.json'), runText);
      writeFileSync(join(reg, runId, 'model.json'), modelText);
      writeFileSync(join(reg, 'aliases.json'), JSON.stringify({ champion: runId }));
    });

    /** Every path (as key lists) into a JSON value, containers included. */
    const paths = (v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] => {
      out.push(at);
      if (Array.isArray(v)) v.slice(0, 40).forEach((x, i) => paths(x, [...at, i], out));
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
      return out;
    };
    /** `doc` with the value at `path` replaced (or deleted when `value` is undefined). */
    const mutate = (doc: unknown, path: (string | number)[], value: unknown): unknown => {
      if (path.length === 0) return value;
      const copy = JSON.parse(JSON.stringify(doc)) as Record<string | number, unknown>;
      let o = copy;
      for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
      const last = path[path.length - 1] as string | number;
      if (value === undefined) {
        if (Array.isArray(o)) o.splice(last as number, 1);
        else delete o[last];
      } else o[last] = value;
      return copy;
    };
    const replacement = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(1e9, -3, 0, -1, 1e308, 'no_such_feature', '__proto__', null, [], {}));
    const readEverything = (): void => {
      typedOrNothing(() => readAliases(reg));
      typedOrNothing(() => resolveRef(reg, 'champion'));
      typedOrNothing(() => listRuns(reg));
      typedOrNothing(() => {
        const m = loadRunModel(reg, runId);
        // A model that loads must also predict without crashing.
        const cols = Array.from({ length: m.model.nFeatures }, (_, j) => Float64Array.from({ length: 3 }, (_, i) => (i - 1) * (j + 1) * 0.01));
        const p = m.model.predictProba(cols, 3);
        expect(p.length).to.equal(3 * m.model.nClasses);
      });
    };

    it('a corrupted run.json (any field replaced or removed, or the text cut) gives a typed error', () => {
      const doc = JSON.parse(runText) as unknown;
      const all = paths(doc);
      fc.assert(
        fc.property(fc.nat(all.length - 1), replacement, fc.nat(runText.length), fc.boolean(), (k, v, cut, truncate) => {
          const text = truncate ? runText.slice(0, cut) : JSON.stringify(mutate(doc, all[k] as (string | number)[], v)) ?? "";
          writeFileSync(join(reg, runId, 'run.json'), text);
          readEverything();
        }),
        runs(200),
      );
    });

    it('a corrupted model.json whose hash is fixed up in run.json reaches the validators and gives a typed error', () => {
      const doc = JSON.parse(modelText) as unknown;
      const all = paths(doc);
      const run = JSON.parse(runText) as { model: { sha256: string } };
      fc.assert(
        fc.property(fc.nat(all.length - 1), replacement, (k, v) => {
          const text = JSON.stringify(mutate(doc, all[k] as (string | number)[], v)) ?? "";
          writeFileSync(join(reg, runId, 'model.json'), text);
          writeFileSync(join(reg, runId, 'run.json'), JSON.stringify({ ...run, model: { ...run.model, sha256: sha256(text) } }));
          readEverything();
        }),
        runs(200),
      );
    });

    it('a corrupted aliases.json gives a typed error', () => {
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.string({ maxLength: 30 }), fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.constant(runId), fc.jsonValue({ maxDepth: 1 }))).map((d) => JSON.stringify(d))), (text) => {
          writeFileSync(join(reg, 'aliases.json'), text);
          readEverything();
        }),
        runs(150),
      );
    });
  });

  describe('HTTP bodies', () => {
    let reg: string;
    let app: ReturnType<typeof buildApp>;
    before(async () => {
      reg = tempDir();
      promote(reg, 'champion', await trainSmall(reg, 1));
      app = buildApp({ registry: reg, minConfidence: 0.6, clock, maxSymbols: 5 });
      await app.ready();
    });
    after(async () => {
      await app.close();
      cleanup(reg);
    });

    it('no body, JSON or not, near-valid or not, makes the server answer 5xx', async () => {
      const bars = barRecords().slice(-21);
      const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.double(), fc.constantFrom('../x', '\u0000', 'A'.repeat(300), '__proto__', -1, 0, 1e308));
      const bar = fc.record({ timestamp: value, open: value, high: value, low: value, close: value, volume: value }, { requiredKeys: [] });
      const body = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 40 }),
        fc.record({ symbol: value, bars: fc.oneof(fc.constant(bars), fc.array(bar, { maxLength: 3 })) }).map((v) => JSON.stringify(v)),
        fc.record({ symbol: fc.oneof(value, fc.constantFrom('NVDA', 'X1', 'X2')), timestamp: value, open: value, high: value, low: value, close: value, volume: value }).map((v) => JSON.stringify(v)),
        fc.record({ items: fc.array(fc.record({ symbol: value, bars: fc.constant(bars) }), { maxLength: 2 }), weights: value }).map((v) => JSON.stringify(v)),
        fc.constantFrom('{"__proto__": {"x": 1}, "bars": []}', '{"constructor": {"prototype": {}}}', '{"bars": [', ''),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('/predict', '/predict/batch', '/bars'), body, async (url, payload) => {
          const r = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
          expect(r.statusCode, `${url} ${payload.slice(0, 200)} → ${r.body.slice(0, 200)}`).to.be.below(500);
        }),
        runs(600),
      );
    });
  });
});
