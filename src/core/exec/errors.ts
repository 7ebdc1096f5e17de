import { AppError, EXIT_CODES, type ErrorCode } from '../errors.js';

/** An error as plain data, to cross a thread or a queue. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
  hint: string | null;
}

export function errorToData(err: unknown): ErrorData {
  if (err instanceof AppError) return { code: err.code, message: err.message, hint: err.hint ?? null };
  const e = err as { message?: unknown } | undefined;
  return { code: 'INTERNAL', message: typeof e?.message === 'string' ? e.message : String(err), hint: null };
}

/** Back to an AppError with the same exit code; an internal error stays a plain Error (exit 1, "bug in mm"). */
export function errorFromData(d: ErrorData, where: string): Error {
  if (d.code !== 'INTERNAL' && Object.hasOwn(EXIT_CODES, d.code)) {
    return new AppError(d.code, d.message, d.hint === null ? {} : { hint: d.hint });
  }
  return new Error(`${where}: ${d.message}`);
}
