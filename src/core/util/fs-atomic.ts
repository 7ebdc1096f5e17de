import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync, readFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { osError, UsageError } from '../errors.js';

/**
 * Create `dir` and its parents.
 * @throws a typed error naming `dir` (see osError); a file standing where a folder must be is a
 *   usage error (exit 2).
 */
export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UsageError(`cannot create the folder ${dir}: a file is in the way (${code})`, { hint: 'give a folder path, or remove the file' });
    throw osError(err, 'create the folder', dir);
  }
}

/** A temp file beside `path`; the target's name is cut so the temp name fits wherever the target fits. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path).slice(0, 180)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Write a file atomically: write a temp file beside it, fsync, then rename over the target.
 * A crash leaves either the old file or the new one, never half of one; a failure (disk full,
 * the target is a directory, permission…) removes the temp file and throws a typed error naming
 * `path` (see osError), so the old file, if any, is untouched.
 * `data` may be chunks (e.g. a generator of CSV text), written one at a time so the whole file is
 * never in memory.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string | Uint8Array>): void {
  const dir = dirname(path);
  ensureDir(dir);
  const tmp = tempPathFor(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) writeFileSync(fd, data);
      else for (const chunk of data) writeFileSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw osError(err, 'write', path);
  }
}

/** An array whose items are all numbers or null, as `JSON.stringify(v, null, 2)` spreads it over lines. */
const NUMBER_ARRAY = /\[\n\s*(?:-?\d[\d.eE+-]*|null)(?:,\n\s*(?:-?\d[\d.eE+-]*|null))*\n\s*\]/g;

/**
 * JSON indented by two spaces, except that arrays of numbers (and nulls) stay on one line, so a
 * confusion-matrix row, a curve point or a stored series costs one line instead of one per value.
 * A newline inside a JSON string is always escaped, so the pattern only ever meets structure.
 */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(NUMBER_ARRAY, (m) => `[${m.slice(1, -1).split(',').map((x) => x.trim()).join(', ')}]`);
}

/** Write `value` as formatted JSON (see formatJson) with a final newline, atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, formatJson(value) + '\n');
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}
