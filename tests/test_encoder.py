"""The encoder proposal of the likelihood's latents (likelihood_proposal="encoder")."""

import itertools

import numpy as np
import pytest
import torch

from skbgan import DiscreteBGAN
from skbgan._encoder import log_prior, log_proposal
from skbgan._likelihood import importance_weighted, log_likelihood, trimmed_logsumexp
from skbgan._networks import Generator
from skbgan._training import likelihood_loss


@pytest.fixture
def generator():
    torch.manual_seed(0)
    return Generator([3, 2, 4], latent_dim=2, hidden_layer_sizes=(8,), encoder=True).eval()


@pytest.fixture
def every_row():
    return torch.tensor(list(itertools.product(range(3), range(2), range(4))))


def test_log_proposal_is_the_gaussian_density_relative_to_the_prior():
    torch.manual_seed(0)
    z, mean, log_std = torch.randn(5, 3), torch.randn(2, 3), torch.randn(2, 3) * 0.3
    normal = torch.distributions.Normal(mean[:, None, :], log_std.exp()[:, None, :])
    expected = (normal.log_prob(z).sum(-1)
                - torch.distributions.Normal(0.0, 1.0).log_prob(z).sum(-1))
    np.testing.assert_allclose(log_proposal(z, mean, log_std) - log_prior(z), expected,
                               rtol=1e-5, atol=1e-5)


def test_estimates_with_the_encoder_are_unbiased_for_q(generator, every_row):
    # A proposal wider than the prior, off-centre: bounded weights, so 2,000 repeats suffice.
    out = generator.encoder.body[-1]
    with torch.no_grad():
        out.weight.mul_(0.1)
        out.bias.copy_(torch.tensor([0.3, -0.2, np.log(1.3), np.log(1.3)]))
        # q(x) by 200,000 prior latents: exact to well under the tolerance below
        q = log_likelihood(generator, every_row, torch.randn(200_000, 2)).exp()
        assert q.sum().item() == pytest.approx(1.0, rel=1e-4)
        rng = torch.Generator().manual_seed(1)
        mixture = torch.stack([
            log_likelihood(generator, every_row, torch.randn(8, 2, generator=rng),
                           noise=torch.randn(4, 2, generator=rng)).exp()
            for _ in range(2000)
        ]).mean(0)
        iwae = torch.stack([importance_weighted(generator, every_row, 4, rng).exp()
                            for _ in range(2000)]).mean(0)
    np.testing.assert_allclose(mixture, q, rtol=0.03)
    np.testing.assert_allclose(iwae, q, rtol=0.03)


def test_importance_weighted_estimate_trains_generator_and_encoder(generator, every_row):
    rng = torch.Generator().manual_seed(0)
    (-importance_weighted(generator, every_row, 4, rng).mean()).backward()
    for part in (generator.body, generator.head, generator.encoder):
        assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in part.parameters())


def test_scores_of_every_row_of_a_tiny_problem_sum_to_about_one(tiny):
    X = np.random.default_rng(0).integers(0, 3, size=(200, 3))
    est = DiscreteBGAN(**{**tiny, "score_latents": 256}, likelihood_proposal="encoder",
                       random_state=0).fit(X)
    assert est.likelihood_proposal_ == "encoder"
    every = np.array(list(itertools.product(range(3), repeat=3)))
    scores = est.score_samples(every)
    # unbiased, not exact: the encoder's draws differ from row to row
    assert np.exp(scores).sum() == pytest.approx(1.0, abs=0.03)
    # each row's latents are fixed by the model, whatever the rows scored with it
    np.testing.assert_array_equal(est.score_samples(every[:4]), scores[:4])
    np.testing.assert_array_equal(est.score_samples(every), scores)


def test_unseen_labels_and_validation_with_the_encoder(tiny):
    X = np.random.default_rng(0).integers(0, 3, size=(200, 3))
    est = DiscreteBGAN(**tiny, likelihood_proposal="encoder", validation_fraction=0.2,
                       random_state=0).fit(X)
    assert all(np.isfinite(h["validation_log_likelihood"]) for h in est.history_)
    seen, unseen = est.score_samples(np.array([[0, 1, 2], [0, 1, 99]]))
    assert np.isfinite(unseen) and unseen < seen


