import { expect } from 'chai';
import { CalibratedModel, EnsembleModel, fitModel, resolveModelParams, withFitMemo, type Classifier } from '../../../src/core/models/index.js';
import { fitGroups, groupUnits, ungroupResults } from '../../../src/core/compare/compare.js';
import { Rng } from '../../../src/core/util/rng.js';
import { stateToJson } from '../../../src/core/util/model-artifact.js';
import { blobs } from '../../fixtures/models/blobs.js';

const json = (m: Classifier): string => stateToJson(m.toJSON());

describe('fit memo (an ensemble shares its calibrated members\' fits)', () => {
  const input = blobs(600, 5, { k: 3, sep: 2, nClasses: 5 });
  const rfParams = resolveModelParams('rf', { nTrees: 6, nJobs: 1, calibrate: 'sigmoid' });
  const lrParams = resolveModelParams('logreg', {});
  const ensParams = resolveModelParams('ens', { members: ['rf', 'logreg'], params: { rf: { nTrees: 6, nJobs: 1 } } });

  it('in one scope the ensemble\'s members ARE the candidates\' fitted bases, and every model is the one fitted alone', async () => {
    const alone = {
      rf: json(await fitModel('rf', input, rfParams, new Rng(9))),
      lr: json(await fitModel('logreg', input, lrParams, new Rng(9))),
      ens: json(await fitModel('ens', input, ensParams, new Rng(9))),
    };
    const shared = await withFitMemo(async () => ({
      rf: (await fitModel('rf', input, rfParams, new Rng(9))) as CalibratedModel,
      lr: await fitModel('logreg', input, lrParams, new Rng(9)),
      ens: (await fitModel('ens', input, ensParams, new Rng(9))) as EnsembleModel,
    }));
    expect(shared.rf).to.be.instanceOf(CalibratedModel);
    expect(shared.ens.members[0]).to.equal(shared.rf.base);
    expect(shared.ens.members[1]).to.equal(shared.lr);
    expect(json(shared.rf)).to.equal(alone.rf);
    expect(json(shared.lr)).to.equal(alone.lr);
    expect(json(shared.ens)).to.equal(alone.ens);
  });

  it('shares nothing outside a scope, nor across other rows, parameters or seeds', async () => {
    const a = (await fitModel('ens', input, ensParams, new Rng(9))) as EnsembleModel;
    const b = (await fitModel('rf', input, rfParams, new Rng(9))) as CalibratedModel;
    expect(a.members[0]).to.not.equal(b.base);
    const other = { ...input, columns: input.columns.map((c, j) => (j === 0 ? Float64Array.from(c, (v, i) => (i === 17 ? v + 1e-9 : v)) : c)) };
    await withFitMemo(async () => {
      const base = await fitModel('logreg', input, lrParams, new Rng(9));
      expect(await fitModel('logreg', input, lrParams, new Rng(9))).to.equal(base);
      expect(await fitModel('logreg', other, lrParams, new Rng(9))).to.not.equal(base);
      expect(await fitModel('logreg', input, lrParams, new Rng(10))).to.not.equal(base);
      expect(await fitModel('logreg', input, resolveModelParams('logreg', { C: 0.5 }), new Rng(9))).to.not.equal(base);
    });
  });
});

describe('compare: fit groups', () => {
  it('puts an ensemble with its member candidates (members first); the rest alone, each index once', () => {
    const kinds = ['rf', 'et', 'ens', 'logreg', 'hgb'];
    const params = kinds.map((k) => (k === 'ens' ? { members: ['rf', 'hgb', 'logreg'] } : {}));
    expect(fitGroups(kinds, params)).to.deep.equal([[1], [0, 4, 3, 2]]);
    expect(fitGroups(['rf', 'et'], [{}, {}])).to.deep.equal([[0], [1]]);
    // members that are not candidates: the ensemble alone
    expect(fitGroups(['ens', 'knn'], [{ members: ['rf'] }, {}])).to.deep.equal([[0], [1]]);
  });

  it('one unit per group and the results back in item order', () => {
    const items = ['a', 'b', 'c', 'd'].map((l, i) => ({ kind: 'compare.fold', params: i, label: `${l} fold 1/3`, cost: i + 1 }));
    const { units, at } = groupUnits(items, [[1], [0, 3, 2]], 'compare.fold', 'fold 1/3');
    expect(units).to.have.length(2);
    expect(units[1]).to.deep.include({ kind: 'compare.group', params: { of: 'compare.fold', units: [0, 3, 2] }, label: 'a + d + c fold 1/3' });
    // the ensemble (last of a group) is not counted: its fits are its members'
    expect(units[1]?.cost).to.equal(1 + 4);
    // the progress display counts the group's three fits
    expect(units[1]?.weight).to.equal(3);
    expect(units[0]?.weight).to.equal(undefined);
    expect(ungroupResults(['B', ['A', 'D', 'C']], at)).to.deep.equal(['A', 'B', 'C', 'D']);
    expect(() => ungroupResults(['B', 'not a list'], at)).to.throw(/not a list/);
  });
});
