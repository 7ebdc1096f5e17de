import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DataError } from '../errors.js';

/** Longest file name most file systems take (bytes of one path component). */
const MAX_NAME_BYTES = 255;

/**
 * The path of file `name` inside folder `dir`, for any output whose name is built from data (a
 * symbol, a run id): the second wall behind the symbol grammar. `name` must be one plain path
 * component (no `/`, `\`, NUL or control character, not `.` or `..`, at most 255 bytes) and the
 * resolved result must lie directly inside the resolved `dir`. Returns `join(dir, name)`.
 * @throws DataError (exit 3) naming the folder and the refused name.
 */
export function pathInside(dir: string, name: string): string {
  // eslint-disable-next-line no-control-regex
  const bad = name === '' || name === '.' || name === '..' || /[/\\\u0000-\u001f\u007f]/.test(name) || Buffer.byteLength(name) > MAX_NAME_BYTES;
  const base = resolve(dir);
  const full = resolve(base, name);
  const rel = relative(base, full);
  if (bad || rel !== name || isAbsolute(rel) || rel.startsWith(`..${sep}`) || rel.split(sep).length !== 1) {
    const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
    throw new DataError(`refusing to write ${shown} in ${dir}: an output name taken from data must be one plain file name inside that folder`, {
      hint: 'check the symbol column or file names of the inputs',
    });
  }
  return join(dir, name);
}
