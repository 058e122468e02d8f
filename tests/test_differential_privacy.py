"""Differentially private training: the accountant, per-row clipping, noise, and the estimator."""

import numpy as np
import pandas as pd
import pytest
import torch
from scipy import integrate, stats

from skbgan import DiscreteBGAN, load
from skbgan._accountant import ORDERS, epsilon, noise_multiplier, renyi_dp
from skbgan._divergences import DIVERGENCES
from skbgan._networks import Critic, Generator
from skbgan._private_training import (
    PrivacyConfig,
    add_critic_real_gradients,
    likelihood_logit_gradients,
)
from skbgan._training import likelihood_loss
from skbgan.metrics import pairwise_tv

from .conftest import DEPENDENT_MODEL, dependent_columns

# epsilon by Opacus 1.6.0 (opacus.accountants.analysis.rdp, orders 2..256):
# compute_rdp(q=rate, noise_multiplier=sigma, steps=updates) then get_privacy_spent(delta)
OPACUS = [
    (0.01, 1.1, 6000, 1e-5, 4.2640883706754025),
    (0.008, 0.8, 8000, 1.5625e-08, 9.749174813599366),
    (0.5, 5.0, 100, 1e-6, 5.39557000688232),
    (1.0, 3.0, 10, 1e-5, 5.030506114597601),
]


@pytest.mark.parametrize("rate, sigma, updates, delta, expected", OPACUS)
def test_epsilon_matches_opacus(rate, sigma, updates, delta, expected):
    assert epsilon(rate, sigma, updates, delta) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("alpha", [2, 5, 12])
def test_renyi_dp_matches_numerical_integration(alpha):
    """A_alpha = E_{x ~ N(0, s^2)} [((1 - q) + q exp((2x - 1) / (2 s^2)))^alpha]."""
    rate, sigma = 0.05, 1.5

    def integrand(x):
        ratio = (1 - rate) + rate * np.exp((2 * x - 1) / (2 * sigma**2))
        return stats.norm.pdf(x, scale=sigma) * ratio**alpha

    a_alpha, _ = integrate.quad(integrand, -40 * sigma, 40 * sigma, limit=500)
    expected = np.log(a_alpha) / (alpha - 1)
    assert renyi_dp(rate, sigma)[ORDERS == alpha][0] == pytest.approx(expected, rel=1e-6)


def test_noise_multiplier_spends_the_target_and_no_more():
    sigma = noise_multiplier(3.0, 1e-6, 0.02, 5000)
    assert 2.97 < epsilon(0.02, sigma, 5000, 1e-6) <= 3.0
    # a budget already partly spent needs more noise for the same updates
    spent = 1000 * renyi_dp(0.02, 4.0)
    assert noise_multiplier(3.0, 1e-6, 0.02, 5000, spent) > sigma
    with pytest.raises(ValueError, match="cannot be reached"):
        noise_multiplier(1e-4, 1e-6, 1.0, 10**9)


def _privacy(clip, noise=0.0):
    return PrivacyConfig(noise_multiplier=noise, max_grad_norm=clip, rate=0.1, delta=1e-5)


def _critic_and_rows(lipschitz=5.0):
    torch.manual_seed(0)
    critic = Critic([3, 4, 2], (8, 8), lipschitz=lipschitz).train()
    critic(torch.zeros(2, 3, dtype=torch.long))  # one power iteration, as in training
    rows = torch.tensor([[0, 1, 1], [2, 3, 0], [1, 0, 1]])
    return critic, rows


def _flat_grad(module):
    return torch.cat([p.grad.flatten() for p in module.parameters()])


@pytest.mark.parametrize("divergence", ["gan", "kl", "pearson_chi2"])
@pytest.mark.parametrize("lipschitz", [5.0, None])
def test_critic_gradient_without_clipping_or_noise_is_the_real_term_gradient(divergence,
                                                                              lipschitz):
    critic, rows = _critic_and_rows(lipschitz)
    loss = DIVERGENCES[divergence]
    add_critic_real_gradients(critic, loss, rows, _privacy(clip=1e6), 3.0,
                              torch.Generator().manual_seed(0))
    private = _flat_grad(critic)
    critic.zero_grad()
    critic.eval()
    loss.real_term(critic(rows)).mean().backward()
    assert torch.allclose(private, _flat_grad(critic), atol=1e-6)


def test_each_row_moves_the_critic_by_at_most_the_clipping_norm():
    critic, rows = _critic_and_rows()
    for row in rows:
        critic.zero_grad(set_to_none=True)
        add_critic_real_gradients(critic, DIVERGENCES["gan"], row[None], _privacy(clip=1e-3),
                                  1.0, torch.Generator().manual_seed(0))
        assert _flat_grad(critic).norm() == pytest.approx(1e-3, rel=1e-4)


