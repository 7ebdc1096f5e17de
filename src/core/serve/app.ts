import Fastify, { type FastifyInstance } from 'fastify';
import { barsFromRecords } from '../data/index.js';
import { UsageError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import { scoreBatch } from './batch.js';
import { toHttpError } from './http-error.js';
import { LiveBars } from './live-bars.js';
import { ModelHolder } from './model-holder.js';
import { batchBody, liveBarBody, predictBody, type BatchRequest, type LiveBarRequest, type PredictRequest } from './schemas.js';
import { lastPrediction, requestBars, scoreTable } from './score.js';
import { registerOpenApi, routeDocs } from './openapi.js';

export interface BuildAppOptions {
  registry: string;
  /** Alias, run id or `latest`; default `champion`. */
  ref?: string;
  minConfidence: number;
  clock: Clock;
  /** Bars kept per symbol in live mode (default 5 × the warm-up window, at least 100). */
  maxWindow?: number;
  /** Symbols live mode tracks at most (default 1000); beyond, idle ones are evicted least recently used first. */
  maxSymbols?: number;
  /** A symbol without a bar for this long may be evicted for a new one (default 60 s). */
  idleMs?: number;
  /** How often to look for an alias move, in ms (default 200). */
  pollMs?: number;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Version of this mm, shown by /version. */
  mmVersion?: string;
  /** fastify's request log (default off). */
  logger?: boolean;
}

const DEFAULT_BODY_LIMIT = 1 << 20;
const DEFAULT_MAX_SYMBOLS = 1000;
const AJV = {
  // No coercion: "101.5" for a price is a client bug to report, not to guess at.
  customOptions: { allowUnionTypes: true, coerceTypes: false, removeAdditional: false, allErrors: false, useDefaults: false },
};

/**
 * The scoring server (docs/http-api.md) as a fastify instance, not yet listening: tests drive it with
 * `app.inject`, the command with `listen`. The model is loaded here, so a ref that does not resolve
 * fails before any port is opened.
 * @throws NotFoundError when the ref does not resolve; DataError for corrupted run files;
 *   UsageError for options out of range.
 */
export function buildApp(o: BuildAppOptions): FastifyInstance {
  if (!(o.minConfidence >= 0 && o.minConfidence <= 1)) throw new UsageError(`--min-confidence must be between 0 and 1, got ${o.minConfidence}`);
  const holder = new ModelHolder(o.registry, o.ref ?? 'champion', o.clock, o.pollMs);
  const first = holder.current();
  const maxWindow = o.maxWindow ?? Math.max(5 * first.need, 100);
  if (!Number.isInteger(maxWindow) || maxWindow < first.need) {
    throw new UsageError(`maxWindow must be a whole number of bars ≥ the warm-up window ${first.need}, got ${maxWindow}`);
  }
  const live = new LiveBars(maxWindow, o.maxSymbols ?? DEFAULT_MAX_SYMBOLS, () => o.clock.elapsed(), o.idleMs);

  const app = Fastify({
    logger: o.logger ?? false,
    bodyLimit: o.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Refuse rather than strip prototype-pollution keys: a client sending them is broken or hostile.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    ajv: AJV,
  });

  app.setErrorHandler((err, req, reply) => {
    const e = toHttpError(err);
    if (e.internal) req.log.error(err);
    if (e.retryAfter !== undefined) void reply.header('retry-after', String(e.retryAfter));
    return reply.code(e.status).send(e.body);
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` } }),
  );

  // Alias moves are picked up by a background poll, never inside a request.
  app.addHook('onReady', async () => holder.start());
  app.addHook('onClose', async () => holder.stop());
  app.decorate('modelHolder', holder);

  registerOpenApi(app, { version: o.mmVersion ?? '0.0.0', ajv: AJV });
  // In a plugin, so the routes are added when the app boots: an onRoute hook added after buildApp sees them too.
  app.register(async (api) => routes(api, holder, live, o));
  return app;
}

/** The API routes; their schemas (body here, the rest in openapi.ts) make the OpenAPI document. */
function routes(app: FastifyInstance, holder: ModelHolder, live: LiveBars, o: BuildAppOptions): void {
  app.get('/health', { schema: routeDocs.health }, () => {
    const m = holder.current();
    const err = holder.reloadError;
    return { ok: true, model: { loaded: true, runId: m.run.id, alias: m.alias, ...(err === null ? {} : { reloadError: err }) } };
  });

  app.get('/version', { schema: routeDocs.version }, () => {
    const m = holder.current();
    const r = m.run;
    const pooled = r.data.symbols.length > 1 || r.symbolFeature !== undefined;
    return {
      runId: r.id,
      alias: m.alias,
      modelVersion: m.version,
      model: { kind: r.model.kind, params: r.model.params },
      features: r.features,
      warmupBars: m.need,
      labels: r.labels,
      trained: { from: r.data.from, to: r.data.to, rows: r.data.rows, intervalMs: r.data.intervalMs },
      symbols: pooled ? r.data.symbols : null,
      minConfidence: o.minConfidence,
      trainedWith: r.mmVersion,
      mmVersion: o.mmVersion ?? null,
    };
  });

  app.post<{ Body: PredictRequest }>('/predict', { schema: { ...routeDocs.predict, body: predictBody } }, (req) => {
    const m = holder.current();
    const bars = requestBars(req.body.bars, '<request>', req.body.symbol, m);
    return lastPrediction(bars, scoreTable(bars, m, o.minConfidence), m.need);
  });

  app.post<{ Body: BatchRequest }>('/predict/batch', { schema: { ...routeDocs.batch, body: batchBody } }, (req) => scoreBatch(req.body, holder.current(), o.minConfidence));

  app.post<{ Body: LiveBarRequest }>('/bars', { schema: { ...routeDocs.bars, body: liveBarBody } }, (req, reply) => {
    const m = holder.current();
    live.ensureCapacity(m.need);
    const { symbol, ...bar } = req.body;
    // The core reader checks the one bar (finite, positive, high ≥ max(open, close)…) and normalises the symbol.
    const one = barsFromRecords([bar], { source: `<bar ${symbol}>`, symbol }).bars;
    const sym = one.symbol as string;
    const have = live.push(sym, one.time[0] as number, one.open[0] as number, one.high[0] as number, one.low[0] as number, one.close[0] as number, one.volume[0] as number);
    if (have < m.need) {
      return reply.code(202).send({ warming: true, symbol: sym, have, need: m.need, message: `warming up: ${have} of ${m.need} bars` });
    }
    const bars = live.bars(sym);
    if (bars === null) throw new Error(`unreachable: ${sym} was just pushed`);
    return lastPrediction(bars, scoreTable(bars, m, o.minConfidence), m.need);
  });
}
