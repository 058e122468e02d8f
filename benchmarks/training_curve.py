"""Fidelity against training time: DiscreteBGAN fitted for fewer and more passes than its default.

Run by hand (not in CI), in the fidelity benchmark's environment::

    python benchmarks/training_curve.py --data ../shared/data --sets connect_4 kr_vs_kp adult
    python benchmarks/training_curve.py --data ../shared/data --sets chess_krvk poker_hand \
        nursery --fractions 0.25 0.5 1

Default fits (``random_state=0``) of a quarter, half, one, one and a half
and two times (``--fractions``) the passes that ``epochs="auto"`` picks, each fitted afresh
(``dependence_lr_factor="auto"`` warms its matrix up for the first half of a
fit's steps, so a short fit is not the start of a longer one): fit time,
pairwise TV, detection AUC, novelty and the held-out log-likelihood as in
the fidelity benchmark, where the set has a ``--target`` column (adult's
``income``) the machine-learning efficacy gap, and where its truth is known
(the latent-class sets) the samples' truth log-likelihood gap.
Sequential CART, fitted once, is the yardstick in the last row. Results are
merged into ``benchmarks/results/training_curve.json`` (the sets run replace
their earlier rows) and the tables between the ``training-curve`` markers in
``docs/benchmarks.md`` are rewritten.
"""

import argparse
import json
import time
from pathlib import Path

import torch
from fidelity import (
    N_SYNTHETIC,
    SETS,
    fit_sample_cart,
    load,
    machine,
    most_common_stamp,
    numeric,
    show_row,
    truth_ll_gap,
    write_section,
)

from skbgan import DiscreteBGAN
from skbgan._epochs import epoch_plan, schedule_for
from skbgan._training import steps_per_epoch
from skbgan.metrics import fidelity_report, ml_efficacy

ROOT = Path(__file__).resolve().parent.parent
FRACTIONS = (0.25, 0.5, 1.0, 1.5, 2.0)
"""Passes measured, as multiples of those of ``epochs="auto"``."""
TARGETS = {"adult": "income"}
"""The column whose machine-learning efficacy is measured, by set."""


def default_epochs(estimator, n_rows):
    """The passes ``epochs="auto"`` gives a fit of ``estimator`` on ``n_rows`` rows."""
    schedule = schedule_for(estimator.likelihood_proposal_, estimator.architecture_)
    return epoch_plan("auto", n_rows, estimator.batch_size, schedule).count


def measure(train, test, synthetic, target, truth):
    """Fidelity of ``synthetic`` against the held-out rows, the efficacy gap of ``target``
    and, where the set's ``truth`` is known, the samples' truth log-likelihood gap."""
    report = fidelity_report(test, synthetic, train=train)
    row = {m: report[m] for m in ("pairwise_tv", "detection_auc", "novelty")}
    if target is not None:
        row["ml_gap"] = ml_efficacy(train, synthetic, test, target=target)["gap"]
    if truth is not None:
        row["truth_ll_gap"] = truth_ll_gap(truth, test, synthetic)
    return row


def curve(train, test, target, truth, seed, fractions=FRACTIONS):
    """Rows of default fits of ``fractions`` of the default passes, each fitted afresh."""
    # one pass resolves the "auto" settings that fix the default passes
    probe = DiscreteBGAN(epochs=1, random_state=seed).fit(train)
    default = default_epochs(probe, len(train))
    marks = sorted({max(1, round(f * default)) for f in fractions})
    steps_per_pass = steps_per_epoch(len(train), probe.batch_size)
    rows = []
    for mark in marks:
        start = time.perf_counter()
        estimator = DiscreteBGAN(epochs=mark, random_state=seed).fit(train)
        synthetic = estimator.sample(N_SYNTHETIC, random_state=seed)
        row = {"passes": mark, "of_default": mark / default, "steps": mark * steps_per_pass,
               "fit_s": time.perf_counter() - start,
               **measure(train, test, synthetic, target, truth)}
        if not numeric(train):
            row["heldout_ll"] = float(estimator.score(test))
        show_row(row)
        rows.append(row)
    return rows


def cart_row(train, test, target, truth, seed):
    """The yardstick: sequential CART's fit time and fidelity."""
    start = time.perf_counter()
    synthetic, _ = fit_sample_cart(train, N_SYNTHETIC, seed=seed)
    row = {"system": "CART", "fit_s": time.perf_counter() - start,
           **measure(train, test, synthetic, target, truth)}
    show_row(row)
    return row


def markdown(results):
    """One table per set: DiscreteBGAN's rows by passes, CART's last."""
    common = most_common_stamp(entry["measured"] for entry in results.values())
    elsewhere = any(entry["measured"] != common for entry in results.values())
    exception = ", except sets marked † (see below their table)" if elsewhere else ""
    parts = [f"Measured on {common}{exception}.\n"]
    for name, entry in results.items():
        columns = ["fit_s", "pairwise_tv", "detection_auc"]
        columns += [c for c in ("novelty", "heldout_ll", "truth_ll_gap", "ml_gap")
                    if c in entry["rows"][0]]
        mark = "" if entry["measured"] == common else " †"
        lines = [f"\n#### {name} by training time{mark}\n",
                 "| passes (× default) | steps | " + " | ".join(columns) + " |",
                 "|---|---|" + "---|" * len(columns)]
        for row in entry["rows"]:
            cells = [f"{row['passes']} (× {row['of_default']:.2g})", str(row["steps"])]
            cells += [cell(row, c) for c in columns]
            lines.append("| " + " | ".join(cells) + " |")
        cart = entry["cart"]
        lines.append("| CART | | " + " | ".join(cell(cart, c) for c in columns) + " |")
        if mark:
            lines.append(f"\n† Measured on {entry['measured']}.")
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


FORMATS = {"fit_s": "{:.0f}", "pairwise_tv": "{:.4f}", "detection_auc": "{:.3f}",
           "novelty": "{:.3f}", "heldout_ll": "{:.2f}", "truth_ll_gap": "{:.2f}",
           "ml_gap": "{:.3f}"}


def cell(row, column):
    return FORMATS[column].format(row[column]) if column in row else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder of the real sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", default=["connect_4", "kr_vs_kp", "adult"],
                        choices=list(SETS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fractions", nargs="+", type=float, default=list(FRACTIONS),
                        help="passes to fit, as multiples of the default's")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (2, as in CI)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    path = ROOT / "benchmarks" / "results" / "training_curve.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    now = f"{machine()}, {time.strftime('%Y-%m-%d')}"
    for name in args.sets:
        if SETS[name] is None and args.data is None:
            parser.error(f"--sets {name} needs --data (the folder of the real sets)")
        train, test, truth = load(name, args.data)
        target = TARGETS.get(name)
        results[name] = {"measured": now, "seed": args.seed,
                         "rows": curve(train, test, target, truth, args.seed, args.fractions),
                         "cart": cart_row(train, test, target, truth, args.seed)}
    path.write_text(json.dumps(results, indent=1))
    if not args.no_docs:
        write_section(markdown(results), "training-curve")


if __name__ == "__main__":
    main()
