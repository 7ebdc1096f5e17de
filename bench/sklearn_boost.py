"""scikit-learn reference for bench/boost.ts: fit HistGradientBoostingClassifier on the full training
rows and GradientBoostingClassifier on the first <n_gb> training rows (sklearn's exact GB is slow),
on the SAME data the TypeScript bench wrote; print one JSON line per model with the bench's columns.
Run with OMP_NUM_THREADS=1 (set by the bench) so HGB uses one core like ours.

usage: python3 sklearn_boost.py <dir with X.f64 (row-major float64) and y.u8> <n> <n_features> <n_train> <n_gb (0 = skip gb)> <n_iter>
"""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier, HistGradientBoostingClassifier
from sklearn.metrics import f1_score, log_loss


def run(name, model, Xtr, ytr, Xte, yte, n_iter_attr):
    t0, c0 = time.perf_counter(), time.process_time()
    model.fit(Xtr, ytr)
    fit, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    proba = model.predict_proba(Xte)
    predict, predict_cpu = time.perf_counter() - t0, time.process_time() - c0
    f1 = f1_score(yte, model.classes_[proba.argmax(axis=1)], average="macro")
    ll = log_loss(yte, np.clip(proba, 1e-15, 1), labels=model.classes_)
    print(json.dumps({"model": name, "fit": fit, "predict": predict, "fitCpu": fit_cpu, "predictCpu": predict_cpu, "macroF1": f1, "logLoss": ll, "nIter": int(getattr(model, n_iter_attr))}), flush=True)


def main() -> None:
    d, n, nf, ntr, ngb, niter = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
    X = np.fromfile(f"{d}/X.f64", dtype="<f8").reshape(n, nf)
    y = np.fromfile(f"{d}/y.u8", dtype=np.uint8)
    Xtr, ytr, Xte, yte = X[:ntr], y[:ntr], X[ntr:], y[ntr:]
    run("hgb", HistGradientBoostingClassifier(max_iter=niter, random_state=42), Xtr, ytr, Xte, yte, "n_iter_")
    if ngb > 0:
        run("gb", GradientBoostingClassifier(n_estimators=niter, random_state=42), Xtr[:ngb], ytr[:ngb], Xte, yte, "n_estimators_")


if __name__ == "__main__":
    main()
