"""Critic losses and importance weights of the f-divergences a BGAN can minimise.

Each divergence is a small object with two methods:

- ``critic_loss(v_real, v_fake)``: the f-GAN critic objective
  ``-(E_p[T(v)] - E_q[f*(T(v))])`` written on the critic's raw output ``v``,
  constants dropped, averaged over the batch;
- ``log_weight(v)``: ``log w(x)`` with ``w = (f')^{-1}(T(v))``, which equals
  ``log p(x)/q(x)`` (up to a constant) when the critic is optimal.

Self-normalising the weights within each latent removes the constants, so
only the shape of ``log_weight`` as a function of ``v`` matters.
"""

import torch
import torch.nn.functional as F


class Divergence:
    """Base class: the f-GAN critic loss and the BGAN importance weight."""

    name = None

    def critic_loss(self, v_real, v_fake):
        """Mean critic loss, to minimise.

        Parameters
        ----------
        v_real : Tensor of shape (n_real,)
            Critic outputs on data rows.
        v_fake : Tensor of shape (n_fake,)
            Critic outputs on generated rows.

        Returns
        -------
        loss : Tensor of shape ()
        """
        return self.real_term(v_real).mean() + self.fake_term(v_fake).mean()

    def real_term(self, v):
        """Per-row loss on data rows, ``-T(v)`` up to a constant."""
        raise NotImplementedError

    def fake_term(self, v):
        """Per-row loss on generated rows, ``f*(T(v))`` up to a constant."""
        raise NotImplementedError

    def log_weight(self, v):
        """Unnormalised log importance weight ``log w`` of generated rows."""
        raise NotImplementedError


class GANDivergence(Divergence):
    """Standard GAN: binary cross-entropy on logits, ``log w = v``."""

    name = "gan"

    def real_term(self, v):
        return F.softplus(-v)

    def fake_term(self, v):
        return F.softplus(v)

    def log_weight(self, v):
        return v


class JensenShannonDivergence(GANDivergence):
    """Jensen–Shannon: ``T = log 2 - softplus(-v)``; same loss and weight as GAN.

    ``-T(v_r) + f*(T(v_f)) = softplus(-v_r) + softplus(v_f) - 2 log 2``.
    """

    name = "jensen_shannon"


class KLDivergence(Divergence):
    """Kullback–Leibler ``KL(p || q)``: ``T = v``, ``f*(t) = exp(t - 1)``."""

    name = "kl"

    def real_term(self, v):
        return -v

    def fake_term(self, v):
        return torch.exp(v - 1.0)

    def log_weight(self, v):
        return v - 1.0


class ReverseKLDivergence(Divergence):
    """Reverse KL ``KL(q || p)``: ``T = -exp(-v)``, ``f*(t) = -1 - log(-t)``."""

    name = "reverse_kl"

    def real_term(self, v):
        return torch.exp(-v)

    def fake_term(self, v):
        return v

    def log_weight(self, v):
        return v


class SquaredHellingerDivergence(Divergence):
    """Squared Hellinger: ``T = 1 - exp(-v)``, ``f*(t) = t / (1 - t)``."""

    name = "squared_hellinger"

    def real_term(self, v):
        return torch.exp(-v)

    def fake_term(self, v):
        return torch.exp(v)

    def log_weight(self, v):
        return 2.0 * v


class PearsonChi2Divergence(Divergence):
    """Pearson chi-squared: ``T = v``, ``f*(t) = t**2 / 4 + t``.

    The weight ``v / 2 + 1`` is clamped at a small positive value, since an
    imperfect critic can give it any sign.
    """

    name = "pearson_chi2"
    min_weight = 1e-6

    def real_term(self, v):
        return -v

    def fake_term(self, v):
        return 0.25 * v**2 + v

    def log_weight(self, v):
        return torch.log(torch.clamp(0.5 * v + 1.0, min=self.min_weight))


DIVERGENCES = {
    cls.name: cls()
    for cls in (
        GANDivergence,
        JensenShannonDivergence,
        KLDivergence,
        ReverseKLDivergence,
        SquaredHellingerDivergence,
        PearsonChi2Divergence,
    )
}
"""Divergence objects by the name the ``divergence`` parameter accepts."""


def self_normalized_weights(log_weight):
    """Per-latent self-normalised importance weights.

    Parameters
    ----------
    log_weight : Tensor of shape (n_latents, samples_per_latent)

    Returns
    -------
    weights : Tensor of shape (n_latents, samples_per_latent)
        Non-negative, each row sums to one.
    """
    return torch.softmax(log_weight, dim=1)

