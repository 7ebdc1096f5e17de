import { expect } from 'chai';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, NotFoundError } from '../../../src/core/errors.js';
import { readPipelineConfig } from '../../../src/core/pipeline/index.js';
import { cleanup, repoRoot, tempDir } from '../../helpers.js';

describe('pipeline config', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => cleanup(tmp));

  const write = (cfg: unknown): string => {
    const p = join(tmp, 'p.json');
    writeFileSync(p, typeof cfg === 'string' ? cfg : JSON.stringify(cfg));
    return p;
  };

  it('resolves paths against the config file and fills the documented defaults', () => {
    const c = readPipelineConfig(write({ data: 'd', ingest: { from: 'in/' }, compare: {}, predict: { input: ['x.csv', '/abs/y.csv'], out: 'o' } }));
    expect(c.data).to.equal(join(tmp, 'd'));
    expect(c.ingest?.from).to.deep.equal([join(tmp, 'in')]);
    expect(c.predict?.input).to.deep.equal([join(tmp, 'x.csv'), '/abs/y.csv']);
    expect(c.compare).to.deep.equal({ models: ['rf'], folds: 4, scheme: 'quantile', window: 20, seed: 42, params: {}, symbolFeature: 'ordinal', marketContext: false, calibrate: null });
    expect(c.gate).to.deep.equal({ alias: 'champion', metric: 'logLoss', minDelta: 0, minRelDelta: 0, requireBaselines: false, failOnReject: false });
    expect(c.predict).to.include({ minConfidence: 0.6, weights: null, index: null });
    expect(c.drift).to.equal(null);
  });

  it('names the field of every malformed value', () => {
    const cases: [unknown, RegExp][] = [
      ['{"data": ', /not valid JSON/],
      [[], /object/],
      [{ compare: {} }, /data/],
      [{ data: 'd' }, /compare/],
      [{ data: 'd', compare: { folds: 'four' } }, /compare\.folds/],
      [{ data: 'd', compare: { models: [1] } }, /compare\.models\[0\]/],
      [{ data: 'd', compare: { calibrate: 'platt' } }, /compare\.calibrate must be one of sigmoid, isotonic, none/],
      [{ data: 'd', compare: {}, predict: { input: 'x' } }, /predict\.out/],
      [{ data: 'd', compare: {}, drift: { failOnDrift: true } }, /drift\.current/],
      [{ data: 'd', compare: {}, ingest: { from: 'x', dedupe: true } }, /ingest: unknown key "dedupe"/],
      [{ data: 'd', compare: {}, steps: [] }, /unknown key "steps"/],
    ];
    for (const [cfg, re] of cases) expect(() => readPipelineConfig(write(cfg)), JSON.stringify(cfg)).to.throw(DataError, re);
  });

  it('a missing config file is NotFoundError', () => {
    expect(() => readPipelineConfig(join(tmp, 'none.json'))).to.throw(NotFoundError);
  });

  it('the example configs the README runs are valid and point at bundled files', () => {
    for (const name of ['pipeline-nvda.json', 'pipeline-nasdaq.json']) {
      const c = readPipelineConfig(resolve(repoRoot, 'examples', name));
      const inputs = [...(c.ingest?.from ?? []), ...(c.predict?.input ?? []), c.predict?.weights, c.predict?.index, c.drift?.current];
      for (const p of inputs) if (p !== null && p !== undefined) expect(existsSync(p), p).to.equal(true);
    }
  });
});
