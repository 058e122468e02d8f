"""Fidelity benchmark: DiscreteBGAN against TabularARGN, sequential CART, CTGAN, TVAE and
simple baselines.

Run by hand (not in CI); needs the ``bench`` extra for CTGAN and TVAE, and for the two
other peers ``pip install mostlyai-engine``, ``pip uninstall -y torchvision torchaudio``
(their CUDA builds break mostlyai-engine's import next to CPU torch) and ``pip install
--no-deps synthpop-py && pip install "plotly<7"`` (synthpop-py declares pandas >= 3, ctgan's
rdt needs pandas < 3; synthpop runs on pandas 2)::

    pip install ".[bench]"
    python benchmarks/fidelity.py                  # generated sets, writes docs/benchmarks.md
    python benchmarks/fidelity.py --data ../shared/data --sets adult mushroom \
        --systems DiscreteBGAN TabularARGN CART

The generated sets (``latent_class``; ``latent_class_large``, 50k rows x 40 columns, to
check that the defaults scale; ``latent_class_small``, 400 rows of the same truth, a small
table whose density is known; ``measurements``, 14 integer measurements of 16 levels
and a class, letter recognition's kind) are drawn by code; ``digits``, ``binary_digits`` and two small
numeric tables, ``wdbc`` (breast-cancer Wisconsin, 569 rows) and ``diabetes`` (442 rows), ship
with scikit-learn; the real sets (UCI adult, mushroom, nursery, connect-4, kr-vs-kp, splice) are
read from the folder given by ``--data``, as are the fourteen others there (``UNSEEN_SETS``),
measured after the defaults were chosen to check that they carry over. Results are merged into
``benchmarks/results/fidelity.json`` (rows of the systems run replace their earlier rows) and
the tables between the markers in ``docs/benchmarks.md`` are rewritten.
"""

import argparse
import json
import platform
import time
from collections import Counter
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
from sklearn.model_selection import train_test_split

from skbgan import DiscreteBGAN
from skbgan._demo import independent_columns
from skbgan._numeric import numeric_columns
from skbgan.datasets import LatentClassModel
from skbgan.metrics import fidelity_report

ROOT = Path(__file__).resolve().parent.parent
N_SYNTHETIC = 10_000


# ---------------------------------------------------------------- data sets
def latent_class_truth(n_features=30):
    """The generated sets' truth: 2-12 categories, 20 components, Dirichlet(0.3)."""
    return LatentClassModel(n_features=n_features, n_categories=(2, 12), n_components=20,
                            concentration=0.3, random_state=0)


def latent_class():
    """30 columns of :func:`latent_class_truth`; 10k train, 20k test."""
    truth = latent_class_truth()
    return truth.sample(10_000, random_state=1), truth.sample(20_000, random_state=2), truth


def latent_class_large():
    """The latent-class set scaled up: 40 columns, 50k train rows, 20k test."""
    truth = latent_class_truth(n_features=40)
    return truth.sample(50_000, random_state=1), truth.sample(20_000, random_state=2), truth


def latent_class_small():
    """The latent-class set's truth with 400 training rows: a small table of known density."""
    truth = latent_class_truth()
    return truth.sample(400, random_state=1), truth.sample(20_000, random_state=2), truth


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


