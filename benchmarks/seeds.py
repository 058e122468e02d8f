"""Seed spread: DiscreteBGAN and sequential CART fitted with several seeds on the same sets.

Run by hand (not in CI), in the fidelity benchmark's environment::

    python benchmarks/seeds.py --data ../shared/data [--seeds 3] [--draws 3] [--sets adult ...]

One seed's difference between two systems can be chance: each system is fitted
and sampled with seeds ``0 .. n-1`` (the evaluation's own classifier and split
stay fixed), and the table gives each metric's mean and standard deviation over
the seeds, and the mean difference (DiscreteBGAN minus CART) with its standard
error. On a small held-out set one draw's detection AUC moves by a few
hundredths (kr-vs-kp: 0.03): ``--draws k`` scores ``k`` draws of every fit
and takes their mean as the seed's value (draw 0 is the single-draw run's).
Results are merged into ``benchmarks/results/seeds.json`` (the sets run replace
their earlier rows) and the table between the ``seed-spread`` markers in
``docs/benchmarks.md`` is rewritten; a set of several draws is marked there.

A setting of DiscreteBGAN is measured the same way against those rows::

    python benchmarks/seeds.py --data ../shared/data --sets kr_vs_kp \
        --variant '{"candidates": 4}'            # or '{"generator_layers": [256, 256]}'

``--variant`` takes DiscreteBGAN's keyword arguments as JSON (``candidates``:
:meth:`~skbgan.DiscreteBGAN.sample`'s), fits only that setting, with the seeds
and draws of the set's rows in ``seeds.json`` (run the set without it first),
merges its rows into ``benchmarks/results/seed_variants.json`` and rewrites
the table between the ``seed-variants`` markers in ``docs/experiments.md``:
each setting's mean against the defaults' and CART's, with the differences'
standard errors.
"""

import argparse
import json
import time
from functools import partial
from pathlib import Path

import numpy as np
import torch
from fidelity import (
    N_SYNTHETIC,
    SETS,
    bgan_sampler,
    cart_sampler,
    load,
    most_common_stamp,
    show_row,
    stamp,
    write_section,
)

from skbgan.metrics import fidelity_report

ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = {"DiscreteBGAN": bgan_sampler, "CART": cart_sampler}
METRICS = ["pairwise_tv", "detection_auc"]
DEFAULT_SETS = ["adult", "mushroom", "nursery", "kr_vs_kp", "splice", "connect_4", "digits",
                "binary_digits"]


def measure(system, train, test, seed, draws, sampler=None):
    """One fit of ``system`` with ``seed``: fit time and each metric's mean over ``draws`` draws.

    ``sampler`` fits it (default: ``SYSTEMS[system]``).
    """
    sampler = SYSTEMS[system] if sampler is None else sampler
    start = time.perf_counter()
    draw_rows = sampler(train, seed=seed)
    fit_s = time.perf_counter() - start
    reports = [fidelity_report(test, draw_rows(N_SYNTHETIC, draw), train=train)
               for draw in range(draws)]
    row = {"system": system, "seed": seed, "draws": draws, "fit_s": fit_s,
           **{key: float(np.mean([r[key] for r in reports])) for key in reports[0]}}
    show_row(row)
    return row


def spread(rows):
    """Per system and metric, the values over the seeds."""
    return {system: {m: [row[m] for row in rows if row["system"] == system] for m in METRICS}
            for system in SYSTEMS}


def compared(metric, values):
    """``values`` as systems are compared: a detection AUC below 0.5 counts as 0.5.

    An AUC under 0.5 comes from rows shared once by both sets (generated rows
    that are exactly held-out rows: see ``skbgan.metrics.detection_auc``), so
    it means indistinguishable, not better than indistinguishable.
    """
    values = np.asarray(values, dtype=float)
    return np.maximum(values, 0.5) if metric == "detection_auc" else values


def difference(ours, cart, metric):
    """Mean of ``ours`` minus mean of ``cart`` (values over seeds, as :func:`compared`),
    and its standard error."""
    ours, cart = compared(metric, ours), compared(metric, cart)
    return (ours.mean() - cart.mean(),
            np.sqrt(ours.var(ddof=1) / len(ours) + cart.var(ddof=1) / len(cart)))


