"""Game positions that could not occur: the rules over many columns that generated rows break.

Run by hand (not in CI), in the fidelity benchmark's environment::

    python benchmarks/board_legality.py ../shared/data [--sets connect_4 tic_tac_toe] [--seeds 1]

Two UCI sets hold game positions, whose every row obeys rules that tie many
columns together:

- connect-4: legal boards after 8 moves: 4 pieces of each player (``x``
  moves first), and no piece above an empty cell of its column (cells
  ``a1`` ... ``g6``, column letter then height);
- tic-tac-toe: the end positions of games ``x`` began: as many ``x`` as
  ``o`` or one more, the game over (a line of three, or a full board), and
  ``class`` positive exactly when ``x`` has a line.

Each system of the fidelity benchmark is fitted on the same training rows
with seeds ``0 .. n-1`` (independent columns once) and generates 10,000
positions a fit (``DiscreteBGAN`` sampled plainly and with critic-guided
resampling); this counts the positions that break each rule, averaged over
the seeds. Results are merged by set into
``benchmarks/results/board_legality.json``.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from fidelity import SYSTEMS, load, show_row, stamp

from skbgan import DiscreteBGAN

ROOT = Path(__file__).resolve().parent.parent
N_SYNTHETIC = 10_000
COLUMNS, HEIGHT = "abcdefg", 6
TIC_TAC_TOE_LINES = [(0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8),
                     (0, 4, 8), (2, 4, 6)]


def connect_4_faults(frame):
    """Shares of connect-4 boards that break each rule, and how far the players' pieces are from level.

    Parameters
    ----------
    frame : DataFrame
        Connect-4 rows: cells ``a1`` ... ``g6`` holding ``"x"``, ``"o"`` or ``"b"``.

    Returns
    -------
    dict
        ``floating_piece``: a piece above an empty cell; ``not_8_pieces``;
        ``unequal_pieces``: other than as many ``x`` as ``o``; ``illegal``:
        any of these; ``mean_abs_x_minus_o``.
    """
    cells = np.stack([frame[[f"{c}{h}" for h in range(1, HEIGHT + 1)]].to_numpy(dtype=str)
                      for c in COLUMNS], axis=1)  # (boards, columns, height)
    empty = cells == "b"
    floating = (empty[:, :, :-1] & ~empty[:, :, 1:]).any(axis=(1, 2))
    x, o = (cells == "x").sum(axis=(1, 2)), (cells == "o").sum(axis=(1, 2))
    return {"floating_piece": float(floating.mean()), "not_8_pieces": float((x + o != 8).mean()),
            "unequal_pieces": float((x != o).mean()),
            "illegal": float((floating | (x != 4) | (o != 4)).mean()),
            "mean_abs_x_minus_o": float(np.abs(x - o).mean())}


def tic_tac_toe_faults(frame):
    """Shares of tic-tac-toe end positions that break each rule.

    Parameters
    ----------
    frame : DataFrame
        Tic-tac-toe rows: nine cells (row by row) holding ``"x"``, ``"o"`` or
        ``"b"``, then ``class``, ``"positive"`` or ``"negative"``.

    Returns
    -------
    dict
        ``wrong_counts``: neither as many ``x`` as ``o`` nor one more;
        ``not_over``: no line of three and an empty cell; ``wrong_class``:
        positive where ``x`` has no line, or the reverse; ``illegal``: any
        of these.
    """
    values = frame.to_numpy(dtype=str)
    cells, positive = values[:, :9], values[:, 9] == "positive"
    x, o = (cells == "x").sum(axis=1), (cells == "o").sum(axis=1)

    def has_line(player):
        return np.any([(cells[:, list(line)] == player).all(axis=1)
                       for line in TIC_TAC_TOE_LINES], axis=0)

    x_line = has_line("x")
    wrong_counts = (x - o != 0) & (x - o != 1)
    not_over = ~x_line & ~has_line("o") & (x + o < 9)
    wrong_class = positive != x_line
    return {"wrong_counts": float(wrong_counts.mean()), "not_over": float(not_over.mean()),
            "wrong_class": float(wrong_class.mean()),
            "illegal": float((wrong_counts | not_over | wrong_class).mean())}


FAULTS = {"connect_4": connect_4_faults, "tic_tac_toe": tic_tac_toe_faults}
OTHER_SYSTEMS = {
    "connect_4": ("DiscreteBGAN(autoregressive=False)", "CART", "independent"),
    "tic_tac_toe": ("DiscreteBGAN(autoregressive=True, autoregressive_units=256)",
                    "DiscreteBGAN(autoregressive=True, dependence_lr_factor=3.0)", "CART",
                    "independent"),
}
"""The fidelity benchmark's systems counted beside the defaults, by set."""

CANDIDATES = (1, 4, 16)
"""Critic-guided resampling's candidates per row, each a sample of the one ``DiscreteBGAN`` fit."""


def seed_rows(name, train, seed):
    """The rows of one seed: ``(system, fit seconds, positions)`` of every system."""
    start = time.perf_counter()
    est = DiscreteBGAN(random_state=seed).fit(train)
    fit_s = time.perf_counter() - start
    rows = []
    for k in CANDIDATES:
        system = "DiscreteBGAN" if k == 1 else f"DiscreteBGAN, sample(candidates={k})"
        rows.append((system, fit_s, est.sample(N_SYNTHETIC, random_state=seed, candidates=k)))
    for system in OTHER_SYSTEMS[name]:
        if system == "independent" and seed > 0:  # no seed: the same draw
            continue
        kwargs = {} if system == "independent" else {"seed": seed}
        start = time.perf_counter()
        synthetic, _ = SYSTEMS[system](train, N_SYNTHETIC, **kwargs)
        rows.append((system, time.perf_counter() - start, synthetic))
    return rows


def set_rows(name, folder, seeds):
    """Held-out positions' faults, then each system's averaged over ``seeds`` seeds."""
    train, test, _ = load(name, folder)
    faults = FAULTS[name]
    rows = [{"system": "held-out rows", **faults(test)}]
    by_system = {}
    for seed in range(seeds):
        for system, fit_s, synthetic in seed_rows(name, train, seed):
            by_system.setdefault(system, []).append({"fit_s": fit_s, **faults(synthetic)})
    for system, measured in by_system.items():
        rows.append({"system": system, "seeds": len(measured),
                     **{key: float(np.mean([m[key] for m in measured])) for key in measured[0]}})
    for row in rows:
        show_row(row)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder of the real sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", default=list(FAULTS), choices=list(FAULTS))
    parser.add_argument("--seeds", type=int, default=1)
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds needs at least 1")
    torch.set_num_threads(2)
    out = ROOT / "benchmarks" / "results" / "board_legality.json"
    results = json.loads(out.read_text()) if out.exists() else {"sets": {}}
    for name in args.sets:
        results["sets"][name] = {"measured": stamp(),
                                 "rows": set_rows(name, args.data, args.seeds)}
        out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