def measurements():
    """14 integer measurements of 16 levels and a class of 10: letter recognition's kind.

    Each row's class places a 4-d latent point (plus noise); the measurements
    are linear and tanh features of it with a product term, standardised and
    rounded to the levels 0-15. 10k train rows, 2k test.
    """
    rng = np.random.default_rng(123)
    n, n_columns, n_classes = 12_000, 14, 10
    centres = rng.normal(0, 1.5, (n_classes, 4))
    label = rng.integers(0, n_classes, n)
    z = centres[label] + rng.normal(0, 0.7, (n, 4))
    linear, bent = rng.normal(0, 1, (4, n_columns)), rng.normal(0, 1.5, (4, n_columns))
    raw = (z @ linear + 1.5 * np.tanh(z @ bent)
           + z[:, [0]] * z[:, [1]] * rng.normal(0, 0.5, n_columns)
           + rng.normal(0, 0.4, (n, n_columns)))
    raw = (raw - raw.mean(0)) / raw.std(0)
    frame = pd.DataFrame(np.clip(np.round(7.5 + 2.6 * raw), 0, 15).astype(np.int64),
                         columns=[f"m{j}" for j in range(n_columns)])
    frame["class"] = np.array(list("ABCDEFGHIJ"))[label]
    return frame[:10_000], frame[10_000:].reset_index(drop=True), None


def wdbc():
    """scikit-learn's breast-cancer Wisconsin table: 30 measurements and the diagnosis."""
    frame = load_breast_cancer(as_frame=True).frame
    return split_numeric_table(frame)


def diabetes():
    """scikit-learn's diabetes table in original units: age, sex, 8 measurements, progression."""
    frame = load_diabetes(as_frame=True, scaled=False).frame
    return split_numeric_table(frame)


def split_numeric_table(frame):
    """Three quarters to train; columns of whole numbers as integers (``sex`` stays categorical)."""
    whole = [c for c in frame if np.all(frame[c] == np.round(frame[c]))]
    frame = frame.astype({c: np.int64 for c in whole})
    train, test = train_test_split(frame, test_size=0.25, random_state=0)
    return train.reset_index(drop=True), test.reset_index(drop=True), None


MAX_TRAIN = 10_000
"""Training rows taken from a real set at most (the rest, up to as many, is the test set)."""

REAL_SETS = ["adult", "mushroom", "nursery", "connect_4", "kr_vs_kp", "splice"]
UNSEEN_SETS = ["car", "tic_tac_toe", "vote", "soybean", "lymphography", "breast_cancer", "spect",
               "zoo", "chess_krvk", "letter", "poker_hand", "optdigits", "semeion", "mfeat_pixel"]
"""The other real sets of ``--data``: measured after the defaults were chosen, never to choose one."""
TABULARARGN_MINUTES = 10.0
"""Training-time cap of TabularARGN per fit (its default is 10 days; it stops earlier)."""


