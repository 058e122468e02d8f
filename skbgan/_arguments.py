"""Checks of the plain arguments of public functions: counts and other integers."""

import numbers


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
