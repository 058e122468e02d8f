"""Checks of the plain arguments of public functions: counts, other integers, row weights."""

import numbers

import numpy as np


def is_integer(value):
    """Whether ``value`` is an integer (numpy's included) and not a boolean."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_integer(name, value, low, high=None):
    """Raise a ``ValueError`` naming ``name`` unless ``low <= value <= high`` is an integer.

    Parameters
    ----------
    name : str
    value : object
    low : int
    high : int or None, default=None
        No upper bound when None.
    """
    if not is_integer(value) or value < low or (high is not None and value > high):
        bound = f"an integer >= {low}" if high is None else f"an integer in [{low}, {high}]"
        raise ValueError(f"{name}={value!r} must be {bound}.")


def check_sample_weight(sample_weight, n_rows, rows="X", name="sample_weight"):
    """``sample_weight`` as the float64 weights of ``n_rows`` rows; raise if unusable.

    Weights must be finite, non-negative and not all zero; a scalar weighs
    every row the same, and booleans are 0 and 1 (a mask of the rows that
    count), as in scikit-learn. ``rows`` names the rows and ``name`` the
    weights in messages.
    """
    weights = np.asarray(sample_weight)
    if weights.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold numbers; got values of dtype {weights.dtype}."
        )
    if weights.ndim == 0:  # one weight for every row, as scikit-learn allows
        weights = np.full(n_rows, weights)
    if weights.shape != (n_rows,):
        raise ValueError(
            f"{name} has shape {weights.shape}, but {rows} has {n_rows} rows: give "
            "one weight per row."
        )
    weights = weights.astype(np.float64)
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{name} must be finite and non-negative; row {i} has weight "
            f"{float(weights[i])!r}."
        )
    if not (weights > 0).any():
        raise ValueError(f"{name} is zero for every row; at least one row must weigh "
                         "more than zero.")
    return weights


def unequal_weights(weights):
    """``weights``, or None when all are equal: the unweighted computation, exactly."""
    return None if np.all(weights == weights[0]) else weights
