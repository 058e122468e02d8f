"""Privacy benchmark: what DiscreteBGAN's synthetic rows reveal about its training rows.

Run by hand (not in CI), with the real data sets' folder as the argument::

    python benchmarks/privacy.py ../shared/data
    python benchmarks/privacy.py ../shared/data --sets mushroom wdbc

    python benchmarks/privacy.py ../shared/data --dp

Each set is split in two halves of equal size: the model is fitted on the
training half, and the holdout half is the reference of every figure of
:func:`skbgan.metrics.privacy_report` (and of the fidelity measures). Next to
``DiscreteBGAN()`` (defaults, no differential privacy), two references: the
independent-columns baseline, which cannot memorise rows, and the training
rows themselves, a generator that copies. The sets: the latent-class set, UCI
mushroom and nursery, and ``wdbc`` (scikit-learn's breast-cancer Wisconsin
table: 30 numeric columns, 569 rows). Results are merged into
``benchmarks/results/privacy.json`` (the sets run replace their earlier
tables) and written between the markers in ``docs/privacy.md``.

``--dp`` compares differentially private synthesizers at epsilon = 1, 3, 10
(delta = 1/n^2, n the training rows), all given the set's domain (every
label of the whole file) as public knowledge: ``DiscreteBGAN(dp_epsilon=...)``,
independent columns drawn from Laplace-noised marginals, TabularARGN with its
Opacus DP-SGD (``mostlyai-engine``) and MST (``smartnoise-synth``), in the
environment of the ``bench`` extra plus ``smartnoise-synth`` (reinstall
``opacus==1.6.0`` after it, which TabularARGN needs). Results go to
``benchmarks/results/privacy_dp.json`` and between the ``dp-tables`` markers.
"""

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from fidelity import fit_sample_independent, latent_class_truth
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

from skbgan import DP_RECIPE, DiscreteBGAN
from skbgan._demo import independent_columns
from skbgan.metrics import detection_auc, marginal_tv, pairwise_tv, privacy_report

ROOT = Path(__file__).resolve().parent.parent
REAL_SETS = ("mushroom", "nursery")
SETS = ("latent_class", *REAL_SETS, "wdbc")
EPSILONS = (1.0, 3.0, 10.0)
DP_SYSTEMS = ("DiscreteBGAN", "Laplace marginals", "TabularARGN DP", "MST")
DP_FIGURES = ("pairwise_tv", "detection_auc", "marginal_tv", "dcr_closer_to_train",
              "membership_auc_distance", "seconds")
TABULARARGN_MINUTES = 3.0
"""Training-time cap of TabularARGN per fit (its default is 10 days)."""
FIGURES = ("exact_copies", "holdout_exact_copies", "dcr_closer_to_train",
           "dcr_synthetic_p5", "dcr_holdout_p5", "membership_auc_distance",
           "membership_auc_likelihood", "pairwise_tv", "detection_auc")


LATENT_CLASS = latent_class_truth()


def halves(folder, name):
    """Training and holdout halves of a set."""
    if name == "latent_class":
        return (LATENT_CLASS.sample(10_000, random_state=1),
                LATENT_CLASS.sample(10_000, random_state=2))
    if name == "wdbc":  # numbers, learned through quantile bins; compared by exact value
        frame = load_breast_cancer(as_frame=True).frame
        return (part.reset_index(drop=True)
                for part in train_test_split(frame, test_size=0.5, random_state=0))
    table = pd.read_csv(Path(folder) / f"{name}.csv", dtype=str, keep_default_na=False)
    train, holdout = train_test_split(table.to_numpy(dtype=object), test_size=0.5,
                                      random_state=0)
    return train.astype(str), holdout.astype(str)


def domain(folder, name):
    """Each column's labels in the whole set: the public knowledge every DP system gets."""
    if name == "latent_class":
        return [list(range(k)) for k in LATENT_CLASS.cardinalities]
    table = pd.read_csv(Path(folder) / f"{name}.csv", dtype=str, keep_default_na=False)
    return [sorted(table[c].unique()) for c in table.columns]


def laplace_marginals(train, categories, epsilon, n_samples, random_state):
    """Independent columns from Laplace-noised counts: epsilon-DP (each row moves one count
    per column, so the L1 sensitivity is the number of columns)."""
    rng = np.random.default_rng(random_state)
    columns = []
    for j, labels in enumerate(categories):
        counts = np.array([(train[:, j] == label).sum() for label in labels], dtype=float)
        noisy = np.clip(counts + rng.laplace(scale=len(categories) / epsilon,
                                             size=len(labels)), 0, None)
        p = noisy / noisy.sum() if noisy.sum() > 0 else np.full(len(labels), 1 / len(labels))
        columns.append(np.asarray(labels, dtype=object)[rng.choice(len(labels), n_samples, p=p)])
    return np.column_stack(columns).astype(train.dtype)


