"""Differentially private updates (DP-SGD): per-row clipping and Gaussian noise.

Only two updates read data rows: the critic's real-data term and the
generator's likelihood term. The BGAN generator term reads data only through
the critic, and the moving average only through the generator, so both are
post-processing. Each private update draws a Poisson batch (every row takes
part with probability ``rate``), bounds the contribution of every row in it
to Euclidean norm ``max_grad_norm``, sums, adds Gaussian noise of standard
deviation ``noise_multiplier * max_grad_norm`` and divides by the expected
batch size: the subsampled Gaussian mechanism that :mod:`._accountant` counts.

- **Critic.** Per-row gradients of the real-data term with respect to every
  critic parameter, by ``torch.func.vmap`` over rows (in eval mode, so that
  spectral normalisation's power iteration, which reads only the weights,
  runs in the ordinary forward pass on generated rows instead).
- **Likelihood term.** All rows share the same prior latents, so a row's
  gradient is the generator's Jacobian (which depends on the latents, not on
  the data) applied to that row's gradient with respect to the generator's
  logits. Clipping and noising the logit gradients, then back-propagating
  their noisy sum, is the Gaussian mechanism on the logit gradients followed
  by post-processing: as private as per-parameter clipping, at the cost of one
  ordinary backward pass. A row's logit gradient has the closed form
  ``r_ik (onehot(x_i) - p_k)`` over latents ``k``, with ``r_ik`` the
  posterior weight of latent ``k``, so its norm is computed without building it.
"""

from dataclasses import dataclass

import torch
from torch.func import functional_call, grad, vmap

from ._accountant import renyi_dp


DP_RECIPE = {"batch_size": 256, "epochs": 10, "critic_steps": 1, "likelihood_weight": 3.0,
             "likelihood_latents": 32}
"""Settings for differentially private training: few, large steps, most of the budget on the
likelihood term. Chosen on the latent-class benchmark set at epsilon = 3 (see docs/privacy.md)."""


@dataclass
class PrivacyConfig:
    """How the private updates of one fit are noised and counted.

    Parameters
    ----------
    noise_multiplier : float
        Noise standard deviation over ``max_grad_norm``.
    max_grad_norm : float
        Bound on each row's contribution to a private update.
    rate : float
        Probability that a row takes part in a private update.
    delta : float
    """

    noise_multiplier: float
    max_grad_norm: float
    rate: float
    delta: float

    def update_rdp(self):
        """Rényi DP of one private update, at each of ``_accountant.ORDERS``."""
        return renyi_dp(self.rate, self.noise_multiplier)


def updates_per_step(critic_steps, likelihood_weight):
    """Private updates in one training step: the critic's, and the likelihood term's if weighted."""
    return critic_steps + (1 if likelihood_weight else 0)


def poisson_batch(codes, rate, rng):
    """The rows of ``codes`` that each take part with probability ``rate``, as int64."""
    take = torch.rand(len(codes), generator=rng, device=codes.device) < rate
    return codes[take].long()


def _noise(shape, scale, rng, device):
    return scale * torch.randn(shape, generator=rng, device=device)


def add_critic_real_gradients(critic, divergence, real, privacy, expected_rows, rng):
    """Add the private gradient of the critic's real-data term to the critic's ``.grad``.

    Parameters
    ----------
    critic : Critic
        In training mode; left in training mode.
    divergence : Divergence
    real : Tensor of shape (n_rows, n_features), int64
        A Poisson batch of data rows (possibly empty).
    privacy : PrivacyConfig
    expected_rows : float
        Expected batch size ``rate * n_samples``, the divisor of the noisy sum.
    rng : torch.Generator
    """
    names, params = zip(*critic.named_parameters())
    totals = [torch.zeros_like(p) for p in params]
    if len(real):
        frozen = {name: p.detach() for name, p in zip(names, params)}
        buffers = dict(critic.named_buffers())

        def row_loss(weights, row):
            value = functional_call(critic, (weights, buffers), (row[None],), {"gather": True})
            return divergence.real_term(value).sum()

        critic.eval()  # no power iteration inside vmap
        try:
            per_row = vmap(grad(row_loss), in_dims=(None, 0))(frozen, real)
        finally:
            critic.train()
        per_row = [per_row[name] for name in names]
        norms = torch.sqrt(sum(g.flatten(1).pow(2).sum(dim=1) for g in per_row))
        factor = (privacy.max_grad_norm / norms.clamp_min(1e-12)).clamp(max=1.0)
        totals = [torch.tensordot(factor, g, dims=1) for g in per_row]
    scale = privacy.noise_multiplier * privacy.max_grad_norm
    for p, total in zip(params, totals):
        private = (total + _noise(p.shape, scale, rng, p.device)) / expected_rows
        p.grad = private if p.grad is None else p.grad + private


def likelihood_logit_gradients(generator, real, n_latents, privacy, expected_rows, rng):
    """Logits of prior latents, and the private gradient of the likelihood loss on them.

    The loss is :func:`._training.likelihood_loss` summed over ``real`` and
    divided by ``expected_rows``; back-propagating ``gradients`` through
    ``logits`` gives its private gradient with respect to the generator.

    Parameters
    ----------
    generator : Generator
    real : Tensor of shape (n_rows, n_features), int64
        A Poisson batch of data rows (possibly empty).
    n_latents : int
    privacy : PrivacyConfig
    expected_rows : float
    rng : torch.Generator

    Returns
    -------
    logits : list of Tensor
        Per-group logit blocks ``(n_latents, n_columns_in_group, width)``, with gradient.
    gradients : list of Tensor
        The private gradient of the loss with respect to each block.
    """
    head = generator.head
    device = real.device
    z = torch.randn(n_latents, generator.latent_dim, generator=rng, device=device)
    logits = head.logits(generator.hidden(z))
    with torch.no_grad():
        log_probs = head.normalized(logits)
        probs = [block.exp() for block in log_probs]
        # r_ik, and the squared norm of row i's logit gradient r_ik (onehot(x_i) - p_k)
        posterior = torch.softmax(head.cross_log_prob(log_probs, real), dim=1)
        hit = head.cross_log_prob(probs, real)  # sum_j p_kj(x_ij)
        spread = sum(p.pow(2).sum(dim=(1, 2)) for p in probs)  # sum_j ||p_kj||^2
        squared = (posterior.pow(2) * (head.n_features - 2.0 * hit + spread)).sum(dim=1)
        factor = (privacy.max_grad_norm / squared.clamp_min(1e-24).sqrt()).clamp(max=1.0)
        weights = factor[:, None] * posterior  # (n_rows, n_latents)
        scale = privacy.noise_multiplier * privacy.max_grad_norm
        gradients = []
        for g, (p, padding) in enumerate(zip(probs, head.paddings())):
            n_columns, width = padding.shape
            one_hot = torch.zeros(len(real), n_columns, width, device=device)
            one_hot.scatter_(2, real[:, head.column_index(g), None], 1.0)
            total = (weights.T @ one_hot.view(len(real), n_columns * width)).view_as(p)
            total -= weights.sum(dim=0)[:, None, None] * p
            total += _noise(p.shape, scale, rng, device) * (padding == 0)
            gradients.append(-total / expected_rows)
    return logits, gradients