def test_auto_picks_the_encoder_for_many_columns_of_few_categories(tiny):
    rng = np.random.default_rng(0)
    for shape, k, expected in [((64, 32), 3, "encoder"), ((64, 31), 3, "prior"),
                               ((64, 32), 4, "prior")]:
        X = rng.integers(0, k, size=shape)
        assert DiscreteBGAN(**tiny).fit(X).likelihood_proposal_ == expected, (shape, k)
    conv = {**tiny, "architecture": "conv", "critic_layers": (8,)}
    images = rng.integers(0, 2, size=(32, 8, 8))
    assert DiscreteBGAN(**conv).fit(images).likelihood_proposal_ == "encoder"
    palette = rng.integers(0, 16, size=(32, 8, 8))
    assert DiscreteBGAN(**conv).fit(palette).likelihood_proposal_ == "prior"
    private = DiscreteBGAN(**conv, dp_epsilon=10.0, categories=[[0, 1]] * 64).fit(images)
    assert private.likelihood_proposal_ == "prior"


def test_encoder_is_refused_under_differential_privacy(tiny):
    est = DiscreteBGAN(**tiny, likelihood_proposal="encoder", dp_epsilon=1.0,
                       categories=[[0, 1]] * 3)
    with pytest.raises(ValueError, match="likelihood_proposal='encoder' is not available with "
                                         "dp_epsilon"):
        est.fit(np.zeros((20, 3), dtype=int))


def test_warm_start_keeps_the_proposal(tiny):
    X = np.random.default_rng(0).integers(0, 3, size=(100, 3))
    est = DiscreteBGAN(**tiny, warm_start=True, random_state=0).fit(X)
    est.set_params(likelihood_proposal="encoder")
    with pytest.raises(ValueError, match=r"\['likelihood_proposal'"):
        est.fit(X)


def test_each_rows_own_noise_matches_shared_noise_across_chunks(generator, every_row,
                                                                monkeypatch):
    monkeypatch.setattr("skbgan._likelihood._CHUNK_DRAWS", 8)  # chunks of 2 rows
    z, noise = torch.randn(16, 2), torch.randn(4, 2)
    with torch.no_grad():
        shared = log_likelihood(generator, every_row, z, noise=noise)
        own = log_likelihood(generator, every_row, z,
                             noise=noise[:, None, :].expand(4, len(every_row), 2))
        whole = log_likelihood(generator, every_row[:5], z, noise=noise)
    np.testing.assert_allclose(own, shared, rtol=1e-6)
    np.testing.assert_allclose(whole, shared[:5], rtol=1e-6)


def test_likelihood_loss_is_the_negative_estimate_with_either_proposal(every_row):
    torch.manual_seed(0)
    for encoder in (False, True):
        generator = Generator([3, 2, 4], latent_dim=2, hidden_layer_sizes=(8,), encoder=encoder)
        loss = likelihood_loss(generator, every_row, 48, torch.Generator().manual_seed(3))
        rng = torch.Generator().manual_seed(3)
        if encoder:  # 48 latents split among 24 rows: 2 encoder draws each
            expected = importance_weighted(generator, every_row, 2, rng)
        else:
            expected = log_likelihood(generator, every_row, torch.randn(48, 2, generator=rng))
        torch.testing.assert_close(loss, -expected.mean())


def test_trimmed_logsumexp_drops_only_negligible_terms_and_their_gradients():
    terms = torch.tensor([[0.0, -10.0, -39.0, -41.0, -100.0], [5.0, 5.0, -34.0, -36.0, 4.0]],
                         requires_grad=True)
    value = trimmed_logsumexp(terms, dim=1)
    torch.testing.assert_close(value, torch.logsumexp(terms, dim=1))
    grad, = torch.autograd.grad(value.sum(), [terms])
    dropped = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 1, 0]], dtype=torch.bool)
    assert (grad[dropped] == 0).all()
    torch.testing.assert_close(grad[~dropped], torch.softmax(terms, dim=1)[~dropped].detach())


@pytest.mark.parametrize("encoder", [False, True])
def test_likelihood_gradients_of_a_confident_generator_hold_no_subnormals(encoder):
    # float32 subnormals make every CPU operation that reads them ~100x slower
    torch.manual_seed(0)
    generator = Generator([2] * 64, latent_dim=4, hidden_layer_sizes=(16,), encoder=encoder)
    with torch.no_grad():
        for linear in generator.head.linears:
            linear.weight.mul_(300.0)  # pixels as confident as a trained image model's
    rows = torch.randint(2, (32, 64), generator=torch.Generator().manual_seed(1))
    likelihood_loss(generator, rows, 256, torch.Generator().manual_seed(2)).backward()
    tiny = torch.finfo(torch.float32).tiny
    for name, parameter in generator.named_parameters():
        grad = parameter.grad.abs()
        assert not ((grad > 0) & (grad < tiny)).any(), name
