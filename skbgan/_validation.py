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


def split(codes, fraction, cardinalities, seed, device, weights=None):
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
    weights : ndarray of shape (n_samples,), optional
        Row weights, split with the rows.

    Returns
    -------
    train : Tensor of shape (n_train, n_features)
    train_weights : Tensor of shape (n_train,), float64, or None
    validation : Validation or None
    """
    def on_device(rows):
        return None if weights is None else torch.as_tensor(
            weights[rows], dtype=torch.float64, device=device)

    if fraction is None:
        return torch.as_tensor(codes, device=device), on_device(slice(None)), None
    n_valid = int(np.ceil(fraction * len(codes)))
    if len(codes) - n_valid < 1:
        raise ValueError(
            f"validation_fraction={fraction} of {len(codes)} rows leaves none to train on; "
            "lower it or pass more rows."
        )
    order = np.random.default_rng(seed).permutation(len(codes))
    train = torch.as_tensor(codes[order[n_valid:]], device=device)
    valid = torch.as_tensor(codes[order[:n_valid]], device=device)
    validation = Validation(valid, cardinalities, seed + 2, on_device(order[:n_valid]))
    return train, on_device(order[n_valid:]), validation


def column_counts(codes, offsets, n_categories, weights=None):
    """Counts of every (column, category) pair, end to end, in one ``bincount``.

    With ``weights`` (one per row), each row counts by its weight.
    """
    if weights is not None:
        weights = weights.repeat_interleave(codes.shape[1])
    return torch.bincount((codes + offsets).reshape(-1), weights, minlength=n_categories)


class Validation:
    """Held-out rows and the fixed draws that score the generator on them.

    Parameters
    ----------
    codes : Tensor of shape (n_rows, n_features), on the device
    cardinalities : list of int
    seed : int
        Seeds the latents and the generated rows, the same at every epoch so
        that scores differ only because the generator does.
    weights : Tensor of shape (n_rows,), float64, optional
        Row weights: the scores are weighted means over the held-out rows.
    """

    def __init__(self, codes, cardinalities, seed, weights=None):
        device = codes.device
        self.codes = codes
        self.n_features = codes.shape[1]
        self.n_categories = int(sum(cardinalities))
        self.offsets = torch.as_tensor(category_offsets(cardinalities), device=device)
        self.weights = None if weights is None else weights / weights.sum()
        counts = column_counts(self.codes, self.offsets, self.n_categories, self.weights)
        self.reference = counts if weights is not None else counts / len(codes)
        self.seed = seed

    @torch.inference_mode()
    def evaluate(self, generator):
        """Scores of ``generator`` on the held-out rows.

        Returns
        -------
        scores : dict
            ``validation_log_likelihood``: mean (with row weights, weighted
            mean) Monte-Carlo log-likelihood estimate (``VALIDATION_LATENTS``
            prior latents, and ``ENCODER_DRAWS`` per row from an encoder;
            lower than ``score``'s, whose estimate uses more);
            ``validation_marginal_tv``: mean over columns of the total
            variation between the column frequencies of the held-out rows
            (weighted, with row weights) and of as many generated rows (at
            most ``VALIDATION_SAMPLES``).
        """
        device = self.codes.device
        rng = torch.Generator(device=device).manual_seed(self.seed)
        z = torch.randn(VALIDATION_LATENTS, generator.latent_dim, generator=rng, device=device)
        ll = log_likelihood(generator, self.codes, z, noise=encoder_noise(generator, rng))
        ll = ll.mean() if self.weights is None else (ll.double() * self.weights).sum()
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
