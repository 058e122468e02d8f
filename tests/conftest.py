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
