import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/core/serve/index.js';
import { cleanup, tempDir } from '../../helpers.js';
import { barRecords, clock, promote, trainSmall, type BarRecord } from './model-fixture.js';

interface Row {
  symbol: string;
  timestamp: string;
  action: string;
}
interface BatchOut {
  predictions: Row[];
  wss?: { timestamp: string; timestamp_next: string; wss: number; signal: string; coverage: number; n_symbols: number; unweighted: string[]; missing: string[] };
}

// Class scores of docs/labels.md.
const SCORE: Record<string, number> = { strong_sell: -2, sell: -1, hold: 0, buy: 1, strong_buy: 2 };

describe('serve app: POST /predict/batch', () => {
  let reg: string;
  let app: FastifyInstance;
  let nvda: BarRecord[];
  let amd: BarRecord[];

  before(async () => {
    reg = tempDir();
    promote(reg, 'champion', await trainSmall(reg, 1));
    nvda = barRecords().slice(-60);
    // A second symbol with different moves: the same timestamps, prices reversed in time order.
    const rev = [...nvda].reverse();
    amd = nvda.map((b, i) => {
      const r = rev[i] as BarRecord;
      return { timestamp: b.timestamp, open: r.close, high: r.high, low: r.low, close: r.open, volume: r.volume };
    });
  });
  after(() => cleanup(reg));
  beforeEach(() => {
    app = buildApp({ registry: reg, minConfidence: 0.6, clock });
  });
  afterEach(() => app.close());

  it('returns one last-bar row per symbol and no WSS without weights', async () => {
    const r = await app.inject({ method: 'POST', url: '/predict/batch', payload: { items: [{ symbol: 'nvda', bars: nvda }, { symbol: 'AMD', bars: amd }] } });
    expect(r.statusCode, r.body).to.equal(200);
    const out = r.json() as BatchOut;
    expect(out.predictions.map((p) => p.symbol)).to.deep.equal(['NVDA', 'AMD']);
    expect(out).to.not.have.property('wss');
  });

  it('with weights, the WSS is the weight-averaged class score of the rows (docs/wss.md)', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/predict/batch',
      payload: { items: [{ symbol: 'NVDA', bars: nvda }, { symbol: 'AMD', bars: amd }], weights: { NVDA: 3, AMD: 1, MSFT: 1 } },
    });
    expect(r.statusCode, r.body).to.equal(200);
    const out = r.json() as BatchOut;
    const [a, b] = out.predictions as [Row, Row];
    // Weights renormalised over the symbols present: (3·s_NVDA + 1·s_AMD) / 4.
    const expected = (3 * (SCORE[a.action] as number) + (SCORE[b.action] as number)) / 4;
    expect(out.wss?.wss).to.be.closeTo(expected, 1e-6);
    expect(out.wss?.timestamp).to.equal(a.timestamp);
    expect(out.wss?.n_symbols).to.equal(2);
    // MSFT's weight (1 of 5) is missing, so coverage is 4/5.
    expect(out.wss?.coverage).to.be.closeTo(0.8, 1e-9);
    expect(out.wss?.missing).to.deep.equal(['MSFT']);
    expect(out.wss?.signal).to.equal(expected >= 0.5 ? 'BUY' : expected <= -0.5 ? 'SELL' : 'HOLD');
  });

  it('scores the WSS at the last timestamp common to all items, and accepts weights as a list', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/predict/batch',
      payload: { items: [{ symbol: 'NVDA', bars: nvda }, { symbol: 'AMD', bars: amd.slice(0, -2) }], weights: [{ symbol: 'NVDA', weight: 1 }], use: 'expected' },
    });
    expect(r.statusCode, r.body).to.equal(200);
    const out = r.json() as BatchOut;
    expect(out.wss?.timestamp).to.equal(out.predictions[1]?.timestamp);
    expect(out.wss?.timestamp).to.not.equal(out.predictions[0]?.timestamp);
    expect(out.wss?.unweighted).to.deep.equal(['AMD']);
  });

  it('refuses a symbol sent twice (422), bad bars naming the item (422) and a bad "use" (400)', async () => {
    const twice = await app.inject({ method: 'POST', url: '/predict/batch', payload: { items: [{ symbol: 'NVDA', bars: nvda }, { symbol: 'nvda', bars: amd }] } });
    expect(twice.statusCode).to.equal(422);
    expect((twice.json() as { error: { message: string } }).error.message).to.equal('items[1]: symbol NVDA appears twice in the batch');
    const short = await app.inject({ method: 'POST', url: '/predict/batch', payload: { items: [{ symbol: 'NVDA', bars: nvda }, { symbol: 'AMD', bars: amd.slice(0, 5) }] } });
    expect(short.statusCode).to.equal(422);
    expect((short.json() as { error: { message: string } }).error.message).to.match(/^items\[1\]: 5 bars, but at least 21/);
    const use = await app.inject({ method: 'POST', url: '/predict/batch', payload: { items: [{ symbol: 'NVDA', bars: nvda }], use: 'max' } });
    expect(use.statusCode).to.equal(400);
    expect((use.json() as { error: { message: string } }).error.message).to.match(/body\/use must be equal to one of the allowed values/);
  });
});
