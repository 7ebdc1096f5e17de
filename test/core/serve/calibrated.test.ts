import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { readBarsFile } from '../../../src/core/data/index.js';
import { defaultFeatureSpec } from '../../../src/core/features/index.js';
import { makeLabelSpec } from '../../../src/core/labels/index.js';
import { loadModel } from '../../../src/core/models/index.js';
import { predictBars, predictFile, predictionRows, type PredictionRow } from '../../../src/core/predict/index.js';
import { readRun, readRunModel } from '../../../src/core/registry/index.js';
import { buildApp } from '../../../src/core/serve/index.js';
import { trainModel } from '../../../src/core/train/index.js';
import { cleanup, tempDir } from '../../helpers.js';
import { barRecords, clock, PREDICT, promote, TRAIN, type BarRecord } from './model-fixture.js';

const P = ['p_strong_sell', 'p_sell', 'p_hold', 'p_buy', 'p_strong_buy'] as const;
const probs = (r: PredictionRow): number[] => P.map((k) => r[k]);

describe('serve applies calibration (real HTTP server)', function () {
  this.timeout(60_000);
  let reg: string;
  let runId: string;
  let app: FastifyInstance;
  let url: string;
  let bars: BarRecord[];
  let calibrated: PredictionRow[];
  let raw: PredictionRow[];

  before(async () => {
    reg = tempDir();
    const r = await trainModel(
      {
        path: TRAIN, registry: reg, features: defaultFeatureSpec(20), labels: makeLabelSpec({}),
        model: { kind: 'rf', params: { nTrees: 10, nJobs: 1, calibrate: 'isotonic' } },
        testFraction: 0.3, seed: 1, command: 'test', mmVersion: '0.0.0-test',
      },
      { clock },
    );
    runId = r.runId;
    promote(reg, 'champion', runId);
    bars = barRecords();
    // What mm predict writes, and what the uncalibrated base model inside the run would say.
    calibrated = predictionRows(predictFile({ path: PREDICT, registry: reg, ref: 'champion', minConfidence: 0.6 }).table);
    const run = readRun(reg, runId);
    const state = readRunModel(reg, run) as { kind: string; base: unknown };
    expect(state.kind).to.equal('calibrated');
    const base = loadModel(state.base, 'base');
    raw = predictionRows(predictBars(readBarsFile(PREDICT).bars, run.features, base, { minConfidence: 0.6, modelVersion: runId, intervalMs: 300_000 }));
    app = buildApp({ registry: reg, minConfidence: 0.6, clock });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app.close();
    cleanup(reg);
  });

  const post = async (path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('the calibrated table differs from the base model\'s (isotonic steps), so the checks below can tell them apart', () => {
    const last = calibrated[calibrated.length - 1] as PredictionRow;
    expect(probs(last)).to.not.deep.equal(probs(raw[raw.length - 1] as PredictionRow));
  });

  it('POST /predict returns the calibrated probabilities mm predict writes', async () => {
    const r = await post('/predict', { symbol: 'NVDA', bars });
    expect(r.status).to.equal(200);
    expect(r.json['prediction']).to.deep.equal(calibrated[calibrated.length - 1]);
  });

  it('POST /predict/batch returns them too', async () => {
    const r = await post('/predict/batch', { items: [{ symbol: 'NVDA', bars }] });
    expect(r.status).to.equal(200);
    expect((r.json['predictions'] as PredictionRow[])[0]).to.deep.equal(calibrated[calibrated.length - 1]);
  });

  it('POST /bars (live mode) returns them once warm', async () => {
    let last: { status: number; json: Record<string, unknown> } | null = null;
    for (const b of bars.slice(0, 21)) last = await post('/bars', { symbol: 'NVDA', ...b });
    expect(last?.status).to.equal(200);
    const batch = await post('/predict', { symbol: 'NVDA', bars: bars.slice(0, 21) });
    expect(last?.json).to.deep.equal(batch.json);
    const row = (batch.json['prediction'] as PredictionRow);
    for (const p of probs(row)) expect(p > 0 && p < 1).to.equal(true);
  });
});