def test_critic_noise_has_the_calibrated_scale_and_an_empty_batch_gets_noise_only():
    critic, _ = _critic_and_rows()
    add_critic_real_gradients(critic, DIVERGENCES["gan"], torch.zeros(0, 3, dtype=torch.long),
                              _privacy(clip=0.5, noise=2.0), 4.0,
                              torch.Generator().manual_seed(0))
    noise = _flat_grad(critic)
    assert noise.std().item() == pytest.approx(2.0 * 0.5 / 4.0, rel=0.1)


def _generator():
    torch.manual_seed(0)
    return Generator([3, 5, 2, 300], latent_dim=4, hidden_layer_sizes=(16,))


def _likelihood_grad(generator, rows, clip, noise=0.0, expected=None):
    generator.zero_grad(set_to_none=True)
    logits, gradients = likelihood_logit_gradients(
        generator, rows, 32, _privacy(clip, noise), expected or len(rows),
        torch.Generator().manual_seed(1),
    )
    torch.autograd.backward(logits, gradients)
    return gradients, _flat_grad(generator)


def test_likelihood_gradient_without_clipping_or_noise_is_the_loss_gradient():
    """The closed-form logit gradient, back-propagated, equals autograd's gradient
    (one group gathered: 300 categories)."""
    generator = _generator()
    rows = torch.tensor([[0, 4, 1, 299], [2, 0, 0, 7], [1, 1, 1, 0]])
    _, private = _likelihood_grad(generator, rows, clip=1e6)
    generator.zero_grad()
    likelihood_loss(generator, rows, 32, torch.Generator().manual_seed(1)).backward()
    assert torch.allclose(private, _flat_grad(generator), atol=1e-5)


def test_each_row_moves_the_likelihood_logits_by_at_most_the_clipping_norm():
    generator = _generator()
    for row in torch.tensor([[0, 4, 1, 299], [2, 0, 0, 7]]):
        gradients, _ = _likelihood_grad(generator, row[None], clip=0.01)
        norm = torch.sqrt(sum(g.pow(2).sum() for g in gradients))
        assert norm.item() == pytest.approx(0.01, rel=1e-4)


def test_likelihood_noise_spares_padded_slots():
    generator = _generator()
    gradients, _ = _likelihood_grad(generator, torch.zeros(0, 4, dtype=torch.long), clip=1.0,
                                    noise=1.0, expected=1.0)
    for gradient, padding in zip(gradients, generator.head.paddings()):
        assert (gradient[:, padding != 0] == 0).all()
        assert gradient[:, padding == 0].std().item() == pytest.approx(1.0, rel=0.1)


CATEGORIES = [[-5, 5, 15]] * 3


def _private(**params):
    return DiscreteBGAN(**{**DEPENDENT_MODEL, "categories": CATEGORIES, **params})


def test_a_private_fit_spends_its_epsilon_and_reports_it_per_epoch():
    X = dependent_columns()
    est = _private(dp_epsilon=2.0, epochs=3).fit(X)
    assert 1.97 < est.epsilon_ <= 2.0
    assert est.delta_ == 1 / len(X) ** 2
    assert est.noise_multiplier_ > 0
    spent = [h["epsilon"] for h in est.history_]
    assert spent == sorted(spent) and spent[-1] == est.epsilon_
    # losses on data rows are not released
    assert set(est.history_[0]) == {"generator_loss", "weight_ess", "epsilon"}
    assert np.isin(est.sample(100, random_state=0), [-5, 5, 15]).all()


def test_a_tiny_epsilon_is_measurably_worse_than_no_privacy():
    X = dependent_columns()
    plain = DiscreteBGAN(**DEPENDENT_MODEL).fit(X).sample(4000, random_state=0)
    noisy = _private(dp_epsilon=0.05).fit(X).sample(4000, random_state=0)
    assert pairwise_tv(X, plain) < 0.08
    assert pairwise_tv(X, noisy) > pairwise_tv(X, plain) + 0.1


def test_no_privacy_reports_infinite_epsilon(tiny):
    est = DiscreteBGAN(**tiny).fit(dependent_columns())
    assert est.epsilon_ == np.inf and est.delta_ is None and est.noise_multiplier_ is None


def test_private_fits_are_reproducible_and_survive_save_and_load(tmp_path, tiny):
    X = dependent_columns()
    first = _private(**tiny, dp_epsilon=5.0, random_state=0).fit(X)
    second = _private(**tiny, dp_epsilon=5.0, random_state=0).fit(X)
    np.testing.assert_array_equal(first.sample(50, random_state=1),
                                  second.sample(50, random_state=1))
    first.save(tmp_path / "model.pt")
    loaded = load(tmp_path / "model.pt")
    assert (loaded.epsilon_, loaded.delta_, loaded.noise_multiplier_) == (
        first.epsilon_, first.delta_, first.noise_multiplier_)
    assert loaded.get_params()["categories"] == [[-5, 5, 15]] * 3
    np.testing.assert_array_equal(loaded.sample(50, random_state=1),
                                  first.sample(50, random_state=1))