def paired_difference(ours, base, metric):
    """Mean of ``ours`` minus ``base`` seed by seed (as :func:`compared`), and its standard
    error."""
    differences = compared(metric, ours) - compared(metric, base)
    return differences.mean(), differences.std(ddof=1) / np.sqrt(len(differences))


def markdown(results):
    """The table; sets measured elsewhere than most are marked and footnoted."""
    common = most_common_stamp(results["measured"].values())
    elsewhere = sorted({stamp for stamp in results["measured"].values() if stamp != common})
    except_marked = ", except sets marked † (see below the table)" if elsewhere else ""
    caption = (f"Measured on {common}{except_marked}, "
               f"seeds 0 to {results['seeds'] - 1}: mean ± standard deviation over the seeds; "
               "the difference is DiscreteBGAN's mean minus CART's, ± its standard error "
               "(lower is better for both metrics), with an AUC below 0.5 counted as 0.5 "
               "(indistinguishable).\n")
    lines = [caption,
             "| set | metric | DiscreteBGAN | CART | difference |",
             "|---|---|---|---|---|"]
    for name, rows in results["sets"].items():
        values = spread(rows)
        stamp = results["measured"][name]
        mark = "" if stamp == common else " " + "†" * (elsewhere.index(stamp) + 1)
        draws = rows[0].get("draws", 1)
        mark += f" ({draws} draws)" if draws > 1 else ""
        for metric in METRICS:
            ours, cart = (np.array(values[s][metric]) for s in SYSTEMS)
            mean, error = difference(ours, cart, metric)
            lines.append(f"| {name}{mark} | {metric} | {ours.mean():.4f} ± {ours.std(ddof=1):.4f} | "
                         f"{cart.mean():.4f} ± {cart.std(ddof=1):.4f} | "
                         f"{mean:+.4f} ± {error:.4f} |")
    notes = [f"\n{'†' * (i + 1)} Measured on {stamp}." for i, stamp in enumerate(elsewhere)]
    return "\n".join(lines + notes) + "\n"


def variant_params(text):
    """DiscreteBGAN's keyword arguments from ``--variant``'s JSON; lists become tuples."""
    params = json.loads(text)
    if not isinstance(params, dict):
        raise ValueError(f"a JSON object of keyword arguments is needed, not {text!r}")
    return {key: tuple(value) if isinstance(value, list) else value
            for key, value in params.items()}


def variant_label(params, candidates=1):
    """A setting's name as ``fidelity.py`` names its systems, e.g. ``DiscreteBGAN(epochs=40)``."""
    settings = ", ".join(f"{key}={value!r}" for key, value in sorted(params.items()))
    label = f"DiscreteBGAN({settings})" if settings else "DiscreteBGAN"
    return label + (f", sample(candidates={candidates})" if candidates != 1 else "")


def variants_markdown(variants, results):
    """Each setting's means over the seeds and their differences from the defaults' and CART's."""
    lines = ["| set | setting | fit_s (defaults) | pairwise_tv | − defaults | − CART | "
             "detection_auc | − defaults | − CART |",
             "|---|---|---|---|---|---|---|---|---|"]
    stamps = []
    for name, settings in variants["sets"].items():
        base = spread(results["sets"][name])
        base_fit = np.mean([row["fit_s"] for row in results["sets"][name]
                            if row["system"] == "DiscreteBGAN"])
        for label, rows in settings.items():
            stamp = variants["measured"][name][label]
            if stamp not in stamps:
                stamps.append(stamp)
            fit = np.mean([row["fit_s"] for row in rows])
            draws = rows[0]["draws"]
            cells = [f"{name} ({draws} draw{'s' * (draws > 1)}) {'†' * (stamps.index(stamp) + 1)}",
                     f"`{label}`", f"{fit:.0f} ({base_fit:.0f})"]
            for metric in METRICS:
                ours = [row[metric] for row in rows]
                cells.append(f"{compared(metric, ours).mean():.4f}")
                for against, compare in (("DiscreteBGAN", paired_difference),
                                         ("CART", difference)):
                    cells.append("{:+.4f} ± {:.4f}".format(
                        *compare(ours, base[against][metric], metric)))
            lines.append("| " + " | ".join(cells) + " |")
    notes = [f"\n{'†' * (i + 1)} Measured on {stamp}." for i, stamp in enumerate(stamps)]
    caption = ("Means over the seeds (AUCs below 0.5 counted as 0.5) and the differences "
               "from the defaults and CART of the seed-spread table in Benchmarks, ± their "
               "standard errors (lower is better): from the defaults seed by seed, as both "
               "start from the same seeds; from CART's mean. Fit times with the defaults' "
               "of that table, which may come from another day or machine.\n")
    return caption + "\n" + "\n".join(lines + notes) + "\n"


