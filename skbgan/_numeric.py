"""Numeric columns: quantile bins learned as categories, decoded to values like the data's.

A numeric column (ages, amounts, measurements) is learned as a discrete
variable: its bins are quantiles of the training values, a value that fills a
whole quantile step (say the zeros of a capital-gains column) gets a bin of its
own, and a sampled bin is decoded to a value drawn from the training values'
own distribution inside that bin (interpolated between stored within-bin
quantiles), rounded to the data's resolution.
"""

import numbers
from decimal import Decimal

import numpy as np

from ._arguments import is_integer
from ._conditions import column_index
from ._encoding import column_name, missing_mask, numbers_of

N_BINS = 20
"""Default number of quantile bins of a numeric column.

Over three seeds 10 and 40 bins did no better on wdbc, diabetes and adult,
and 10 did worse on two measures (docs/experiments.md, "How many bins").
"""

MAX_INTEGER_LABELS = 50
"""Under ``numeric_columns="auto"``, integer columns with more distinct values are numeric."""

_GRID = 33
"""Within-bin quantiles stored per bin, between which decoded values are interpolated."""

_MAX_DECIMALS = 6


def looks_numeric(values):
    """The ``"auto"`` rule: some value is not an integer, or more than 50 distinct integers."""
    if len(values) == 0:
        return False
    if not np.all(values == np.round(values)):
        return True
    return len(np.unique(values)) > MAX_INTEGER_LABELS


def numeric_columns(X, spec, sample_shape, names=None, frame_dtypes=None):
    """Flat indices of the columns of ``X`` that are learned as numeric.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Labels, as given to ``fit`` (DataFrames as object arrays).
    spec : "auto" or list
        ``"auto"`` applies the rule of :func:`looks_numeric` to each column
        of a table (never to boolean or pandas categorical columns); an n-d
        array is numeric as a whole when it holds a non-integral value. A list
        names the numeric columns (names, flat indices or position tuples).
    sample_shape : tuple of int
    names : sequence of str, optional
    frame_dtypes : dict, optional
        Column dtypes of a DataFrame.

    Raises
    ------
    TypeError
        If a listed column holds something other than numbers.
    ValueError
        If a listed column does not exist.
    """
    if isinstance(spec, str):
        if len(sample_shape) > 1:
            values = numbers_of(X.ravel())
            return list(range(X.shape[1])) if values is not None and not np.all(
                values == np.round(values)) else []
        categorical = [str(d) == "category" for d in (frame_dtypes or {}).values()]
        return [j for j in range(X.shape[1])
                if not (categorical and categorical[j])
                and (values := numbers_of(X[:, j])) is not None and looks_numeric(values)]
    columns = []
    for key in spec:
        j = column_index(key, names, sample_shape, role="numeric_columns:")
        if numbers_of(X[:, j]) is None:
            raise TypeError(
                f"{column_name(j, sample_shape, names).capitalize()} is listed in "
                "numeric_columns but does not hold numbers only."
            )
        columns.append(j)
    return sorted(set(columns))


def bin_counts(n_bins, columns, sample_shape, names=None):
    """Each numeric column's number of bins: ``n_bins``, or its per-column override."""
    if isinstance(n_bins, numbers.Integral):
        return dict.fromkeys(columns, int(n_bins))
    counts = dict.fromkeys(columns, N_BINS)
    for key, count in n_bins.items():
        j = column_index(key, names, sample_shape, role="n_bins:")
        name = column_name(j, sample_shape, names)
        if j not in counts:
            raise ValueError(f"n_bins sets {name}, which is not a numeric column.")
        if not is_integer(count) or count < 2:
            raise ValueError(f"n_bins for {name} is {count!r}; it must be an integer >= 2.")
        counts[j] = int(count)
    return counts


