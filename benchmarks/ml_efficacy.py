"""Machine-learning efficacy: a classifier trained on synthetic rows, tested on real ones.

Run by hand (not in CI), in the fidelity benchmark's environment::

    python benchmarks/ml_efficacy.py path/to/uci [--systems DiscreteBGAN CART TabularARGN]
    python benchmarks/ml_efficacy.py path/to/uci --seeds 3 \
        --systems DiscreteBGAN "DiscreteBGAN(autoregressive=False)"
    python benchmarks/ml_efficacy.py --sets wdbc --seeds 3 --systems DiscreteBGAN CART

Each system is fitted on the fidelity benchmark's training rows of a table with
numeric columns (UCI adult, from the folder given; scikit-learn's breast-cancer
Wisconsin table ``wdbc``) and generates as many rows;
``skbgan.metrics.ml_efficacy`` trains a gradient-boosted classifier of the
table's label (adult's ``income``, wdbc's diagnosis) on them and on the real
training rows, and scores both on the held-out rows (ROC AUC). The
``DiscreteBGAN`` systems are fitted and sampled with seeds ``0 .. --seeds - 1``,
the peers once. Results are merged into ``benchmarks/results/ml_efficacy.json``
(the systems run on a set replace their earlier rows there).
"""

import argparse
import json
import time
from pathlib import Path

import torch

from fidelity import BGAN_SYSTEMS, SYSTEMS, fit_sample_bgan, load, show_row, stamp
from skbgan.metrics import ml_efficacy

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"adult": "income", "wdbc": "target"}
"""The sets and the column each one's classifier predicts."""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", help="folder of the real sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", default=["adult"], choices=list(TARGETS))
    parser.add_argument("--systems", nargs="+", default=["DiscreteBGAN", "CART", "TabularARGN"],
                        choices=list(SYSTEMS))
    parser.add_argument("--seeds", type=int, default=1,
                        help="seeds of the DiscreteBGAN systems (the peers are fitted once)")
    args = parser.parse_args()
    if "adult" in args.sets and args.data is None:
        parser.error("adult needs the folder of the real sets")
    torch.set_num_threads(2)
    out = ROOT / "benchmarks" / "results" / "ml_efficacy.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    earlier = results.pop("date", None)  # older files: one date for all rows
    now = stamp()
    for set_name in args.sets:
        train, test, _ = load(set_name, args.data)
        rows = [{**row, "measured": row.get("measured", earlier)}
                for row in results.get(set_name, []) if row["system"] not in args.systems]
        for name in args.systems:
            for seed in range(args.seeds) if name in BGAN_SYSTEMS else [None]:
                start = time.perf_counter()
                if seed is None:
                    synthetic, _ = SYSTEMS[name](train, len(train))
                else:
                    synthetic, _ = fit_sample_bgan(train, len(train), seed, **BGAN_SYSTEMS[name])
                row = {"system": name, "seed": seed, "fit_s": time.perf_counter() - start,
                       **ml_efficacy(train, synthetic, test, target=TARGETS[set_name]),
                       "measured": now}
                show_row(row)
                rows.append(row)
                results[set_name] = rows
                out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