def real_set(folder, name):
    """A real set as a DataFrame: text categories, adult's numeric columns kept as numbers."""
    frame = pd.read_csv(Path(folder) / f"{name}.csv", keep_default_na=False)
    for column in frame:
        if frame[column].dtype.kind not in "iuf":
            frame[column] = frame[column].astype(str)
    train, test = train_test_split(frame, train_size=min(MAX_TRAIN, len(frame) * 3 // 4),
                                   random_state=0)
    return train.reset_index(drop=True), test[:MAX_TRAIN].reset_index(drop=True), None


SETS = {"latent_class": latent_class, "latent_class_large": latent_class_large,
        "latent_class_small": latent_class_small,
        "measurements": measurements,
        "digits": digits, "binary_digits": binary_digits, "wdbc": wdbc, "diabetes": diabetes,
        **{name: None for name in REAL_SETS + UNSEEN_SETS}}


# ------------------------------------------------------------------ systems
# Each system takes the training frame and a number of rows, and returns a frame of
# synthetic rows with the same columns and dtypes, and its held-out log-likelihood
# function (or None).
def load(name, folder=None):
    """Training frame, test frame and truth (or None) of a set."""
    if SETS[name] is None:
        return real_set(folder, name)
    train, test, truth = SETS[name]()
    if not isinstance(train, pd.DataFrame):
        train, test = (pd.DataFrame(a, columns=[f"c{j}" for j in range(a.shape[1])])
                       for a in (train, test))
    return train, test, truth


def numeric(frame):
    """The columns DiscreteBGAN's ``numeric_columns="auto"`` picks: every peer gets the same."""
    picked = numeric_columns(frame.to_numpy(dtype=object), "auto", (frame.shape[1],),
                             list(frame.columns), dict(frame.dtypes))
    return [frame.columns[j] for j in picked]


DRAW_STRIDE = 1_000
"""Draw ``d`` of a fit with seed ``s`` samples with seed ``s + DRAW_STRIDE * d`` (draw 0: ``s``)."""


def bgan_sampler(train, seed=0, candidates=1, **params):
    """``DiscreteBGAN`` fitted with ``seed``: a function of ``(n, draw=0)`` drawing ``n`` rows."""
    est = DiscreteBGAN(random_state=seed, **params).fit(train)

    def draw_rows(n, draw=0):
        return est.sample(n, random_state=seed + DRAW_STRIDE * draw, candidates=candidates)

    draw_rows.score_samples = est.score_samples
    return draw_rows


def fit_sample_bgan(train, n, seed=0, candidates=1, **params):
    draw_rows = bgan_sampler(train, seed, candidates, **params)
    return draw_rows(n), draw_rows.score_samples


def fit_sample_ctgan(train, n, model="CTGAN"):
    import ctgan

    synthesizer = getattr(ctgan, model)()  # the package's defaults
    continuous = numeric(train)
    synthesizer.fit(train, discrete_columns=[c for c in train if c not in continuous])
    return synthesizer.sample(n).astype(train.dtypes.to_dict()), None


def fit_sample_tabularargn(train, n):
    from mostlyai.engine import TabularARGN

    continuous = numeric(train)
    frame = train.astype({c: str for c in train if c not in continuous})
    model = TabularARGN(
        tgt_encoding_types={c: "TABULAR_NUMERIC_AUTO" if c in continuous
                            else "TABULAR_CATEGORICAL" for c in frame},
        value_protection=False, device="cpu", random_state=0,
        max_training_time=TABULARARGN_MINUTES,
    )
    model.fit(frame)
    synthetic = model.sample(n_samples=n)[frame.columns]
    for c in train:
        if c not in continuous and train[c].dtype.kind in "iu":
            synthetic[c] = synthetic[c].astype(np.int64)
    return (synthetic.astype(train.dtypes.to_dict()),
            lambda X: model.log_prob(X.astype({c: str for c in X if c not in continuous})))


def cart_sampler(train, seed=0):
    """Sequential CART fitted with ``seed``: a function of ``(n, draw=0)`` drawing ``n`` rows."""
    from synthpop import Synthesiser

    synthesizer = Synthesiser(random_seed=seed).fit(train)

    def draw_rows(n, draw=0):
        synthetic = synthesizer.generate(n, random_seed=seed + DRAW_STRIDE * draw)
        return synthetic[train.columns].astype(train.dtypes.to_dict())

    return draw_rows


def fit_sample_cart(train, n, seed=0):
    return cart_sampler(train, seed)(n), None


def fit_sample_independent(train, n):
    rows = independent_columns(train.to_numpy(dtype=object), n, random_state=0)
    return pd.DataFrame(rows, columns=train.columns).astype(train.dtypes.to_dict()), None


def training_data(train, n):
    rows = np.random.default_rng(0).choice(len(train), min(n, len(train)), replace=False)
    return train.iloc[rows].reset_index(drop=True), None


BGAN_SYSTEMS = {
    "DiscreteBGAN": {},
    "DiscreteBGAN, sample(candidates=4)": {"candidates": 4},
    "DiscreteBGAN(autoregressive=True)": {"autoregressive": True},
    "DiscreteBGAN(autoregressive=True, autoregressive_units=256)": {
        "autoregressive": True, "autoregressive_units": 256},
    "DiscreteBGAN(autoregressive=True, dependence_lr_factor=3.0)": {
        "autoregressive": True, "dependence_lr_factor": 3.0},
    "DiscreteBGAN(autoregressive=False)": {"autoregressive": False},
    "DiscreteBGAN(epochs=40)": {"epochs": 40},
    "DiscreteBGAN, early stopping": {"validation_fraction": 0.2, "n_iter_no_change": 10},
}
"""DiscreteBGAN's systems and their keyword arguments of :func:`fit_sample_bgan`."""

SYSTEMS = {
    **{name: partial(fit_sample_bgan, **kwargs) for name, kwargs in BGAN_SYSTEMS.items()},
    "TabularARGN": fit_sample_tabularargn,
    "CART": fit_sample_cart,
    "CTGAN": lambda train, n: fit_sample_ctgan(train, n, "CTGAN"),
    "TVAE": lambda train, n: fit_sample_ctgan(train, n, "TVAE"),
    "independent": fit_sample_independent,
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
    "plain Gaussian latent (latent_components=0)": {"latent_components": 0},
    "latent_components=128": {"latent_components": 128},
}
ABLATION_TABLE = "latent_class ablations (DiscreteBGAN defaults with one change)"
DIVERGENCES = ["gan", "jensen_shannon", "kl", "reverse_kl", "squared_hellinger", "pearson_chi2"]


# -------------------------------------------------------------------- runs
def table_order(row):
    """Where a row goes in its set's table: in :data:`SYSTEMS` order, a record of an earlier
    setting (a system relabelled with the parameters it was measured with) after today's
    DiscreteBGAN systems."""
    if row["system"] in SYSTEMS:
        return list(SYSTEMS).index(row["system"])
    return len(BGAN_SYSTEMS) - 0.5


def evaluate(name, sample_fn, train, test, truth):
    start = time.perf_counter()
    synthetic, log_likelihood = sample_fn(train, N_SYNTHETIC)
    seconds = time.perf_counter() - start
    row = {"system": name, "fit_s": seconds, **fidelity_report(test, synthetic, train=train)}
    if log_likelihood is not None and not numeric(train):
        row["heldout_ll"] = float(np.mean(log_likelihood(test)))
    if truth is not None:
        row["truth_ll_gap"] = truth_ll_gap(truth, test, synthetic)
        row["truth_entropy"] = float(-truth.log_prob(np.asarray(test)).mean())
    show_row(row)
    return row


def truth_ll_gap(truth, test, synthetic):
    """Mean log-likelihood of the held-out rows under the ``truth`` minus the samples'.

    The first term is the test-set estimate of the truth's -entropy: 0 is
    ideal (samples as typical as real rows), positive is worse.
    """
    test, synthetic = np.asarray(test), np.asarray(synthetic)
    return float(truth.log_prob(test).mean() - truth.log_prob(synthetic).mean())


def show_row(row):
    """Print a result row as one line of JSON, floats to 4 decimals."""
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}),
          flush=True)


