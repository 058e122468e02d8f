import numpy as np
import pytest

from skbgan.datasets import LatentClassModel, load_palette_patches


def test_palette_patches_are_palette_indices():
    indices, palette = load_palette_patches(12, n_colors=8, size=16)
    assert indices.shape == (12, 16, 16) and indices.dtype == np.int64
    assert indices.min() >= 0 and indices.max() < 8
    assert palette.shape == (8, 3) and palette.min() >= 0 and palette.max() <= 1
    prefix, same_palette = load_palette_patches(5, n_colors=8, size=16)
    np.testing.assert_array_equal(prefix, indices[:5])  # patches do not depend on n_patches
    np.testing.assert_array_equal(same_palette, palette)
    assert not np.array_equal(load_palette_patches(5, n_colors=8, size=16, random_state=1)[0],
                              prefix)


@pytest.mark.parametrize("params, message", [
    ({"n_patches": 0}, "n_patches=0 must be an integer >= 1"),
    ({"n_colors": 1}, r"n_colors=1 must be an integer in \[2, 256\]"),
    ({"size": 500}, r"size=500 must be an integer in \[1, 427\]"),
    ({"size": 2.5}, "size=2.5 must be"),
])
def test_palette_patches_reject_bad_arguments(params, message):
    with pytest.raises(ValueError, match=message):
        load_palette_patches(**params)


def test_latent_class_model_log_prob_is_normalised():
    truth = LatentClassModel(n_features=3, n_categories=(2, 3), n_components=4, random_state=0)
    grid = np.stack(np.meshgrid(*[np.arange(k) for k in truth.cardinalities],
                                indexing="ij"), -1).reshape(-1, 3)
    assert np.exp(truth.log_prob(grid)).sum() == pytest.approx(1.0)
    X = truth.sample(500, random_state=1)
    assert X.shape == (500, 3) and (X < truth.cardinalities).all()


@pytest.mark.parametrize("params, message", [
    ({"n_features": 0}, "n_features=0 must be an integer >= 1"),
    ({"n_components": 2.0}, "n_components=2.0 must be an integer >= 1"),
    ({"n_categories": (5, 2)}, r"n_categories=\(5, 2\) must be a pair of integers"),
    ({"n_categories": 3}, "n_categories=3 must be a pair"),
    ({"n_categories": (0, 2)}, "1 <= low <= high"),
    ({"concentration": 0}, "concentration=0 must be a positive number"),
])
def test_latent_class_model_rejects_bad_arguments(params, message):
    with pytest.raises(ValueError, match=message):
        LatentClassModel(**params)


def test_latent_class_model_log_prob_checks_the_columns():
    truth = LatentClassModel(n_features=3, random_state=0)
    with pytest.raises(ValueError, match=r"shape \(n_samples, 3\), got \(2, 4\)"):
        truth.log_prob(np.zeros((2, 4), dtype=int))
