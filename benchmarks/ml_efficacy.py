"""Machine-learning efficacy on UCI adult: a classifier of income trained on synthetic rows.

Run by hand (not in CI), in the fidelity benchmark's environment::

    python benchmarks/ml_efficacy.py path/to/uci [--systems DiscreteBGAN CART TabularARGN]

Each system is fitted on the fidelity benchmark's adult training rows (numeric
columns included) and generates as many rows; ``skbgan.metrics.ml_efficacy``
trains a gradient-boosted classifier of ``income`` on them and on the real
training rows, and scores both on the held-out rows (ROC AUC). Results go to
``benchmarks/results/ml_efficacy.json``.
"""

import argparse
import json
import time
from pathlib import Path

import torch

from fidelity import SYSTEMS, load
from skbgan.metrics import ml_efficacy

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder of the real sets (../shared/data)")
    parser.add_argument("--systems", nargs="+", default=["DiscreteBGAN", "CART", "TabularARGN"],
                        choices=list(SYSTEMS))
    args = parser.parse_args()
    torch.set_num_threads(2)
    train, test, _ = load("adult", args.data)
    rows = []
    for name in args.systems:
        start = time.perf_counter()
        synthetic, _ = SYSTEMS[name](train, len(train))
        row = {"system": name, "fit_s": time.perf_counter() - start,
               **ml_efficacy(train, synthetic, test, target="income")}
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}),
              flush=True)
        rows.append(row)
    out = ROOT / "benchmarks" / "results" / "ml_efficacy.json"
    out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "adult": rows}, indent=1))


if __name__ == "__main__":
    main()
