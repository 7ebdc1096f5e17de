import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import {
  CACHE_MS, freeCores, freeCoresFromLoad, freeCoresFromSample, forgetFreeCores, ownLoad, readCpuTimes, resolveThreads, sampleFreeCores, sampleWaits,
} from '../../../src/core/util/threads.js';

describe('freeCores (default thread count)', () => {
  describe('from a sample of the CPU counters', () => {
    it('an idle machine gives every core; a busy one fewer, never 0', () => {
      // 2 cores, 100 ms: 20 ticks in all
      expect(freeCoresFromSample(2, { busy: 0, total: 0 }, { busy: 1, total: 20 }, 0)).to.equal(2);
      expect(freeCoresFromSample(2, { busy: 0, total: 0 }, { busy: 10, total: 20 }, 0)).to.equal(1);
      expect(freeCoresFromSample(2, { busy: 0, total: 0 }, { busy: 20, total: 20 }, 0)).to.equal(1);
      expect(freeCoresFromSample(8, { busy: 100, total: 1000 }, { busy: 130, total: 1080 }, 0)).to.equal(5);
    });

    it("does not count this process's own CPU time as someone else's", () => {
      expect(freeCoresFromSample(2, { busy: 0, total: 0 }, { busy: 10, total: 20 }, 10)).to.equal(2);
      // own time above the machine's busy time (tick rounding) is not negative load
      expect(freeCoresFromSample(2, { busy: 0, total: 0 }, { busy: 3, total: 20 }, 9)).to.equal(2);
    });

    it('counters that did not move count every core as free', () => {
      expect(freeCoresFromSample(4, { busy: 5, total: 50 }, { busy: 5, total: 50 }, 0)).to.equal(4);
    });

    it("parses /proc/stat's aggregate line (busy excludes idle and iowait; guest time is inside user)", () => {
      const t = readCpuTimes('cpu  100 2 30 400 5 6 7 8 9 10\ncpu0 50 1 15 200 2 3 3 4 0 0\n');
      expect(t).to.deep.equal({ busy: 100 + 2 + 30 + 6 + 7 + 8, total: 100 + 2 + 30 + 6 + 7 + 8 + 400 + 5 });
      expect(readCpuTimes('cpu  100 2 30 400 5 6 7\n')).to.deep.equal({ busy: 145, total: 550 });
      expect(readCpuTimes('no cpu line here')).to.equal(null);
    });

    it('sees a busy process on this machine', async () => {
      expect(readCpuTimes(), '/proc/stat (mm measures free cores from it on Linux)').to.not.equal(null);
      const n = availableParallelism();
      // one spinning process per core: whatever else runs, no core is free, so the answer is 1
      const kids = Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
      try {
        await new Promise((r) => setTimeout(r, 300));
        expect(sampleFreeCores(n, 200)).to.equal(1);
      } finally {
        for (const k of kids) k.kill('SIGKILL');
      }
    });
  });

  describe('from the load average (fallback)', () => {
    it('an idle machine gives every core', () => {
      expect(freeCoresFromLoad(2, 0, 0)).to.equal(2);
      expect(freeCoresFromLoad(8, 0.3, 0)).to.equal(8);
    });

    it('a loaded 2-core machine gives 1 thread, never 0', () => {
      expect(freeCoresFromLoad(2, 1.7, 0)).to.equal(1);
      expect(freeCoresFromLoad(2, 20, 0)).to.equal(1);
      expect(freeCoresFromLoad(8, 5.2, 0)).to.equal(3);
    });

    it("does not count this process's own load as someone else's", () => {
      expect(freeCoresFromLoad(2, 1.0, 1.0)).to.equal(2);
      expect(freeCoresFromLoad(2, 1.0, 0)).to.equal(1);
    });

    it('treats a missing load average (Windows reports 0, a broken one NaN) as idle', () => {
      expect(freeCoresFromLoad(4, 0, 0)).to.equal(4);
      expect(freeCoresFromLoad(4, NaN, 0)).to.equal(4);
    });
  });

  it('measures this machine: within 1..cores; waits for a sample once, later calls use the span since the last reading', () => {
    forgetFreeCores();
    const w0 = sampleWaits();
    const f = freeCores();
    expect(f).to.be.within(1, availableParallelism());
    expect(sampleWaits()).to.equal(w0 + 1);
    // within CACHE_MS: the kept value
    expect(freeCores()).to.equal(f);
    // past it (but within MAX_SPAN_MS): measured over the span since the previous reading, no new wait
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, CACHE_MS + 50);
    expect(freeCores()).to.be.within(1, availableParallelism());
    expect(sampleWaits()).to.equal(w0 + 1);
    expect(Number.isFinite(ownLoad()) && ownLoad() >= 0).to.equal(true);
    expect(resolveThreads('auto')).to.be.within(1, availableParallelism());
    expect(resolveThreads(3)).to.equal(3);
  });
});
