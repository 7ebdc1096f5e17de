import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import type { RouteOptions } from 'fastify';
import { buildApp } from '../../../src/core/serve/index.js';
import { cleanup, tempDir } from '../../helpers.js';
import { barRecords, clock, promote, trainSmall } from './model-fixture.js';

interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
}

/** The document and the UI are served by a real listening server, fetched over HTTP. */
describe('serve: OpenAPI document at /openapi.json and docs at /docs', function () {
  let reg: string;
  let base: string;
  let app: ReturnType<typeof buildApp>;
  const routes: RouteOptions[] = [];

  before(async () => {
    reg = tempDir();
    promote(reg, 'champion', await trainSmall(reg, 1));
    app = buildApp({ registry: reg, minConfidence: 0.6, clock, mmVersion: '9.9.9' });
    // Every route fastify registers, the docs' own included: the API routes are added at boot, after this hook.
    app.addHook('onRoute', (r) => void routes.push(r));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    if (addr === null || typeof addr !== 'object') throw new Error('no address');
    base = `http://127.0.0.1:${addr.port}`;
  });
  after(async () => {
    await app.close();
    cleanup(reg);
  });

  const getDoc = async (): Promise<OpenApiDoc> => {
    const r = await fetch(`${base}/openapi.json`);
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.match(/^application\/json/);
    return (await r.json()) as OpenApiDoc;
  };

  it('is a valid OpenAPI 3.1 document (checked by an independent validator) titled with the mm version', async () => {
    const doc = await getDoc();
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.info.version).to.equal('9.9.9');
    const res = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(res.errors ?? [], JSON.stringify(res.errors)).to.deep.equal([]);
    expect(res.valid).to.equal(true);
  });

  it('has exactly the API routes fastify registered (method and path), and hides only the docs machinery', async () => {
    const doc = await getDoc();
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    const api: string[] = [];
    for (const r of routes) {
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      for (const m of methods) {
        if (m === 'HEAD') continue; // fastify's automatic HEAD twin of each GET
        const hidden = (r.schema as { hide?: boolean } | undefined)?.hide === true;
        if (hidden) {
          expect(r.url === '/openapi.json' || r.url.startsWith('/docs'), `hidden route ${m} ${r.url}`).to.equal(true);
        } else {
          api.push(`${m} ${r.url}`);
        }
      }
    }
    expect(documented).to.deep.equal(api.sort());
    expect(documented).to.deep.equal(['GET /health', 'GET /version', 'POST /bars', 'POST /predict', 'POST /predict/batch']);
  });

  it('documents response bodies that the real responses satisfy', async () => {
    const doc = await getDoc();
    const ajv = new Ajv2020({ strict: false });
    const check = (path: string, method: string, status: number, body: unknown): void => {
      const responses = doc.paths[path]?.[method]?.responses ?? {};
      // A status is documented by itself or by its class (OpenAPI's "4XX").
      const schema = (responses[String(status)] ?? responses[`${String(status)[0]}XX`])?.content?.['application/json']?.schema;
      expect(schema, `${method} ${path} ${status} documented`).to.be.an('object');
      const validate = ajv.compile(schema as object);
      expect(validate(body), `${method} ${path} ${status}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    };
    const bars = barRecords();
    const post = (url: string, body: unknown): Promise<Response> =>
      fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    check('/health', 'get', 200, await (await fetch(`${base}/health`)).json());
    check('/version', 'get', 200, await (await fetch(`${base}/version`)).json());
    const p = await post('/predict', { symbol: 'NVDA', bars: bars.slice(0, 40) });
    expect(p.status).to.equal(200);
    const pred = (await p.json()) as { prediction: Record<string, unknown> };
    check('/predict', 'post', 200, pred);
    // The response schema serialises the row: no column of the prediction table may be lost on the way.
    expect(Object.keys(pred.prediction)).to.deep.equal([
      'symbol', 'timestamp', 'timestamp_next', 'action', 'confidence', 'decision',
      'p_strong_sell', 'p_sell', 'p_hold', 'p_buy', 'p_strong_buy', 'model_version',
    ]);
    const b = await post('/predict/batch', { items: [{ symbol: 'NVDA', bars: bars.slice(0, 40) }], weights: { NVDA: 1 } });
    expect(b.status).to.equal(200);
    check('/predict/batch', 'post', 200, await b.json());
    const [first] = bars;
    const w = await post('/bars', { symbol: 'NVDA', ...first });
    expect(w.status).to.equal(202);
    check('/bars', 'post', 202, await w.json());
    const bad = await post('/predict', { bars: 'no' });
    expect(bad.status).to.equal(400);
    check('/predict', 'post', 400, await bad.json());
  });

  it('serves the interactive docs at /docs as HTML with the UI assets from the package, pointing at the document', async () => {
    const r = await fetch(`${base}/docs`);
    expect(r.status).to.equal(200);
    expect(r.headers.get('content-type')).to.match(/^text\/html/);
    const html = await r.text();
    expect(html).to.match(/swagger-ui/i);
    // No asset from another host: every script and stylesheet is relative to this server.
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(refs.length).to.be.above(0);
    for (const ref of refs) expect(ref, ref).to.not.match(/^(https?:)?\/\//);
    const bundle = await fetch(`${base}/docs/static/swagger-ui-bundle.js`);
    expect(bundle.status).to.equal(200);
    expect((await bundle.text()).length).to.be.above(100_000);
    const init = await (await fetch(`${base}/docs/static/swagger-initializer.js`)).text();
    expect(init).to.match(/json/);
    const missing = await fetch(`${base}/docs/static/nope.js`);
    expect(missing.status).to.equal(404);
    expect(await missing.json()).to.deep.equal({ error: { code: 'NOT_FOUND', message: 'no route GET /docs/static/nope.js' } });
  });
});