def markdown(rows, measured=None, columns=None):
    """A table of ``rows``; rows measured elsewhere than ``measured`` are marked and footnoted.

    ``columns`` defaults to the fidelity tables' (and the likelihood columns where rows have them).
    """
    if columns is None:
        columns = ["system", "fit_s", "marginal_tv", "pairwise_tv", "detection_auc", "novelty"]
        columns += [c for c in ("truth_ll_gap", "heldout_ll") if any(c in row for row in rows)]
    head = "| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n"
    body = ""
    stamps = [row.get("measured", measured) for row in rows]
    elsewhere = sorted(set(stamps) - {measured})
    for row, stamp in zip(rows, stamps):
        mark = "" if stamp == measured else " " + "†" * (elsewhere.index(stamp) + 1)
        cells = [row["system"] + mark] + [
            "" if c not in row else f"{row[c]:.0f}" if c == "fit_s" else f"{row[c]:.3f}"
            for c in columns[1:]
        ]
        body += "| " + " | ".join(cells) + " |\n"
    notes = "".join(f"\n{'†' * (i + 1)} Measured on {stamp}.\n" for i, stamp in enumerate(elsewhere))
    return head + body + notes


def cpu_model():
    """The processor's name where Linux tells it (``/proc/cpuinfo``), else its architecture."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} ({platform.machine()})"
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine():
    return (f"{cpu_model()}, {torch.get_num_threads()} torch "
            f"threads, Python {platform.python_version()}, torch {torch.__version__}")


def stamp():
    """Where and when a result is measured now: the machine and today's date."""
    return f"{machine()}, {time.strftime('%Y-%m-%d')}"


