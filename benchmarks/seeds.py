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
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from fidelity import (
    N_SYNTHETIC,
    SETS,
    bgan_sampler,
    cart_sampler,
    load,
    machine,
    most_common_stamp,
    show_row,
    write_section,
)

from skbgan.metrics import fidelity_report

ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = {"DiscreteBGAN": bgan_sampler, "CART": cart_sampler}
METRICS = ["pairwise_tv", "detection_auc"]
DEFAULT_SETS = ["adult", "mushroom", "nursery", "kr_vs_kp", "splice", "connect_4", "digits",
                "binary_digits"]


def measure(system, train, test, seed, draws):
    """One fit of ``system`` with ``seed``: fit time and each metric's mean over ``draws`` draws."""
    start = time.perf_counter()
    draw_rows = SYSTEMS[system](train, seed=seed)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder of the real sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", default=DEFAULT_SETS, choices=list(SETS))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--draws", type=int, default=1,
                        help="draws of every fit whose metrics are averaged (default 1)")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.seeds < 2:
        parser.error("--seeds needs at least 2 (a spread of one seed is not defined)")
    if args.draws < 1:
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
    now = f"{machine()}, {time.strftime('%Y-%m-%d')}"
    results |= {"seeds": args.seeds, "measured": measured}
    for name in args.sets:
        train, test, _ = load(name, args.data)
        results["sets"][name] = [measure(system, train, test, seed, args.draws)
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
