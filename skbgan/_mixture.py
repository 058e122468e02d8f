"""The discrete part of the generator's latent: one of ``K`` learned shifts of the Gaussian.

Many tables are mixtures of sharply different groups (a latent-class model's
classes, mushroom species). A generator fed one Gaussian must bend a connected
space into separate groups, and the latents on the seams decode to blends of
two groups: rows that belong to neither. Here the latent is ``z + m_c``: a
standard normal ``z`` shifted by the mean ``m_c`` of a component ``c`` drawn
with learned probabilities ``pi``, so groups can sit apart.

Sampling, scoring and conditioning keep drawing standard normal latents: the
component is read off the first coordinate (``c`` is the bucket of
``u = Phi(z_0)`` among the cumulative ``pi``) and that coordinate is redrawn
from ``u``'s position inside its bucket, so ``(c, z)`` has exactly the
distribution ``pi x N(0, I)``. The likelihood term of training draws ``c``
uniformly instead and weighs each latent by ``K pi_c``, an unbiased estimate
that passes gradients to ``pi``.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

EDGE = 1e-6
"""Clamp of the redrawn coordinate's uniform, away from 0 and 1 (float32 quantiles)."""


class LatentMixture(nn.Module):
    """Component means and log-weights, and the map from a latent to its component.

    Parameters
    ----------
    n_components : int
    latent_dim : int
    """

    def __init__(self, n_components, latent_dim):
        super().__init__()
        self.means = nn.Parameter(torch.randn(n_components, latent_dim))
        self.logits = nn.Parameter(torch.zeros(n_components))

    @property
    def n_components(self):
        return len(self.logits)

    def split(self, z):
        """Each latent's component and its latent with the first coordinate redrawn.

        Parameters
        ----------
        z : Tensor of shape (n, latent_dim)
            Standard normal draws.

        Returns
        -------
        components : Tensor of shape (n,), int64
        z : Tensor of shape (n, latent_dim)
        """
        weights = torch.softmax(self.logits.detach().double(), 0)
        upper = torch.cumsum(weights, 0)
        u = torch.special.ndtr(z[:, 0].double())
        components = torch.searchsorted(upper[:-1].contiguous(), u.contiguous(), right=True)
        lower = upper[components] - weights[components]
        inside = ((u - lower) / weights[components]).clamp(EDGE, 1 - EDGE)
        first = torch.special.ndtri(inside).to(z.dtype)
        return components, torch.cat([first[:, None], z[:, 1:]], dim=1)

    def shift(self, z, components=None):
        """Latents ``z + m_c``; ``c`` read off ``z`` (see :meth:`split`) when not given."""
        if components is None:
            components, z = self.split(z)
        # an embedding lookup, not indexing: on CPU, indexing's backward accumulates with
        # several threads in a varying order, and fits with one seed would differ
        return z + F.embedding(components, self.means).to(z.dtype)

    def log_weights(self, components):
        """``log(K pi_c)`` of uniformly drawn components: their importance weights."""
        log_pi = torch.log_softmax(self.logits.float(), 0)[:, None]
        return F.embedding(components, log_pi)[:, 0] + math.log(self.n_components)
