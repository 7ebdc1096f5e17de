import type { SeriesStats } from './stats.js';

/**
 * How backtest statistics are shown, in one place for the terminal table (`mm backtest`) and the
 * HTML report, so both say "CAGR 820.04%" for the same record rather than one of them `cagr 8.2004`.
 */
export type StatFormat = 'percent' | 'ratio' | 'count' | 'decimal1';

export interface StatRow {
  key: keyof SeriesStats;
  label: string;
  format: StatFormat;
}

/** Every statistic of a backtest, in display order, with its label and format. */
export const STAT_ROWS: readonly StatRow[] = [
  { key: 'totalReturn', label: 'total return', format: 'percent' },
  { key: 'cagr', label: 'CAGR', format: 'percent' },
  { key: 'annualVolatility', label: 'annual volatility', format: 'percent' },
  { key: 'sharpe', label: 'Sharpe', format: 'ratio' },
  { key: 'sortino', label: 'Sortino', format: 'ratio' },
  { key: 'calmar', label: 'Calmar', format: 'ratio' },
  { key: 'maxDrawdown', label: 'max drawdown', format: 'percent' },
  { key: 'maxDrawdownBars', label: 'max drawdown bars', format: 'count' },
  { key: 'trades', label: 'trades', format: 'count' },
  { key: 'winRate', label: 'win rate', format: 'percent' },
  { key: 'avgWin', label: 'avg win', format: 'percent' },
  { key: 'avgLoss', label: 'avg loss', format: 'percent' },
  { key: 'profitFactor', label: 'profit factor', format: 'ratio' },
  { key: 'expectancy', label: 'expectancy', format: 'percent' },
  { key: 'exposure', label: 'exposure', format: 'percent' },
  { key: 'turnover', label: 'turnover', format: 'decimal1' },
  { key: 'feesPaid', label: 'fees + slippage', format: 'percent' },
];

/** A fraction as a percentage with two decimals (0.0921 → "9.21%"); an en dash when missing. */
export function formatPercent(x: unknown): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : '–';
}

/** One statistic's value as the terminal and the report show it; an en dash when missing. */
export function formatStat(x: unknown, format: StatFormat): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  switch (format) {
    case 'percent': return formatPercent(x);
    case 'ratio': return x.toFixed(2);
    case 'decimal1': return x.toFixed(1);
    case 'count': return Number.isInteger(x) ? String(x) : x.toFixed(1);
  }
}
