import { DataError } from '../errors.js';

/**
 * Unit results cross a process boundary as JSON: typed arrays become `{"$f64": base64}` (the exact
 * IEEE bytes, so a probability read back is bit-identical), everything else stays plain JSON.
 */
const TAGS = {
  $f64: Float64Array,
  $f32: Float32Array,
  $i32: Int32Array,
  $u8: Uint8Array,
} as const;
type Tag = keyof typeof TAGS;

export function encodeValue(v: unknown): unknown {
  if (v instanceof Float64Array) return { $f64: b64(v) };
  if (v instanceof Float32Array) return { $f32: b64(v) };
  if (v instanceof Int32Array) return { $i32: b64(v) };
  if (v instanceof Uint8Array) return { $u8: b64(v) };
  if (Array.isArray(v)) return v.map(encodeValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeValue(x)]));
  if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
  return v;
}

/** @throws DataError for a tagged value that is not what its tag says. */
export function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  const o = v as Record<string, unknown>;
  if (keys.length === 1) {
    const k = keys[0] as string;
    if (k === '$num') {
      const s = o[k];
      if (s === 'NaN') return NaN;
      if (s === 'Infinity') return Infinity;
      if (s === '-Infinity') return -Infinity;
      throw new DataError(`bad encoded number ${JSON.stringify(s)} in a unit result`);
    }
    if (Object.hasOwn(TAGS, k)) {
      const s = o[k];
      if (typeof s !== 'string') throw new DataError(`bad ${k} value in a unit result`);
      const Ctor = TAGS[k as Tag];
      const buf = Buffer.from(s, 'base64');
      if (buf.length % Ctor.BYTES_PER_ELEMENT !== 0) throw new DataError(`bad ${k} length in a unit result`);
      const out = new Ctor(buf.length / Ctor.BYTES_PER_ELEMENT);
      new Uint8Array(out.buffer).set(buf);
      return out;
    }
  }
  // fromEntries defines own properties, so a "__proto__" key cannot reach a prototype.
  return Object.fromEntries(keys.map((k) => [k, decodeValue(o[k])]));
}

function b64(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}
