import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { buildApp, startServer } from '../../../src/core/serve/index.js';
import { cleanup, tempDir } from '../../helpers.js';
import { barRecords, clock, promote, trainSmall } from './model-fixture.js';

/** Poll `url` until `pred` holds on its JSON body (the model swap happens in the background). */
async function until(app: FastifyInstance, url: string, pred: (body: any) => boolean): Promise<any> {
  for (let i = 0; i < 250; i++) {
    const body = (await app.inject({ method: 'GET', url })).json() as unknown;
    if (pred(body)) return body;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting on ${url}`);
}

describe('serve app: hot reload and a real listening port', () => {
  let reg: string;
  let runA: string;
  let runB: string;

  before(async () => {
    reg = tempDir();
    runA = await trainSmall(reg, 1);
    runB = await trainSmall(reg, 2);
  });
  after(() => cleanup(reg));

  it('serves the new run after the alias moves, without a restart', async () => {
    promote(reg, 'staging', runA);
    const app = buildApp({ registry: reg, ref: 'staging', minConfidence: 0.6, clock });
    try {
      expect(((await app.inject({ method: 'GET', url: '/version' })).json() as { runId: string }).runId).to.equal(runA);
      promote(reg, 'staging', runB);
      // The request path never loads: right after the move the old model answers, and the new
      // one is swapped in by the background poll.
      expect(((await app.inject({ method: 'GET', url: '/version' })).json() as { runId: string }).runId).to.equal(runA);
      await until(app, '/version', (b) => b.runId === runB);
      const p = await app.inject({ method: 'POST', url: '/predict', payload: { bars: barRecords().slice(-21) } });
      expect((p.json() as { prediction: { model_version: string } }).prediction.model_version).to.equal(`${runB} (staging)`);
    } finally {
      await app.close();
    }
  });

  it('keeps serving the old model when the new one fails to load, and reports why in /health', async () => {
    promote(reg, 'canary', runA);
    const app = buildApp({ registry: reg, ref: 'canary', minConfidence: 0.6, clock });
    try {
      const missing = '20260102T030405Z-rf-ffffff';
      writeFileSync(join(reg, 'aliases.json'), JSON.stringify({ canary: missing }));
      const h = (await until(app, '/health', (b) => b.model.reloadError !== undefined)) as { ok: boolean; model: { runId: string; reloadError?: { message: string; at: string } } };
      expect(h.model.runId).to.equal(runA);
      expect(h.model.reloadError?.message).to.equal(`alias "canary" points at run ${missing}, which is missing from ${reg}`);
      expect(h.model.reloadError?.at).to.equal('2026-01-02T03:04:05.000Z');
      const p = await app.inject({ method: 'POST', url: '/predict', payload: { bars: barRecords().slice(-21) } });
      expect(p.statusCode).to.equal(200);
      // A good promotion afterwards clears the error.
      promote(reg, 'canary', runB);
      const h2 = (await until(app, '/health', (b) => b.model.runId === runB)) as { model: { runId: string; reloadError?: unknown } };
      expect(h2.model).to.deep.equal({ loaded: true, runId: runB, alias: 'canary' });
    } finally {
      await app.close();
    }
  });

  it('never swaps in a model that fails verification: a hand-edited model.json keeps the old one serving', async () => {
    promote(reg, 'qa', runA);
    const app = buildApp({ registry: reg, ref: 'qa', minConfidence: 0.6, clock, pollMs: 20 });
    const model = join(reg, runB, 'model.json');
    const original = readFileSync(model, 'utf8');
    try {
      await app.ready();
      writeFileSync(model, `${original} `); // one byte more: the sha256 no longer matches run.json
      promote(reg, 'qa', runB);
      const h = (await until(app, '/health', (b) => b.model.reloadError !== undefined)) as { model: { runId: string; reloadError: { message: string } } };
      expect(h.model.runId).to.equal(runA);
      expect(h.model.reloadError.message).to.match(/sha256 differs from run\.json/);
      const p = await app.inject({ method: 'POST', url: '/predict', payload: { bars: barRecords().slice(-21) } });
      expect((p.json() as { prediction: { model_version: string } }).prediction.model_version).to.equal(`${runA} (qa)`);
    } finally {
      writeFileSync(model, original);
      await app.close();
    }
  });

  it('answers real HTTP requests on 127.0.0.1 (port 0) and closes cleanly', async () => {
    const s = await startServer({ registry: reg, ref: runA, minConfidence: 0.6, clock, host: '127.0.0.1', port: 0 });
    try {
      expect(s.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const h = await fetch(`${s.url}/health`);
      expect(h.status).to.equal(200);
      expect(((await h.json()) as { model: { runId: string; alias: null } }).model).to.deep.equal({ loaded: true, runId: runA, alias: null });
      const p = await fetch(`${s.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bars: barRecords().slice(-21) }) });
      expect(p.status).to.equal(200);
      expect(((await p.json()) as { prediction: { model_version: string } }).prediction.model_version).to.equal(runA);
      const bad = await fetch(`${s.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"bars":' });
      expect(bad.status).to.equal(400);
    } finally {
      await s.app.close();
    }
    expect(s.app.server.listening).to.equal(false);
  });

  it('startServer refuses a port in use with ConflictError', async () => {
    const a = await startServer({ registry: reg, ref: runA, minConfidence: 0.6, clock, host: '127.0.0.1', port: 0 });
    try {
      const port = Number(a.url.split(':').pop());
      let err: unknown;
      await startServer({ registry: reg, ref: runA, minConfidence: 0.6, clock, host: '127.0.0.1', port }).catch((e: unknown) => {
        err = e;
      });
      expect((err as { code?: string; message?: string }).code).to.equal('CONFLICT');
      expect((err as Error).message).to.equal(`127.0.0.1:${port} is already in use`);
    } finally {
      await a.app.close();
    }
  });
});
