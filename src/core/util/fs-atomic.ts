import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync, readFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/**
 * Write a file atomically: write a temp file beside it, fsync, then rename over the target.
 * A crash leaves either the old file or the new one, never half of one.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
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
