"""A learned proposal ``r(z | x)`` for the generator's latents: the likelihood's encoder.

With latents drawn from the prior, the Monte-Carlo likelihood ``log mean_k g(x | z_k)``
is loose wherever ``g(x | z)`` is sharp (a binarised digit: almost every prior latent
gives it probability ~0), and training on it keeps the generator blurry. The encoder
proposes latents near those that explain ``x``, and the importance weights
``h(z) / r(z | x)`` keep every estimate unbiased for ``q(x)`` (Burda et al., 2016).
"""

import math

import numpy as np
import torch
from torch import nn

from ._embedding_sum import embedding_sum
from ._encoding import category_offsets

ENCODER_WIDTH = 256
"""Embedding width and hidden width of the encoder."""


class Encoder(nn.Module):
    """Rows of codes to a diagonal Gaussian over the latent.

    An embedding-sum over all columns (a linear map of the one-hot row, as in
    the critic), then a hidden layer, to the mean and log standard deviation.

    Parameters
    ----------
    cardinalities : sequence of int
    latent_dim : int
    """

    def __init__(self, cardinalities, latent_dim):
        super().__init__()
        offsets = torch.as_tensor(category_offsets(cardinalities))
        self.register_buffer("offsets", offsets, persistent=False)
        self.embedding = nn.EmbeddingBag(int(np.sum(cardinalities)), ENCODER_WIDTH, mode="sum")
        self.body = nn.Sequential(
            nn.ReLU(), nn.Linear(ENCODER_WIDTH, ENCODER_WIDTH), nn.ReLU(),
            nn.Linear(ENCODER_WIDTH, 2 * latent_dim),
        )

    def forward(self, codes):
        """``(rows, n_features)`` int64 codes to the proposal's mean and log std, ``(rows, latent_dim)`` each."""
        rows = embedding_sum(codes + self.offsets, self.embedding.weight)
        mean, log_std = self.body(rows).chunk(2, dim=-1)
        return mean, log_std.clamp(-6.0, 2.0)


def log_prior(z):
    """``log h(z)`` of the standard normal prior, up to the constant it shares with :func:`log_proposal`."""
    return -0.5 * (z**2).sum(-1)


def log_proposal(z, mean, log_std):
    """``log r(z | x)`` of every latent under every row's proposal, same constant as :func:`log_prior`.

    Parameters
    ----------
    z : Tensor of shape (n_latents, latent_dim)
    mean, log_std : Tensor of shape (rows, latent_dim)

    Returns
    -------
    Tensor of shape (rows, n_latents)
    """
    inv_var = torch.exp(-2.0 * log_std)
    squared = inv_var @ (z**2).T - 2.0 * (mean * inv_var) @ z.T + (mean**2 * inv_var).sum(
        -1, keepdim=True)
    return -0.5 * squared - log_std.sum(-1, keepdim=True)


def draw(mean, log_std, noise):
    """Latents ``mean + std * noise`` of each row: ``(n_draws, rows, latent_dim)``, and their ``log r``.

    ``noise`` is ``(n_draws, latent_dim)`` shared by the rows (a row's estimate
    then does not depend on the other rows) or ``(n_draws, rows, latent_dim)``.
    """
    noise = noise[:, None, :] if noise.dim() == 2 else noise
    z = mean + log_std.exp() * noise
    return z, -0.5 * (noise**2).sum(-1) - log_std.sum(-1)


def balance_weights(log_h, log_r, n_prior, n_draws):
    """``log h(z) - log[(n_prior h(z) + n_draws r(z|x)) / n]``: the mixture's importance weight, minus ``log n``.

    The balance heuristic of multiple importance sampling: with ``n_prior``
    latents from the prior and ``n_draws`` from the encoder, summing
    ``exp(weight + log g(x|z))`` over all ``n`` latents estimates ``q(x)``
    without bias, and never much worse than the better of the two alone.
    """
    return log_h - torch.logaddexp(math.log(n_prior) + log_h, math.log(n_draws) + log_r)
