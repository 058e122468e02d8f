"""Fidelity benchmark: DiscreteBGAN against CTGAN, TVAE and simple baselines.

Run by hand (not in CI); needs the ``bench`` extra for CTGAN and TVAE::

    pip install ".[bench]"
    python benchmarks/fidelity.py                  # everything, writes docs/benchmarks.md
    python benchmarks/fidelity.py --sets digits --systems DiscreteBGAN independent

Every data set is generated or ships with scikit-learn: no download.
Results go to ``benchmarks/results/fidelity.json`` and the tables between the
markers in ``docs/benchmarks.md``.
"""

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skbgan import DiscreteBGAN
from skbgan._demo import independent_columns
from skbgan.datasets import LatentClassModel
from skbgan.metrics import fidelity_report

ROOT = Path(__file__).resolve().parent.parent
N_SYNTHETIC = 10_000


# ---------------------------------------------------------------- data sets
def latent_class():
    """30 columns, 2-12 categories, 20 components, Dirichlet(0.3); 10k train, 20k test."""
    truth = LatentClassModel(n_features=30, n_categories=(2, 12), n_components=20,
                             concentration=0.3, random_state=0)
    return truth.sample(10_000, random_state=1), truth.sample(20_000, random_state=2), truth


def digits():
    """scikit-learn's 8x8 digits: 64 columns of 17 grey levels."""
    X = load_digits().data.astype(np.int64)
    train, test = train_test_split(X, test_size=0.25, random_state=0)
    return train, test, None


def binary_digits():
    """The digits binarised at grey level 8: 64 binary columns."""
    X = (load_digits().data >= 8).astype(np.int64)
    train, test = train_test_split(X, test_size=0.25, random_state=0)
    return train, test, None


SETS = {"latent_class": latent_class, "digits": digits, "binary_digits": binary_digits}


# ------------------------------------------------------------------ systems
def fit_sample_bgan(train, n, **params):
    est = DiscreteBGAN(random_state=0, **params).fit(train)
    return est.sample(n, random_state=0)


def fit_sample_ctgan(train, n, model="CTGAN"):
    import ctgan
    import pandas as pd

    frame = pd.DataFrame(train.astype(str), columns=[f"c{j}" for j in range(train.shape[1])])
    synthesizer = getattr(ctgan, model)()  # the package's defaults
    synthesizer.fit(frame, discrete_columns=list(frame.columns))
    return synthesizer.sample(n).to_numpy().astype(np.int64)


def training_data(train, n):
    return train[np.random.default_rng(0).choice(len(train), min(n, len(train)), replace=False)]


SYSTEMS = {
    "DiscreteBGAN": lambda train, n: fit_sample_bgan(train, n),
    "CTGAN": lambda train, n: fit_sample_ctgan(train, n, "CTGAN"),
    "TVAE": lambda train, n: fit_sample_ctgan(train, n, "TVAE"),
    "independent": lambda train, n: independent_columns(train, n, random_state=0),
    "training data": training_data,
}

# Each default's ablation: the default with one thing changed (latent-class set).
ABLATIONS = {
    "pure BGAN (likelihood_weight=0)": dict(likelihood_weight=0.0),
    "likelihood term only (critic silenced, critic_lipschitz=1e-6)": dict(critic_lipschitz=1e-6),
    "likelihood_weight=1.0": dict(likelihood_weight=1.0),
    "likelihood_weight=0.1": dict(likelihood_weight=0.1),
    "unconstrained critic (critic_lipschitz=None)": dict(critic_lipschitz=None),
    "critic_lipschitz=1": dict(critic_lipschitz=1.0),
    "critic_steps=1": dict(critic_steps=1),
    "samples_per_latent=4": dict(samples_per_latent=4),
    "samples_per_latent=32": dict(samples_per_latent=32),
    "likelihood_latents=128": dict(likelihood_latents=128),
    "no weight averaging (ema_decay=0)": dict(ema_decay=0.0),
    "generator_layers=(256, 256)": dict(generator_layers=(256, 256)),
    "critic_layers=(256, 256)": dict(critic_layers=(256, 256)),
    "batch_size=128": dict(batch_size=128),
}
DIVERGENCES = ["gan", "jensen_shannon", "kl", "reverse_kl", "squared_hellinger", "pearson_chi2"]


# -------------------------------------------------------------------- runs
def evaluate(name, sample_fn, train, test, truth):
    start = time.perf_counter()
    synthetic = sample_fn(train, N_SYNTHETIC)
    seconds = time.perf_counter() - start
    row = {"system": name, "fit_s": seconds, **fidelity_report(test, synthetic, train=train)}
    if truth is not None:
        # mean log-likelihood of the samples under the truth, minus the truth's
        # own (test-set estimate of) -entropy: 0 is ideal, positive is worse
        row["truth_ll_gap"] = float(truth.log_prob(test).mean() - truth.log_prob(synthetic).mean())
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}),
          flush=True)
    return row


def markdown(rows, with_truth):
    columns = ["system", "fit_s", "marginal_tv", "pairwise_tv", "detection_auc", "novelty"]
    if with_truth:
        columns.append("truth_ll_gap")
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    body = ""
    for row in rows:
        cells = [row["system"]] + [
            f"{row[c]:.0f}" if c == "fit_s" else f"{row[c]:.3f}" for c in columns[1:]
        ]
        body += "| " + " | ".join(cells) + " |\n"
    return head + body


def machine():
    return (f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch "
            f"threads, Python {platform.python_version()}, torch {torch.__version__}")


def write_docs(results, path=ROOT / "docs" / "benchmarks.md"):
    text = path.read_text()
    begin, end = "<!-- fidelity-results -->", "<!-- /fidelity-results -->"
    parts = [f"Measured on {results['machine']}, {results['date']}.\n"]
    for key, rows in results["tables"].items():
        parts.append(f"\n### {key}\n\n" + markdown(rows, with_truth="truth_ll_gap" in rows[0]))
    start, stop = text.index(begin) + len(begin), text.index(end)
    path.write_text(text[:start] + "\n" + "".join(parts) + "\n" + text[stop:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--no-ablations", action="store_true")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (2, as in CI)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    tables = {}
    for set_name in args.sets:
        train, test, truth = SETS[set_name]()
        title = f"{set_name}: {train.shape[0]} train rows x {train.shape[1]} columns"
        tables[title] = [evaluate(s, SYSTEMS[s], train, test, truth) for s in args.systems]
    if not args.no_ablations and "latent_class" in args.sets:
        train, test, truth = latent_class()
        tables["latent_class ablations (DiscreteBGAN defaults with one change)"] = [
            evaluate(name, lambda tr, n, p=params: fit_sample_bgan(tr, n, **p), train, test, truth)
            for name, params in ABLATIONS.items()
        ]
        tables["latent_class: the six divergences"] = [
            evaluate(f"divergence={d!r}", lambda tr, n, d=d: fit_sample_bgan(tr, n, divergence=d),
                     train, test, truth)
            for d in DIVERGENCES
        ]
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "tables": tables}
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "fidelity.json").write_text(json.dumps(results, indent=1))
    if not args.no_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
