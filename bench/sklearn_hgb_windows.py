"""scikit-learn reference for bench/hgb-windows.ts: HistGradientBoostingClassifier with its defaults (one
thread) on each window's rows the TypeScript bench wrote, once per random_state (its early-stopping
validation rows are a seeded shuffle); one JSON line per window and seed.

usage: python3 sklearn_hgb_windows.py <seeds, comma-separated> <dir> [<dir> ...]
       each dir holds X.f64 (row-major float64), y.u8 and meta.json ({"n", "nf", "ntr"})
"""
import json
import os
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.metrics import log_loss  # noqa: E402


def main() -> None:
    seeds = [int(s) for s in sys.argv[1].split(",")]
    for d in sys.argv[2:]:
        with open(f"{d}/meta.json") as f:
            meta = json.load(f)
        n, nf, ntr = meta["n"], meta["nf"], meta["ntr"]
        X = np.fromfile(f"{d}/X.f64", dtype="<f8").reshape(n, nf)
        y = np.fromfile(f"{d}/y.u8", dtype=np.uint8)
        for seed in seeds:
            m = HistGradientBoostingClassifier(random_state=seed)
            c0 = time.process_time()
            m.fit(X[:ntr], y[:ntr])
            fit_cpu = time.process_time() - c0
            full = np.zeros((n - ntr, 5))
            full[:, m.classes_] = m.predict_proba(X[ntr:])
            ll = log_loss(y[ntr:], np.clip(full, 1e-15, 1), labels=[0, 1, 2, 3, 4])
            print(json.dumps({"dir": d, "seed": seed, "fitCpu": fit_cpu, "nIter": int(m.n_iter_), "logLoss": ll}), flush=True)


if __name__ == "__main__":
    main()
