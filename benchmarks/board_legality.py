"""Connect-4 boards that could not occur: where the detection AUC against CART comes from.

Run by hand (not in CI), in the fidelity benchmark's environment::

    python benchmarks/board_legality.py ../shared/data

Every row of UCI connect-4 is a legal board after 8 moves: 4 pieces of each
player (``x`` moves first), and no piece above an empty cell of its column
(cells ``a1`` ... ``g6``, column letter then height). Each system of the
fidelity benchmark is fitted on the same 10,000 training rows and generates
10,000 boards (``DiscreteBGAN`` once, sampled plainly and with critic-guided
resampling); this counts the boards that break each rule. Results go to
``benchmarks/results/board_legality.json``.
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from fidelity import SYSTEMS, load, machine, show_row

from skbgan import DiscreteBGAN

ROOT = Path(__file__).resolve().parent.parent
N_SYNTHETIC = 10_000
COLUMNS, HEIGHT = "abcdefg", 6


def board_faults(frame):
    """Shares of boards that break each rule, and how far the players' pieces are from level.

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


CANDIDATES = (1, 4, 16)
"""Critic-guided resampling's candidates per row, each a sample of the one ``DiscreteBGAN`` fit."""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="folder of the real sets (../shared/data)")
    args = parser.parse_args()
    torch.set_num_threads(2)
    train, test, _ = load("connect_4", args.data)
    rows = [{"system": "held-out rows", **board_faults(test)}]
    start = time.perf_counter()
    est = DiscreteBGAN(random_state=0).fit(train)
    fit_s = time.perf_counter() - start
    for k in CANDIDATES:
        synthetic = est.sample(N_SYNTHETIC, random_state=0, candidates=k)
        name = "DiscreteBGAN" if k == 1 else f"DiscreteBGAN, sample(candidates={k})"
        rows.append({"system": name, "fit_s": fit_s, **board_faults(synthetic)})
    for name in ("DiscreteBGAN(autoregressive=False)", "CART", "independent"):
        start = time.perf_counter()
        synthetic, _ = SYSTEMS[name](train, N_SYNTHETIC)
        rows.append({"system": name, "fit_s": time.perf_counter() - start,
                     **board_faults(synthetic)})
    for row in rows:
        show_row(row)
    out = ROOT / "benchmarks" / "results" / "board_legality.json"
    out.write_text(json.dumps({"machine": machine(), "date": time.strftime("%Y-%m-%d"),
                               "connect_4": rows}, indent=1))


if __name__ == "__main__":
    main()
