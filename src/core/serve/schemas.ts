/**
 * JSON schemas of the request bodies, checked by fastify (ajv) before a handler runs: they catch
 * wrong types and missing fields (400). What a schema cannot say well (sorted timestamps, high ≥
 * close, enough bars) is left to the core validator (422). Bars allow extra fields (a client's
 * `vwap` is ignored), request envelopes do not (a misspelt `bar` instead of `bars` is an error).
 */
import { MAX_SYMBOL_LENGTH, SYMBOL_PATTERN } from '../data/index.js';

const MAX_BARS = 100_000;
const MAX_ITEMS = 1000;

// The symbol grammar of the CSV reader (data/symbol.ts), so a body can name only what a file can.
const symbol = { type: 'string', minLength: 1, maxLength: MAX_SYMBOL_LENGTH, pattern: SYMBOL_PATTERN } as const;
const timestamp = { type: ['string', 'number'], maxLength: 64 } as const;
const num = { type: 'number' } as const;

const barFields = { timestamp, open: num, high: num, low: num, close: num, volume: num } as const;
const BAR_REQUIRED = ['timestamp', 'open', 'high', 'low', 'close', 'volume'];

const bar = { type: 'object', required: BAR_REQUIRED, properties: barFields } as const;
const bars = { type: 'array', minItems: 1, maxItems: MAX_BARS, items: bar } as const;

export const predictBody = {
  type: 'object',
  required: ['bars'],
  additionalProperties: false,
  properties: { symbol, bars },
} as const;

export const batchBody = {
  type: 'object',
  required: ['items'],
  additionalProperties: false,
  properties: {
    items: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_ITEMS,
      items: { type: 'object', required: ['symbol', 'bars'], additionalProperties: false, properties: { symbol, bars } },
    },
    weights: {
      oneOf: [
        { type: 'object', maxProperties: MAX_ITEMS, propertyNames: symbol, additionalProperties: { type: 'number', minimum: 0 } },
        {
          type: 'array',
          maxItems: MAX_ITEMS,
          items: { type: 'object', required: ['symbol', 'weight'], additionalProperties: false, properties: { symbol, weight: { type: 'number', minimum: 0 } } },
        },
      ],
    },
    use: { type: 'string', enum: ['action', 'decision', 'expected'] },
  },
} as const;

export const liveBarBody = {
  type: 'object',
  required: ['symbol', ...BAR_REQUIRED],
  additionalProperties: false,
  properties: { symbol, ...barFields },
} as const;

/** Request body types the schemas above guarantee. */
export interface BarJson {
  timestamp: string | number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
export interface PredictRequest {
  symbol?: string;
  bars: BarJson[];
}
export interface BatchRequest {
  items: { symbol: string; bars: BarJson[] }[];
  weights?: Record<string, number> | { symbol: string; weight: number }[];
  use?: 'action' | 'decision' | 'expected';
}
export interface LiveBarRequest extends BarJson {
  symbol: string;
}
