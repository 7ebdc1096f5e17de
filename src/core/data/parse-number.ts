/**
 * Decimal number from the bytes b[s..e) of a CSV field, or NaN when the text is not a plain decimal
 * (`-12.5`, `.5`, `1e-3`; surrounding spaces allowed; no `NaN`, `Infinity`, hex or thousands
 * separators).
 *
 * Fast path (Clinger): up to 15–16 significant digits fit exactly in a double and 10^k is exact
 * for k ≤ 22, so one multiplication or division gives the correctly rounded value, the same as
 * `Number(text)`. Longer mantissas and bigger exponents fall back to `Number` on the text, which
 * the scanner has already checked is a plain decimal.
 */
const POW10 = new Float64Array(23);
for (let k = 0, p = 1; k < 23; k++, p *= 10) POW10[k] = p;

const MANT_LIMIT = 900_719_925_474_098; // mant·10 + 9 stays below 2^53

export function parseNumber(b: Uint8Array, s: number, e: number): number {
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  const v = parseNumberAt(b, s, e);
  return numberScan.end === e ? v : Number.NaN;
}

/** Where parseNumberAt stopped: the index after the number and any spaces that follow it. */
export const numberScan = { end: 0 };

/**
 * Parses a decimal starting at b[s] (leading spaces skipped), stopping at the first byte that
 * cannot continue it or at `limit`; sets `numberScan.end` to the stop position (after trailing
 * spaces). Lets the CSV scanner parse a field in the same pass that finds its end. Returns NaN
 * when no valid number starts there (the caller still checks what follows).
 */
export function parseNumberAt(b: Uint8Array, s: number, limit: number): number {
  while (s < limit && (b[s] === 32 || b[s] === 9)) s++;
  const e = limit;
  let i = s;
  let neg = false;
  const c0 = b[i];
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) i++;
  let mant = 0;
  let exp10 = 0;
  let digits = 0;
  let exact = true;
  for (; i < e; i++) {
    const c = (b[i] as number) - 48;
    if (c < 0 || c > 9) break;
    digits++;
    if (mant <= MANT_LIMIT) mant = mant * 10 + c;
    else {
      exact = false;
      exp10++;
    }
  }
  if (i < e && b[i] === 46) {
    for (i++; i < e; i++) {
      const c = (b[i] as number) - 48;
      if (c < 0 || c > 9) break;
      digits++;
      if (mant <= MANT_LIMIT) {
        mant = mant * 10 + c;
        exp10--;
      } else if (c !== 0) exact = false;
    }
  }
  if (digits === 0) {
    numberScan.end = i;
    return Number.NaN;
  }
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (b[i] === 45) {
      eneg = true;
      i++;
    } else if (b[i] === 43) i++;
    let ex = 0;
    let edigits = 0;
    for (; i < e; i++) {
      const c = (b[i] as number) - 48;
      if (c < 0 || c > 9) break;
      edigits++;
      if (ex < 100_000) ex = ex * 10 + c;
    }
    if (edigits === 0) {
      numberScan.end = i;
      return Number.NaN;
    }
    exp10 += eneg ? -ex : ex;
  }
  const stop = i;
  while (i < e && (b[i] === 32 || b[i] === 9)) i++;
  numberScan.end = i;
  if (!exact || exp10 > 22 || exp10 < -22) return slow(b, s, stop);
  let v = mant;
  if (exp10 > 0) v = mant * (POW10[exp10] as number);
  else if (exp10 < 0) v = mant / (POW10[-exp10] as number);
  return neg ? -v : v;
}

function slow(b: Uint8Array, s: number, e: number): number {
  // One latin1 decode (the scanner has checked the bytes are ASCII): linear even for a field of
  // ten million digits, where building the text a character at a time took seconds.
  return Number(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1'));
}
