import { AppError } from '../errors.js';
import { isUncalibrated } from '../evaluate/index.js';
import { readAliases, readRun, listRunIds, openRegistry } from './store.js';
import type { RunRecord } from './record.js';

/** One line of `mm runs list`: the run's key facts, or why it could not be read. */
export interface RunSummary {
  id: string;
  createdAt: string | null;
  kind: string | null;
  symbols: string[];
  rows: number | null;
  scheme: string | null;
  macroF1: number | null;
  logLoss: number | null;
  brier: number | null;
  ece: number | null;
  /** Log-loss not below the majority baseline's on the same rows (null when either is missing). */
  uncalibrated: boolean | null;
  /** Best baseline macro F1 on the same test rows, so the list shows whether a run has any edge. */
  baselineMacroF1: number | null;
  aliases: string[];
  tags: Record<string, string>;
  error: string | null;
}

function metric(rec: RunRecord, who: string, key: string): number | null {
  const m = (rec.metrics as Record<string, Record<string, unknown> | undefined>)[who];
  const v = m?.[key];
  return typeof v === 'number' ? v : null;
}

/**
 * Every run, oldest first. A corrupted run does not stop the listing: it appears with `error` set.
 * @throws ConflictError for a registry of another schema version.
 */
export function listRuns(root: string): RunSummary[] {
  openRegistry(root, { create: false });
  const aliases = readAliases(root);
  return listRunIds(root).map((id) => {
    const names = [...aliases].filter(([, v]) => v === id).map(([k]) => k);
    try {
      const rec = readRun(root, id);
      const bases = [metric(rec, 'majority', 'macroF1'), metric(rec, 'persistence', 'macroF1')].filter((x): x is number => x !== null);
      return {
        id,
        createdAt: rec.createdAt,
        kind: rec.model.kind,
        symbols: rec.data.symbols,
        rows: rec.data.rows,
        scheme: rec.labels.scheme,
        macroF1: metric(rec, 'model', 'macroF1'),
        logLoss: metric(rec, 'model', 'logLoss'),
        brier: metric(rec, 'model', 'brier'),
        ece: metric(rec, 'model', 'ece'),
        uncalibrated: isUncalibrated(metric(rec, 'model', 'logLoss'), metric(rec, 'majority', 'logLoss')),
        baselineMacroF1: bases.length > 0 ? Math.max(...bases) : null,
        aliases: names,
        tags: rec.tags,
        error: null,
      };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return { id, createdAt: null, kind: null, symbols: [], rows: null, scheme: null, macroF1: null, logLoss: null, brier: null, ece: null, uncalibrated: null, baselineMacroF1: null, aliases: names, tags: {}, error: e.message };
    }
  });
}
