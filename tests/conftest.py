import numpy as np
import pytest

TINY = dict(
    epochs=2,
    batch_size=16,
    samples_per_latent=4,
    latent_dim=4,
    generator_layers=(16,),
    critic_layers=(16,),
    score_latents=64,
    likelihood_latents=16,
    device="cpu",
)
"""Settings that keep a fit well under a second, for tests of behaviour."""


@pytest.fixture
def tiny():
    return dict(TINY)


@pytest.fixture
def labels():
    """A table with gapped, negative and large labels and a constant column."""
    rng = np.random.default_rng(0)
    X = np.column_stack(
        [
            rng.choice([-7, 0, 3, 10**9], size=300),
            rng.integers(-3, 40, size=300),
            np.full(300, 5),
            rng.integers(0, 2, size=300),
        ]
    )
    return X


def dependent_columns():
    """2,000 rows of three 3-category columns (labels -5, 5, 15): column 1 copies column 0
    80% of the time, column 2 is independent. Small enough to enumerate every row."""
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, size=2000)
    b = np.where(rng.random(2000) < 0.8, a, rng.integers(0, 3, size=2000))
    c = rng.integers(0, 3, size=2000)
    return np.column_stack([a, b, c]) * 10 - 5


DEPENDENT_MODEL = dict(epochs=20, batch_size=64, latent_dim=4, generator_layers=(32,),
                       critic_layers=(16,), samples_per_latent=4, likelihood_latents=64,
                       device="cpu", random_state=0)
"""A model that learns :func:`dependent_columns` well in a few seconds."""
