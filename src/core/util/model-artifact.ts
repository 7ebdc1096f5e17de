import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';
import { DataError } from '../errors.js';

/**
 * A model's stored form: a small JSON header plus, when its state holds typed arrays (a forest's
 * node arrays), a binary file beside it. The binary file is `MAGIC` followed by each array's
 * little-endian bytes at 8-byte aligned offsets; the header replaces each array by
 * `{"$blob": {"type", "offset", "length"}}` and records the binary file's name, size and sha256 under
 * `$binary`. The header's own sha256 is what run.json records, so it covers the binary file too.
 * Nothing in either file is ever executed: the header is parsed as JSON, the blobs are copied into
 * typed arrays after their bounds, the file size and the hash are checked.
 *
 * A state without typed arrays is stored exactly as before: `JSON.stringify(state)`, no binary file.
 * The JSON text never grows with the node count, so models far past V8's ~512 MB string limit save.
 */
export interface ModelArtifact {
  /** The model.json text. */
  json: string;
  binary: { file: string; bytes: number; sha256: string; parts: Uint8Array[] } | null;
}

/** Version 1 of the binary layout. */
export const BINARY_FORMAT = 1;
/** First 8 bytes of every binary model file ("mm-bin" + NUL + format byte). */
const MAGIC = Uint8Array.from([0x6d, 0x6d, 0x2d, 0x62, 0x69, 0x6e, 0x00, BINARY_FORMAT]);
const ALIGN = 8;
const ZEROS = new Uint8Array(ALIGN);

type Typed = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
const TYPES = {
  u8: Uint8Array,
  i8: Int8Array,
  u16: Uint16Array,
  i16: Int16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;
type TypeName = keyof typeof TYPES;

const TYPE_ENTRIES = Object.entries(TYPES) as [TypeName, (typeof TYPES)[TypeName]][];

/** The stored type of a typed array, null for anything else (called on every value of a state: numbers return at once). */
function typeName(v: unknown): TypeName | null {
  if (typeof v !== 'object' || v === null || !ArrayBuffer.isView(v)) return null;
  for (const [name, ctor] of TYPE_ENTRIES) if (v instanceof ctor) return name;
  return null;
}

const LITTLE = endianness() === 'LE';

/** The bytes of `a` in little-endian order (a view, no copy, on little-endian hosts). */
function leBytes(a: Typed): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE || a.BYTES_PER_ELEMENT === 1) return bytes;
  return swapped(bytes, a.BYTES_PER_ELEMENT);
}

function swapped(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) for (let k = 0; k < size; k++) out[i + k] = bytes[i + size - 1 - k] as number;
  return out;
}

/**
 * Encode a model state (see ModelArtifact). Deterministic: the same state gives the same bytes.
 * @param binFile the binary file's name, stored in the header (a plain name inside the run).
 */
export function encodeModelState(state: unknown, binFile = 'model.bin'): ModelArtifact {
  const parts: Uint8Array[] = [MAGIC];
  const hash = createHash('sha256').update(MAGIC);
  let offset = MAGIC.length;
  const replace = (v: unknown): unknown => {
    const type = typeName(v);
    if (type !== null) {
      const a = v as Typed;
      const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
      if (pad > 0) {
        const z = ZEROS.subarray(0, pad);
        parts.push(z);
        hash.update(z);
        offset += pad;
      }
      const bytes = leBytes(a);
      parts.push(bytes);
      hash.update(bytes);
      const ref = { $blob: { type, offset, length: a.length } };
      offset += bytes.length;
      return ref;
    }
    if (Array.isArray(v)) return v.map(replace);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = replace(x);
      return out;
    }
    return v;
  };
  const replaced = replace(state);
  if (parts.length === 1) return { json: JSON.stringify(state), binary: null };
  const sha256 = hash.digest('hex');
  const json = JSON.stringify({ $binary: { format: BINARY_FORMAT, file: binFile, bytes: offset, sha256 }, state: replaced });
  return { json, binary: { file: binFile, bytes: offset, sha256, parts } };
}

/**
 * A state as plain JSON text (typed arrays as arrays of numbers), for passing a model between
 * processes; decodeModelState/the models' fromJSON accept either form.
 */
export function stateToJson(state: unknown): string {
  return JSON.stringify(state, (_k, v: unknown) => (typeName(v) !== null ? Array.from(v as Typed) : v));
}

/** The `$binary` record of a parsed header, or null for a plain JSON model. */
export function binaryOf(parsed: unknown): { file: string; bytes: number; sha256: string } | null {
  if (parsed === null || typeof parsed !== 'object' || !Object.hasOwn(parsed, '$binary')) return null;
  const b = (parsed as { $binary: unknown }).$binary as Record<string, unknown> | null;
  if (b === null || typeof b !== 'object') throw new DataError('model header: $binary must be an object');
  if (b['format'] !== BINARY_FORMAT) throw new DataError(`model header: binary format ${JSON.stringify(b['format'])} is not supported (expected ${BINARY_FORMAT})`, { hint: 'the model was written by a newer mm' });
  const file = b['file'];
  if (typeof file !== 'string' || !/^[\w.-]+$/.test(file) || file.startsWith('.')) throw new DataError(`model header: $binary.file must be a plain file name, got ${JSON.stringify(file)}`);
  const bytes = b['bytes'];
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < MAGIC.length) throw new DataError('model header: $binary.bytes must be a byte count');
  const sha = b['sha256'];
  if (typeof sha !== 'string' || !/^[0-9a-f]{64}$/.test(sha)) throw new DataError('model header: $binary.sha256 must be 64 hex digits');
  return { file, bytes, sha256: sha };
}

