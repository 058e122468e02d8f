"""Categorical data for examples and benchmarks: a model with known likelihood, palette images."""

import numbers

import numpy as np
from scipy.special import logsumexp
from sklearn.utils import check_random_state

from ._arguments import check_integer, is_integer

__all__ = ["LatentClassModel", "load_palette_patches"]


class LatentClassModel:
    """A mixture of products of categoricals, with exact likelihood.

    Each row picks one of ``n_components`` classes, then draws each column
    independently from that class's categorical distribution. Class weights
    and per-class column distributions are drawn from symmetric Dirichlet
    distributions.

    Parameters
    ----------
    n_features : int, default=30
    n_categories : (int, int), default=(2, 12)
        Inclusive range of the number of categories per column.
    n_components : int, default=20
    concentration : float, default=0.3
        Dirichlet concentration; small values give peaked, distinct classes.
    random_state : int, RandomState instance or None, default=0

    Raises
    ------
    ValueError
        If a count is not a positive integer, ``n_categories`` is not a pair
        ``1 <= low <= high`` or ``concentration`` is not positive.

    Attributes
    ----------
    cardinalities : ndarray of shape (n_features,)
    weights : ndarray of shape (n_components,)
    probabilities : list of ndarray of shape (n_components, n_categories_j)

    Examples
    --------
    >>> from skbgan.datasets import LatentClassModel
    >>> truth = LatentClassModel(n_features=5, random_state=0)
    >>> X = truth.sample(100, random_state=1)
    >>> X.shape, truth.log_prob(X).shape
    ((100, 5), (100,))
    """

    def __init__(self, n_features=30, n_categories=(2, 12), n_components=20,
                 concentration=0.3, random_state=0):
        check_integer("n_features", n_features, 1)
        check_integer("n_components", n_components, 1)
        if (np.ndim(n_categories) != 1 or len(n_categories) != 2
                or not all(is_integer(k) for k in n_categories)
                or not 1 <= n_categories[0] <= n_categories[1]):
            raise ValueError(f"n_categories={n_categories!r} must be a pair of integers "
                             "(low, high) with 1 <= low <= high.")
        if not isinstance(concentration, numbers.Real) or not concentration > 0:
            raise ValueError(f"concentration={concentration!r} must be a positive number.")
        rng = check_random_state(random_state)
        low, high = n_categories
        self.cardinalities = rng.randint(low, high + 1, size=n_features)
        self.weights = rng.dirichlet(np.full(n_components, 1.0))
        self.probabilities = [
            rng.dirichlet(np.full(k, concentration), size=n_components)
            for k in self.cardinalities
        ]

    def sample(self, n_samples, random_state=None):
        """Draw ``(n_samples, n_features)`` integer rows."""
        rng = check_random_state(random_state)
        component = rng.choice(len(self.weights), size=n_samples, p=self.weights)
        X = np.empty((n_samples, len(self.cardinalities)), dtype=np.int64)
        for j, p in enumerate(self.probabilities):
            cdf = np.cumsum(p[component], axis=1)
            u = rng.random_sample((n_samples, 1))
            X[:, j] = np.minimum((u > cdf).sum(axis=1), p.shape[1] - 1)
        return X

    def log_prob(self, X):
        """Exact ``log p(x)`` of each row, ``(n_samples,)``; ``-inf`` off the support."""
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != len(self.cardinalities):
            raise ValueError(f"Expected rows of shape (n_samples, {len(self.cardinalities)}), "
                             f"got {X.shape}.")
        with np.errstate(divide="ignore"):
            joint = np.log(self.weights)[None, :].repeat(len(X), axis=0)
            for j, p in enumerate(self.probabilities):
                inside = (X[:, j] >= 0) & (X[:, j] < p.shape[1])
                logp = np.full((len(X), len(self.weights)), -np.inf)
                logp[inside] = np.log(p[:, X[inside, j]].T)
                joint += logp
        return logsumexp(joint, axis=1)

    def entropy(self, n_samples=100_000, random_state=0):
        """Monte-Carlo estimate of the entropy ``-E log p(x)``, in nats."""
        return float(-self.log_prob(self.sample(n_samples, random_state)).mean())


def load_palette_patches(n_patches=6000, *, n_colors=16, size=32, random_state=0):
    """Square patches of scikit-learn's two sample photos, quantised to a k-means palette.

    The boundary-seeking GAN paper's 16-colour image setting, from data that
    ships with scikit-learn (:func:`sklearn.datasets.load_sample_images`):
    the palette is a k-means clustering of 20,000 pixels of the photos (as in
    scikit-learn's colour-quantisation example), and each patch is cut at a
    random place of a random photo, every pixel replaced by the index of its
    nearest palette colour. With one ``random_state``, the first ``k``
    patches are the same whatever ``n_patches``.

    Parameters
    ----------
    n_patches : int, default=6000
    n_colors : int, default=16
        Palette size: pixels are categories ``0 .. n_colors - 1``.
    size : int, default=32
        Side of a patch, in pixels.
    random_state : int, RandomState instance or None, default=0

    Returns
    -------
    indices : ndarray of shape (n_patches, size, size), int64
        Palette index of every pixel.
    palette : ndarray of shape (n_colors, 3)
        RGB colours in ``[0, 1]``, e.g. for
        :func:`skbgan.plotting.plot_sample_grid`'s ``palette``.

    Examples
    --------
    >>> from skbgan.datasets import load_palette_patches
    >>> indices, palette = load_palette_patches(10, size=16)
    >>> indices.shape, palette.shape
    ((10, 16, 16), (16, 3))
    """
    from sklearn.cluster import KMeans
    from sklearn.datasets import load_sample_images

    for name, value, low, high in [("n_patches", n_patches, 1, None),
                                   ("n_colors", n_colors, 2, 256), ("size", size, 1, 427)]:
        check_integer(name, value, low, high)
    photos = [np.asarray(p, dtype=np.float64) / 255 for p in load_sample_images().images]
    pixels = np.concatenate([p.reshape(-1, 3) for p in photos])
    rng = check_random_state(random_state)
    kmeans = KMeans(n_colors, n_init=4, random_state=rng.randint(2**31))
    kmeans.fit(pixels[rng.choice(len(pixels), 20_000)])
    patches = np.empty((n_patches, size, size, 3))
    for i in range(n_patches):
        photo = photos[rng.randint(len(photos))]
        top, left = rng.randint(photo.shape[0] - size + 1), rng.randint(photo.shape[1] - size + 1)
        patches[i] = photo[top : top + size, left : left + size]
    indices = kmeans.predict(patches.reshape(-1, 3)).reshape(n_patches, size, size)
    return indices.astype(np.int64), kmeans.cluster_centers_.clip(0, 1)
