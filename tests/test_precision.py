"""Drawing in bfloat16: same distribution as float32, reproducible, the fitted model untouched."""

import pickle

import numpy as np
import pytest
import torch

from skbgan import DiscreteBGAN
from skbgan._precision import drawing_dtype, has_fast_bfloat16, lowered
from skbgan.datasets import LatentClassModel
from skbgan.metrics import marginal_tv, pairwise_tv

N_DRAWN = 200_000


@pytest.fixture(scope="module")
def fitted():
    """A model with default-shaped layers fitted briefly on latent-class rows (a fixed model)."""
    truth = LatentClassModel(n_features=12, n_categories=(2, 8), n_components=6,
                             random_state=0)
    X = truth.sample(2_000, random_state=1)
    return DiscreteBGAN(epochs=2, generator_layers=(256, 256), device="cpu",
                        random_state=0).fit(X)


def test_bfloat16_draws_follow_the_float32_distribution(fitted):
    """Two float32 samples differ by sampling noise; bfloat16 against float32 by no more.

    ``fast`` and ``other`` share their seed (common random numbers), so the
    comparison is not drowned in the noise of the two estimates.
    """
    reference = fitted.set_params(precision="float32").sample(N_DRAWN, random_state=0)
    other = fitted.sample(N_DRAWN, random_state=1)
    fast = fitted.set_params(precision="bfloat16").sample(N_DRAWN, random_state=1)
    assert not np.array_equal(fast, other)  # the bfloat16 path did run
    for metric in (marginal_tv, pairwise_tv):
        noise = metric(reference, other)
        assert metric(reference, fast) <= 1.1 * noise, metric.__name__


@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_each_precision_is_reproducible(fitted, precision):
    fitted.set_params(precision=precision)
    np.testing.assert_array_equal(fitted.sample(500, random_state=3),
                                  fitted.sample(500, random_state=3))


def test_auto_is_bfloat16_exactly_where_it_is_fast(fitted):
    fast = has_fast_bfloat16(torch.device("cpu"))
    auto = fitted.set_params(precision="auto").sample(300, random_state=0)
    same = fitted.set_params(precision="bfloat16" if fast else "float32")
    np.testing.assert_array_equal(auto, same.sample(300, random_state=0))


def test_drawing_in_bfloat16_leaves_the_fitted_generator_float32(fitted):
    rows = fitted.set_params(precision="float32").sample(50, random_state=0)
    scores = fitted.score_samples(rows)
    fitted.set_params(precision="bfloat16").sample(100, random_state=0)
    fitted.impute(np.full((3, 12), np.nan), random_state=0)
    assert all(p.dtype == torch.float32 for p in fitted.generator_.parameters())
    np.testing.assert_array_equal(scores, fitted.score_samples(rows))
    fitted.set_params(precision="float32")
    np.testing.assert_array_equal(rows, fitted.sample(50, random_state=0))


def test_lowered_generator_emits_float32_logits(fitted):
    generator = fitted.generator_
    assert lowered(generator, torch.float32) is generator
    low = lowered(generator, torch.bfloat16)
    assert all(p.dtype == torch.bfloat16
               for p in [*low.body.parameters(), *low.head.parameters()])
    # the latent mixture stays exact: every latent keeps its component
    assert all(p.dtype == torch.float32 for p in low.mixture.parameters())
    z = torch.randn(1000, generator.latent_dim)
    torch.testing.assert_close(low.mixture.split(z), generator.mixture.split(z))
    z = torch.randn(7, generator.latent_dim)
    with torch.inference_mode():
        blocks, exact = low.head.logits(low.hidden(z)), generator.head.logits(generator.hidden(z))
    for block, reference in zip(blocks, exact):
        assert block.dtype == torch.float32
        np.testing.assert_allclose(torch.softmax(block, -1), torch.softmax(reference, -1),
                                   atol=0.02)


def test_auto_resolves_by_device_capability(monkeypatch):
    cpu, cuda = torch.device("cpu"), torch.device("cuda")
    assert drawing_dtype("float32", cpu) == torch.float32
    assert drawing_dtype("bfloat16", cpu) == torch.bfloat16
    for capability, expected in [((8, 0), torch.bfloat16), ((7, 5), torch.float32)]:
        monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device, c=capability: c)
        assert drawing_dtype("auto", cuda) == expected
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False, raising=False)
    assert drawing_dtype("auto", cpu) == torch.float32
    monkeypatch.delattr(torch.cpu, "_is_amx_tile_supported")  # a torch without the probe
    assert not has_fast_bfloat16(cpu)
    assert not has_fast_bfloat16(torch.device("meta"))


def test_bfloat16_conditions_impute_and_conv(tiny):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 3, size=(200, 5))
    est = DiscreteBGAN(**tiny, precision="bfloat16", random_state=0).fit(X)
    drawn = est.sample(40, random_state=0, conditions={1: 2})
    assert (drawn[:, 1] == 2).all() and drawn.dtype == X.dtype
    holes = X[:10].astype(float)
    holes[:, 0] = np.nan
    assert set(est.impute(holes, random_state=0)[:, 0]) <= {0, 1, 2}
    images = rng.integers(0, 4, size=(64, 16, 16))
    conv = DiscreteBGAN(**tiny, architecture="conv", precision="bfloat16",
                        random_state=0).fit(images)
    assert conv.sample(5, random_state=0).shape == (5, 16, 16)


def test_lowered_copy_is_made_once_and_forgotten_by_fit(tiny):
    X = np.random.default_rng(0).integers(0, 3, size=(200, 5))
    est = DiscreteBGAN(**tiny, precision="bfloat16", warm_start=True, random_state=0).fit(X)
    est.sample(10, random_state=0)
    low = est._drawing_generator()
    assert est._drawing_generator() is low  # one copy for many draws
    est.fit(X)  # warm start: generator_ is trained further in place
    fresh = est._drawing_generator()
    assert fresh is not low
    for (name, cast), weight in zip(fresh.named_parameters(), est.generator_.parameters()):
        kept = name.startswith("mixture.")  # the latent mixture stays float32
        torch.testing.assert_close(cast, weight if kept else weight.to(torch.bfloat16))
    restored = pickle.loads(pickle.dumps(est))
    assert "_lowered_generator" not in vars(restored)
    np.testing.assert_array_equal(restored.sample(20, random_state=1),
                                  est.sample(20, random_state=1))
    assert est.set_params(precision="float32")._drawing_generator() is est.generator_