def most_common_stamp(stamps):
    """Where and when most results were measured, of their ``stamps``: the caption."""
    return Counter(stamps).most_common(1)[0][0]


def write_section(text, section, path=ROOT / "docs" / "benchmarks.md"):
    """Replace what lies between ``<!-- section -->`` and ``<!-- /section -->`` in ``path``."""
    doc = path.read_text()
    begin, end = f"<!-- {section} -->", f"<!-- /{section} -->"
    start, stop = doc.index(begin) + len(begin), doc.index(end)
    path.write_text(doc[:start] + "\n" + text + "\n" + doc[stop:])


def write_docs(results):
    tables = results["tables"]
    common = most_common_stamp(row["measured"] for rows in tables.values() for row in rows)
    parts = [f"Measured on {common}, except rows marked † (see below their table).\n"]
    for key, rows in tables.items():
        parts.append(f"\n### {key}\n\n" + markdown(rows, common))
    write_section("".join(parts), "fidelity-results")
    from summary import write_summary  # summary reads this module's tables

    write_summary()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder of the real sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", default=["latent_class", "digits", "binary_digits"],
                        choices=list(SETS))
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--no-ablations", action="store_true")
    parser.add_argument("--ablations", nargs="+", default=list(ABLATIONS), choices=list(ABLATIONS),
                        metavar="NAME", help="which ablation rows to run (default: all)")
    parser.add_argument("--divergences", nargs="*", default=DIVERGENCES, choices=DIVERGENCES,
                        help="which divergences to compare (default: all; none keeps the table)")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (2, as in CI)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    out = ROOT / "benchmarks" / "results"
    previous = json.loads((out / "fidelity.json").read_text()) if (
        out / "fidelity.json").exists() else {"tables": {}}
    earlier = f"{previous['machine']}, {previous['date']}" if previous["tables"] else None
    tables = {title: [{"measured": earlier} | row for row in rows]  # rows before stamps
              for title, rows in previous["tables"].items()}
    now = stamp()
    for set_name in args.sets:
        if SETS[set_name] is None and args.data is None:
            parser.error(f"--sets {set_name} needs --data (the folder of the real sets)")
        train, test, truth = load(set_name, args.data)
        title = f"{set_name}: {train.shape[0]} train rows x {train.shape[1]} columns"
        rows = [evaluate(s, SYSTEMS[s], train, test, truth) | {"measured": now}
                for s in args.systems]
        kept = [row for row in tables.get(title, []) if row["system"] not in args.systems]
        tables[title] = sorted(kept + rows, key=table_order)
    if not args.no_ablations and "latent_class" in args.sets:
        train, test, truth = load("latent_class")
        tables[ABLATION_TABLE] = [
            evaluate(name, lambda tr, n, p=ABLATIONS[name]: fit_sample_bgan(tr, n, **p),
                     train, test, truth) | {"measured": now}
            for name in args.ablations
        ]
        if args.divergences:
            tables["latent_class: the six divergences"] = [
                evaluate(f"divergence={d!r}",
                         lambda tr, n, d=d: fit_sample_bgan(tr, n, divergence=d),
                         train, test, truth) | {"measured": now}
                for d in args.divergences
            ]
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "tables": tables}
    out.mkdir(exist_ok=True)
    (out / "fidelity.json").write_text(json.dumps(results, indent=1))
    if not args.no_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
