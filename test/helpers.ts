import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Tests run from the repository root (npm test), so fixtures resolve from there. */
export const repoRoot = process.cwd();

export function fixture(...parts: string[]): string {
  return resolve(repoRoot, 'test', 'fixtures', ...parts);
}

/** A fresh temporary directory; remove it with `cleanup`. */
export function tempDir(prefix = 'mm-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A plain character-by-character RFC 4180 line splitter (quoted cells, doubled quotes): the
 * reference the tests read written CSV back with and check mm's own splitter against.
 */
export function referenceCsvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
