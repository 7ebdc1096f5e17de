import { Args, Flags } from '@oclif/core';
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MmCommand } from '../cli/base-command.js';
import { tableOutput } from '../cli/output.js';
import { expandInputs, formatBarsCsv, parseInterval, readBarsFile, resampleBars, type ResampleReport } from '../core/data/index.js';
import { DataError, osError, UsageError } from '../core/errors.js';
import { ensureDir, writeFileAtomic } from '../core/util/fs-atomic.js';
import { pathInside } from '../core/util/safe-path.js';

export default class Resample extends MmCommand {
  static override summary = 'aggregate finer bars into session-anchored buckets (e.g. 5-minute → 1-hour)';
  static override description =
    'Buckets start at the session open (09:30, 10:30, … 15:30 New York for 1h); open first, high max, low min, ' +
    'close last, volume sum; bars outside the regular session are dropped and counted. One input prints CSV ' +
    '(or writes --out file); several inputs, or --out naming a directory (existing, or ending in "/"), write ' +
    '<out>/<SYMBOL>_<interval>.csv. All or nothing: every input is read and resampled before any file is written, ' +
    'and two inputs of one symbol are an error rather than one overwriting the other.';
  static override examples = [
    '<%= config.bin %> resample data/NVDA_5m_train.csv --interval 1h > NVDA_1h.csv',
    '<%= config.bin %> resample data/NVDA_5m_train.csv --interval 30m --out data-30m/',
  ];
  static override strict = false;
  static override args = { csv: Args.string({ required: true, description: 'OHLCV CSV file(s), a directory or a glob' }) };
  static override flags = {
    interval: Flags.string({ char: 'i', description: 'target bar interval (5m, 30m, 1h, …)', required: true }),
    out: Flags.string({ char: 'o', description: 'output file (one input) or directory (several, or a path ending in "/")' }),
    tz: Flags.string({ description: 'IANA zone for timestamps without an offset' }),
  };

  async run(): Promise<{ outputs: { symbol: string | null; path: string | null; report: ResampleReport }[] }> {
    const { argv, flags } = await this.parse(Resample);
    const intervalMs = parseInterval(flags.interval);
    const inputs = expandInputs(argv as string[]);
    const out = flags.out;
    const toDir = out !== undefined && (inputs.length > 1 || out.endsWith('/') || isDirectory(out));
    if (inputs.length > 1 && out === undefined) throw new UsageError('several inputs need --out <dir>');
    // Everything is read, checked and computed before anything is written.
    const done = inputs.map((path) => {
      const { bars } = readBarsFile(path, flags.tz === undefined ? {} : { tz: flags.tz });
      const r = resampleBars(bars, intervalMs);
      return { path, symbol: bars.symbol, csv: formatBarsCsv(r.bars), report: r.report };
    });
    if (out === undefined) {
      this.print((done[0] as (typeof done)[number]).csv);
      return { outputs: done.map((d) => ({ symbol: d.symbol, path: null, report: d.report })) };
    }
    let targets: string[];
    if (!toDir) {
      writeFileAtomic(out, (done[0] as (typeof done)[number]).csv);
      targets = [out];
    } else {
      const byName = new Map<string, string>();
      targets = done.map((d) => {
        const name = `${d.symbol ?? 'bars'}_${flags.interval}.csv`;
        const other = byName.get(name);
        if (other !== undefined) {
          throw new DataError(`${other} and ${d.path} would both be written to ${join(out, name)}`, {
            hint: 'resample one file per symbol per run (or give them symbol columns that differ)',
          });
        }
        byName.set(name, d.path);
        return pathInside(out, name);
      });
      writeAllOrNothing(out, targets, done.map((d) => d.csv));
    }
    this.print(tableOutput({
      columns: ['symbol', 'written', 'buckets', 'partial', 'dropped'],
      rows: done.map((d, i) => [d.symbol ?? '–', targets[i] ?? '–', d.report.buckets, d.report.partialBuckets, d.report.dropped]),
    }, undefined));
    return { outputs: done.map((d, i) => ({ symbol: d.symbol, path: targets[i] ?? null, report: d.report })) };
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Write every file into a staging folder inside `dir`, then rename them into place: a failure while
 * writing (disk full, a bad path) leaves `dir` exactly as it was.
 */
function writeAllOrNothing(dir: string, targets: string[], texts: string[]): void {
  ensureDir(dir);
  const staging = join(dir, `.staging-resample-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    ensureDir(staging);
    texts.forEach((text, i) => writeFileAtomic(pathInside(staging, `${i}.csv`), text));
    targets.forEach((target, i) => {
      try {
        renameSync(join(staging, `${i}.csv`), target);
      } catch (err) {
        throw osError(err, 'write', target);
      }
    });
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
}
