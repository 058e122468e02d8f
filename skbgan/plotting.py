"""Plots of generated data (needs the ``plot`` extra: matplotlib)."""

import numpy as np


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - exercised only without matplotlib
        raise ImportError(
            "Plotting needs matplotlib: pip install 'skbgan[plot]'."
        ) from None
    return plt


def plot_sample_grid(images, n_cols=10, cmap="gray_r", ax=None):
    """Show image-shaped samples as a grid.

    Parameters
    ----------
    images : array-like of shape (n_images, height, width)
        E.g. ``DiscreteBGAN.sample`` of a model fitted on quantised images.
    n_cols : int, default=10
        Images per row of the grid.
    cmap : str, default="gray_r"
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when not given.

    Returns
    -------
    ax : matplotlib Axes
    """
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(
            f"Expected images of shape (n_images, height, width), got {images.shape}."
        )
    n, h, w = images.shape
    n_rows = -(-n // n_cols)
    canvas = np.full((n_rows * (h + 1) - 1, n_cols * (w + 1) - 1), np.nan)
    for i, image in enumerate(images):
        r, c = divmod(i, n_cols)
        canvas[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = image
    if ax is None:
        plt = _pyplot()
        _, ax = plt.subplots(figsize=(n_cols * 0.6, n_rows * 0.6))
    ax.imshow(canvas, cmap=cmap, interpolation="nearest")
    ax.set_axis_off()
    return ax
