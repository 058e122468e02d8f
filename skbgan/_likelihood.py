"""Monte-Carlo log-likelihood of rows under the generator's latent mixture."""

import math

import torch

_CHUNK_ELEMENTS = 2**23
"""Elements of the largest temporary per chunk: bounds the memory whatever the number of rows."""


def log_likelihood(generator, codes, z, included=None):
    """``log mean_k g(x_i | z_k)`` of each row ``x_i``, in chunks of rows.

    The mean inside the log is an unbiased estimate of ``q(x_i) = E_z g(x_i|z)``.

    Parameters
    ----------
    generator : Generator
    codes : Tensor of shape (n_rows, n_features), any integer dtype, on the generator's device
        Kept compact; each chunk is converted to int64 as it is scored.
    z : Tensor of shape (n_latents, latent_dim)
        Latents drawn from the prior.
    included : Tensor of shape (n_rows, n_features), bool, optional
        Entries that count; the others contribute zero. All by default.

    Returns
    -------
    log_likelihood : Tensor of shape (n_rows,)
    """
    log_probs = generator(z)
    chunk = max(1, _CHUNK_ELEMENTS // len(z))  # bounds the (rows, latents) log-probabilities
    out = torch.empty(len(codes), device=codes.device)
    for start in range(0, len(codes), chunk):
        rows = slice(start, start + chunk)
        mask = None if included is None else included[rows]
        cross = generator.head.cross_log_prob(log_probs, codes[rows].long(), mask)
        out[rows] = torch.logsumexp(cross, dim=1) - math.log(len(z))
    return out
