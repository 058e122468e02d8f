"""Cheap fidelity measures of the generator on held-out rows, for ``history_`` and early stopping."""

import numpy as np
import torch

from ._encoding import category_offsets
from ._likelihood import encoder_noise, log_likelihood
from ._networks import sample_chunk_rows

VALIDATION_LATENTS = 256
"""Prior latents of the validation log-likelihood estimate (fixed for the whole fit)."""
VALIDATION_SAMPLES = 10_000
"""Most rows generated per epoch to compare column frequencies with."""


def split(codes, fraction, cardinalities, seed, device):
    """Training codes on ``device``, and a :class:`Validation` of ``fraction`` of the rows.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, n_features)
    fraction : float or None
        Share of rows held out; None holds out none (and gives no ``Validation``).
    cardinalities : list of int
    seed : int
        Seeds the split and the validation draws.
    device : torch.device

    Returns
    -------
    train : Tensor of shape (n_train, n_features)
    validation : Validation or None
    """
    if fraction is None:
        return torch.as_tensor(codes, device=device), None
    n_valid = int(np.ceil(fraction * len(codes)))
    if len(codes) - n_valid < 1:
        raise ValueError(
            f"validation_fraction={fraction} of {len(codes)} rows leaves none to train on; "
            "lower it or pass more rows."
        )
    order = np.random.default_rng(seed).permutation(len(codes))
    train = torch.as_tensor(codes[order[n_valid:]], device=device)
    valid = torch.as_tensor(codes[order[:n_valid]], device=device)
    return train, Validation(valid, cardinalities, seed + 2)


def column_counts(codes, offsets, n_categories):
    """Counts of every (column, category) pair, end to end, in one ``bincount``."""
    return torch.bincount((codes + offsets).reshape(-1), minlength=n_categories)


class Validation:
    """Held-out rows and the fixed draws that score the generator on them.

    Parameters
    ----------
    codes : Tensor of shape (n_rows, n_features), on the device
    cardinalities : list of int
    seed : int
        Seeds the latents and the generated rows, the same at every epoch so
        that scores differ only because the generator does.
    """

    def __init__(self, codes, cardinalities, seed):
        device = codes.device
        self.codes = codes
        self.n_features = codes.shape[1]
        self.n_categories = int(sum(cardinalities))
        self.offsets = torch.as_tensor(category_offsets(cardinalities), device=device)
        self.reference = column_counts(self.codes, self.offsets, self.n_categories) / len(codes)
        self.seed = seed

    @torch.inference_mode()
    def evaluate(self, generator):
        """Scores of ``generator`` on the held-out rows.

        Returns
        -------
        scores : dict
            ``validation_log_likelihood``: mean Monte-Carlo log-likelihood
            estimate (``VALIDATION_LATENTS`` prior latents, and
            ``ENCODER_DRAWS`` per row from an encoder; lower than ``score``'s,
            whose estimate uses more); ``validation_marginal_tv``:
            mean over columns of the total variation between the column
            frequencies of the held-out rows and of as many generated rows
            (at most ``VALIDATION_SAMPLES``).
        """
        device = self.codes.device
        rng = torch.Generator(device=device).manual_seed(self.seed)
        z = torch.randn(VALIDATION_LATENTS, generator.latent_dim, generator=rng, device=device)
        ll = log_likelihood(generator, self.codes, z, noise=encoder_noise(generator, rng)).mean()
        n = min(len(self.codes), VALIDATION_SAMPLES)
        chunk = sample_chunk_rows(generator.head.n_outputs, device)
        counts = torch.zeros(self.n_categories, device=device)
        for start in range(0, n, chunk):
            z = torch.randn(min(chunk, n - start), generator.latent_dim, generator=rng,
                            device=device)
            counts += column_counts(generator.draw(z, rng), self.offsets, self.n_categories)
        frequencies = counts / n
        tv = 0.5 * (frequencies - self.reference).abs().sum() / self.n_features
        return {"validation_log_likelihood": ll.item(), "validation_marginal_tv": tv.item()}


def epochs_without_improvement(scores, tol):
    """Epochs since ``scores`` last rose by more than ``tol`` above its best so far."""
    best, count = -float("inf"), 0
    for score in scores:
        if score > best + tol:
            best, count = score, 0
        else:
            count += 1
    return count
