"""Synthetic categorical data with a known distribution."""

import numpy as np
from scipy.special import logsumexp
from sklearn.utils import check_random_state


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
