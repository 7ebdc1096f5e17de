/** The serving stage's public surface: the HTTP scoring server of docs/http-api.md. */
export { buildApp, type BuildAppOptions } from './app.js';
export { startServer, untilSignal, type RunningServer, type StartServerOptions } from './listen.js';
export { toHttpError, HttpError, type ErrorBody } from './http-error.js';
export { ModelHolder, type ReloadError, type ServedModel } from './model-holder.js';
export { LiveBars } from './live-bars.js';
export { barsNeeded } from './warmup.js';
export { scoreBatch, type BatchResponse, type BatchWss } from './batch.js';
export { lastPrediction, requestBars, scoreTable, type WarmupInfo } from './score.js';
