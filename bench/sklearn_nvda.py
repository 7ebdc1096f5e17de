"""scikit-learn reference for bench/nvda.ts: RandomForest, ExtraTrees, HistGradientBoosting and
brute-force KNeighbors (k 15 on standardised features, as mm's knn; one thread) on the SAME NVDA feature rows and labels the TypeScript bench wrote; one JSON line each.

usage: python3 sklearn_nvda.py <dir with X.f64 (row-major float64) and y.u8> <n> <n_features> <n_train>
"""
import json
import os
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one thread, BLAS too (knn)
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.metrics import f1_score, log_loss  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402


def main() -> None:
    d, n, nf, ntr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    X = np.fromfile(f"{d}/X.f64", dtype="<f8").reshape(n, nf)
    y = np.fromfile(f"{d}/y.u8", dtype=np.uint8)
    Xtr, ytr, Xte, yte = X[:ntr], y[:ntr], X[ntr:], y[ntr:]
    models = {
        "rf": RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=42),
        "et": ExtraTreesClassifier(n_estimators=100, n_jobs=1, random_state=42),
        "hgb": HistGradientBoostingClassifier(random_state=42),
        "knn": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15, weights="uniform", algorithm="brute", n_jobs=1)),
    }
    only = os.environ.get("MM_BENCH_NVDA_KINDS")
    for name, m in models.items():
        if only is not None and name not in only.split(","):
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        m.fit(Xtr, ytr)
        fit, fit_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        p = m.predict_proba(Xte)
        predict, predict_cpu = time.perf_counter() - t0, time.process_time() - c0
        full = np.zeros((len(yte), 5))
        full[:, m.classes_] = p
        f1 = f1_score(yte, m.classes_[p.argmax(axis=1)], average="macro")
        ll = log_loss(yte, np.clip(full, 1e-15, 1), labels=[0, 1, 2, 3, 4])
        print(json.dumps({"model": name, "fit": fit, "predict": predict, "fitCpu": fit_cpu, "predictCpu": predict_cpu, "macroF1": f1, "logLoss": ll}), flush=True)


if __name__ == "__main__":
    main()