def _decimals(values):
    """Fewest decimals (up to 6) that write every value, or None for continuous data."""
    values = values[:: max(1, len(values) // 10_000)]
    for d in range(_MAX_DECIMALS + 1):
        scaled = values * 10.0**d
        if np.allclose(scaled, np.round(scaled), rtol=0, atol=1e-6):
            return d
    return None


class BinnedColumn:
    """Quantile bins of one numeric column, and values drawn inside each bin.

    Attributes
    ----------
    lower : ndarray of shape (n_bins,)
        Smallest training value of each bin; bin ``k`` holds values from
        ``lower[k]`` up to, not including, ``lower[k + 1]``.
    grid : ndarray of shape (n_bins, 33)
        Quantiles of the training values inside each bin.
    decimals : int or None
        Decimals that decoded values are rounded to (0 for integers), None
        when the data has no fixed resolution.
    decimal : bool
        Whether the training values were ``decimal.Decimal`` (a database's
        NUMERIC column read by pandas), which decoded values are given back as.
    """

    def __init__(self, lower, grid, decimals, decimal=False):
        self.lower = np.asarray(lower, dtype=np.float64)
        self.grid = np.asarray(grid, dtype=np.float64).reshape(len(self.lower), _GRID)
        self.decimals = decimals
        self.decimal = bool(decimal)

    @classmethod
    def fit(cls, values, n_bins, weights=None, decimal=False):
        """Bins of the finite float64 ``values`` (at least one), each value counted by its weight.

        ``weights`` (positive, one per value) makes the quantiles those of
        the weighted values; None counts every value once. ``decimal``: the
        values were ``decimal.Decimal`` (see the class's attributes).
        """
        order = np.argsort(values, kind="stable")
        v = values[order]
        w = None if weights is None else np.asarray(weights, dtype=np.float64)[order]
        distinct, inverse = np.unique(v, return_inverse=True)
        mass = np.bincount(inverse, weights=w)
        atoms = distinct[mass * n_bins >= mass.sum()]
        after = np.searchsorted(v, atoms, side="right")
        kept = ~np.isin(v, atoms)
        rest = v[kept]
        steps = np.linspace(0, 1, max(n_bins - len(atoms), 1) + 1)[1:-1]
        cuts = _quantiles(rest, None if w is None else w[kept], steps) if len(rest) else []
        starts = np.concatenate([[v[0]], rest[np.searchsorted(rest, cuts)], atoms,
                                 v[after[after < len(v)]]])
        lower = np.unique(starts)
        bounds = np.searchsorted(v, lower)[1:]
        parts = zip(np.split(v, bounds), [None] * len(lower) if w is None else np.split(w, bounds))
        grid = [_quantiles(part, part_weights, np.linspace(0, 1, _GRID))
                for part, part_weights in parts]
        return cls(lower, grid, _decimals(v), decimal)

    @property
    def n_bins(self):
        return len(self.lower)

    @property
    def edges(self):
        """Bin edges: each bin's smallest training value, then the largest value."""
        return np.append(self.lower, self.grid[-1, -1])

    def bins(self, values):
        """Bin of each finite value; values outside the training range go to the end bins."""
        return np.clip(np.searchsorted(self.lower, values, side="right") - 1, 0, self.n_bins - 1)

    def draw(self, bins, rng):
        """A value inside each bin, following the training values there."""
        position = rng.random(len(bins)) * (_GRID - 1)
        step = np.minimum(position.astype(np.int64), _GRID - 2)
        fraction = position - step
        values = (1 - fraction) * self.grid[bins, step] + fraction * self.grid[bins, step + 1]
        if self.decimals is not None:
            values = np.round(values, self.decimals)
        return self.as_values(np.clip(values, self.grid[bins, 0], self.grid[bins, -1]))

    def medians(self):
        """Each bin's median training value at the column's resolution (``predict``'s value)."""
        medians = self.grid[:, _GRID // 2]
        return self.as_values(medians if self.decimals is None
                              else np.round(medians, self.decimals))

    def as_values(self, values):
        """Float64 ``values`` as the column's: Decimals of its decimals where the training
        values were Decimals (an object array), else the floats themselves."""
        if not self.decimal:
            return values
        text = repr if self.decimals is None else f"{{:.{self.decimals}f}}".format
        out = np.empty(len(values), dtype=object)
        out[:] = [Decimal(text(float(v))) for v in values]
        return out

    def to_json(self):
        return {"lower": self.lower.tolist(), "grid": self.grid.ravel().tolist(),
                "decimals": self.decimals, "decimal": self.decimal}

    @classmethod
    def from_json(cls, data):  # files before Decimal columns have no "decimal"
        return cls(data["lower"], data["grid"], data["decimals"], data.get("decimal", False))


def _quantiles(values, weights, q):
    """Quantiles ``q`` of sorted ``values``: interpolated, or with ``weights`` of their weighted CDF.

    The weighted quantile is the smallest value whose cumulative weight
    reaches ``q`` of the total (the inverse CDF), as no interpolation weighs
    two values of different weights fairly.
    """
    if weights is None:
        return np.quantile(values, q)
    cumulative = np.cumsum(weights)
    position = np.searchsorted(cumulative, np.asarray(q) * cumulative[-1], side="left")
    return values[np.minimum(position, len(values) - 1)]


def fit_bins(X, counts, weights=None):
    """The fitted bins of each numeric column of ``X`` that holds a value, from ``counts``.

    ``weights`` (one per row, positive) weighs each row's value in the quantiles.
    """
    bins = {}
    for j, count in counts.items():
        values = numbers_of(X[:, j])
        if not len(values):
            continue
        observed = ~missing_mask(X[:, j])
        present = None if weights is None else weights[observed]
        decimal = X.dtype.kind == "O" and all(isinstance(v, Decimal) for v in X[observed, j])
        bins[j] = BinnedColumn.fit(values, count, present, decimal)
    return bins
