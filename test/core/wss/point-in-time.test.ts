import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, NotFoundError } from '../../../src/core/errors.js';
import { computeWss, readWeights, readWeightSchedule, snapshotDate } from '../../../src/core/wss/index.js';
import { cleanup, tempDir } from '../../helpers.js';
import { H, table } from './helpers.js';

const SNAPSHOTS = 'data/weights';
const B = 3;

/** Hours (offsets from `t0`) for a prediction table starting at an ISO instant. */
function tableAt(symbol: string, isoStarts: string[], action = B) {
  const t0 = Date.parse('2026-01-26T14:30:00Z');
  const hours = isoStarts.map((s) => (Date.parse(s) - t0) / H);
  return table(symbol, hours, hours.map(() => action));
}

describe('point-in-time index weights', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => cleanup(dir));

  it('reads a folder of dated snapshots in date order, from 00:00 New York of each date, and ignores undated files', () => {
    const s = readWeightSchedule(SNAPSHOTS);
    expect(s.pointInTime).to.equal(true);
    expect(s.snapshots.map((x) => x.date)).to.deep.equal(['2024-12-26', '2025-04-28', '2025-09-24']);
    // 2025-04-28 is in EDT (UTC−4): midnight New York = 04:00Z; 2024-12-26 in EST: 05:00Z.
    expect(new Date(s.snapshots[1]!.from).toISOString()).to.equal('2025-04-28T04:00:00.000Z');
    expect(new Date(s.snapshots[0]!.from).toISOString()).to.equal('2024-12-26T05:00:00.000Z');
    // Each snapshot is the file readWeights reads.
    expect([...s.snapshots[2]!.weights]).to.deep.equal([...readWeights(join(SNAPSHOTS, 'ndx_weights_2025-09-24.csv')).weights]);
    expect(s.ignored).to.deep.equal([]);
  });

  it('weights each hour by the latest snapshot on or before it, and lists members a snapshot lacks', () => {
    const s = readWeightSchedule(SNAPSHOTS);
    const [, april, sept] = s.snapshots;
    // SHOP joined the index between the April and September snapshots, MDB left it.
    expect(april!.weights.has('SHOP')).to.equal(false);
    expect(sept!.weights.has('SHOP')).to.equal(true);
    expect(april!.weights.has('MDB')).to.equal(true);
    expect(sept!.weights.has('MDB')).to.equal(false);
    const hours = ['2025-09-23T19:30:00Z', '2025-09-24T13:30:00Z'];
    const tables = new Map([
      ['AAPL', tableAt('AAPL', hours, 3)],
      ['SHOP', tableAt('SHOP', hours, 4)],
      ['MDB', tableAt('MDB', hours, 0)],
    ]);
    const w = computeWss(tables, s, { use: 'action' });
    expect(w.n).to.equal(2);
    // Hour 0 (2025-09-23) uses April: AAPL (buy, +1) and MDB (strong_sell, −2); SHOP has no weight.
    const a = april!.weights.get('AAPL')!;
    const m = april!.weights.get('MDB')!;
    expect(w.wss[0]).to.be.closeTo((a * 1 + m * -2) / (a + m), 1e-12);
    // Hour 1 (2025-09-24, on the snapshot's date) uses September: AAPL (+1) and SHOP (strong_buy, +2); MDB has none.
    const a2 = sept!.weights.get('AAPL')!;
    const s2 = sept!.weights.get('SHOP')!;
    expect(w.wss[1]).to.be.closeTo((a2 * 1 + s2 * 2) / (a2 + s2), 1e-12);
    expect(w.coverage[1]).to.be.closeTo(a2 + s2, 1e-12);
    const use = new Map(w.snapshots.map((u) => [u.date, u]));
    expect(use.get('2025-04-28')).to.include({ hours: 1 });
    expect(use.get('2025-04-28')!.unweighted).to.deep.equal(['SHOP']);
    expect(use.get('2025-09-24')!.unweighted).to.deep.equal(['MDB']);
    expect(use.get('2024-12-26')!.hours).to.equal(0);
    expect(w.unweighted).to.deep.equal(['MDB', 'SHOP']);
    expect(w.missingData).to.include('NVDA');
    expect(w.noSnapshot).to.equal(0);
  });

  it('gives hours before the first snapshot no weights: WSS undefined, coverage 0, HOLD, counted', () => {
    const s = readWeightSchedule(SNAPSHOTS);
    const w = computeWss(new Map([['AAPL', tableAt('AAPL', ['2024-12-24T15:30:00Z', '2024-12-26T15:30:00Z'], 4)]]), s, { use: 'action' });
    expect(w.noSnapshot).to.equal(1);
    expect(Number.isNaN(w.wss[0])).to.equal(true);
    expect(w.coverage[0]).to.equal(0);
    expect(w.signal[0]).to.equal(0);
    expect(w.wss[1]).to.equal(2);
    expect(w.signal[1]).to.equal(1);
  });

  it('a single weights file applies to every hour, dated or not', () => {
    const s = readWeightSchedule(join(SNAPSHOTS, 'ndx_weights_2025-09-24.csv'));
    expect(s.pointInTime).to.equal(false);
    expect(s.snapshots).to.have.length(1);
    expect(s.snapshots[0]!.date).to.equal('2025-09-24');
    const w = computeWss(new Map([['AAPL', tableAt('AAPL', ['2022-12-12T15:30:00Z'], 4)]]), s, { use: 'action' });
    expect(w.wss[0]).to.equal(2);
    expect(w.noSnapshot).to.equal(0);
  });

  it('refuses a folder without dated snapshots, two snapshots of one date, and a missing path', () => {
    writeFileSync(join(dir, 'notes.csv'), 'symbol,weight\nA,1\n');
    expect(() => readWeightSchedule(dir)).to.throw(DataError, /no dated weights snapshots/);
    mkdirSync(join(dir, 'two'));
    writeFileSync(join(dir, 'two', 'a_2025-01-02.csv'), 'symbol,weight\nA,1\n');
    writeFileSync(join(dir, 'two', 'b_2025-01-02.csv'), 'symbol,weight\nA,1\n');
    expect(() => readWeightSchedule(join(dir, 'two'))).to.throw(DataError, /two weights snapshots for 2025-01-02/);
    expect(() => readWeightSchedule(join(dir, 'nope'))).to.throw(NotFoundError, /no such weights file or folder/);
  });

  it('reads the date from file names and rejects impossible dates', () => {
    expect(snapshotDate('ndx_weights_2025-09-24.csv')).to.equal('2025-09-24');
    expect(snapshotDate('2025-04-28.csv')).to.equal('2025-04-28');
    expect(snapshotDate('ndx_members_2026-04-27_noweights.csv')).to.equal(null);
    expect(snapshotDate('w_2025-02-30.csv')).to.equal(null);
    expect(snapshotDate('w_2025-13-01.csv')).to.equal(null);
  });
});
