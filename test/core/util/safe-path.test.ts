import { expect } from 'chai';
import { join } from 'node:path';
import { DataError } from '../../../src/core/errors.js';
import { pathInside } from '../../../src/core/util/safe-path.js';

describe('pathInside (the output-path wall)', () => {
  it('joins a plain file name to its folder', () => {
    expect(pathInside('out', 'NVDA.csv')).to.equal(join('out', 'NVDA.csv'));
    expect(pathInside('/tmp/x/', 'BRK.B_1h.csv')).to.equal('/tmp/x/BRK.B_1h.csv');
    expect(pathInside('out', '..a.csv')).to.equal(join('out', '..a.csv'));
  });

  it('refuses every name that leaves the folder or is not one component, with exit 3', () => {
    for (const name of ['../VICTIM.csv', '../../PWNED.csv', '..', '.', '', 'a/b.csv', 'a\\b.csv', '/etc/passwd', 'a\u0000.csv', 'a\n.csv', `${'x'.repeat(256)}.csv`]) {
      const err = (() => { try { pathInside('out', name); } catch (e) { return e; } return null; })();
      expect(err, JSON.stringify(name)).to.be.instanceOf(DataError);
      expect((err as DataError).exitCode).to.equal(3);
      expect((err as DataError).message).to.include('out');
    }
  });
});
