"""Plots of generated data (needs the ``plot`` extra: matplotlib)."""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["plot_sample_grid", "plot_history", "plot_frequencies"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - exercised only without matplotlib
        raise ImportError(
            "Plotting needs matplotlib: pip install 'skbgan[plot]'."
        ) from None
    return plt


def plot_sample_grid(images, n_cols=10, cmap="gray_r", palette=None, ax=None):
    """Show image-shaped samples as a grid.

    Parameters
    ----------
    images : array-like of shape (n_images, height, width) or (n_images, height, width, 3)
        E.g. ``DiscreteBGAN.sample`` of a model fitted on quantised images:
        grey levels or palette indices, or RGB channels (integers 0 to 255,
        or floats in [0, 1]).
    n_cols : int, default=10
        Images per row of the grid.
    cmap : str, default="gray_r"
        Colour map of grey-level images (without ``palette``).
    palette : array-like of shape (n_colours, 3), optional
        RGB colours (in [0, 1]) of the values ``0 .. n_colours - 1``: images of
        palette indices are shown in colour.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when not given.

    Returns
    -------
    ax : matplotlib Axes
    """
    images = np.asarray(images)
    rgb = images.ndim == 4 and images.shape[-1] == 3
    if not (images.ndim == 3 or rgb) or len(images) == 0:
        raise ValueError(
            f"Expected images of shape (n_images, height, width), or (n_images, height, "
            f"width, 3) of RGB channels, at least one; got {images.shape}."
        )
    if images.dtype.kind not in "biuf":
        raise TypeError(f"Images must hold numbers (grey levels, palette indices or RGB "
                        f"channels), not {images.dtype}.")
    if rgb:
        if palette is not None:
            raise ValueError("palette colours images of palette indices, (n_images, height, "
                             "width); these images have RGB channels already.")
        images = images / 255.0 if images.dtype.kind in "biu" else images.astype(np.float64)
        if images.min() < 0 or images.max() > 1:
            raise ValueError("RGB channels must be integers from 0 to 255 or floats in [0, 1].")
    n, h, w = images.shape[:3]
    n_rows = -(-n // n_cols)
    if palette is not None:
        palette = np.asarray(palette, dtype=np.float64)
        if palette.ndim != 2 or palette.shape[1] != 3 or images.min() < 0 or (
            images.max() >= len(palette)
        ):
            raise ValueError(
                f"palette must be an (n_colours, 3) array with a colour for every value "
                f"0 .. {images.max()} of the images; got shape {palette.shape}."
            )
    coloured = rgb or palette is not None
    canvas = np.full((n_rows * (h + 1) - 1, n_cols * (w + 1) - 1, *((3,) if coloured else ())),
                     1.0 if coloured else np.nan)
    for i, image in enumerate(images):
        r, c = divmod(i, n_cols)
        canvas[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = (
            image if palette is None else palette[image])
    if ax is None:
        plt = _pyplot()
        _, ax = plt.subplots(figsize=(n_cols * 0.6, n_rows * 0.6))
    ax.imshow(canvas, cmap=None if coloured else cmap, interpolation="nearest")
    ax.set_axis_off()
    return ax


def plot_history(history, ax=None):
    """Training curves: every entry of ``DiscreteBGAN.history_`` per epoch.

    Losses share the left axis; the validation measures, when the model was
    fitted with ``validation_fraction``, get panels of their own.

    Parameters
    ----------
    history : list of dict, or a fitted DiscreteBGAN
        ``history_`` of a fitted estimator, or the estimator itself.
    ax : matplotlib Axes or array of Axes, optional
        One Axes per panel (2, or 4 with validation measures); new ones by default.

    Returns
    -------
    axes : ndarray of matplotlib Axes
    """
    if hasattr(history, "fit"):  # the estimator
        check_is_fitted(history)
        history = history.history_
    if not history:
        raise ValueError("history is empty: fit the estimator first.")
    panels = [("critic_loss", "generator_loss", "likelihood_loss"), ("weight_ess",)]
    if "validation_log_likelihood" in history[0]:
        panels += [("validation_log_likelihood",), ("validation_marginal_tv",)]
    if ax is None:
        plt = _pyplot()
        _, ax = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 3))
    axes = np.atleast_1d(ax)
    if len(axes) != len(panels):
        raise ValueError(f"Expected {len(panels)} Axes for this history, got {len(axes)}.")
    epochs = np.arange(1, len(history) + 1)
    for axis, names in zip(axes, panels):
        for name in names:
            axis.plot(epochs, [record[name] for record in history], label=name)
        axis.set_xlabel("epoch")
        if len(names) > 1:
            axis.legend(fontsize="small")
        else:
            axis.set_title(names[0], fontsize="medium")
    return axes


def plot_frequencies(real, synthetic, columns=None, max_categories=15, n_cols=3):
    """Real versus synthetic category frequencies, one bar chart per column.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_samples, n_features) or DataFrame
        Rows in the same labels and columns (DataFrames are matched by
        column name), e.g. held-out data and ``DiscreteBGAN.sample``.
    columns : list of int or str, optional
        Columns to show (names for DataFrames); all by default.
    max_categories : int, default=15
        The most frequent real categories shown per column; the rest are
        summed into "other". A numeric column (as :mod:`skbgan.metrics`
        tells one) shows its 20 quantile bins of the real values in order,
        each labelled by its smallest value, and a bar for missing values.
    n_cols : int, default=3
        Panels per row of the figure.

    Returns
    -------
    axes : ndarray of matplotlib Axes
    """
    from .metrics import _aligned, _as_2d, _column_codes

    real, synthetic = _aligned([real, synthetic])  # DataFrames: by column name
    names = list(real.columns) if hasattr(real, "columns") else None
    R, S = _as_2d(real), _as_2d(synthetic)
    if R.shape[1] != S.shape[1]:
        raise ValueError(
            f"real has {R.shape[1]} columns but synthetic has {S.shape[1]}."
        )
    available = names if names is not None else list(range(R.shape[1]))
    if columns is None:
        columns = available
    unknown = [c for c in columns if c not in available]
    if unknown:
        raise ValueError(f"columns={unknown!r}: no such column; columns are {available}.")
    positions = [names.index(c) if names is not None else int(c) for c in columns]
    plt = _pyplot()
    n_rows = -(-len(positions) // n_cols)
    fig, axes = plt.subplots(n_rows, min(n_cols, len(positions)), squeeze=False,
                             figsize=(3.6 * min(n_cols, len(positions)), 2.6 * n_rows))
    for axis in axes.flat[len(positions):]:
        axis.set_visible(False)
    for axis, column, j in zip(axes.flat, columns, positions):
        (r, s), n, bins = _column_codes(R[:, j], S[:, j])
        p = np.bincount(r, minlength=n) / max(len(r), 1)
        q = np.bincount(s, minlength=n) / max(len(s), 1)
        if bins is None:  # the most frequent real labels, the rest as "other"
            label_of = {}
            for code, label in zip(np.concatenate([r, s]), np.concatenate([R[:, j], S[:, j]])):
                label_of.setdefault(code, str(label))
            order = np.argsort(-p, kind="stable")
            shown, rest = order[:max_categories], order[max_categories:]
        else:  # every bin in order, by its smallest value; missing values last if any
            label_of = {**dict(enumerate(f"{edge:.3g}" for edge in bins.lower)),
                        bins.n_bins: "missing"}
            shown = np.arange(n if p[-1] or q[-1] else n - 1)
            rest = []
        ticks = [label_of[k] for k in shown]
        p_shown, q_shown = p[shown], q[shown]
        if len(rest):
            ticks.append("other")
            p_shown = np.append(p_shown, p[rest].sum())
            q_shown = np.append(q_shown, q[rest].sum())
        x = np.arange(len(ticks))
        axis.bar(x - 0.2, p_shown, width=0.4, label="real")
        axis.bar(x + 0.2, q_shown, width=0.4, label="synthetic")
        axis.set_xticks(x, ticks, rotation=90 if len(ticks) > 6 else 0, fontsize="small")
        axis.set_title(str(column), fontsize="medium")
    axes.flat[0].legend(fontsize="small")
    fig.tight_layout()
    return axes
