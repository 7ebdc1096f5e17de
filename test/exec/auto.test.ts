import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { autoExecutor, localExecutor, threadExecutor, type Unit, type UnitHandler } from '../../src/core/exec/index.js';
import { costOrder } from '../../src/core/exec/threads.js';
import { fitCost } from '../../src/core/compare/compare.js';
import { defaultFeatureSpec } from '../../src/core/features/index.js';
import { UNITS } from '../../src/core/units/index.js';
import { fixedClock } from '../../src/core/util/clock.js';
import { fixture } from '../helpers.js';

const clock = fixedClock('2026-01-01T00:00:00Z');
const echo: UnitHandler = async (p) => (p as number) * 10;
const table = new Map([['t.echo', echo]]);
const echoUnits = (n: number): Unit[] => Array.from({ length: n }, (_, i) => ({ kind: 't.echo', params: i, label: `#${i}` }));

/** A real 'features.file' unit on a fixture CSV. */
function featuresUnit(path: string, label: string, cost?: number): Unit {
  const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
  return {
    kind: 'features.file',
    params: { source: { inputs: [{ path, sha256 }], read: { minRows: 30 } }, display: label, spec: defaultFeatureSpec(20) },
    label,
    ...(cost === undefined ? {} : { cost }),
  };
}
const files = [fixture('cli', 'NVDA_train.csv'), fixture('cli', 'NVDA_predict.csv'), fixture('pooled', 'AAPL.csv')];

describe('executor: the default (auto) width', () => {
  it('runs a batch of one unit in this process without measuring the machine', async () => {
    const ex = autoExecutor(table, clock, './runs', () => {
      throw new Error('measured for one unit');
    });
    expect(await ex.run(echoUnits(1))).to.deep.equal([0]);
    await ex.close();
  });

  it('runs in this process, in order, when the measurement finds one free core', async () => {
    let measured = 0;
    const ex = autoExecutor(table, clock, './runs', () => ++measured && 1);
    const seen: string[] = [];
    expect(await ex.run(echoUnits(3), (_d, _t, label) => seen.push(label))).to.deep.equal([0, 10, 20]);
    expect(seen).to.deep.equal(['#0', '#1', '#2']);
    // a later batch measures again (the machine may have freed up)
    await ex.run(echoUnits(2));
    expect(measured).to.equal(2);
    await ex.close();
  });

  it('starts worker threads when cores are free, with the results of a sequential run', async () => {
    const units = files.map((f, i) => featuresUnit(f, `file ${i}`));
    const seq = await localExecutor(UNITS, clock).run(units);
    const ex = autoExecutor(UNITS, clock, './runs', () => 2);
    try {
      const par = await ex.run(units);
      expect(JSON.stringify(par)).to.equal(JSON.stringify(seq));
      // worker threads run only the whitelist: a kind this process knows but the threads do not is refused there
      const err = await ex.run(echoUnits(2)).then(() => null, (e: { exitCode?: number; message: string }) => e);
      expect(err?.message).to.contain('unknown unit kind');
    } finally {
      await ex.close();
    }
  });
});

describe('executor: progress counts fits', () => {
  it('a unit of weight w (a group of w fits) advances the count by w, in process and on threads', async () => {
    const seen: string[] = [];
    const units = echoUnits(2).map((u, i) => (i === 0 ? { ...u, weight: 3 } : u));
    await localExecutor(table, clock).run(units, (d, t, label) => seen.push(`${d}/${t} ${label}`));
    expect(seen).to.deep.equal(['3/4 #0', '4/4 #1']);
    const files3 = files.map((f, i) => ({ ...featuresUnit(f, `file ${i}`, 3 - i), weight: i + 1 }));
    const ex = threadExecutor(1);
    try {
      const got: string[] = [];
      await ex.run(files3, (d, t) => got.push(`${d}/${t}`));
      expect(got).to.deep.equal(['1/6', '3/6', '6/6']);
    } finally {
      await ex.close();
    }
  });
});

describe('executor: longest units first', () => {
  it('orders by falling cost, ties and uncosted units in their given order', () => {
    const u = (cost?: number): Unit => ({ kind: 'x', params: null, label: '', ...(cost === undefined ? {} : { cost }) });
    expect(costOrder([u(1), u(3), u(2), u(3)])).to.deep.equal([1, 3, 2, 0]);
    expect(costOrder([u(), u(2), u()])).to.deep.equal([1, 0, 2]);
  });

  it('a one-thread pool runs the costliest unit first and still returns results in unit order', async () => {
    const units = files.map((f, i) => featuresUnit(f, `file ${i}`, [1, 3, 2][i]));
    const ex = threadExecutor(1);
    try {
      const order: string[] = [];
      const out = (await ex.run(units, (_d, _t, label) => order.push(label))) as { bars: { source: string } }[];
      expect(order).to.deep.equal(['file 1', 'file 2', 'file 0']);
      expect(out.map((r) => r.bars.source)).to.deep.equal(['file 0', 'file 1', 'file 2']);
    } finally {
      await ex.close();
    }
  });

  it("compare's cost estimate grows with rows and trees, and svc's with the square of its capped rows", () => {
    expect(fitCost('rf', { nTrees: 200 }, 20_000)).to.be.closeTo(2 * fitCost('rf', { nTrees: 200 }, 10_000), 1e-12);
    expect(fitCost('rf', { nTrees: 400 }, 10_000)).to.be.closeTo(2 * fitCost('rf', { nTrees: 200 }, 10_000), 1e-12);
    expect(fitCost('logreg', {}, 10_000)).to.be.below(fitCost('mlp', {}, 10_000));
    const svc = { maxTrainRows: 5000, calibrate: 'sigmoid' };
    expect(fitCost('svc', svc, 2500)).to.be.closeTo(fitCost('svc', svc, 5000) / 4, 1e-12);
    expect(fitCost('svc', svc, 50_000)).to.equal(fitCost('svc', svc, 5000));
    expect(fitCost('svc', { ...svc, calibrate: 'none' }, 5000)).to.be.closeTo(fitCost('svc', svc, 5000) / 4, 1e-12);
  });
});
