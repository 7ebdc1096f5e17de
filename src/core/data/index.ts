/** The data stage's public surface: reading and validating OHLCV bars, and the session calendar. */
export type { Bars, Gap, Ohlcv, ReadReport, ReadResult } from './types.js';
export { readBarsFile, parseBarsCsv, type ReadOptions } from './read-csv.js';
export { barsFromRecords } from './records.js';
export {
  US_EQUITY,
  isEarlyClose,
  isTradingDay,
  nextBarTime,
  nextSessionKey,
  sessionClose,
  sessionKey,
  sessionOpen,
  type SessionCalendar,
} from './calendar.js';
export { usHolidayYear, easterDays, type HolidayYear } from './us-holidays.js';
export { findGaps, medianSpacing } from './gaps.js';
export { ZoneConverter, zoneConverter } from './tz.js';
export { checkSymbol, isSymbol, MAX_SYMBOL_LENGTH, normaliseSymbol, SYMBOL_PATTERN, SYMBOL_RULE, symbolFlag, symbolFromFileName } from './symbol.js';
export { expandInputs, readBarsMany, alignTimes, type Alignment, type ReadManyOptions, type ReadManyResult } from './many.js';
export { resampleBars, formatBarsCsv, barsCsvChunks, type ResampleReport, type ResampleResult } from './resample.js';
export { parseInterval } from './interval.js';
export { isoUtc } from './civil.js';
