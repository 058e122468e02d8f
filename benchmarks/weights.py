"""Row weights: does ``fit(X, sample_weight=...)`` learn the population a weighted sample stands for?

Run by hand (not in CI), with the real data sets' folder as the argument::

    python benchmarks/weights.py ../shared/data
    python benchmarks/weights.py ../shared/data --seeds 3

UCI adult is a sample of the 1994 US census whose column ``fnlwgt`` is each
row's sampling weight: the number of people the row stands for. The same
training and test rows as ``fidelity.py`` (10,000 each); ``fnlwgt`` is taken
out of the columns and used as the weight. Every system's rows are compared
with the test rows *weighted by fnlwgt*, the population's distribution:

- ``DiscreteBGAN()`` fitted on the training rows without and with
  ``sample_weight=fnlwgt``;
- the training rows themselves, as they are and resampled in proportion to
  their weights: what an unweighted and a weighted generator that copied its
  data perfectly would give (the references).

Measures: :func:`skbgan.metrics.fidelity_report` with the test rows
weighted (``sample_weight=fnlwgt``: marginal and pairwise total variation,
detection AUC; lower is better), and the share of ``race == "Black"``, the
label whose share the weights move most (9.6% of the test rows, 11.8% of the
people they stand for; closer to the population's is better). Results go to
``benchmarks/results/weights.json`` and between the ``weights-table``
markers of ``docs/benchmarks.md``.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from fidelity import N_SYNTHETIC, machine, real_set

from skbgan import DiscreteBGAN
from skbgan.metrics import fidelity_report

ROOT = Path(__file__).resolve().parent.parent
WEIGHT = "fnlwgt"
COLUMN, LABEL = "race", "Black"
"""The share the weights move most: Black respondents are 9.6% of the test rows, 11.8% of the
people they stand for."""


def systems(train, weights, seed):
    """Each system's name, rows and seconds."""
    features = train.drop(columns=WEIGHT)
    rng = np.random.default_rng(seed)
    yield "training rows", features, 0.0
    chosen = rng.choice(len(train), N_SYNTHETIC, p=weights / weights.sum())
    yield "training rows, resampled by weight", features.iloc[chosen], 0.0
    for name, sample_weight in (("DiscreteBGAN()", None),
                                ("DiscreteBGAN(), sample_weight=fnlwgt", weights)):
        start = time.perf_counter()
        est = DiscreteBGAN(random_state=seed).fit(features, sample_weight=sample_weight)
        rows = est.sample(N_SYNTHETIC, random_state=seed)
        yield name, rows, time.perf_counter() - start


def run(folder, seeds):
    train, test, _ = real_set(folder, "adult")
    weights = train[WEIGHT].to_numpy(float)
    test_weights = test[WEIGHT].to_numpy(float)
    test = test.drop(columns=WEIGHT)
    truth = np.average(test[COLUMN] == LABEL, weights=test_weights)
    rows = []
    for seed in range(seeds):
        for name, sample, seconds in systems(train, weights, seed):
            report = fidelity_report(test, sample.reset_index(drop=True),
                                     sample_weight=test_weights)
            share = float(np.mean(sample[COLUMN] == LABEL))
            rows.append({"system": name, "seed": seed, "fit_s": seconds, **report,
                         "share": share, "share_error": abs(share - truth)})
            print(rows[-1], flush=True)
    return {"rows": rows, "population_share": float(truth),
            "unweighted_share": float(np.mean(test[COLUMN] == LABEL)),
            "measured": f"{machine()}, {time.strftime('%Y-%m-%d')}"}


def table(results):
    """The docs' table: each system's means over seeds, and its median fit time."""
    names = list(dict.fromkeys(r["system"] for r in results["rows"]))
    seeds = len({r["seed"] for r in results["rows"]})
    lines = [f"Measured on {results['measured']}; means over {seeds} seed(s). "
             f"The test rows' share of {COLUMN} {LABEL}: "
             f"{results['unweighted_share']:.3f} of the rows, "
             f"{results['population_share']:.3f} of the people they stand for.", "",
             f"| system | fit_s (median) | marginal_tv | pairwise_tv | detection_auc | "
             f"share {LABEL} |",
             "|---|---|---|---|---|---|"]
    for name in names:
        rows = [r for r in results["rows"] if r["system"] == name]
        mean = {k: np.mean([r[k] for r in rows]) for k in rows[0] if k not in ("system", "seed")}
        fit_s = np.median([r["fit_s"] for r in rows])
        lines.append(f"| {name} | {fit_s:.0f} | {mean['marginal_tv']:.4f} | "
                     f"{mean['pairwise_tv']:.4f} | {mean['detection_auc']:.3f} | "
                     f"{mean['share']:.3f} |")
    return "\n".join(lines)


def write_docs(text):
    path = ROOT / "docs" / "benchmarks.md"
    doc = path.read_text()
    start, end = "<!-- weights-table -->", "<!-- /weights-table -->"
    head, rest = doc.split(start)
    path.write_text(f"{head}{start}\n{text}\n{end}{rest.split(end)[1]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder of the real data sets (adult.csv)")
    parser.add_argument("--seeds", type=int, default=1, help="fits per system, seeds 0, 1, ...")
    args = parser.parse_args()
    torch.set_num_threads(2)
    results = run(args.data, args.seeds)
    (ROOT / "benchmarks" / "results" / "weights.json").write_text(json.dumps(results, indent=1))
    text = table(results)
    write_docs(text)
    print(text)


if __name__ == "__main__":
    main()