def run_variant(args, parser, results, now):
    """Fit ``--variant`` on ``--sets`` with the seeds and draws of their rows in ``results``."""
    try:
        params = variant_params(args.variant)
    except ValueError as error:  # json.JSONDecodeError included
        parser.error(f"--variant: {error}")
    candidates = params.pop("candidates", 1)
    label = variant_label(params, candidates)
    out = ROOT / "benchmarks" / "results" / "seed_variants.json"
    variants = json.loads(out.read_text()) if out.exists() else {"sets": {}, "measured": {}}
    for name in args.sets:
        if name not in results["sets"]:
            parser.error(f"seeds.json has no rows of {name}: run seeds.py --sets {name} first")
        draws = results["sets"][name][0].get("draws", 1)
        if args.draws not in (None, draws):
            parser.error(f"seeds.json's rows of {name} have {draws} draws a fit; "
                         f"a setting is compared with the same draws")
        train, test, _ = load(name, args.data)
        sampler = partial(bgan_sampler, candidates=candidates, **params)
        variants["sets"].setdefault(name, {})[label] = [
            measure(label, train, test, seed, draws, sampler) for seed in range(results["seeds"])]
        variants["measured"].setdefault(name, {})[label] = now
        out.write_text(json.dumps(variants, indent=1))
    text = variants_markdown(variants, results)
    print(text)
    if not args.no_docs:
        write_section(text, "seed-variants", ROOT / "docs" / "experiments.md")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder of the real sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", default=DEFAULT_SETS, choices=list(SETS))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--draws", type=int,
                        help="draws of every fit whose metrics are averaged (default 1; "
                             "with --variant, the set's in seeds.json)")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--variant", metavar="JSON",
                        help="DiscreteBGAN's keyword arguments (and sample's candidates) to "
                             "measure against the sets' rows in seeds.json")
    args = parser.parse_args()
    if args.seeds < 2:
        parser.error("--seeds needs at least 2 (a spread of one seed is not defined)")
    if args.draws is not None and args.draws < 1:
        parser.error("--draws needs at least 1")
    torch.set_num_threads(args.threads)
    out = ROOT / "benchmarks" / "results" / "seeds.json"
    results = json.loads(out.read_text()) if out.exists() else {"sets": {}}
    if results["sets"] and results["seeds"] != args.seeds:
        parser.error(f"{out} holds {results['seeds']} seeds per set; run with --seeds "
                     f"{results['seeds']}, or move it away to start anew")
    measured = results.get("measured") or {  # files before per-set stamps
        name: f"{results['machine']}, {results['date']}" for name in results["sets"]}
    for key in ("machine", "date"):  # superseded by the per-set stamps
        results.pop(key, None)
    now = stamp()
    results |= {"seeds": args.seeds, "measured": measured}
    if args.variant is not None:
        run_variant(args, parser, results, now)
        return
    for name in args.sets:
        train, test, _ = load(name, args.data)
        results["sets"][name] = [measure(system, train, test, seed, args.draws or 1)
                                 for seed in range(args.seeds) for system in SYSTEMS]
        measured[name] = now
        out.write_text(json.dumps(results, indent=1))  # each set as it finishes
    text = markdown(results)
    print(text)
    if not args.no_docs:
        write_section(text, "seed-spread")
        from summary import write_summary  # summary reads this module's differences

        write_summary()


if __name__ == "__main__":
    main()
