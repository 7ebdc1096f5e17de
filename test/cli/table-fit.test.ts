import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fitTable, renderTable, type TextTable } from '../../src/cli/render/table.js';
import { repoRoot } from '../helpers.js';

const run = resolve(repoRoot, 'bin/run.js');
const data = resolve(repoRoot, 'test/fixtures/cli/NVDA_train.csv');
const hasScript = spawnSync('script', ['--version']).status === 0;

/** What a terminal `cols` wide shows on stdout (stderr discarded), through a real pseudo-terminal. */
function onTerminal(args: string, cols: number): string {
  const r = spawnSync('script', ['-qec', `stty cols ${cols} rows 40; "${process.execPath}" "${run}" ${args} 2>/dev/null`, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, COLUMNS: String(cols), NO_COLOR: '1' },
  });
  expect(r.status, r.stdout).to.equal(0);
  return r.stdout.replace(/\r/g, '');
}

const wide: TextTable = {
  columns: ['id', 'a_long_column', 'b_long_column', 'c_long_column', 'keep_me'],
  rows: Array.from({ length: 100 }, (_, i) => [`row${i}`, 1.5, 2.5, 3.5, 'x']),
  dropFirst: ['b_long_column'],
};

describe('tables that fit the terminal', function () {
  this.timeout(60_000);

  it('leaves out the dropFirst columns, then columns from the right, and says which', () => {
    const { table, note } = fitTable(wide, { width: 40, maxRows: 200 });
    expect(table.columns).to.deep.equal(['id', 'a_long_column', 'c_long_column']);
    const flat = (note ?? '').replace(/\n/g, ' ');
    expect(flat).to.include('3 of 5 columns shown (left out: b_long_column, keep_me)');
    expect(flat).to.include('--out FILE or --json gets everything');
    const text = renderTable(wide, { fit: { width: 40, maxRows: 200 } });
    for (const line of text.trimEnd().split('\n')) expect(line.length).to.be.at.most(40);
  });

  it('shows head and tail with the row count when there are more rows than fit', () => {
    const { table, note } = fitTable(wide, { width: 200, maxRows: 30 });
    expect(table.rows).to.have.length(17);
    expect(table.rows[0]?.[0]).to.equal('row0');
    expect(table.rows[8]?.[0]).to.equal('…');
    expect(table.rows[16]?.[0]).to.equal('row99');
    expect(note).to.include('100 rows, 84 not shown');
  });

  it('leaves a table that fits untouched, and never fits without a terminal', () => {
    expect(fitTable(wide, { width: 200, maxRows: 200 })).to.deep.equal({ table: { columns: wide.columns, rows: wide.rows }, note: null });
    const full = renderTable(wide, { fit: null });
    expect(full.trimEnd().split('\n')).to.have.length(101);
  });

  it('mm features on an 80-column terminal: every line fits, head … tail; a pipe gets every row and column', function () {
    if (!hasScript) this.skip();
    const text = onTerminal(`features "${data}"`, 80);
    const lines = text.trimEnd().split('\n');
    for (const l of lines) expect(l.length, l).to.be.at.most(80);
    expect(lines.length).to.be.below(30);
    expect(text).to.match(/\d[\d,]* rows, [\d,]+ not shown/);
    expect(text).to.match(/of 13 columns shown/);
    const piped = spawnSync(process.execPath, [run, 'features', data], { encoding: 'utf8' });
    const csv = piped.stdout.trimEnd().split('\n');
    expect(csv[0]?.split(',')).to.have.length(13);
    expect(csv.length).to.be.above(100);
    expect(piped.stdout).to.not.include('not shown');
  });
});
