"""Privacy benchmark: what DiscreteBGAN's synthetic rows reveal about its training rows.

Run by hand (not in CI), with the real data sets' folder as the argument::

    python benchmarks/privacy.py ../shared/data
    python benchmarks/privacy.py ../shared/data --sets mushroom

Each set is split in two halves of equal size: the model is fitted on the
training half, and the holdout half is the reference of every figure of
:func:`skbgan.metrics.privacy_report` (and of the fidelity measures). Next to
``DiscreteBGAN()`` (defaults, no differential privacy), two references: the
independent-columns baseline, which cannot memorise rows, and the training
rows themselves, a generator that copies. Results go to
``benchmarks/results/privacy.json`` and between the markers in
``docs/privacy.md``.
"""

import argparse
import json
import os
import platform
import time
from pathlib import Path

import pandas as pd
import torch
from sklearn.model_selection import train_test_split

from skbgan import DiscreteBGAN
from skbgan._demo import independent_columns
from skbgan.datasets import LatentClassModel
from skbgan.metrics import detection_auc, pairwise_tv, privacy_report

ROOT = Path(__file__).resolve().parent.parent
REAL_SETS = ("mushroom", "nursery")
FIGURES = ("exact_copies", "holdout_exact_copies", "dcr_closer_to_train",
           "dcr_synthetic_p5", "dcr_holdout_p5", "membership_auc_distance",
           "membership_auc_likelihood", "pairwise_tv", "detection_auc")


def halves(folder, name):
    """Training and holdout halves of a set."""
    if name == "latent_class":
        truth = LatentClassModel(n_features=30, n_categories=(2, 12), n_components=20,
                                 concentration=0.3, random_state=0)
        return truth.sample(10_000, random_state=1), truth.sample(10_000, random_state=2)
    table = pd.read_csv(Path(folder) / f"{name}.csv", dtype=str, keep_default_na=False)
    train, holdout = train_test_split(table.to_numpy(dtype=object), test_size=0.5,
                                      random_state=0)
    return train.astype(str), holdout.astype(str)


def run(folder, name):
    train, holdout = halves(folder, name)
    rows = {}
    started = time.perf_counter()
    est = DiscreteBGAN(random_state=0).fit(train)
    systems = {
        "DiscreteBGAN": (est.sample(len(train), random_state=0), est),
        "independent columns": (independent_columns(train, len(train), random_state=0), None),
        "training rows (copies)": (train, None),
    }
    for system, (synthetic, model) in systems.items():
        row = privacy_report(train, synthetic, holdout, estimator=model)
        row["pairwise_tv"] = pairwise_tv(holdout, synthetic)
        row["detection_auc"] = detection_auc(holdout, synthetic)
        rows[system] = {k: round(v, 4) for k, v in row.items()}
        print(f"  {name} {system}: {rows[system]}", flush=True)
    rows["DiscreteBGAN"]["seconds"] = round(time.perf_counter() - started, 1)
    return rows


def table(results):
    out = []
    for name, rows in results.items():
        out += [f"**{name}**", "", "| figure | " + " | ".join(rows) + " |",
                "|---|" + "---|" * len(rows)]
        for figure in FIGURES:
            cells = [rows[s].get(figure) for s in rows]
            out.append(f"| {figure} | " + " | ".join("" if c is None else f"{c:.3f}"
                                                    for c in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder of the real data sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", default=["latent_class", *REAL_SETS])
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/privacy.md")
    args = parser.parse_args()
    torch.set_num_threads(min(2, os.cpu_count()))
    results = {name: run(args.data, name) for name in args.sets}
    (ROOT / "benchmarks" / "results" / "privacy.json").write_text(json.dumps(
        {"machine": platform.platform(), "torch_threads": torch.get_num_threads(),
         "results": results}, indent=1))
    text = table(results)
    print(text)
    if not args.no_docs:
        path = ROOT / "docs" / "privacy.md"
        start, end = "<!-- privacy-tables -->", "<!-- /privacy-tables -->"
        doc = path.read_text()
        doc = doc[: doc.index(start)] + f"{start}\n{text}\n{end}" + doc[doc.index(end) + len(end):]
        path.write_text(doc)


if __name__ == "__main__":
    main()
