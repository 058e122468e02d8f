"""The fidelity benchmark in one table: DiscreteBGAN's defaults against the best peer on each set.

Run by hand after ``fidelity.py`` or ``seeds.py`` (both call it when they rewrite the docs)::

    python benchmarks/summary.py

Reads ``benchmarks/results/fidelity.json`` (one seed per system) and
``benchmarks/results/seeds.json`` (DiscreteBGAN and CART over several seeds) and
rewrites the tables between the ``fidelity-summary`` markers (the sets whose results chose
the defaults) and the ``unseen-summary`` markers (the real sets measured only after that,
:data:`fidelity.UNSEEN_SETS`) in ``docs/benchmarks.md``.
"""

import json
from pathlib import Path

from fidelity import SETS, UNSEEN_SETS, write_section
from seeds import METRICS, compared, difference, spread

ROOT = Path(__file__).resolve().parent.parent
PEERS = ["TabularARGN", "CART", "CTGAN", "TVAE"]
"""The synthesizers a user would pick instead (not the baselines of the tables)."""


def verdict(values, metric):
    """``DiscreteBGAN`` minus CART over seeds, ± its standard error, and who wins (2 errors).

    ``values`` are a set's values per system and metric (:func:`seeds.spread`).
    """
    mean, error = difference(values["DiscreteBGAN"][metric], values["CART"][metric], metric)
    who = "ours" if mean < -2 * error else "CART's" if mean > 2 * error else "tie"
    return f"{mean:+.4f} ± {error:.4f}, {who}"


def markdown(tables, seeds, names):
    """One line per set of ``names`` whose fidelity table has the defaults' row and a peer's."""
    lines = ["| set | DiscreteBGAN: pairwise TV, AUC (fit) | best peer's pairwise TV | "
             "best peer's AUC | fastest peer | against CART over seeds: pairwise TV; AUC |",
             "|---|---|---|---|---|---|"]
    for title, rows in tables.items():
        name = title.split(":")[0]
        by_system = {row["system"]: row for row in rows}
        peers = [by_system[p] for p in PEERS if p in by_system]
        if name not in names or "DiscreteBGAN" not in by_system or not peers:
            continue
        ours = by_system["DiscreteBGAN"]
        tv, auc, fast = (min(peers, key=lambda row, m=m: compared(m, row[m]))
                         for m in ("pairwise_tv", "detection_auc", "fit_s"))
        against_cart = ""
        if name in seeds.get("sets", {}):
            values = spread(seeds["sets"][name])
            against_cart = "; ".join(verdict(values, m) for m in METRICS)
        lines.append(
            f"| {name} | {ours['pairwise_tv']:.4f}, {ours['detection_auc']:.3f} "
            f"({ours['fit_s']:.0f} s) | {tv['system']} {tv['pairwise_tv']:.4f} | "
            f"{auc['system']} {auc['detection_auc']:.3f} | {fast['system']} {fast['fit_s']:.0f} s "
            f"| {against_cart} |")
    return "\n".join(lines) + "\n"


def write_summary():
    """Rewrite the summary tables of ``docs/benchmarks.md`` from the results files."""
    results = ROOT / "benchmarks" / "results"
    tables = json.loads((results / "fidelity.json").read_text())["tables"]
    seeds_file = results / "seeds.json"
    seeds = json.loads(seeds_file.read_text()) if seeds_file.exists() else {}
    chosen_on = markdown(tables, seeds, set(SETS) - set(UNSEEN_SETS))
    unseen = markdown(tables, seeds, set(UNSEEN_SETS))
    write_section(chosen_on, "fidelity-summary")
    write_section(unseen, "unseen-summary")
    return chosen_on + "\n" + unseen


if __name__ == "__main__":
    print(write_summary())
