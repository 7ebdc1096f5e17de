import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  constantSchedule,
  computeWss, recordedWss, recordWss, signalCounts, WSS_SERIES_POINTS, type WssBatchResult, type WssRecord, type WssResult,
} from '../../../src/core/wss/index.js';
import { cleanup, tempDir } from '../../helpers.js';
import { H, T0, table } from './helpers.js';

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/** Hours 0…n−1 of symbol A (weight 1) cycling strong_sell … strong_buy, and one extra hour of Z (weight 0): WSS NaN there. */
function longSeries(n: number): WssResult {
  const hours = Array.from({ length: n }, (_, i) => i);
  return computeWss(
    new Map([['A', table('A', hours, hours.map((h) => h % 5))], ['Z', table('Z', [n], [4])]]),
    new Map([['A', 1], ['Z', 0]]),
    { use: 'action' },
  );
}

/** The parts of a batch result that the record reads (no real predictions needed). */
function fakeBatch(w: WssResult): WssBatchResult {
  return {
    predictions: {
      model: { run: { id: '20260101T000000Z-rf-abcdef' }, alias: 'champion' },
      results: [{ symbol: 'A', data: { source: '/data/A.csv', sha256: 'aa' } }],
    },
    weights: constantSchedule(new Map([['A', 1]]), '/data/w.csv'),
    wss: w,
    counts: signalCounts(w),
    baseline: { wss: w, counts: signalCounts(w) },
    evaluation: null,
  } as unknown as WssBatchResult;
}

describe('recording a WSS run', () => {
  let reg: string;
  beforeEach(() => {
    reg = tempDir();
  });
  afterEach(() => cleanup(reg));

  it('recordedWss keeps a short series whole with signals by name and null for an hour without a score', () => {
    const r = recordedWss(longSeries(5));
    // Scores −2, −1, 0, 1, 2 against ±0.5 thresholds; hour 5 has only Z, whose weight is 0.
    expect(r.hours).to.equal(6);
    expect(r.wss).to.deep.equal([-2, -1, 0, 1, 2, null]);
    expect(r.signal).to.deep.equal(['SELL', 'SELL', 'HOLD', 'BUY', 'BUY', 'HOLD']);
    expect(r.time[5]).to.equal(iso(T0 + 5 * H));
  });

  it('recordedWss downsamples a long series to evenly spaced hours with the last one', () => {
    const w = longSeries(2500);
    const r = recordedWss(w);
    expect(r.hours).to.equal(2501);
    for (const col of [r.time, r.wss, r.signal]) expect(col).to.have.length(WSS_SERIES_POINTS);
    expect(r.time[WSS_SERIES_POINTS - 1]).to.equal(iso(T0 + 2500 * H));
    const k = 321;
    const hour = Math.round((k * 2500) / (WSS_SERIES_POINTS - 1));
    expect(r.time[k]).to.equal(iso(T0 + hour * H));
    expect(r.wss[k]).to.equal((hour % 5) - 2);
  });

  it('recordWss writes <registry>/wss/<id>.json with the summary and the series, and nothing else', () => {
    const w = longSeries(30);
    const at = new Date('2026-02-03T04:05:06Z');
    const out = recordWss(reg, fakeBatch(w), { createdAt: at, command: 'mm wss x', mmVersion: '0.1.0' });
    expect(out.id).to.match(/^20260203T040506Z-wss-[0-9a-f]{6}$/);
    expect(out.path).to.equal(join(reg, 'wss', `${out.id}.json`));
    expect(readdirSync(join(reg, 'wss'))).to.deep.equal([`${out.id}.json`]); // no temp file left behind
    const rec = JSON.parse(readFileSync(out.path, 'utf8')) as WssRecord;
    expect(rec).to.include({ id: out.id, createdAt: '2026-02-03T04:05:06.000Z', command: 'mm wss x', mmVersion: '0.1.0' });
    expect(rec.inputs).to.deep.equal([{ symbol: 'A', path: '/data/A.csv', sha256: 'aa' }]);
    expect(rec.summary['counts']).to.deep.equal(signalCounts(w));
    expect(rec.summary['model']).to.deep.equal({ runId: '20260101T000000Z-rf-abcdef', alias: 'champion' });
    expect(rec.series.hours).to.equal(31);
    expect(rec.series.wss).to.have.length(31);
    expect(JSON.parse(readFileSync(join(reg, 'registry.json'), 'utf8'))).to.deep.equal({ schemaVersion: 1 });
    // Same content at the same time: the same id (and the same file).
    expect(recordWss(reg, fakeBatch(w), { createdAt: at, command: 'mm wss x', mmVersion: '0.1.0' }).id).to.equal(out.id);
    expect(recordWss(reg, fakeBatch(longSeries(31)), { createdAt: at, command: 'mm wss x', mmVersion: '0.1.0' }).id).to.not.equal(out.id);
  });
});
