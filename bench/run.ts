import { renderTable } from '../src/cli/render/table.js';
import type { Bench } from './lib.js';
import { bigfilesBench } from './bigfiles.js';
import { csvBench } from './csv.js';
import { backtestBench } from './backtest.js';
import { boostBench } from './boost.js';
import { compareBench } from './compare.js';
import { featuresBench } from './features.js';
import { hgbWindowsBench } from './hgb-windows.js';
import { kernelsBench } from './kernels.js';
import { modelsBench } from './models.js';
import { nvdaBench } from './nvda.js';
import { serveBench } from './serve.js';
import { startupBench } from './startup.js';
import { treesBench } from './trees.js';
import { wssBench } from './wss.js';

// `npm run bench [name…]`: every benchmark, or the named ones, printed as tables with ratios.
const all: Bench[] = [csvBench, featuresBench, treesBench, boostBench, modelsBench, kernelsBench, nvdaBench, hgbWindowsBench, backtestBench, wssBench, serveBench, startupBench, bigfilesBench, compareBench];
const wanted = process.argv.slice(2);
const chosen = wanted.length === 0 ? all : all.filter((b) => wanted.includes(b.name));
if (chosen.length === 0) {
  console.error(`unknown benchmark; choose from: ${all.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
for (const b of chosen) {
  process.stderr.write(`running ${b.name}…\n`);
  for (const t of await b.run()) {
    console.log(renderTable({ columns: t.columns, rows: t.rows }, { title: `\n${t.title}` }));
    for (const n of t.notes ?? []) console.log(`  note: ${n}`);
  }
}
