"""Critic-guided resampling of the generator's draws (sampling-importance-resampling).

The critic of a boundary-seeking GAN estimates the density ratio
``w(x) ≈ p(x) / q(x)`` of the data ``p`` to the generator ``q`` (Hjelm et
al., 2018); ``w q`` is the BGAN's own estimate of ``p``, the target its
generator update moves towards. Drawing ``k`` candidates from ``q`` and
keeping one with probability ``w_i / sum_j w_j`` samples ``w q`` as ``k``
grows (importance resampling); ``k = 1`` keeps the generator's draw.
"""

import torch

from ._divergences import self_normalized_weights


class CriticResampler:
    """Keeps one row of every ``candidates`` consecutive rows, in proportion to ``w(x)``.

    Parameters
    ----------
    critic : Critic
        In evaluation mode, on the rows' device.
    divergence : Divergence
        Turns the critic's output into ``log w(x)``.
    candidates : int
        Rows drawn per row kept.
    """

    def __init__(self, critic, divergence, candidates):
        self.critic = critic
        self.divergence = divergence
        self.candidates = candidates

    def __call__(self, codes, rng):
        """``(n * candidates, n_features)`` int64 codes to ``(n, n_features)``."""
        k = self.candidates
        log_weight = self.divergence.log_weight(self.critic(codes)).view(-1, k)
        chosen = torch.multinomial(self_normalized_weights(log_weight), 1, generator=rng)[:, 0]
        return codes.view(len(chosen), k, -1)[torch.arange(len(chosen), device=codes.device),
                                              chosen]