interface BlobRef {
  type: TypeName;
  offset: number;
  length: number;
  /** Where to put the array once read. */
  set: (a: Typed) => void;
}

/**
 * Decode a parsed model.json: a plain state is returned as is; a header's blobs are read from
 * `binPath(file)` chunk by chunk straight into their typed arrays, in file order, hashing as they
 * come, and the state is returned with the arrays in place.
 * @throws DataError for a header that does not describe the file (bounds, overlap, size) or a
 *   binary file whose sha256 differs from the header's.
 */
export function decodeModelState(parsed: unknown, binPath: (file: string) => string, where = 'model'): unknown {
  const bin = binaryOf(parsed);
  if (bin === null) return parsed;
  const root = (parsed as { state?: unknown }).state;
  if (root === undefined) throw new DataError(`${where}: header has no state`);
  const refs: BlobRef[] = [];
  const walk = (v: unknown, set: (x: unknown) => void): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, (y) => (v[i] = y)));
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (Object.hasOwn(o, '$blob')) {
      const r = o['$blob'] as Record<string, unknown> | null;
      const type = r?.['type'];
      const offset = r?.['offset'];
      const length = r?.['length'];
      if (typeof type !== 'string' || !Object.hasOwn(TYPES, type)) throw new DataError(`${where}: blob type ${JSON.stringify(type)} is not one of ${Object.keys(TYPES).join(', ')}`);
      if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0 || offset % ALIGN !== 0) throw new DataError(`${where}: blob offset ${JSON.stringify(offset)} must be a multiple of ${ALIGN}`);
      if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) throw new DataError(`${where}: blob length ${JSON.stringify(length)} must be a count`);
      refs.push({ type: type as TypeName, offset, length, set: set as (a: Typed) => void });
      return;
    }
    for (const k of Object.keys(o)) walk(o[k], (y) => (o[k] = y));
  };
  let state: unknown = root;
  walk(root, (y) => (state = y));
  refs.sort((a, b) => a.offset - b.offset);
  // Bounds: blobs in order, no overlap, inside the declared size.
  let end = MAGIC.length;
  for (const r of refs) {
    const size = r.length * TYPES[r.type].BYTES_PER_ELEMENT;
    if (r.offset < end || r.offset + size > bin.bytes) throw new DataError(`${where}: blob at ${r.offset} (${size} bytes) overlaps another or runs past the ${bin.bytes}-byte binary file`);
    end = r.offset + size;
  }
  const path = binPath(bin.file);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new DataError(`${where}: binary model file ${path} is missing`, { hint: 'the run directory is damaged; retrain' });
  }
  try {
    const actual = fstatSync(fd).size;
    if (actual !== bin.bytes) throw new DataError(`${path} has ${actual} bytes, the model header says ${bin.bytes} (truncated or replaced)`, { hint: 'restore the original file or retrain' });
    const hash = createHash('sha256');
    let pos = 0;
    const readInto = (dst: Uint8Array): void => {
      let got = 0;
      while (got < dst.length) {
        const n = readSync(fd, dst, got, Math.min(dst.length - got, 1 << 24), pos + got);
        if (n === 0) throw new DataError(`${path}: unexpected end of file`);
        got += n;
      }
      hash.update(dst);
      pos += dst.length;
    };
    const head = new Uint8Array(MAGIC.length);
    readInto(head);
    if (!head.every((b, i) => b === MAGIC[i])) throw new DataError(`${path} is not an mm binary model file (bad magic)`);
    const gapBuf = new Uint8Array(ALIGN);
    const skipTo = (offset: number): void => {
      while (pos < offset) readInto(gapBuf.subarray(0, Math.min(ALIGN, offset - pos)));
    };
    for (const r of refs) {
      skipTo(r.offset);
      const Ctor = TYPES[r.type];
      const a = new Ctor(r.length);
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      readInto(bytes);
      if (!LITTLE && a.BYTES_PER_ELEMENT > 1) bytes.set(swapped(bytes, a.BYTES_PER_ELEMENT));
      r.set(a);
    }
    // Trailing bytes (none in files mm writes) still count towards the hash.
    const tail = new Uint8Array(1 << 16);
    while (pos < bin.bytes) readInto(tail.subarray(0, Math.min(tail.length, bin.bytes - pos)));
    if (hash.digest('hex') !== bin.sha256) {
      throw new DataError(`${path} was modified after the run was written (sha256 differs from the model header)`, { hint: 'restore the original file or retrain' });
    }
  } finally {
    closeSync(fd);
  }
  return state;
}
