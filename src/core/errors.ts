/**
 * Errors the core throws. Each carries the exit code of docs/exit-codes.md and a hint that tells the user
 * what to do next; the base command maps them to stderr text or `{"error": …}` JSON in one place.
 */
export type ErrorCode =
  | 'INTERNAL'
  | 'USAGE'
  | 'BAD_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'CHECK_FAILED';

export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  INTERNAL: 1,
  USAGE: 2,
  BAD_INPUT: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  CHECK_FAILED: 6,
};

export interface AppErrorOptions {
  hint?: string;
  /** Structured detail (e.g. a failed gate's comparison) that `--json` output carries along. */
  details?: unknown;
  /**
   * The command's whole result when it completed but a check failed (exit 6): under `--json` the
   * document is this result with the error beside it, so e.g. drift's per-column report survives.
   */
  result?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: unknown;
  readonly result: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.result = options.result;
  }

  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

/** Malformed or unusable input data: exit 3. */
export class DataError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('BAD_INPUT', message, options);
  }
}

/** Wrong flags or arguments: exit 2. */
export class UsageError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('USAGE', message, options);
  }
}

/** A file, run or alias that does not exist: exit 4. */
export class NotFoundError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('NOT_FOUND', message, options);
  }
}

/** An alias that exists, a lock that is held, a schema version we do not read: exit 5. */
export class ConflictError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('CONFLICT', message, options);
  }
}

/** The command completed but a gate or check failed: exit 6. */
export class CheckFailedError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('CHECK_FAILED', message, options);
  }
}

/**
 * Where in an input file a problem was found, formatted the same way everywhere:
 * `file:line` plus the column when known.
 */
export function at(file: string, line?: number, column?: string): string {
  let where = file;
  if (line !== undefined) where += `:${line}`;
  if (column !== undefined) where += ` (column ${column})`;
  return where;
}
