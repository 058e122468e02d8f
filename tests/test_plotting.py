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


def test_sample_grid_shows_palette_indices_in_colour():
    palette = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    images = np.array([[[0, 1]], [[1, 1]]])  # two 1x2 images
    canvas = plot_sample_grid(images, n_cols=2, palette=palette).get_images()[0].get_array()
    assert canvas.shape == (1, 5, 3)
    np.testing.assert_array_equal(canvas[0, [0, 1, 3]], palette[[0, 1, 1]])
    with pytest.raises(ValueError, match="a colour for every value 0 .. 1"):
        plot_sample_grid(images, palette=palette[:1])


def test_sample_grid_shows_rgb_channels():
    images = np.zeros((2, 1, 2, 3), dtype=np.uint8)  # samples of a model fitted on (H, W, 3)
    images[0, 0, 0] = [255, 0, 0]
    images[1, 0, 1] = [0, 0, 255]
    canvas = plot_sample_grid(images, n_cols=2).get_images()[0].get_array()
    assert canvas.shape == (1, 5, 3)
    np.testing.assert_array_equal(canvas[0], [[1, 0, 0], [0, 0, 0], [1, 1, 1],  # white gap
                                              [0, 0, 0], [0, 0, 1]])
    as_floats = plot_sample_grid(images / 255.0, n_cols=2).get_images()[0].get_array()
    np.testing.assert_array_equal(as_floats, canvas)
    with pytest.raises(ValueError, match="integers from 0 to 255 or floats in"):
        plot_sample_grid(images * 2.0)
    with pytest.raises(ValueError, match="have RGB channels already"):
        plot_sample_grid(images, palette=np.eye(3))


def test_sample_grid_rejects_tables_no_images_and_text():
    with pytest.raises(ValueError, match=r"shape \(n_images, height, width\)"):
        plot_sample_grid(np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"at least one; got \(0, 2, 2\)"):
        plot_sample_grid(np.zeros((0, 2, 2)))
    with pytest.raises(TypeError, match="must hold numbers"):
        plot_sample_grid(np.full((1, 2, 2), "a"))


def test_history_curves_have_one_line_per_entry(labels, tiny):
    from sklearn.exceptions import NotFittedError

    from skbgan import DiscreteBGAN
    from skbgan.plotting import plot_history

    est = DiscreteBGAN(**{**tiny, "epochs": 3}, validation_fraction=0.2).fit(labels)
    axes = plot_history(est.history_)
    assert len(axes) == 4
    losses = axes[0].get_lines()
    assert [line.get_label() for line in losses] == [
        "critic_loss", "generator_loss", "likelihood_loss"]
    np.testing.assert_allclose(axes[2].get_lines()[0].get_ydata(),
                               [h["validation_log_likelihood"] for h in est.history_])
    assert len(plot_history(DiscreteBGAN(**tiny).fit(labels).history_)) == 2
    assert len(plot_history(est)) == 4  # the estimator itself
    with pytest.raises(ValueError, match="history is empty"):
        plot_history([])
    with pytest.raises(NotFittedError):
        plot_history(DiscreteBGAN())


def test_frequency_bars_match_the_data():
    import pandas as pd

    from skbgan.plotting import plot_frequencies

    real = pd.DataFrame({"a": ["x", "x", "y", None], "b": [1, 2, 3, 4]})
    synthetic = pd.DataFrame({"a": ["y", "y", "y", "z"], "b": [1, 1, 1, 1]})
    axes = plot_frequencies(real, synthetic, max_categories=2)
    bars = axes.flat[0].patches
    heights = [bar.get_height() for bar in bars]
    # real: x 0.5, y 0.25, other (None) 0.25; synthetic: x 0, y 0.75, other (z) 0.25
    np.testing.assert_allclose(heights, [0.5, 0.25, 0.25, 0.0, 0.75, 0.25])
    ticks = [t.get_text() for t in axes.flat[0].get_xticklabels()]
    assert ticks == ["x", "y", "other"]
    assert axes.flat[1].get_title() == "b"
    with pytest.raises(ValueError, match="real has 2 columns but synthetic has 1"):
        plot_frequencies(real.to_numpy(), synthetic[["a"]].to_numpy())
    with pytest.raises(ValueError, match=r"different columns: \['b'\] missing"):
        plot_frequencies(real, synthetic[["a"]])
    with pytest.raises(ValueError, match=r"columns=\['c'\]: no such column"):
        plot_frequencies(real, synthetic, columns=["c"])


def test_frequency_bars_of_a_numeric_column_are_its_bins_in_order():
    import pandas as pd

    from skbgan.plotting import plot_frequencies

    values = np.random.default_rng(0).normal(size=400)
    real = pd.DataFrame({"x": values})
    synthetic = pd.DataFrame({"x": np.r_[values[:200], [np.nan] * 200]})
    axes = plot_frequencies(real, synthetic)
    ticks = [t.get_text() for t in axes.flat[0].get_xticklabels()]
    assert len(ticks) == 21 and ticks[-1] == "missing"  # 20 bins, then the missing values
    lows = [float(t) for t in ticks[:-1]]
    assert lows == sorted(lows) and lows[0] == pytest.approx(values.min(), rel=1e-2)
    heights = [bar.get_height() for bar in axes.flat[0].patches]
    np.testing.assert_allclose(heights[:20], 0.05, atol=0.01)  # quantile bins of the real
    assert heights[20] == 0 and heights[-1] == 0.5  # real / synthetic share missing
