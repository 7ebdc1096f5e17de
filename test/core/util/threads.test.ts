import { expect } from 'chai';
import { availableParallelism } from 'node:os';
import { freeCores, ownLoad, resolveThreads } from '../../../src/core/util/threads.js';

describe('freeCores (default thread count)', () => {
  it('an idle machine gives every core', () => {
    expect(freeCores(2, 0, 0)).to.equal(2);
    expect(freeCores(8, 0.3, 0)).to.equal(8);
  });

  it('a loaded 2-core machine gives 1 thread, never 0', () => {
    expect(freeCores(2, 1.7, 0)).to.equal(1);
    expect(freeCores(2, 20, 0)).to.equal(1);
    expect(freeCores(8, 5.2, 0)).to.equal(3);
  });

  it("does not count this process's own load as someone else's", () => {
    // a 2-core machine whose only load is this process's busy main thread: both cores are ours to use
    expect(freeCores(2, 1.0, 1.0)).to.equal(2);
    expect(freeCores(2, 1.0, 0)).to.equal(1);
  });

  it('treats a missing load average (Windows reports 0, a broken one NaN) as idle', () => {
    expect(freeCores(4, 0, 0)).to.equal(4);
    expect(freeCores(4, NaN, 0)).to.equal(4);
  });

  it('measures this machine: within 1..cores; the own-load estimate is finite and ≥ 0', () => {
    const f = freeCores();
    expect(f).to.be.within(1, availableParallelism());
    expect(Number.isFinite(ownLoad()) && ownLoad() >= 0).to.equal(true);
    expect(resolveThreads('auto')).to.be.within(1, availableParallelism());
    expect(resolveThreads(3)).to.equal(3);
  });
});
