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

Measures (lower is better): weighted marginal and pairwise total variation
(numeric columns cut at the weighted deciles of the test rows) and the error
of the population's share of ``race == "Black"`` (the label whose share the
weights move most: 9.6% of the test rows, 11.8% of the people they stand for). Results go to
``benchmarks/results/weights.json`` and between the ``weights-table``
markers of ``docs/benchmarks.md``.
"""

import argparse
import itertools
import json
import time
from pathlib import Path

import numpy as np
import torch
from fidelity import N_SYNTHETIC, machine, numeric, real_set

from skbgan import DiscreteBGAN

ROOT = Path(__file__).resolve().parent.parent
WEIGHT = "fnlwgt"
COLUMN, LABEL = "race", "Black"
"""The share the weights move most: Black respondents are 9.6% of the test rows, 11.8% of the
people they stand for."""


def weighted_deciles(values, weights):
    """The nine inner deciles of ``values`` weighted by ``weights`` (inverse CDF)."""
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    positions = np.searchsorted(cumulative, np.arange(1, 10) / 10)
    return np.unique(values[order][positions])


def column_codes(test, weights, frames):
    """Integer codes of every column, shared by ``test`` and ``frames``: labels, or decile bins."""
    numbers = set(numeric(test))
    coded = {id(f): [] for f in (test, *frames)}
    for column in test:
        if column in numbers:
            edges = weighted_deciles(test[column].to_numpy(float), weights)
            for f in (test, *frames):
                coded[id(f)].append(np.searchsorted(edges, f[column].to_numpy(float),
                                                    side="right"))
        else:
            labels = {v: k for k, v in enumerate(sorted(set(test[column]).union(
                *(set(f[column]) for f in frames))))}
            for f in (test, *frames):
                coded[id(f)].append(np.array([labels[v] for v in f[column]]))
    return {key: np.column_stack(columns) for key, columns in coded.items()}


def frequencies(codes, weights, size):
    return np.bincount(codes, weights=weights, minlength=size) / weights.sum()


def weighted_tv(test_codes, test_weights, codes):
    """Mean total variation over columns and over pairs of columns, ``codes`` weighing one each."""
    ones = np.ones(len(codes))
    sizes = np.maximum(test_codes.max(axis=0), codes.max(axis=0)) + 1

    def tv(a, b, size):
        return 0.5 * np.abs(frequencies(a, test_weights, size) - frequencies(b, ones, size)).sum()

    marginal = np.mean([tv(test_codes[:, j], codes[:, j], sizes[j])
                        for j in range(codes.shape[1])])
    pairwise = np.mean([
        tv(test_codes[:, i] * sizes[j] + test_codes[:, j], codes[:, i] * sizes[j] + codes[:, j],
           sizes[i] * sizes[j])
        for i, j in itertools.combinations(range(codes.shape[1]), 2)])
    return marginal, pairwise


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
            codes = column_codes(test, test_weights, [sample])
            marginal, pairwise = weighted_tv(codes[id(test)], test_weights, codes[id(sample)])
            share = float(np.mean(sample[COLUMN] == LABEL))
            rows.append({"system": name, "seed": seed, "fit_s": seconds,
                         "marginal_tv": float(marginal), "pairwise_tv": float(pairwise),
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
             f"| system | fit_s (median) | weighted marginal_tv | weighted pairwise_tv | "
             f"share {LABEL} |",
             "|---|---|---|---|---|"]
    for name in names:
        rows = [r for r in results["rows"] if r["system"] == name]
        mean = {k: np.mean([r[k] for r in rows]) for k in rows[0] if k not in ("system", "seed")}
        fit_s = np.median([r["fit_s"] for r in rows])
        lines.append(f"| {name} | {fit_s:.0f} | {mean['marginal_tv']:.4f} | "
                     f"{mean['pairwise_tv']:.4f} | {mean['share']:.3f} |")
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
