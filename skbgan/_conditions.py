"""Conditions of ``DiscreteBGAN.sample``: columns and labels to codes."""

import numbers
from collections.abc import Mapping

import numpy as np

from ._encoding import UNSEEN, column_name


def _column_index(key, names, shape):
    """Flat column index of a condition's key: a name, a flat index or a position tuple."""
    n_features = int(np.prod(shape))
    if isinstance(key, str):
        if names is None:
            raise ValueError(
                f"Condition on {key!r}: columns are named only when fit was given a "
                "DataFrame; use column indices."
            )
        matches = np.flatnonzero(np.asarray(names, dtype=object) == key)
        if len(matches) == 0:
            raise ValueError(
                f"Condition on {key!r}: no such column; columns are {list(names)}."
            )
        return int(matches[0])
    if isinstance(key, numbers.Integral) and not isinstance(key, bool):
        if not 0 <= key < n_features:
            raise ValueError(
                f"Condition on column {key}: indices run from 0 to {n_features - 1}."
            )
        return int(key)
    if isinstance(key, tuple) and len(key) == len(shape) and all(
        isinstance(i, numbers.Integral) for i in key
    ):
        if not all(0 <= i < n for i, n in zip(key, shape)):
            raise ValueError(f"Condition on {key}: outside samples of shape {shape}.")
        return int(np.ravel_multi_index(key, shape))
    raise TypeError(
        f"Condition key {key!r} must be a column name, a column index or a position "
        f"tuple in samples of shape {shape}."
    )


def resolve_conditions(conditions, codec, names=None):
    """Flat columns and codes that ``conditions`` fix.

    Parameters
    ----------
    conditions : mapping
        Column (name, flat index, or position tuple for n-d samples) to label.
    codec : CategoricalCodec
    names : sequence of str, optional
        Column names (``feature_names_in_``).

    Returns
    -------
    columns : ndarray of int
    codes : ndarray of int64

    Raises
    ------
    TypeError
        If ``conditions`` is not a mapping or a key is neither name nor index.
    ValueError
        If a column does not exist, is fixed twice, or a label was never seen
        in ``fit`` (the model gives it probability zero).
    """
    if not isinstance(conditions, Mapping):
        raise TypeError(
            f"conditions must be a dict of column to label, got {type(conditions).__name__}."
        )
    shape = codec.sample_shape
    columns, codes = [], []
    for key, label in conditions.items():
        j = _column_index(key, names, shape)
        if j in columns:
            raise ValueError(f"{column_name(j, shape, names).capitalize()} is conditioned twice.")
        code = codec.encode_label(j, label)
        if code == UNSEEN:
            shown = list(codec.categories[j][:10]) + (["..."] if codec.cardinalities[j] > 10 else [])
            raise ValueError(
                f"Condition {column_name(j, shape, names)} = {label!r} is impossible: the "
                f"label was never seen in fit, so the model gives it probability zero. "
                f"Labels of this column: {shown}."
            )
        columns.append(j)
        codes.append(code)
    return np.array(columns, dtype=np.int64), np.array(codes, dtype=np.int64)
