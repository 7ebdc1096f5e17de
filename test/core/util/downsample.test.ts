import { expect } from 'chai';
import { evenIndices, finiteOrNull } from '../../../src/core/util/downsample.js';
import { formatJson } from '../../../src/core/util/fs-atomic.js';

describe('evenIndices', () => {
  it('keeps every index of a series no longer than max', () => {
    expect([...evenIndices(3, 5)]).to.deep.equal([0, 1, 2]);
    expect([...evenIndices(0, 5)]).to.deep.equal([]);
  });

  it('takes evenly spaced indices with the first and the last (round(k·(n−1)/(max−1)))', () => {
    // n = 10, max = 4: k·9/3 = 0, 3, 6, 9.
    expect([...evenIndices(10, 4)]).to.deep.equal([0, 3, 6, 9]);
    // n = 8, max = 3: 0, 3.5 → 4, 7.
    expect([...evenIndices(8, 3)]).to.deep.equal([0, 4, 7]);
    const big = evenIndices(2501, 1000);
    expect(big).to.have.length(1000);
    expect(big[0]).to.equal(0);
    expect(big[999]).to.equal(2500);
    for (let i = 1; i < big.length; i++) expect(big[i] as number).to.be.above(big[i - 1] as number);
  });

  it('rejects a max that cannot keep both endpoints', () => {
    expect(() => evenIndices(10, 1)).to.throw(RangeError);
  });

  it('finiteOrNull keeps a value exactly and maps NaN and infinities to null', () => {
    expect(finiteOrNull(1.23456789)).to.equal(1.23456789);
    expect(finiteOrNull(Number.NaN)).to.equal(null);
    expect(finiteOrNull(-Infinity)).to.equal(null);
  });
});

describe('formatJson', () => {
  it('keeps arrays of numbers and nulls on one line and everything else indented', () => {
    const v = { pts: [[0, 1.5e-7], [-2, null]], names: ['a', 'b'], nested: [1, { k: 2 }], empty: [] };
    expect(formatJson(v)).to.equal([
      '{',
      '  "pts": [',
      '    [0, 1.5e-7],',
      '    [-2, null]',
      '  ],',
      '  "names": [',
      '    "a",',
      '    "b"',
      '  ],',
      '  "nested": [',
      '    1,',
      '    {',
      '      "k": 2',
      '    }',
      '  ],',
      '  "empty": []',
      '}',
    ].join('\n'));
  });

  it('never touches text inside strings and parses back to the same value', () => {
    const v = { s: '[\n1,\n2\n]', xs: [1, 2, 3], deep: { m: [[1, 2], [3, 4]] } };
    const text = formatJson(v);
    expect(JSON.parse(text)).to.deep.equal(v);
    expect(text).to.include('"s": "[\\n1,\\n2\\n]"');
    expect(text).to.include('"xs": [1, 2, 3]');
  });
});
