"""The discrete part of the latent (latent_components)."""

import itertools

import numpy as np
import pytest
import torch

import skbgan
from skbgan import DiscreteBGAN
from skbgan._likelihood import log_likelihood
from skbgan._mixture import LatentMixture
from skbgan._networks import Generator
from skbgan._training import (
    decode_together,
    likelihood_loss,
    prior_latents,
    prior_likelihood_loss,
)


@pytest.fixture
def generator():
    torch.manual_seed(0)
    generator = Generator([3, 2, 4], latent_dim=2, hidden_layer_sizes=(8,), latent_components=3)
    with torch.no_grad():
        generator.mixture.logits.copy_(torch.tensor([0.5, -1.0, 0.2]))
        generator.mixture.means.mul_(3.0)  # components far apart: distinct rows
    return generator.eval()


def test_split_draws_components_by_their_weights_and_a_fresh_standard_normal():
    mixture = LatentMixture(4, latent_dim=3)
    with torch.no_grad():
        mixture.logits.copy_(torch.tensor([1.0, 0.0, -2.0, 0.5]))
    z = torch.randn(200_000, 3, generator=torch.Generator().manual_seed(0))
    components, redrawn = mixture.split(z)
    shares = torch.bincount(components, minlength=4) / len(z)
    np.testing.assert_allclose(shares, torch.softmax(mixture.logits.detach(), 0), atol=0.005)
    for c in range(4):  # the redrawn coordinate is N(0, 1) within every component
        first = redrawn[components == c, 0]
        assert abs(first.mean().item()) < 0.05 and first.std().item() == pytest.approx(1, abs=0.03)
    torch.testing.assert_close(redrawn[:, 1:], z[:, 1:])


def test_likelihood_term_with_uniform_components_is_unbiased_for_q(generator):
    every_row = torch.tensor(list(itertools.product(range(3), range(2), range(4))))
    with torch.no_grad():
        # q(x) the way scores read it: components read off prior latents
        q = log_likelihood(generator, every_row, torch.randn(200_000, 2)).exp()
        assert q.sum().item() == pytest.approx(1.0, rel=1e-4)
        rng = torch.Generator().manual_seed(1)
        estimates = torch.stack([
            -likelihood_loss(generator, every_row[i:i + 1], 16, rng)
            for i in range(len(every_row)) for _ in range(400)
        ]).exp().view(len(every_row), 400).mean(1)
    np.testing.assert_allclose(estimates, q, rtol=0.05)


def test_likelihood_term_trains_the_weights_and_the_means(generator):
    every_row = torch.tensor(list(itertools.product(range(3), range(2), range(4))))
    likelihood_loss(generator, every_row, 64, torch.Generator().manual_seed(0)).backward()
    assert generator.mixture.logits.grad.abs().sum() > 0
    assert generator.mixture.means.grad.abs().sum() > 0


def test_auto_uses_components_with_prior_latents_only(tiny):
    rng = np.random.default_rng(0)
    table = rng.integers(0, 3, size=(64, 4))
    assert DiscreteBGAN(**tiny).fit(table).latent_components_ == 32
    binary_wide = rng.integers(0, 2, size=(64, 32))  # the encoder's rows
    assert DiscreteBGAN(**tiny).fit(binary_wide).latent_components_ == 0
    images = rng.integers(0, 16, size=(32, 8, 8))
    conv = DiscreteBGAN(**{**tiny, "critic_layers": (8,)}, architecture="conv").fit(images)
    assert conv.likelihood_proposal_ == "prior" and conv.latent_components_ == 32
    binary_images = rng.integers(0, 2, size=(32, 8, 8))  # the encoder's images
    conv = DiscreteBGAN(**{**tiny, "critic_layers": (8,)}, architecture="conv").fit(binary_images)
    assert conv.likelihood_proposal_ == "encoder" and conv.latent_components_ == 0
    private = DiscreteBGAN(**tiny, dp_epsilon=10.0, categories=[[0, 1, 2]] * 4).fit(table)
    assert private.latent_components_ == 0
    plain = DiscreteBGAN(**tiny, latent_components=0).fit(table)
    assert plain.latent_components_ == 0 and plain.generator_.mixture is None


