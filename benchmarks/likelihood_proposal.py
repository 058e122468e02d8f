"""Ablation: latents of the likelihood term from the prior, a learned encoder, or both.

``DiscreteBGAN``'s likelihood term estimates ``log q(x) = log E_z g(x | z)``. This script
fits ``DiscreteBGAN()`` with its defaults and each ``likelihood_proposal``:

- ``prior``: ``log mean_k g(x | z_k)`` over 512 latents from the prior (the default for
  tables);
- ``encoder``: the importance-weighted estimate with 8 draws per row from the encoder
  ``r(z | x)`` (IWAE; the default for images);
- ``mixture``: the encoder model trained instead on the balance-heuristic estimate over the
  512 prior latents and the 8 encoder draws together, the estimator of ``score_samples``
  (patched into the training loop for this script only),

and prints the fidelity benchmark's measures for each, with ``score_samples`` as the
held-out log-likelihood. Run by hand, like ``fidelity.py``::

    python benchmarks/likelihood_proposal.py --data ../shared/data \\
        --sets latent_class connect_4 mushroom adult kr_vs_kp

Results are merged into ``benchmarks/results/likelihood_proposal.json`` (a set and
proposal run again replaces its earlier row) and written between markers in
``docs/benchmarks.md``.
"""

import argparse
import json
import time
from pathlib import Path

import torch
from fidelity import (
    SETS,
    evaluate,
    fit_sample_bgan,
    load,
    machine,
    markdown,
    write_section,
)

import skbgan._training
from skbgan._likelihood import log_likelihood

ROOT = Path(__file__).resolve().parent.parent
PROPOSALS = ["prior", "encoder", "mixture"]


def mixture_loss(generator, real, n_latents, rng):
    """Negative balance-heuristic estimate over ``n_latents`` prior latents and the encoder's draws."""
    n_draws = max(1, n_latents // len(real))
    z = torch.randn(n_latents, generator.latent_dim, generator=rng, device=real.device)
    noise = torch.randn(n_draws, len(real), generator.latent_dim, generator=rng,
                        device=real.device)
    return -log_likelihood(generator, real, z, noise=noise).mean()


def fit_sample(proposal):
    """The fidelity benchmark's ``DiscreteBGAN`` system with one proposal."""
    if proposal != "mixture":
        return lambda train, n: fit_sample_bgan(train, n, likelihood_proposal=proposal)

    def run(train, n):
        default = skbgan._training.likelihood_loss
        skbgan._training.likelihood_loss = mixture_loss
        try:
            return fit_sample_bgan(train, n, likelihood_proposal="encoder")
        finally:
            skbgan._training.likelihood_loss = default
    return run


def write_docs(results):
    """Rewrite the tables between the proposal markers of ``docs/benchmarks.md``."""
    parts = [f"Measured on {results['machine']}, {results['date']}.\n"]
    for set_name, rows in results["tables"].items():
        parts.append(f"\n#### {set_name}\n\n" + markdown(list(rows.values())))
    write_section("".join(parts), "proposal-results")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder of the real sets (../shared/data)")
    parser.add_argument("--sets", nargs="+", default=["latent_class"], choices=list(SETS))
    parser.add_argument("--proposals", nargs="+", default=PROPOSALS, choices=PROPOSALS)
    args = parser.parse_args()
    torch.set_num_threads(2)
    out = ROOT / "benchmarks" / "results" / "likelihood_proposal.json"
    tables = json.loads(out.read_text())["tables"] if out.exists() else {}
    for set_name in args.sets:
        train, test, truth = load(set_name, args.data)
        rows = tables.setdefault(set_name, {})
        for proposal in args.proposals:
            rows[proposal] = evaluate(proposal, fit_sample(proposal), train, test, truth)
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "tables": tables}
    out.write_text(json.dumps(results, indent=1))
    write_docs(results)


if __name__ == "__main__":
    main()
