"""Each divergence's critic loss and weight match the f-GAN derivation."""

import math

import numpy as np
import pytest
import torch

from skbgan._divergences import DIVERGENCES, self_normalized_weights

# Output activation T(v) and convex conjugate f*(t) of each divergence (f-GAN, Nowozin et al.).
F_GAN = {
    "gan": (lambda v: -torch.nn.functional.softplus(-v), lambda t: -torch.log(1 - torch.exp(t))),
    "jensen_shannon": (
        lambda v: math.log(2) - torch.nn.functional.softplus(-v),
        lambda t: -torch.log(2 - torch.exp(t)),
    ),
    "kl": (lambda v: v, lambda t: torch.exp(t - 1)),
    "reverse_kl": (lambda v: -torch.exp(-v), lambda t: -1 - torch.log(-t)),
    "squared_hellinger": (lambda v: 1 - torch.exp(-v), lambda t: t / (1 - t)),
    "pearson_chi2": (lambda v: v, lambda t: t**2 / 4 + t),
}


def test_all_six_divergences_are_offered():
    assert set(DIVERGENCES) == set(F_GAN)


@pytest.mark.parametrize("name", sorted(F_GAN))
def test_critic_loss_is_negative_f_gan_objective_up_to_a_constant(name):
    activation, conjugate = F_GAN[name]
    divergence = DIVERGENCES[name]
    v = torch.linspace(-1.5, 1.5, 41, dtype=torch.float64)
    v_real, v_fake = v, v.flip(0)
    objective = activation(v_real) - conjugate(activation(v_fake))
    gap = divergence.real_term(v_real) + divergence.fake_term(v_fake) + objective
    assert torch.allclose(gap, gap[0].expand_as(gap), atol=1e-9)


@pytest.mark.parametrize("name", sorted(F_GAN))
def test_weight_of_the_optimal_critic_is_the_density_ratio(name):
    """Minimise p * real_term(v) + q * fake_term(v) per point; w(v*) must be p / q."""
    divergence = DIVERGENCES[name]
    p = torch.tensor([0.05, 0.2, 0.3, 0.45], dtype=torch.float64)
    q = torch.tensor([0.3, 0.3, 0.2, 0.2], dtype=torch.float64)
    v = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([v], max_iter=500, tolerance_grad=1e-12, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = (p * divergence.real_term(v) + q * divergence.fake_term(v)).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    log_w = divergence.log_weight(v.detach())
    # Self-normalised over the support, the weights must recover p exactly.
    recovered = torch.softmax(log_w + torch.log(q), dim=0)
    np.testing.assert_allclose(recovered.numpy(), p.numpy(), atol=1e-5)


def test_gan_critic_loss_is_binary_cross_entropy():
    v_real, v_fake = torch.randn(7), torch.randn(9)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    expected = bce(v_real, torch.ones(7)) + bce(v_fake, torch.zeros(9))
    assert torch.allclose(DIVERGENCES["gan"].critic_loss(v_real, v_fake), expected)


def test_pearson_weight_is_clamped_for_negative_ratio():
    log_w = DIVERGENCES["pearson_chi2"].log_weight(torch.tensor([-10.0, 0.0]))
    assert torch.isfinite(log_w).all()
    assert log_w[0] < log_w[1]


def test_self_normalized_weights_sum_to_one_per_latent():
    log_w = torch.tensor([[0.0, 0.0, 1000.0], [-5.0, 2.0, 3.0]])
    weights = self_normalized_weights(log_w)
    assert torch.allclose(weights.sum(dim=1), torch.ones(2))
    assert torch.allclose(weights[0], torch.tensor([0.0, 0.0, 1.0]))
