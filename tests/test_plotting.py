"""Plots of generated data."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from skbgan.plotting import plot_sample_grid  # noqa: E402


def test_sample_grid_lays_images_out_with_gaps():
    images = np.arange(3 * 2 * 2).reshape(3, 2, 2)
    ax = plot_sample_grid(images, n_cols=2)
    canvas = ax.get_images()[0].get_array()
    assert canvas.shape == (2 * 3 - 1, 2 * 3 - 1)  # 2 rows x 2 columns of 2x2, 1-pixel gaps
    np.testing.assert_array_equal(canvas[:2, 3:5], images[1])


def test_sample_grid_rejects_tables():
    with pytest.raises(ValueError, match=r"shape \(n_images, height, width\)"):
        plot_sample_grid(np.zeros((4, 5)))
