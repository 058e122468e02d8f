"""Machine-learning efficacy on UCI adult: a classifier of income trained on synthetic rows.

Run by hand (not in CI), in the fidelity benchmark's environment::

    python benchmarks/ml_efficacy.py path/to/uci [--systems DiscreteBGAN CART TabularARGN]
    python benchmarks/ml_efficacy.py path/to/uci --seeds 3 \
        --systems DiscreteBGAN "DiscreteBGAN(autoregressive=False)"

Each system is fitted on the fidelity benchmark's adult training rows (numeric
columns included) and generates as many rows; ``skbgan.metrics.ml_efficacy``
trains a gradient-boosted classifier of ``income`` on them and on the real
training rows, and scores both on the held-out rows (ROC AUC). The
``DiscreteBGAN`` systems are fitted and sampled with seeds ``0 .. --seeds - 1``,
the peers once. Results are merged into ``benchmarks/results/ml_efficacy.json``
(the systems run replace their earlier rows).
"""

import argparse
import json
import time
from pathlib import Path

import torch

from fidelity import SYSTEMS, fit_sample_bgan, load, machine, show_row
from skbgan.metrics import ml_efficacy

ROOT = Path(__file__).resolve().parent.parent
BGAN_SETTINGS = {"DiscreteBGAN": {},
                 "DiscreteBGAN(autoregressive=True)": {"autoregressive": True},
                 "DiscreteBGAN(autoregressive=False)": {"autoregressive": False}}
"""The systems fitted once per seed, and their parameters."""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder of the real sets (../shared/data)")
    parser.add_argument("--systems", nargs="+", default=["DiscreteBGAN", "CART", "TabularARGN"],
                        choices=list(SYSTEMS))
    parser.add_argument("--seeds", type=int, default=1,
                        help="seeds of the DiscreteBGAN systems (the peers are fitted once)")
    args = parser.parse_args()
    torch.set_num_threads(2)
    train, test, _ = load("adult", args.data)
    out = ROOT / "benchmarks" / "results" / "ml_efficacy.json"
    earlier = json.loads(out.read_text()) if out.exists() else {"adult": []}
    rows = [{**row, "measured": row.get("measured", earlier.get("date"))}  # older files: one date
            for row in earlier["adult"] if row["system"] not in args.systems]
    stamp = f"{machine()}, {time.strftime('%Y-%m-%d')}"
    for name in args.systems:
        for seed in range(args.seeds) if name in BGAN_SETTINGS else [None]:
            start = time.perf_counter()
            if seed is None:
                synthetic, _ = SYSTEMS[name](train, len(train))
            else:
                synthetic, _ = fit_sample_bgan(train, len(train), seed, **BGAN_SETTINGS[name])
            row = {"system": name, "seed": seed, "fit_s": time.perf_counter() - start,
                   **ml_efficacy(train, synthetic, test, target="income"), "measured": stamp}
            show_row(row)
            rows.append(row)
            out.write_text(json.dumps({"adult": rows}, indent=1))


if __name__ == "__main__":
    main()
