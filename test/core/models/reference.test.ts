import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { REF_CASES, referenceData } from '../../fixtures/models/make-reference.js';

/**
 * Every speed-up of a learner must leave its predictions where they were: the stored probabilities
 * (test/fixtures/models/learners-reference.json, written by the implementation before the speed-ups,
 * see make-reference.ts) against a fresh fit with the current code.
 */
const stored = JSON.parse(readFileSync(new URL('../../../../test/fixtures/models/learners-reference.json', import.meta.url), 'utf8')) as Record<string, number[]>;

/** Largest absolute probability difference allowed: floating-point summation-order noise. */
const TOL = 1e-9;

describe('learners against their stored reference outputs', () => {
  for (const c of REF_CASES) {
    it(`${c.name}: test-row probabilities match the pre-speed-up implementation within ${TOL}`, () => {
      const ref = stored[c.name];
      expect(ref, `no stored reference for ${c.name}`).to.be.an('array');
      const { train, test } = referenceData(c.nan);
      const p = c.fit(train).predictProba(test.columns, test.n);
      expect(p.length).to.equal((ref as number[]).length);
      let worst = 0;
      for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs((p[i] as number) - ((ref as number[])[i] as number)));
      expect(worst).to.be.at.most(TOL);
    });
  }
});
