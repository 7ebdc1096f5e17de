import { expect } from 'chai';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../../src/core/serve/index.js';
import { cleanup, tempDir } from '../../helpers.js';
import { barRecords, clock, promote, trainSmall, type BarRecord } from './model-fixture.js';

describe('serve app: POST /bars (live mode)', () => {
  let reg: string;
  let app: FastifyInstance;
  let bars: BarRecord[];
  const send = (a: FastifyInstance, symbol: string, b: BarRecord): Promise<LightMyRequestResponse> =>
    a.inject({ method: 'POST', url: '/bars', payload: { symbol, ...b } });

  before(async () => {
    reg = tempDir();
    promote(reg, 'champion', await trainSmall(reg, 1));
    bars = barRecords();
  });
  after(() => cleanup(reg));
  beforeEach(() => {
    app = buildApp({ registry: reg, minConfidence: 0.6, clock });
  });
  afterEach(() => app.close());

  it('answers 202 "warming up: n of 21 bars" until warm, then the prediction row equal to /predict on the same bars', async () => {
    for (let i = 0; i < 20; i++) {
      const r = await send(app, 'NVDA', bars[i] as BarRecord);
      expect(r.statusCode, r.body).to.equal(202);
      expect(r.json()).to.deep.equal({ warming: true, symbol: 'NVDA', have: i + 1, need: 21, message: `warming up: ${i + 1} of 21 bars` });
    }
    const warm = await send(app, 'NVDA', bars[20] as BarRecord);
    expect(warm.statusCode, warm.body).to.equal(200);
    const batch = await app.inject({ method: 'POST', url: '/predict', payload: { symbol: 'NVDA', bars: bars.slice(0, 21) } });
    expect(warm.json()).to.deep.equal(batch.json());
  });

  it('rejects duplicate and out-of-order bars with 409 and keeps the window unchanged', async () => {
    // NVDA_predict.csv row 3 is 2023-05-02T06:40:00-07:00 = 13:40Z.
    for (let i = 0; i < 3; i++) await send(app, 'NVDA', bars[i] as BarRecord);
    const dup = await send(app, 'NVDA', bars[2] as BarRecord);
    expect(dup.statusCode).to.equal(409);
    expect((dup.json() as { error: { code: string; message: string } }).error).to.deep.include({ code: 'CONFLICT', message: 'NVDA: duplicate bar for 2023-05-02T13:40:00Z; the last bar received has the same timestamp' });
    const old = await send(app, 'NVDA', bars[0] as BarRecord);
    expect(old.statusCode).to.equal(409);
    expect((old.json() as { error: { message: string } }).error.message).to.match(/out of order; the last bar received is 2023-05-02T13:40:00Z/);
    const next = await send(app, 'NVDA', bars[3] as BarRecord);
    expect((next.json() as { have: number }).have).to.equal(4);
  });

  it('keeps symbols apart, validates the single bar (422) and its fields (400)', async () => {
    await send(app, 'NVDA', bars[0] as BarRecord);
    expect((((await send(app, 'AMD', bars[0] as BarRecord)).json()) as { have: number }).have).to.equal(1);
    const bad = await send(app, 'AMD', { ...(bars[1] as BarRecord), low: (bars[1] as BarRecord).high + 1 });
    expect(bad.statusCode).to.equal(422);
    expect((bad.json() as { error: { message: string } }).error.message).to.match(/record 0 \(field low\).*above min\(open, close\)/);
    const noSymbol = await app.inject({ method: 'POST', url: '/bars', payload: { ...bars[1] } });
    expect(noSymbol.statusCode).to.equal(400);
    expect((noSymbol.json() as { error: { message: string } }).error.message).to.match(/required property 'symbol'/);
  });

  it('bounds memory: the window holds at most maxWindow bars and at most maxSymbols symbols (429 with Retry-After while none is idle)', async () => {
    const small = buildApp({ registry: reg, minConfidence: 0.6, clock, maxWindow: 25, maxSymbols: 2 });
    try {
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i < 40; i++) last = await send(small, 'NVDA', bars[i] as BarRecord);
      expect(last?.statusCode).to.equal(200);
      expect((last?.json() as { warmup: { have: number } }).warmup.have).to.equal(25);
      await send(small, 'AMD', bars[0] as BarRecord);
      const third = await send(small, 'MSFT', bars[0] as BarRecord);
      expect(third.statusCode).to.equal(429);
      expect(third.headers['retry-after']).to.equal('60');
      expect((third.json() as { error: { code: string; message: string } }).error).to.deep.include({
        code: 'CAPACITY', message: 'live mode tracks 2 symbols and none has been idle for 60 s; MSFT is not accepted yet',
      });
    } finally {
      await small.close();
    }
  });

  it('evicts the least recently used idle symbol for a new one, and keeps the active ones', async () => {
    let t = 0;
    const manual = { now: () => new Date('2026-02-01T00:00:00Z'), elapsed: () => t };
    const small = buildApp({ registry: reg, minConfidence: 0.6, clock: manual, maxWindow: 25, maxSymbols: 2, idleMs: 10_000 });
    try {
      expect((await send(small, 'NVDA', bars[0] as BarRecord)).statusCode).to.equal(202);
      t = 1000;
      expect((await send(small, 'AMD', bars[0] as BarRecord)).statusCode).to.equal(202);
      t = 2000;
      expect((await send(small, 'NVDA', bars[1] as BarRecord)).statusCode).to.equal(202); // NVDA is now the most recent
      t = 9000;
      const early = await send(small, 'MSFT', bars[0] as BarRecord);
      expect(early.statusCode).to.equal(429);
      expect(early.headers['retry-after']).to.equal('2'); // AMD idle 8 s of 10
      t = 11_000;
      expect((await send(small, 'MSFT', bars[0] as BarRecord)).statusCode).to.equal(202); // AMD (idle 10 s) evicted, not NVDA
      const nvda = await send(small, 'NVDA', bars[2] as BarRecord);
      expect((nvda.json() as { have: number }).have).to.equal(3);
      const amd = await send(small, 'AMD', bars[1] as BarRecord);
      expect(amd.statusCode).to.equal(429); // NVDA and MSFT are both active
      t = 30_000;
      const back = await send(small, 'AMD', bars[1] as BarRecord);
      expect(back.statusCode).to.equal(202);
      expect((back.json() as { have: number }).have).to.equal(1); // its old window was dropped
    } finally {
      await small.close();
    }
  });

  it('never answers 5xx to a flood of new symbols', async () => {
    const small = buildApp({ registry: reg, minConfidence: 0.6, clock, maxWindow: 25, maxSymbols: 5 });
    try {
      const codes = new Set<number>();
      for (let i = 0; i < 50; i++) codes.add((await send(small, `S${i}`, bars[0] as BarRecord)).statusCode);
      expect([...codes].sort()).to.deep.equal([202, 429]);
    } finally {
      await small.close();
    }
  });

  it('refuses a maxWindow shorter than the warm-up window', () => {
    expect(() => buildApp({ registry: reg, minConfidence: 0.6, clock, maxWindow: 10 })).to.throw(/maxWindow must be a whole number of bars ≥ the warm-up window 21, got 10/);
  });
});
