import { AppError } from '../errors.js';

/** The body of every error response: `{"error": {code, message}}` (plus a hint when there is one). */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

/** An error that already knows its HTTP status (capacity limits, wrong state), thrown by the server only. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    /** Seconds for a `Retry-After` header (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const APP_STATUS: Readonly<Record<string, number>> = {
  BAD_INPUT: 422,
  USAGE: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CHECK_FAILED: 422,
  // The server's own disk or permissions failed (e.g. reading a model): not the client's doing.
  SYSTEM: 503,
};

const FRAMEWORK_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * Map anything a route or fastify threw to a status and the error body, in one place: schema
 * failures 400, semantically bad bars (DataError) 422, framework 4xx kept (413 body too large,
 * 415 media type, 400 invalid JSON), and everything else 500 with a fixed message so no internal
 * detail leaks to a client.
 */
export function toHttpError(err: unknown): { status: number; body: ErrorBody; internal: boolean; retryAfter?: number } {
  if (err instanceof HttpError) {
    const r = { status: err.status, body: body(err.code, err.message, err.hint), internal: false };
    return err.retryAfter === undefined ? r : { ...r, retryAfter: err.retryAfter };
  }
  if (err instanceof AppError) return { status: APP_STATUS[err.code] ?? 500, body: body(err.code, err.message, err.hint), internal: false };
  const e = err as { validation?: unknown; statusCode?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  if (e !== null && typeof e === 'object' && e.validation !== undefined) return { status: 400, body: body('BAD_REQUEST', message), internal: false };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return { status, body: body(FRAMEWORK_CODES[status] ?? 'BAD_REQUEST', message), internal: false };
  return { status: 500, body: body('INTERNAL', 'internal error'), internal: true };
}

function body(code: string, message: string, hint?: string): ErrorBody {
  return { error: hint === undefined ? { code, message } : { code, message, hint } };
}
