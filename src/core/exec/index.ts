/** Where units of work run: this process (default), worker threads, or BullMQ workers on Redis. */
export type { Executor, Unit, UnitCache, UnitContext, UnitHandler, UnitProgress, UnitTable } from './types.js';
export { batchWeight, makeUnitCache, unitWeight } from './types.js';
export { localExecutor, handlerFor } from './local.js';
export { threadExecutor } from './threads.js';
export { autoExecutor } from './auto.js';
export { encodeValue, decodeValue } from './codec.js';
export { errorToData, errorFromData, type ErrorData } from './errors.js';
export { ThreadPool } from './threads.js';
export { parseRedisUrl, redactUrl, redactArgv, type RedisTarget } from './redis-url.js';
export {
  queueExecutor, queueStatus, jobIdFor, checkRedis, QUEUE_NAME, QUEUE_PREFIX, INLINE_RESULT_LIMIT, RESULTS_DIR, KEEP_COMPLETED, KEEP_FAILED, EVENTS_MAX_LEN,
  type QueueStatus, type JobData, type JobResult,
} from './queue.js';
export { startWorker, type WorkerOptions, type RunningWorker } from './worker.js';