def test_components_are_refused_with_the_encoder_and_under_privacy(tiny):
    X = np.random.default_rng(0).integers(0, 2, size=(40, 3))
    with pytest.raises(ValueError, match="latent_components=8 needs the likelihood's latents "
                                         "from the prior"):
        DiscreteBGAN(**tiny, latent_components=8, likelihood_proposal="encoder").fit(X)
    with pytest.raises(ValueError, match="latent_components=8 is not available with dp_epsilon"):
        DiscreteBGAN(**tiny, latent_components=8, dp_epsilon=1.0,
                     categories=[[0, 1]] * 3).fit(X)


def test_scores_of_every_row_sum_to_one_and_survive_saving(tiny, tmp_path):
    X = np.random.default_rng(0).integers(0, 3, size=(200, 3))
    est = DiscreteBGAN(**tiny, latent_components=4, random_state=0).fit(X)
    every = np.array(list(itertools.product(range(3), repeat=3)))
    scores = est.score_samples(every)
    assert np.exp(scores).sum() == pytest.approx(1.0, abs=0.02)
    path = tmp_path / "model.skbgan"
    est.save(path)
    loaded = skbgan.load(path)
    assert loaded.latent_components_ == 4
    np.testing.assert_allclose(loaded.score_samples(every), scores, rtol=1e-6)
    np.testing.assert_array_equal(loaded.sample(20, random_state=0),
                                  est.sample(20, random_state=0))


def test_warm_start_keeps_the_components(tiny):
    X = np.random.default_rng(0).integers(0, 3, size=(100, 3))
    est = DiscreteBGAN(**tiny, warm_start=True, random_state=0).fit(X)
    est.set_params(latent_components=0)
    with pytest.raises(ValueError, match=r"\['latent_components'\] changed"):
        est.fit(X)


def test_gradients_of_the_means_and_weights_are_the_same_every_time():
    # Fits with one seed must not differ: on CPU, indexing's backward accumulates with
    # several threads in a varying order, which once made two fits of adult differ.
    torch.manual_seed(0)
    mixture = LatentMixture(32, latent_dim=64)
    components = torch.randint(32, (4096,))
    z = torch.randn(4096, 64)
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        grads = []
        for _ in range(10):
            mixture.zero_grad()
            loss = (mixture.shift(z, components) ** 2).sum() + mixture.log_weights(components).sum()
            loss.backward()
            grads.append(torch.cat([mixture.means.grad.flatten(), mixture.logits.grad]))
    finally:
        torch.set_num_threads(threads)
    for grad in grads[1:]:
        assert torch.equal(grad, grads[0])


@pytest.mark.parametrize("components", [0, 3])
@pytest.mark.parametrize("autoregressive", [False, True])
def test_decoding_the_batch_with_the_likelihood_latents_changes_neither(components, autoregressive):
    torch.manual_seed(0)
    generator = Generator([3, 2, 4], latent_dim=2, hidden_layer_sizes=(8,),
                          latent_components=components, autoregressive=autoregressive)
    rng = torch.Generator().manual_seed(0)
    z = torch.randn(5, 2, generator=rng)
    latents = prior_latents(generator, 7, rng, "cpu")
    assert (latents[1] is None) == (components == 0)
    log_probs, prior_log_probs = decode_together(generator, z, latents)
    for together, alone in [(log_probs, generator(z)),
                            (prior_log_probs, generator(*latents[:2]))]:
        assert len(together) == len(alone)
        for a, b in zip(together, alone):
            torch.testing.assert_close(a, b)
    real = torch.tensor([[0, 1, 3], [2, 0, 0]])
    rng_again = torch.Generator().manual_seed(0)
    torch.randn(5, 2, generator=rng_again)  # as the step draws z first
    torch.testing.assert_close(  # the step's loss is likelihood_loss with the same latents
        prior_likelihood_loss(generator, prior_log_probs, latents[2], real),
        likelihood_loss(generator, real, 7, rng_again))