def dp_synthetic(system, train, categories, epsilon, delta):
    """Synthetic rows, as many as ``train``, of one DP system at ``(epsilon, delta)``."""
    if system == "DiscreteBGAN":
        est = DiscreteBGAN(categories=categories, dp_epsilon=epsilon, dp_delta=delta,
                           **DP_RECIPE, random_state=0).fit(train)
        assert est.epsilon_ <= epsilon
        return est.sample(len(train), random_state=0)
    if system == "Laplace marginals":
        return laplace_marginals(train, categories, epsilon, len(train), random_state=0)
    frame = pd.DataFrame(train.astype(str), columns=[f"c{j}" for j in range(train.shape[1])])
    if system == "TabularARGN DP":
        from mostlyai.engine import TabularARGN

        model = TabularARGN(tgt_encoding_types={c: "TABULAR_CATEGORICAL" for c in frame},
                            value_protection=False, device="cpu", random_state=0,
                            max_training_time=TABULARARGN_MINUTES,
                            differential_privacy={"max_epsilon": epsilon, "delta": delta})
        model.fit(frame)
        synthetic = model.sample(n_samples=len(train))[frame.columns]
    else:
        from mbi import Dataset
        from snsynth import Synthesizer

        model = Synthesizer.create("mst", epsilon=epsilon, delta=delta)
        model.fit(frame, categorical_columns=list(frame.columns), preprocessor_eps=0.0)
        drawn = model.synthesizer.synthetic_data(rows=len(train), method="sample")
        # smartnoise-synth 1.0.8 reads mbi's columns by position, but mbi 1.1 returns
        # them in elimination order: put them back in domain order before decoding. Its
        # default "round" method correlates columns that the model leaves independent.
        ordered = Dataset({a: drawn.to_dict()[a] for a in drawn.domain.attrs}, drawn.domain)
        decoded = model.undo_compress_fn(ordered)
        rows = [tuple(t[1:]) for t in decoded.df.itertuples()]
        synthetic = pd.DataFrame(model._transformer.inverse_transform(rows),
                                 columns=frame.columns)
    synthetic = synthetic.to_numpy(dtype=str)
    return synthetic.astype(int) if train.dtype.kind in "iu" else synthetic


def run_dp(folder, name, systems):
    train, holdout = halves(folder, name)
    categories = domain(folder, name)
    delta = 1.0 / len(train) ** 2
    rows = {}
    for epsilon in EPSILONS:
        for system in systems:
            started = time.perf_counter()
            synthetic = dp_synthetic(system, train, categories, epsilon, delta)
            seconds = time.perf_counter() - started
            report = privacy_report(train, synthetic, holdout)
            row = {"pairwise_tv": pairwise_tv(holdout, synthetic),
                   "detection_auc": detection_auc(holdout, synthetic),
                   "marginal_tv": marginal_tv(holdout, synthetic),
                   "dcr_closer_to_train": report["dcr_closer_to_train"],
                   "membership_auc_distance": report["membership_auc_distance"],
                   "seconds": seconds}
            rows[f"{system} (epsilon={epsilon:g})"] = {k: round(v, 4) for k, v in row.items()}
            print(f"  {name} epsilon={epsilon:g} {system}: {rows[f'{system} (epsilon={epsilon:g})']}",
                  flush=True)
    return rows


def _dp_order(item):
    """Table order: by epsilon, then systems as in ``DP_SYSTEMS``."""
    system, epsilon = item[0].rsplit(" (epsilon=", 1)
    return float(epsilon.rstrip(")")), DP_SYSTEMS.index(system)


def dp_table(results):
    """One table per set: a row per system and epsilon, a column per figure."""
    out = []
    for name, rows in results.items():
        out += [f"**{name}**", "", "| system | " + " | ".join(DP_FIGURES) + " |",
                "|---|" + "---|" * len(DP_FIGURES)]
        for system, row in rows.items():
            cells = [f"{row[f]:.0f}" if f == "seconds" else f"{row[f]:.3f}" for f in DP_FIGURES]
            out.append(f"| {system} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out).rstrip()


def run(folder, name):
    train, holdout = halves(folder, name)
    rows = {}
    started = time.perf_counter()
    est = DiscreteBGAN(random_state=0).fit(train)
    systems = {
        "DiscreteBGAN": (est.sample(len(train), random_state=0), est),
        "independent columns": (independent(train), None),
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


def independent(train):
    """As many rows as ``train``, each column drawn from its own frequencies (frames stay frames)."""
    if isinstance(train, pd.DataFrame):
        return fit_sample_independent(train, len(train))[0]
    return independent_columns(train, len(train), random_state=0)


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
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS)
    parser.add_argument("--dp", action="store_true",
                        help="compare differentially private synthesizers instead")
    parser.add_argument("--systems", nargs="+", default=list(DP_SYSTEMS),
                        help="DP systems to run (with --dp)")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/privacy.md")
    args = parser.parse_args()
    torch.set_num_threads(min(2, os.cpu_count()))
    if args.dp:  # rows of systems not run now are kept from the last run
        results = {name: run_dp(args.data, name, args.systems) for name in args.sets}
        stem, markers, make_table = "privacy_dp", "dp-tables", dp_table
        path = ROOT / "benchmarks" / "results" / f"{stem}.json"
        if path.exists():
            kept = json.loads(path.read_text())["results"]
            for name, rows in kept.items():
                results[name] = {**rows, **results.get(name, {})}
            results = {name: dict(sorted(rows.items(), key=_dp_order))
                       for name, rows in results.items()}
    else:
        path = ROOT / "benchmarks" / "results" / "privacy.json"
        results = json.loads(path.read_text())["results"] if path.exists() else {}
        results |= {name: run(args.data, name) for name in args.sets}
        stem, markers, make_table = "privacy", "privacy-tables", table
    (ROOT / "benchmarks" / "results" / f"{stem}.json").write_text(json.dumps(
        {"machine": platform.platform(), "torch_threads": torch.get_num_threads(),
         "results": results}, indent=1))
    text = make_table(results)
    print(text)
    if not args.no_docs:
        path = ROOT / "docs" / "privacy.md"
        start, end = f"<!-- {markers} -->", f"<!-- /{markers} -->"
        doc = path.read_text()
        doc = doc[: doc.index(start)] + f"{start}\n{text}\n{end}" + doc[doc.index(end) + len(end):]
        path.write_text(doc)


if __name__ == "__main__":
    main()
