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
  | 'CHECK_FAILED'
  | 'SYSTEM';

export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  INTERNAL: 1,
  USAGE: 2,
  BAD_INPUT: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  CHECK_FAILED: 6,
  SYSTEM: 7,
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

/** The operating system refused a read or write (disk full, permission, read-only file system): exit 7. */
export class SystemError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('SYSTEM', message, options);
  }
}

/** What an errno means for the user, and which error class it becomes. */
const ERRNO: Readonly<Record<string, readonly [ErrorCode, string, string]>> = {
  ENOENT: ['NOT_FOUND', 'no such file or directory', 'check the path'],
  EISDIR: ['USAGE', 'it is a directory', 'give a file path (a directory only where the flag asks for one)'],
  ENOTDIR: ['USAGE', 'a part of the path is not a directory', 'check the path; a trailing "/" makes a name a directory'],
  ENAMETOOLONG: ['USAGE', 'the name is too long for the file system', 'use a shorter file or directory name'],
  ELOOP: ['USAGE', 'too many symbolic links in the path', 'check the symbolic links in the path'],
  EEXIST: ['CONFLICT', 'something with that name already exists', 'remove it or pick another name'],
  ENOTEMPTY: ['CONFLICT', 'the directory is not empty', 'remove it or pick another name'],
  EBUSY: ['CONFLICT', 'the file is busy', 'retry when the other program is done'],
  ENOSPC: ['SYSTEM', 'no space left on the device', 'free some disk space and rerun; nothing was half-written'],
  EDQUOT: ['SYSTEM', 'disk quota exceeded', 'free some space in your quota and rerun'],
  EFBIG: ['SYSTEM', 'the file is too large for the file system', 'write to another file system'],
  EACCES: ['SYSTEM', 'permission denied', 'check the permissions of the path, or write somewhere else'],
  EPERM: ['SYSTEM', 'operation not permitted', 'check the permissions of the path, or write somewhere else'],
  EROFS: ['SYSTEM', 'read-only file system', 'write to a writable location'],
  EIO: ['SYSTEM', 'input/output error', 'the disk or network file system failed; check it and rerun'],
  EMFILE: ['SYSTEM', 'too many open files', 'raise the open-file limit (ulimit -n) or close other programs'],
  ENFILE: ['SYSTEM', 'too many open files in the system', 'close other programs and rerun'],
  EXDEV: ['SYSTEM', 'cannot move a file across file systems', 'keep the output on the same file system as its folder'],
};

/** A Node.js system error (`fs`, `net`…): it carries an errno code such as ENOSPC. */
export function isErrnoError(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((err as NodeJS.ErrnoException).code as string);
}

/**
 * Turn an operating-system failure into a typed error with one clear line: what mm was doing, the
 * path, what went wrong and the errno (`cannot write out/a.csv: no space left on the device
 * (ENOSPC)`). Errors that are already typed pass through; unknown errno codes stay INTERNAL.
 * @param action e.g. "write", "read", "create the folder"
 * @param path the path the user knows (the target, not a temp file); defaults to the error's own
 */
export function osError(err: unknown, action?: string, path?: string): unknown {
  if (err instanceof AppError || !isErrnoError(err)) return err;
  const known = Object.hasOwn(ERRNO, err.code) ? ERRNO[err.code] : undefined;
  if (known === undefined) return err;
  const [code, what, hint] = known;
  const where = path ?? err.path ?? (err as { dest?: string }).dest;
  const verb = action ?? (err.syscall === undefined ? 'access' : err.syscall);
  const message = `cannot ${verb}${where === undefined ? '' : ` ${where}`}: ${what} (${err.code})`;
  return new AppError(code, message, { hint, cause: err });
}
