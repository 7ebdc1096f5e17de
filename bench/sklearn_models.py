"""scikit-learn reference for bench/models.ts: fit LogisticRegression, MLPClassifier,
KNeighborsClassifier and SVC(probability=True) with one thread on the SAME data the TypeScript bench
wrote, standardised with StandardScaler on the training rows, and print one JSON line per model.

usage: python3 sklearn_models.py <dir> <kind> <n> <n_features> <n_train> [<train_from> [<mlp20 epochs>]]
  <dir> holds X.f64 (row-major float64, n × n_features) and y.u8; rows [train_from, n_train) train,
  rows [n_train, n) test.
"""
import json
import os
import warnings
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score, log_loss  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import SVC  # noqa: E402


def make(kind: str, epochs: int):
    if kind == "logreg":
        return LogisticRegression(C=1.0, max_iter=100, tol=1e-4)
    if kind == "mlp":
        # early_stopping holds out a shuffled (not chronological) 10% in sklearn; patience as ours
        return MLPClassifier(hidden_layer_sizes=(100,), alpha=1e-4, batch_size=200, learning_rate_init=1e-3,
                             max_iter=200, early_stopping=True, validation_fraction=0.1, n_iter_no_change=10,
                             random_state=42)
    if kind == "mlp20":
        # a fixed number of epochs: no early stopping, no convergence stop (tol 0, patience > epochs)
        return MLPClassifier(hidden_layer_sizes=(100,), alpha=1e-4, batch_size=200, learning_rate_init=1e-3,
                             max_iter=epochs, early_stopping=False, tol=0.0, n_iter_no_change=epochs + 1,
                             random_state=42)
    if kind == "knn":
        return KNeighborsClassifier(n_neighbors=15, weights="uniform", algorithm="brute", n_jobs=1)
    if kind == "svc":
        return SVC(C=1.0, kernel="rbf", gamma="scale", probability=True, random_state=42)
    raise SystemExit(f"unknown kind {kind}")


def main() -> None:
    d, kind, n, nf, ntr = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    start = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    epochs = int(sys.argv[7]) if len(sys.argv) > 7 else 20
    X = np.fromfile(f"{d}/X.f64", dtype="<f8").reshape(n, nf)
    y = np.fromfile(f"{d}/y.u8", dtype=np.uint8)
    Xtr, ytr, Xte, yte = X[start:ntr], y[start:ntr], X[ntr:], y[ntr:]
    warnings.simplefilter("ignore")  # ConvergenceWarning of the fixed-epoch mlp
    m = make_pipeline(StandardScaler(), make(kind, epochs))
    t0, c0 = time.perf_counter(), time.process_time()
    m.fit(Xtr, ytr)
    fit, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    proba = m.predict_proba(Xte)
    predict, predict_cpu = time.perf_counter() - t0, time.process_time() - c0
    pred = m.classes_[proba.argmax(axis=1)]
    f1 = f1_score(yte, pred, average="macro")
    ll = log_loss(yte, np.clip(proba, 1e-15, 1), labels=m.classes_)
    est = m[-1]
    iters = int(est.n_iter_) if hasattr(est, "n_iter_") and np.ndim(est.n_iter_) == 0 else (int(np.max(est.n_iter_)) if hasattr(est, "n_iter_") else None)
    print(json.dumps({"model": kind, "fit": fit, "predict": predict, "fitCpu": fit_cpu, "predictCpu": predict_cpu, "macroF1": f1, "logLoss": ll, "iters": iters}), flush=True)


if __name__ == "__main__":
    main()
