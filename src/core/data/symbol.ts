import { basename, extname } from 'node:path';
import { DataError, UsageError } from '../errors.js';

/** Longest symbol accepted anywhere (column, file name, flag, HTTP body, weights file). */
export const MAX_SYMBOL_LENGTH = 32;

/**
 * The symbol grammar, after trimming and upper-casing: 1–32 characters from letters, digits and
 * `.`, `-`, `_`, `^`, `=`, starting with a letter, a digit or `^` (`^GSPC`, `ES=F`, `BRK.B`,
 * `BRK-B`). A leading `.`, `-`, `_` or `=` is refused: it would make `.`/`..` path components,
 * hidden files, command-line flags or spreadsheet formulas out of data. No `/`, `\`, NUL, space or
 * control character can ever be part of a symbol, so a symbol is always one safe file-name
 * component; output paths are still checked separately (see util/safe-path).
 */
export const SYMBOL_PATTERN = `^[A-Za-z0-9^][A-Za-z0-9._^=-]{0,${MAX_SYMBOL_LENGTH - 1}}$`;
const SYMBOL_RE = new RegExp(SYMBOL_PATTERN);

/** The grammar in words, for error hints and the README. */
export const SYMBOL_RULE = `1–${MAX_SYMBOL_LENGTH} characters: letters, digits, ".", "-", "_", "^", "=", starting with a letter, digit or "^"`;

/** True when `s` (already trimmed) follows the symbol grammar. */
export function isSymbol(s: string): boolean {
  return SYMBOL_RE.test(s);
}

/** A value as it can be shown in one error line: escaped, and cut after 40 characters. */
function show(value: string): string {
  const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(cut);
}

/**
 * Check a symbol taken from data (a `symbol` column, a weights file, a request body) and return it
 * trimmed and upper-cased.
 * @throws DataError (exit 3) naming `where` (file:line) when it breaks the grammar.
 */
export function checkSymbol(value: string, where: string): string {
  const s = value.trim().toUpperCase();
  if (!SYMBOL_RE.test(s)) {
    const why = s.length > MAX_SYMBOL_LENGTH ? `is ${s.length} characters long` : 'is not a valid symbol';
    throw new DataError(`${where}: symbol ${show(s)} ${why}`, { hint: `a symbol is ${SYMBOL_RULE}` });
  }
  return s;
}

/**
 * Symbol implied by a file name: the base name without extension, up to the first `_`, upper-cased
 * (`QQQ_1h_2025.csv` → `QQQ`, `NVDA.csv` → `NVDA`, `BRK.B.csv` → `BRK.B`). Null when the name does
 * not follow the symbol grammar (`<request>`, `-`, `.hidden.csv`): such a file has no symbol.
 */
export function symbolFromFileName(path: string): string | null {
  const base = basename(path);
  const stem = base.slice(0, base.length - extname(base).length);
  const part = (stem.split('_')[0] ?? '').toUpperCase();
  return SYMBOL_RE.test(part) ? part : null;
}

/**
 * Normalises a symbol value from a column or option: trimmed, upper-cased, null when empty.
 * @throws DataError naming `where` when the value breaks the symbol grammar.
 */
export function normaliseSymbol(value: string, where: string): string | null {
  return value.trim() === '' ? null : checkSymbol(value, where);
}

/**
 * A symbol given as a flag (`--symbol`): as checkSymbol, but a usage error (exit 2).
 * @throws UsageError when it breaks the grammar.
 */
export function symbolFlag(value: string, flag = '--symbol'): string {
  try {
    return checkSymbol(value, flag);
  } catch (e) {
    throw new UsageError((e as Error).message, { hint: `a symbol is ${SYMBOL_RULE}` });
  }
}
