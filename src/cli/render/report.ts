import type { ReadReport } from '../../core/data/index.js';
import { isoUtc } from '../../core/data/index.js';

const iso = isoUtc;

/** One line about what was read, plus the non-fatal findings a user should see. */
export function readSummary(r: ReadReport): string {
  const parts = [`${r.source}: ${r.rows} bars${r.symbol ? ` of ${r.symbol}` : ''}, ${iso(r.first)} → ${iso(r.last)}`];
  if (r.duplicatesDropped > 0) parts.push(`${r.duplicatesDropped} exact duplicate rows dropped`);
  if (r.gaps.length > 0) parts.push(`${r.gaps.length} gaps`);
  if (r.zeroVolumeBars > 0) parts.push(`${r.zeroVolumeBars} zero-volume bars`);
  return parts.join('; ');
}

/** The report as JSON (epoch times as ISO strings). */
export function reportJson(r: ReadReport): Record<string, unknown> {
  return {
    ...r,
    first: iso(r.first),
    last: iso(r.last),
    gaps: r.gaps.map((g) => ({ from: iso(g.from), to: iso(g.to), missingBars: g.missingBars })),
  };
}
