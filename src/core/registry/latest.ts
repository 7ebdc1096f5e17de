import { readFileSync } from 'node:fs';
import { registryPaths } from './layout.js';

/** When a run was created (ms) and its rank in the comparison that made it, read leniently. */
function creation(root: string, id: string): { at: number; rank: number } {
  try {
    const rec = JSON.parse(readFileSync(registryPaths(root).runFile(id), 'utf8')) as { createdAt?: unknown; metrics?: { rank?: unknown } };
    const at = typeof rec.createdAt === 'string' ? Date.parse(rec.createdAt) : Number.NaN;
    const rank = typeof rec.metrics?.rank === 'number' ? rec.metrics.rank : Number.POSITIVE_INFINITY;
    return { at: Number.isFinite(at) ? at : Number.NEGATIVE_INFINITY, rank };
  } catch {
    // A corrupt run is reported by the commands that read it; here it only loses the tie.
    return { at: Number.NEGATIVE_INFINITY, rank: Number.POSITIVE_INFINITY };
  }
}

/**
 * `latest`: the most recently created run. Ids start with their UTC creation second, so only the
 * runs of the newest second are read for their millisecond `createdAt`. Runs of one `mm compare`
 * share their creation time: among them the comparison's best-ranked candidate is the latest, so
 * `mm compare …; mm promote latest` promotes the winner, never the alphabetically last kind.
 * @param ids run ids sorted ascending (listRunIds).
 */
export function latestRunId(root: string, ids: readonly string[]): string | undefined {
  const last = ids[ids.length - 1];
  if (last === undefined) return undefined;
  const second = last.slice(0, last.indexOf('-'));
  let i = ids.length - 1;
  while (i > 0 && (ids[i - 1] as string).startsWith(`${second}-`)) i--;
  if (i === ids.length - 1) return last;
  let best = last;
  let bestC = creation(root, last);
  for (let k = ids.length - 2; k >= i; k--) {
    const id = ids[k] as string;
    const c = creation(root, id);
    if (c.at > bestC.at || (c.at === bestC.at && c.rank < bestC.rank)) {
      best = id;
      bestC = c;
    }
  }
  return best;
}
