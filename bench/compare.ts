import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Bench, BenchTable } from './lib.js';

const BIN = resolve('bin/run.js');

/** One `mm compare` as a child process under /usr/bin/time: wall, CPU (user + system) and peak RSS. */
function run(args: string[]): { wall: number; cpu: number; rssMb: number; status: number; stderr: string } {
  const reg = mkdtempSync(join(tmpdir(), 'mm-bench-compare-'));
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', 'mm-time %U %S %M', process.execPath, BIN, 'compare', ...args, '--registry', reg], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const m = /mm-time ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
    return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : Number.NaN, rssMb: m ? Number(m[3]) / 1024 : Number.NaN, status: r.status ?? -1, stderr: r.stderr ?? '' };
  } finally {
    rmSync(reg, { recursive: true, force: true });
  }
}

/**
 * The user's most common long command: `mm compare` with every default (all nine kinds, 5 folds,
 * each kind's calibration) on one year of 5-minute bars, on one thread and with the default width
 * (the free cores when it starts). MM_BENCH_COMPARE_CSV picks the file (default
 * ../shared/data/a5m/NVDA.csv), MM_BENCH_COMPARE_MODELS the candidates, MM_BENCH_COMPARE_RUNS the
 * repeats (default 1: one run is minutes).
 */
export const compareBench: Bench = {
  name: 'compare',
  async run(): Promise<BenchTable[]> {
    const csv = process.env['MM_BENCH_COMPARE_CSV'] ?? '../shared/data/a5m/NVDA.csv';
    if (!existsSync(csv)) {
      return [{ title: 'compare: skipped', columns: ['note'], rows: [[`${csv} not found (set MM_BENCH_COMPARE_CSV)`]] }];
    }
    const models = process.env['MM_BENCH_COMPARE_MODELS'];
    const runs = Math.max(1, Number(process.env['MM_BENCH_COMPARE_RUNS'] ?? 1));
    const base = [csv, ...(models === undefined ? [] : ['--models', models])];
    const rows: (string | number | null)[][] = [];
    let one = Number.NaN;
    for (const [what, extra] of [['--threads 1', ['--threads', '1']], ['default width (free cores)', []]] as [string, string[]][]) {
      const got = Array.from({ length: runs }, () => run([...base, ...extra]));
      const bad = got.find((g) => g.status !== 0);
      if (bad !== undefined) throw new Error(`mm compare ${what} exited ${bad.status}: ${bad.stderr.slice(0, 300)}`);
      const walls = got.map((g) => g.wall).sort((a, b) => a - b);
      const wall = walls[Math.floor(walls.length / 2)] as number;
      if (Number.isNaN(one)) one = wall;
      const g = got[0] as { cpu: number; rssMb: number };
      rows.push([what, wall.toFixed(1), `${(walls[0] as number).toFixed(1)}–${(walls[walls.length - 1] as number).toFixed(1)}`, g.cpu.toFixed(1), g.rssMb.toFixed(0), (wall / one).toFixed(2)]);
    }
    return [{
      title: `compare: mm compare ${base.join(' ')} (child process; median of ${runs})`,
      columns: ['width', 'wall s', 'range', 'CPU s (first run)', 'peak RSS MB', 'wall / 1 thread'],
      rows,
      notes: ['target (issue #16): 30 s wall on 2 cores; the machine\'s other load shows in the wall time, read the CPU column beside it'],
    }];
  },
};
