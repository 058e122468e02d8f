"""Monte-Carlo log-likelihood of rows under the generator's latent mixture."""

import math

import torch

from ._encoder import balance_weights, draw, log_prior, log_proposal

_CHUNK_ELEMENTS = 2**23
"""Elements of the largest temporary per chunk: bounds the memory whatever the number of rows."""
_CHUNK_DRAWS = 1024
"""Most encoder latents decoded at once (a conv generator's feature maps are large)."""
ENCODER_DRAWS = 64
"""Encoder latents per row of the ``score_samples`` and validation estimates."""
NEGLIGIBLE_LOG_WEIGHT = 40.0
"""Terms this far below a training log-sum-exp's largest are dropped (see :func:`trimmed_logsumexp`)."""


def trimmed_logsumexp(terms, dim):
    """``logsumexp(terms, dim)`` less the terms ``NEGLIGIBLE_LOG_WEIGHT`` or more below the largest.

    The training losses' estimate: it moves by less than ``n exp(-40)``
    relative, and the dropped terms' gradients are exactly zero rather than
    float32 subnormals, which slow every CPU operation of the backward pass
    that reads them (half of an epoch on binarised digits).
    """
    largest = terms.detach().amax(dim=dim, keepdim=True)
    return torch.logsumexp(terms.masked_fill(terms < largest - NEGLIGIBLE_LOG_WEIGHT,
                                             -math.inf), dim=dim)


def log_likelihood(generator, codes, z, included=None, noise=None):
    """Estimate ``log q(x_i)`` of each row ``x_i``, in chunks of rows.

    From the prior latents ``z`` alone: ``log mean_k g(x_i | z_k)``. With an
    encoder (``generator.encoder``) and its ``noise``, the prior latents and
    ``len(noise)`` encoder latents per row are weighted by the balance
    heuristic (:func:`~skbgan._encoder.balance_weights`). Either way the
    estimate of ``q(x_i)`` inside the log is unbiased.

    Parameters
    ----------
    generator : Generator
    codes : Tensor of shape (n_rows, n_features), any integer dtype, on the generator's device
        Kept compact; each chunk is converted to int64 as it is scored.
    z : Tensor of shape (n_latents, latent_dim)
        Latents drawn from the prior.
    included : Tensor of shape (n_rows, n_features), bool, optional
        Entries that count; the others contribute zero. All by default.
    noise : Tensor of shape (n_draws, latent_dim) or (n_draws, n_rows, latent_dim), optional
        Standard normal draws that the encoder turns into each row's latents,
        shared by the rows or each row's own; ignored by a generator without
        encoder.

    Returns
    -------
    log_likelihood : Tensor of shape (n_rows,)
    """
    log_probs = generator(z)
    proposal = noise is not None and generator.encoder is not None
    per_row = len(z) + (len(noise) * generator.head.n_outputs if proposal else 0)
    chunk = max(1, _CHUNK_ELEMENTS // per_row)  # bounds the (rows, latents) log-probabilities
    if proposal:
        chunk = max(1, min(chunk, _CHUNK_DRAWS // len(noise)))
    out = torch.empty(len(codes), device=codes.device)
    for start in range(0, len(codes), chunk):
        rows = slice(start, start + chunk)
        mask = None if included is None else included[rows]
        cross = generator.head.cross_log_prob(log_probs, codes[rows].long(), mask)
        if proposal:
            own = noise if noise.dim() == 2 else noise[:, rows]
            out[rows] = _mixture(generator, codes[rows].long(), z, cross, own, mask)
        else:
            out[rows] = torch.logsumexp(cross, dim=1) - math.log(len(z))
    return out


def encoder_noise(generator, rng):
    """``ENCODER_DRAWS`` standard normal draws for the encoder's latents, or None without encoder."""
    if generator.encoder is None:
        return None
    device = next(generator.parameters()).device
    return torch.randn(ENCODER_DRAWS, generator.latent_dim, generator=rng, device=device)


def _mixture(generator, codes, z, cross, noise, included):
    """The balance-heuristic estimate for one chunk of rows, given their prior ``cross`` terms."""
    mean, log_std = generator.encoder(codes)
    draws, log_r = draw(mean, log_std, noise)
    log_g = _decoded_log_prob(generator, codes, draws, included)
    prior_terms = balance_weights(log_prior(z), log_proposal(z, mean, log_std),
                                  len(z), len(noise)) + cross
    draw_terms = balance_weights(log_prior(draws), log_r, len(z), len(noise)) + log_g
    return torch.logsumexp(torch.cat([prior_terms, draw_terms.T], dim=1), dim=1)


def _decoded_log_prob(generator, codes, draws, included=None):
    """``log g(x_i | z_ki)`` of each row under each of its own latents: ``(n_draws, rows)``."""
    n_draws, rows, latent_dim = draws.shape
    log_probs = generator(draws.reshape(n_draws * rows, latent_dim))
    return generator.head.tiled_log_prob(log_probs, codes, included)


def importance_weighted(generator, codes, n_draws, rng):
    """IWAE estimate ``log mean_k h(z_k) g(x | z_k) / r(z_k | x)``, ``z_k ~ r(. | x)``, per row.

    The likelihood term of a generator with an encoder: ``n_draws`` latents
    drawn independently for each row. Differentiable in the generator and
    the encoder (the draws are reparameterised); negligible draws are dropped
    (:func:`trimmed_logsumexp`).

    Parameters
    ----------
    generator : Generator
        With an encoder.
    codes : Tensor of shape (rows, n_features), int64
    n_draws : int
    rng : torch.Generator

    Returns
    -------
    Tensor of shape (rows,)
    """
    mean, log_std = generator.encoder(codes)
    noise = torch.randn(n_draws, *mean.shape, generator=rng, device=codes.device)
    draws, log_r = draw(mean, log_std, noise)
    log_g = _decoded_log_prob(generator, codes, draws)
    return trimmed_logsumexp(log_prior(draws) + log_g - log_r, dim=0) - math.log(n_draws)
