"""Imputation and prediction benchmark: DiscreteBGAN against SimpleImputer, IterativeImputer,
TabularARGN and a gradient-boosted classifier, on real tables with cells removed at random.

Run by hand (not in CI), with the real data sets' folder as the argument::

    pip install ".[bench]" mostlyai-engine && pip uninstall -y torchvision torchaudio
    python benchmarks/imputation.py ../shared/data
    python benchmarks/imputation.py ../shared/data --sets nursery --rates 0.1 --systems DiscreteBGAN

For each set and rate, cells are removed completely at random from the
training rows (75%) and the test rows (25%). Every imputer is fitted on the
training rows with their gaps and fills the test rows' gaps: the table gives
the share of removed test cells filled with the true label. The prediction
table gives the log-loss of the target column's probabilities on the test
rows (target hidden, the other columns with their gaps), each model trained
on the training rows with gaps. Results go to
``benchmarks/results/imputation.json`` and between the markers in
``docs/benchmarks.md``.
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
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer, SimpleImputer
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OrdinalEncoder

from skbgan import DiscreteBGAN
from skbgan._epochs import epoch_plan

ROOT = Path(__file__).resolve().parent.parent
SETS = {"mushroom": "class", "nursery": "class"}
RATES = (0.1, 0.3)
SYSTEMS = ("DiscreteBGAN", "DiscreteBGAN 3x", "TabularARGN", "IterativeImputer",
           "SimpleImputer", "HGB")
TABULARARGN_MINUTES = 3.0
"""Training-time cap of TabularARGN per fit (its default is 10 days)."""


def load(folder, name, rate):
    """Train and test tables with a ``rate`` of their cells removed, and the removed masks."""
    table = pd.read_csv(Path(folder) / f"{name}.csv", dtype=str, keep_default_na=False)
    train, test = train_test_split(table, test_size=0.25, random_state=0)
    rng = np.random.default_rng(1)
    gaps = [rng.random(part.shape) < rate for part in (train, test)]
    holed = [part.mask(gap) for part, gap in zip((train, test), gaps)]
    return train.reset_index(drop=True), test.reset_index(drop=True), \
        [h.reset_index(drop=True) for h in holed], gaps[1]


def accuracy(filled, truth, gaps):
    return float((filled.to_numpy(dtype=object)[gaps] == truth.to_numpy(dtype=object)[gaps]).mean())


def ordinal(train, test):
    encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan,
                             encoded_missing_value=np.nan).fit(train)
    return encoder, encoder.transform(train), encoder.transform(test)


def decode(encoder, codes, like):
    codes = np.clip(np.round(codes), 0, None)
    out = like.copy()
    for j, (column, categories) in enumerate(zip(like.columns, encoder.categories_)):
        known = categories[~pd.isna(categories)]
        out[column] = known[np.minimum(codes[:, j].astype(int), len(known) - 1)]
    return out


def tuned_hgb(X, y, labels):
    """HistGradientBoostingClassifier with the learning rate and number of trees of least
    log-loss on a held-out fifth of the rows, refitted on all rows.

    Its log-loss swings by a factor of ten with these on gapped categorical
    rows (it predicts exact zeros), so it is tuned to be a fair baseline.
    """
    fit, valid = train_test_split(np.arange(len(y)), test_size=0.2, random_state=0)

    def model(rate, trees):
        return HistGradientBoostingClassifier(categorical_features=np.ones(X.shape[1], bool),
                                              learning_rate=rate, max_iter=trees,
                                              early_stopping=False, random_state=0)

    grid = [(rate, trees) for rate in (0.02, 0.05, 0.1) for trees in (50, 100, 200)]
    losses = {setting: log_loss(y[valid], model(*setting).fit(X[fit], y[fit])
                                .predict_proba(X[valid]), labels=labels)
              for setting in grid}
    return model(*min(losses, key=losses.get)).fit(X, y)


def run(folder, name, rate, systems):
    target = SETS[name]
    train, test, (train_gaps, test_gaps), removed = load(folder, name, rate)
    labels = sorted(train[target].unique())
    hidden = test_gaps.drop(columns=target)
    rows = {}

    def record(system, started, filled=None, proba=None, extra=None):
        row = rows.setdefault(system, {})
        row["seconds"] = round(row.get("seconds", 0) + time.perf_counter() - started, 1)
        if filled is not None:
            row["accuracy"] = round(accuracy(filled, test, removed), 4)
        if proba is not None:
            row["log_loss"] = round(float(log_loss(test[target], proba, labels=labels)), 4)
        row.update(extra or {})
        print(f"  {name} {rate:.0%} {system}: {row}", flush=True)

    for system in ("DiscreteBGAN", "DiscreteBGAN 3x"):
        if system not in systems:
            continue
        # "3x": three times the default epochs, about TabularARGN's training time.
        epochs = "auto" if system == "DiscreteBGAN" else 3 * epoch_plan("auto", len(train), 64).count
        started = time.perf_counter()
        est = DiscreteBGAN(epochs=epochs, random_state=0).fit(train_gaps)
        fit_seconds = time.perf_counter() - started
        started = time.perf_counter()
        filled = est.impute(test_gaps, random_state=0)
        record(system, started - fit_seconds, filled, est.predict_proba(hidden, target=target))
        started = time.perf_counter()
        mode = test_gaps.where(~removed, est.predict(test_gaps))
        record(f"{system} (mode)", started, mode)
    if "TabularARGN" in systems:
        from mostlyai.engine import TabularARGN

        started = time.perf_counter()
        model = TabularARGN(tgt_encoding_types={c: "TABULAR_CATEGORICAL" for c in train.columns},
                            value_protection=False, device="cpu", random_state=0,
                            max_training_time=TABULARARGN_MINUTES)
        model.fit(train_gaps)
        filled = model.impute(test_gaps)[test.columns]
        proba = model.predict_proba(hidden, target=target)
        proba = proba.reindex(columns=labels, fill_value=0).to_numpy(dtype=float)
        record("TabularARGN", started, filled, proba / proba.sum(axis=1, keepdims=True))
    if "IterativeImputer" in systems:
        started = time.perf_counter()
        encoder, a, b = ordinal(train_gaps, test_gaps)
        imputer = IterativeImputer(
            estimator=RandomForestClassifier(n_estimators=50, n_jobs=2, random_state=0),
            initial_strategy="most_frequent", max_iter=5, random_state=0,
        ).fit(a)
        record("IterativeImputer", started, decode(encoder, imputer.transform(b), test_gaps))
    if "SimpleImputer" in systems:
        started = time.perf_counter()
        imputer = SimpleImputer(strategy="most_frequent").fit(train_gaps.astype(object))
        filled = pd.DataFrame(imputer.transform(test_gaps.astype(object)), columns=test.columns)
        record("SimpleImputer", started, filled)
    if "HGB" in systems:
        started = time.perf_counter()
        features = train_gaps.drop(columns=target)
        keep = train_gaps[target].notna().to_numpy()
        encoder, a, b = ordinal(features, hidden)
        model = tuned_hgb(a[keep], train_gaps[target][keep].to_numpy(), labels)
        proba = pd.DataFrame(model.predict_proba(b), columns=model.classes_)
        record("HGB (target only)", started,
               proba=proba.reindex(columns=labels, fill_value=0).to_numpy(),
               extra={"learning_rate": model.learning_rate, "trees": model.max_iter})
    return rows


def tables(results):
    """Markdown tables of imputation accuracy and target log-loss."""
    systems = list(dict.fromkeys(s for r in results for s in r["systems"]))
    keys = [(r["set"], r["rate"]) for r in results]
    head = "| system | " + " | ".join(f"{s} {r:.0%}" for s, r in keys) + " |"
    rule = "|---|" + "---|" * len(keys)
    out = ["Share of removed test cells imputed with the true label (higher is better):", "",
           head, rule]
    for system in systems:
        cells = [r["systems"].get(system, {}).get("accuracy") for r in results]
        if any(c is not None for c in cells):
            out.append(f"| {system} | " + " | ".join("" if c is None else f"{c:.3f}"
                                                    for c in cells) + " |")
    out += ["", "Log-loss of the target column `class` on the test rows, other columns with "
            "their gaps (lower is better):", "", head, rule]
    for system in systems:
        cells = [r["systems"].get(system, {}).get("log_loss") for r in results]
        if any(c is not None for c in cells):
            out.append(f"| {system} | " + " | ".join("" if c is None else f"{c:.4f}"
                                                    for c in cells) + " |")
    out += ["", "Wall seconds (fit plus imputation and prediction):", "", head, rule]
    for system in systems:
        cells = [r["systems"].get(system, {}).get("seconds") for r in results]
        out.append(f"| {system} | " + " | ".join("" if c is None else f"{c:.0f}"
                                                for c in cells) + " |")
    return "\n".join(out)


def write_docs(text):
    path = ROOT / "docs" / "benchmarks.md"
    start, end = "<!-- imputation-tables -->", "<!-- /imputation-tables -->"
    doc = path.read_text()
    block = f"{start}\n{text}\n{end}"
    if start in doc:
        doc = doc[: doc.index(start)] + block + doc[doc.index(end) + len(end):]
    else:
        doc += f"\n{block}\n"
    path.write_text(doc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder of the real data sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--rates", nargs="+", type=float, default=list(RATES))
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS)
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = parser.parse_args()
    torch.set_num_threads(min(2, os.cpu_count()))
    out = ROOT / "benchmarks" / "results" / "imputation.json"
    # A run of some systems or sets updates their entries and keeps the others.
    results = json.loads(out.read_text())["results"] if out.exists() else []
    for name in args.sets:
        for rate in args.rates:
            rows = run(args.data, name, rate, args.systems)
            entry = next((r for r in results if (r["set"], r["rate"]) == (name, rate)), None)
            if entry is None:
                results.append({"set": name, "rate": rate, "systems": rows})
            else:
                entry["systems"].update(rows)
    order = {system: i for i, system in enumerate(
        s for system in SYSTEMS for s in (system, f"{system} (mode)", f"{system} (target only)"))}
    for entry in results:
        entry["systems"] = dict(sorted(entry["systems"].items(), key=lambda kv: order[kv[0]]))
    out.write_text(json.dumps({"machine": platform.platform(), "torch_threads":
                               torch.get_num_threads(), "results": results}, indent=1))
    text = tables(results)
    print(text)
    if not args.no_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
