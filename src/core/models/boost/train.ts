import { DataError } from '../../errors.js';
import { binColumns, fitBinner } from '../tree/binning.js';
import type { FitInput } from '../types.js';
import { RegTreeGrower } from './grow.js';
import { earlyStoppingOn, type BoostParams } from './params.js';
import { RegTree } from './reg-tree.js';
import { logLoss } from './softmax.js';

/** What a boosting fit produces (BoostModel wraps it). */
export interface BoostFit {
  /** Class indices that were present in the training rows, ascending: the classes that get a score. */
  classes: Int32Array;
  /** Initial raw score per scored class: log of its prior in the training rows. */
  init: Float64Array;
  /** Per feature bin edges, last +Infinity. */
  edges: Float64Array[];
  /** Round-major: trees[r * K + k] is round r's tree for scored class k. */
  trees: RegTree[];
  nIter: number;
  /**
   * Validation log-loss after 0, 1, … rounds (all rounds run, kept or not) of the fit on the rows
   * before the tail; null without early stopping.
   */
  validationLoss: number[] | null;
}

/**
 * Multinomial gradient boosting: per round, gradients of the softmax log-loss, then one regression
 * tree per scored class, all grown from the same gradients (as scikit-learn). With early stopping
 * the LAST ceil(validationFraction · n) rows (chronological tail, never shuffled) are held out; the
 * binner, priors and trees use only the rows before them; the fit stops after nIterNoChange rounds
 * without a validation log-loss below best − tol and keeps the trees of the best round. With refit,
 * the model returned is a second fit on all n rows (binner, priors, trees) for that best round count;
 * its validationLoss is still the first fit's.
 * @throws DataError for empty or inconsistent input, or too few rows to hold out a validation tail.
 */
export function trainBoost(input: FitInput, p: BoostParams): BoostFit {
  const fit = boostRows(input, p, earlyStoppingOn(p, input.n), p.maxIter);
  if (!p.refit || fit.validationLoss === null) return fit;
  const all = boostRows(input, p, false, fit.nIter);
  return { ...all, validationLoss: fit.validationLoss };
}

/** One boosting fit: with `es`, on the rows before the validation tail; at most `maxIter` rounds. */
function boostRows(input: FitInput, p: BoostParams, es: boolean, maxIter: number): BoostFit {
  const { columns, n, y, nClasses } = input;
  if (!Number.isInteger(n) || n < 1) throw new DataError(`cannot fit ${p.kind} on ${n} rows`);
  if (columns.length < 1) throw new DataError(`cannot fit ${p.kind} without feature columns`);
  if (y.length < n) throw new DataError(`labels have ${y.length} rows, features ${n}`);
  for (let f = 0; f < columns.length; f++) {
    if ((columns[f] as Float64Array).length < n) throw new DataError(`feature column ${f} has ${(columns[f] as Float64Array).length} rows, expected ${n}`);
  }
  for (let i = 0; i < n; i++) if ((y[i] as number) >= nClasses) throw new DataError(`label ${y[i]} at row ${i} is not a class index below ${nClasses}`);

  const nVal = es ? Math.ceil(p.validationFraction * n) : 0;
  const nTr = n - nVal;
  if (es && nTr < 1) throw new DataError(`${n} rows are too few to hold out a validation tail of ${nVal}`, { hint: 'set earlyStopping false or lower validationFraction' });
  const train = columns.map((c) => c.subarray(0, nTr));
  const val = columns.map((c) => c.subarray(nTr, n));

  // scored classes and their priors, from the training rows only
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < nTr; i++) counts[y[i] as number] = (counts[y[i] as number] as number) + 1;
  const present: number[] = [];
  for (let c = 0; c < nClasses; c++) if ((counts[c] as number) > 0) present.push(c);
  const K = present.length;
  const classes = Int32Array.from(present);
  const init = Float64Array.from(present, (c) => Math.log((counts[c] as number) / nTr));
  const toK = new Int32Array(nClasses).fill(-1);
  present.forEach((c, k) => (toK[c] = k));
  const ykTr = new Int32Array(nTr);
  for (let i = 0; i < nTr; i++) ykTr[i] = toK[y[i] as number] as number;
  const ykVal = new Int32Array(nVal);
  for (let i = 0; i < nVal; i++) ykVal[i] = toK[y[nTr + i] as number] as number;

  const binner = fitBinner(train, nTr, p.maxBins);
  const edges = binner.edges;
  const trees: RegTree[] = [];
  const rawVal = new Float64Array(nVal * K);
  for (let i = 0; i < nVal; i++) rawVal.set(init, i * K);
  const validationLoss: number[] | null = es ? [logLoss(rawVal, ykVal, nVal, K)] : null;
  // a single scored class is already predicted with probability 1: nothing to boost
  if (K < 2) return { classes, init, edges, trees, nIter: 0, validationLoss };

  const bins = binColumns(train, nTr, binner);
  const valBins = nVal > 0 ? binColumns(val, nVal, binner) : [];
  // the grower keeps the class-major training scores, labels and gradients (see softmaxGradients)
  const grower = new RegTreeGrower(bins, edges.map((e) => e.length), nTr, p, K);
  for (let k = 0; k < K; k++) grower.scores.fill(init[k] as number, k * nTr, (k + 1) * nTr);
  grower.labels.set(ykTr);
  let best = validationLoss ? (validationLoss[0] as number) : Infinity;
  let bestIter = 0;
  let rounds = 0;
  for (let it = 0; it < maxIter; it++) {
    grower.gradients();
    for (let k = 0; k < K; k++) {
      const grown = grower.growClass(k);
      // training scores from the leaves' row ranges: no tree walk needed
      grower.addLeaves(k, grown);
      const tree = RegTree.fromGrown(grown, edges);
      if (nVal > 0) tree.addBinned(valBins, nVal, rawVal, K, k);
      trees.push(tree);
    }
    rounds = it + 1;
    if (validationLoss) {
      const l = logLoss(rawVal, ykVal, nVal, K);
      validationLoss.push(l);
      if (l < best - p.tol) {
        best = l;
        bestIter = rounds;
      } else if (rounds - bestIter >= p.nIterNoChange) break;
    }
  }
  const nIter = validationLoss ? bestIter : rounds;
  trees.length = nIter * K;
  return { classes, init, edges, trees, nIter, validationLoss };
}