def test_a_warm_start_stays_within_the_budget(tiny):
    X = dependent_columns()
    est = _private(**tiny, dp_epsilon=3.0, random_state=0).fit(X)
    first = est.epsilon_
    est.set_params(warm_start=True).fit(X)
    assert first < est.epsilon_ <= 3.0
    assert est.history_[-1]["epsilon"] == est.epsilon_


def test_a_resumed_private_fit_draws_and_counts_what_an_uninterrupted_one_does(tmp_path, tiny):
    from skbgan import _epochs

    X = dependent_columns()
    params = dict(tiny, epochs=3, dp_epsilon=4.0, random_state=0,
                  checkpoint_path=str(tmp_path / "fit.ckpt"), checkpoint_interval=0)
    whole = _private(**{**params, "checkpoint_path": None}).fit(X)
    calls = {"n": 0}
    original = _epochs.BGANTrainer.run_epoch

    def interrupted(trainer, codes, weights=None):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(trainer, codes, weights)

    _epochs.BGANTrainer.run_epoch = interrupted
    try:
        with pytest.warns(UserWarning, match="interrupted"):
            _private(**params).fit(X)
    finally:
        _epochs.BGANTrainer.run_epoch = original
    resumed = _private(**params).fit(X)
    assert resumed.epsilon_ == whole.epsilon_
    np.testing.assert_array_equal(resumed.sample(30, random_state=2),
                                  whole.sample(30, random_state=2))


@pytest.mark.parametrize("params, message", [
    ({"categories": "auto"}, "needs categories"),
    ({"validation_fraction": 0.2}, "validation reads held-out rows"),
    ({"distributed": True}, "one process"),
])
def test_unsupported_private_settings_are_clear_errors(tiny, params, message):
    with pytest.raises(ValueError, match=message):
        _private(**tiny, dp_epsilon=1.0, **params).fit(dependent_columns())


def test_dp_delta_without_dp_epsilon_is_refused(tiny):
    with pytest.raises(ValueError, match="dp_delta=1e-05 needs dp_epsilon"):
        DiscreteBGAN(**tiny, dp_delta=1e-5).fit(dependent_columns())


def test_a_warm_start_cannot_make_a_non_private_model_private(tiny):
    est = _private(**tiny).fit(dependent_columns())
    with pytest.raises(ValueError, match="cannot make a model trained without"):
        est.set_params(warm_start=True, dp_epsilon=1.0).fit(dependent_columns())


def test_declared_categories_are_kept_even_when_unseen(tiny):
    X = np.array([[0, 10], [1, 10], [0, 20]] * 20)
    est = DiscreteBGAN(**tiny, categories=[[0, 1, 2], [10, 20, 30, 40]]).fit(X)
    assert [c.tolist() for c in est.categories_] == [[0, 1, 2], [10, 20, 30, 40]]
    assert est.sample(500, random_state=0).dtype == X.dtype
    assert np.isfinite(est.score_samples([[2, 40]])).all()


def test_declared_categories_in_a_dataframe_with_missing_values(tiny):
    df = pd.DataFrame({"colour": ["red", "blue", None] * 20, "size": [1, 2, 3] * 20})
    est = DiscreteBGAN(**tiny, categories=[["red", "blue", "green", None], [1, 2, 3]]).fit(df)
    assert list(est.categories_[0]) == ["blue", "green", "red", None]
    assert list(est.sample(5, random_state=0).columns) == ["colour", "size"]


@pytest.mark.parametrize("categories, error, message", [
    ([[0, 1]], ValueError, "each of the 2 columns"),
    ([[0, 1], []], ValueError, r"categories\[1\] is empty"),
    ([[0, 1], [10]], ValueError, "Column 1 holds 20, which categories\\[1\\] does not declare"),
    ([[0, 1], ["a", "b"]], TypeError, r"categories\[1\] holds text labels"),
])
def test_bad_categories_are_clear_errors(tiny, categories, error, message):
    X = np.array([[0, 10], [1, 20]] * 10)
    with pytest.raises(error, match=message):
        DiscreteBGAN(**tiny, categories=categories).fit(X)


def test_an_undeclared_missing_value_is_an_error(tiny):
    df = pd.DataFrame({"colour": ["red", None] * 10})
    with pytest.raises(ValueError, match=r"Column .colour. holds missing values, which "
                       r"categories\[0\] does not declare \(add None"):
        DiscreteBGAN(**tiny, categories=[["red"]]).fit(df)
