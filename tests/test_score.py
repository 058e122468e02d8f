"""The Monte-Carlo likelihood estimate of score_samples."""

import itertools

import numpy as np
import pytest

from skbgan import DiscreteBGAN


@pytest.fixture(scope="module")
def tiny_support_model():
    rng = np.random.default_rng(0)
    # a correlated 3 x 3 x 3 problem: the last column copies the first most of the time
    first = rng.integers(0, 3, size=600)
    X = np.column_stack([first, rng.integers(0, 3, size=600),
                         np.where(rng.random(600) < 0.8, first, rng.integers(0, 3, size=600))])
    return DiscreteBGAN(epochs=5, batch_size=32, samples_per_latent=8, latent_dim=4,
                        generator_layers=(32,), critic_layers=(32,), score_latents=256,
                        device="cpu", random_state=0).fit(X), X


def test_probabilities_of_every_possible_row_sum_to_one(tiny_support_model):
    est, _ = tiny_support_model
    every_row = np.array(list(itertools.product(range(3), repeat=3)))
    total = np.exp(est.score_samples(every_row)).sum()
    # q_hat(x) = mean_k g(x | z_k) sums to one exactly for any latents: only
    # float rounding separates it from 1, whatever the Monte-Carlo error per row.
    assert total == pytest.approx(1.0, abs=1e-5)


def test_more_score_latents_do_not_lower_the_estimate_on_average(tiny_support_model):
    est, X = tiny_support_model
    few = est.set_params(score_latents=4).score(X)
    many = est.set_params(score_latents=512).score(X)
    est.set_params(score_latents=256)
    # log of a mean is biased downwards, less so with more draws
    assert many >= few - 0.05


def test_score_is_between_uniform_and_zero(tiny_support_model):
    est, X = tiny_support_model
    assert 3 * np.log(1 / 3) - 1.0 < est.score(X) < 0
