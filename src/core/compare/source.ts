import { isAbsolute } from 'node:path';
import { readBarsFile, type Bars, type ReadReport } from '../data/index.js';
import { DataError } from '../errors.js';
import { sha256 } from '../util/fs-atomic.js';
import { expectArray, expectNumber, expectObject, expectString } from '../util/validate.js';

/** Where a unit's bars come from: absolute paths with the sha256 the coordinator read, and the read options. */
export interface UnitSource {
  inputs: { path: string; sha256: string }[];
  read: { tz?: string; symbol?: string; minRows: number };
}

export type SourceReads = { bars: Bars; report: ReadReport }[];

/** Memo key of a source: the same files with the same bytes read the same way. */
export function sourceKey(s: UnitSource): string {
  return `read:${sha256(JSON.stringify(s))}`;
}

/** Memo key of anything derived from a source and plain parameters. */
export function derivedKey(tag: string, s: UnitSource, rest: unknown): string {
  return `${tag}:${sha256(JSON.stringify([s, rest]))}`;
}

/**
 * Validate a source taken from a job: absolute paths, 64-hex sha256, sane read options.
 * @throws DataError naming the bad field.
 */
export function checkSource(x: unknown): UnitSource {
  const o = expectObject(x, 'unit source');
  const inputs = expectArray(o['inputs'], 'unit source: inputs').map((v, i) => {
    const e = expectObject(v, `unit source: inputs[${i}]`);
    const path = expectString(e['path'], `unit source: inputs[${i}].path`);
    const hash = expectString(e['sha256'], `unit source: inputs[${i}].sha256`);
    if (!isAbsolute(path) || path.includes('\0')) throw new DataError(`unit source: inputs[${i}].path must be an absolute file path`);
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new DataError(`unit source: inputs[${i}].sha256 must be 64 hex digits`);
    return { path, sha256: hash };
  });
  if (inputs.length === 0) throw new DataError('unit source: no inputs');
  const r = expectObject(o['read'], 'unit source: read');
  const read: UnitSource['read'] = { minRows: expectNumber(r['minRows'], 'unit source: read.minRows', { int: true, min: 1 }) };
  if (r['tz'] !== undefined) read.tz = expectString(r['tz'], 'unit source: read.tz');
  if (r['symbol'] !== undefined) read.symbol = expectString(r['symbol'], 'unit source: read.symbol');
  return { inputs, read };
}

/**
 * Read every input and check it is the file the coordinator hashed.
 * @throws DataError (exit 3) when a file's bytes differ from its recorded sha256; the reader's own errors otherwise.
 */
export function readSource(s: UnitSource): SourceReads {
  return s.inputs.map(({ path, sha256: want }) => {
    const r = readBarsFile(path, s.read);
    if (r.report.sha256 !== want) {
      throw new DataError(`${path} is not the file the job was made from: sha256 ${r.report.sha256.slice(0, 12)}…, the job expects ${want.slice(0, 12)}…`, {
        hint: 'the file changed after the coordinator read it (or the worker sees another copy); rerun the command',
      });
    }
    return r;
  });
}
