import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { defaultFeatureSpec } from '../../../src/core/features/index.js';
import { makeLabelSpec } from '../../../src/core/labels/index.js';
import { expandInputs } from '../../../src/core/data/index.js';
import { predictMany } from '../../../src/core/predict/index.js';
import { buildApp } from '../../../src/core/serve/index.js';
import { trainPooled } from '../../../src/core/train/index.js';
import { cleanup, fixture, tempDir } from '../../helpers.js';
import { barRecords, clock, promote } from './model-fixture.js';

const DIR = fixture('pooled');
const SYMBOLS = ['AAPL', 'MSFT', 'NVDA'];

describe('serve app: a market-context model', () => {
  let reg: string;
  let app: FastifyInstance;

  before(async () => {
    reg = tempDir();
    const r = await trainPooled(
      {
        paths: expandInputs([DIR]), features: defaultFeatureSpec(20), labels: makeLabelSpec({}), thresholdScope: 'pooled', symbolEncoding: 'ordinal',
        marketContext: true, model: { kind: 'rf', params: { nTrees: 10, nJobs: 1 } }, testFraction: 0.3, seed: 1, registry: reg, command: 'test', mmVersion: '0.0.0-test',
      },
      { clock },
    );
    promote(reg, 'champion', r.runId);
  });
  after(() => cleanup(reg));
  beforeEach(() => {
    app = buildApp({ registry: reg, minConfidence: 0.6, clock });
  });
  afterEach(() => app.close());

  it('/predict/batch computes the basket from the items and matches mm predict on the same bars', async () => {
    const items = SYMBOLS.map((s) => ({ symbol: s, bars: barRecords(`${DIR}/${s}.csv`).slice(-80) }));
    const r = await app.inject({ method: 'POST', url: '/predict/batch', payload: { items } });
    expect(r.statusCode, r.body).to.equal(200);
    const rows = (r.json() as { predictions: { symbol: string; timestamp: string; p_hold: number }[] }).predictions;
    // The CLI path on the whole files: its row at the same (last) bar has the same probabilities,
    // because the context there also comes only from bars ≤ t of the same three symbols.
    const cli = predictMany({ inputs: [DIR], registry: reg, ref: 'champion', minConfidence: 0.6 });
    for (const row of rows) {
      const t = cli.results.find((x) => x.symbol === row.symbol)?.table;
      const last = (t?.n ?? 0) - 1;
      expect(new Date(t?.time[last] as number).toISOString().replace('.000Z', 'Z')).to.equal(row.timestamp);
      expect(row.p_hold).to.be.closeTo(t?.proba[last * 5 + 2] as number, 1e-6);
    }
  });

  it('/predict for one symbol is refused with 400 and says why', async () => {
    const r = await app.inject({ method: 'POST', url: '/predict', payload: { symbol: 'MSFT', bars: barRecords(`${DIR}/MSFT.csv`).slice(-80) } });
    expect(r.statusCode).to.equal(400);
    expect(r.body).to.match(/market context/);
  });
});
