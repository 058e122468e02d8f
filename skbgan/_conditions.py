"""What users condition on, checked and turned into codes: columns, labels, distributions, gaps."""

import reprlib
import warnings
from collections.abc import Mapping

import numpy as np

from ._arguments import is_integer
from ._encoding import (
    LABEL_TYPES,
    UNSEEN,
    column_name,
    is_missing,
    is_number,
    is_series,
    plain,
)


def column_index(key, names, shape, role="Condition on"):
    """Flat column index of a key: a column name, a flat index or a position tuple.

    ``role`` starts error messages, e.g. ``"Condition on"`` or ``"Target"``.
    """
    n_features = int(np.prod(shape))
    if isinstance(key, str):
        if names is None:
            raise ValueError(
                f"{role} {key!r}: columns are named only when fit was given a "
                "DataFrame; use column indices."
            )
        matches = np.flatnonzero(np.asarray(names, dtype=object) == key)
        if len(matches) == 0:
            raise ValueError(
                f"{role} {key!r}: no such column; columns are {list(names)}."
            )
        return int(matches[0])
    if is_integer(key):
        if not 0 <= key < n_features:
            raise ValueError(
                f"{role} column {key}: indices run from 0 to {n_features - 1}."
            )
        return int(key)
    if isinstance(key, tuple) and len(key) == len(shape) and all(
        is_integer(i) for i in key
    ):
        if not all(0 <= i < n for i, n in zip(key, shape)):
            raise ValueError(f"{role} {key}: outside samples of shape {shape}.")
        return int(np.ravel_multi_index(key, shape))
    raise TypeError(
        f"{role} {key!r}: the key must be a column name, a column index or a position "
        f"tuple in samples of shape {shape}."
    )


def as_mapping(labels):
    """A pandas Series as the dict of its index to its values; anything else unchanged.

    So that ``sample`` takes a DataFrame row (``df.iloc[0]``) as conditions and
    ``value_counts(normalize=True)`` as a distribution.
    """
    return labels.to_dict() if is_series(labels) else labels


def resolve_conditions(conditions, codec, names=None, dtypes=None):
    """Flat columns and codes that ``conditions`` fix.

    Parameters
    ----------
    conditions : mapping
        Column (name, flat index, or position tuple for n-d samples) to label.
    codec : CategoricalCodec
    names : sequence of str, optional
        Column names (``feature_names_in_``).
    dtypes : sequence of dtype, optional
        Each flat column's dtype in ``sample``'s output (a DataFrame's
        columns'); by default the codec's one dtype.

    Returns
    -------
    fixed : tuple of (ndarray of int, ndarray of int64) or None
        The columns and their codes; None when ``conditions`` is empty.

    Raises
    ------
    TypeError
        If ``conditions`` is not a mapping, a key is neither name nor index,
        or a value is not one label (a number, a string or a missing value).
    ValueError
        If a column does not exist, is fixed twice, a label was never seen
        in ``fit`` (the model gives it probability zero), or a numeric
        column's value is one its dtype cannot hold (30.5 in a column of
        integers).
    """
    if not isinstance(conditions, Mapping):
        raise TypeError(
            f"conditions must be a dict of column to label, got {type(conditions).__name__}; "
            "to give each row its own values, pass rows with missing cells to impute."
        )
    if not conditions:
        return None
    shape = codec.sample_shape
    columns, codes = [], []
    for key, label in conditions.items():
        j = column_index(key, names, shape)
        if j in columns:
            raise ValueError(f"{column_name(j, shape, names).capitalize()} is conditioned twice.")
        columns.append(j)
        codes.append(_known_code(codec, j, label, names, "Condition"))
        if j in codec.numeric and not is_missing(label):
            _check_holds(codec.dtype if dtypes is None else dtypes[j], label,
                         column_name(j, shape, names))
    return np.array(columns, dtype=np.int64), np.array(codes, dtype=np.int64)


def _check_holds(dtype, value, name):
    """Raise unless a numeric column of ``dtype`` holds ``value`` exactly (sample returns it).

    Only integer dtypes (numpy's and pandas' nullable ones) can fail: floats
    hold any finite number, to their precision, and object columns anything.
    """
    integer = getattr(dtype, "numpy_dtype", dtype)  # pandas' Int64 and the like
    if getattr(integer, "kind", "O") not in "iu":
        return
    bounds = np.iinfo(integer)
    if not float(value).is_integer():
        raise ValueError(
            f"Condition {name} = {reprlib.repr(plain(value))} is not a whole number, but "
            f"the column holds integers ({dtype}), and sample returns the value asked for."
        )
    if not bounds.min <= value <= bounds.max:
        raise ValueError(
            f"Condition {name} = {reprlib.repr(plain(value))} is outside what the column's "
            f"dtype {dtype} holds ({bounds.min} to {bounds.max})."
        )


def _known_code(codec, j, label, names, role):
    """Code of a label that ``fit`` saw, or an error naming the column."""
    name = column_name(j, codec.sample_shape, names)
    if not isinstance(label, LABEL_TYPES) and not is_missing(label):
        raise TypeError(
            f"{role} {name} is given {type(label).__name__} {reprlib.repr(label)}, not one "
            "label (a number or a string); to give each row its own values, pass rows with "
            "missing cells to impute."
        )
    code = codec.encode_label(j, label)
    if code == UNSEEN:
        if j in codec.numeric:  # its categories are bin numbers, which mean nothing to a user
            low, high = codec.numeric[j].edges[[0, -1]]
            if not is_missing(label) and not is_number(label):
                raise ValueError(
                    f"{role} {name} = {reprlib.repr(plain(label))} is not a number; this "
                    f"numeric column holds numbers from {low:g} to {high:g}."
                )
            seen = f"Values of this numeric column: numbers from {low:g} to {high:g}."
        else:
            shown = [plain(c) for c in codec.categories[j][:10]]
            shown += ["..."] if codec.cardinalities[j] > 10 else []
            seen = f"Labels of this column: {shown}."
        raise ValueError(
            f"{role} {name} = {reprlib.repr(plain(label))} is impossible: "
            f"the label was never seen in fit, so the model gives it probability zero. {seen}"
        )
    return code


def resolve_distribution(distribution, codec, names=None, fixed=None):
    """The column, codes and probabilities of ``sample``'s ``distribution``.

    Parameters
    ----------
    distribution : mapping
        One column (name, flat index or position tuple) to a mapping (or
        pandas Series) of its labels to probabilities; labels left out get
        probability zero.
    codec : CategoricalCodec
    names : sequence of str, optional
    fixed : tuple of (ndarray, ndarray), optional
        The columns and codes that ``conditions`` fix.

    Returns
    -------
    column : int
    codes : ndarray of int64
    probabilities : ndarray of float64
        Summing to one.

    Raises
    ------
    TypeError
        If ``distribution`` or its value is not a mapping.
    ValueError
        If it names no column or several, an unknown label, or probabilities
        that are negative or do not sum to one.
    """
    if not isinstance(distribution, Mapping) or len(distribution) != 1:
        raise TypeError(
            "distribution must be a dict of one column to a dict of its labels' "
            f"probabilities, e.g. {{'sex': {{'F': 0.5, 'M': 0.5}}}}; got {distribution!r}."
        )
    ((key, probabilities),) = distribution.items()
    probabilities = as_mapping(probabilities)
    j = column_index(key, names, codec.sample_shape, role="Distribution of")
    name = column_name(j, codec.sample_shape, names)
    if fixed is not None and j in fixed[0]:
        raise ValueError(
            f"{name.capitalize()} is both conditioned and rebalanced; give it in conditions "
            "or in distribution, not both."
        )
    if not isinstance(probabilities, Mapping) or not probabilities:
        raise TypeError(
            f"The distribution of {name} must be a non-empty dict of label to probability."
        )
    codes = np.array([_known_code(codec, j, label, names, "Distribution of")
                      for label in probabilities], dtype=np.int64)
    try:
        p = np.array(list(probabilities.values()), dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"The probabilities of {name} must be numbers.") from None
    if not np.isfinite(p).all() or (p < 0).any():
        raise ValueError(
            f"The probabilities of {name} must be finite and non-negative; got {p.tolist()}."
        )
    if not np.isclose(p.sum(), 1.0, atol=1e-6):
        raise ValueError(f"The probabilities of {name} must sum to 1; they sum to {p.sum():.6g}.")
    return j, codes, p / p.sum()


def partial_rows(X, missing, codec, check, names=None, ignored=None):
    """Codes of rows with gaps, and which of their cells to condition on.

    Parameters
    ----------
    X : array-like or DataFrame
    missing : ndarray of bool of shape (n_samples, n_features) or None
        Cells not to condition on (None: every cell is conditioned on).
    codec : CategoricalCodec
    check : callable
        Validates rows as ``score`` does and returns them flattened to 2-d.
    names : sequence of str, optional
    ignored : int or None
        A column never conditioned on (a prediction target).

    Returns
    -------
    codes : ndarray of shape (n_samples, n_features)
        Zero where not conditioned on.
    observed : ndarray of bool
        Cells that are neither missing, nor labels never seen in fit (these
        warn, naming their columns), nor ``ignored``.
    """
    raw = X if hasattr(X, "iloc") else np.asarray(X)
    if missing is None:
        missing = np.zeros((len(raw), len(codec.categories)), dtype=bool)
    if not hasattr(raw, "iloc") and missing.any():
        # Stand-in labels pass the checks; they are never conditioned on. An array of
        # nothing but gaps (NaN: float) says nothing of the labels' dtype: the fitted one.
        stand_in = np.array([p[0] if len(p) else 0 for p in codec.present], dtype=object)
        flat = raw.reshape(len(raw), -1)
        dtype = codec.dtype if missing.all() else flat.dtype
        raw = np.where(missing, stand_in[None, :], flat).astype(dtype).reshape(raw.shape)
    codes = codec.encode(check(raw))
    not_conditioned = missing.copy()
    if ignored is not None:
        not_conditioned[:, ignored] = True
    unseen = (codes == UNSEEN) & ~not_conditioned
    if unseen.any():
        columns = [column_name(j, codec.sample_shape, names)
                   for j in np.flatnonzero(unseen.any(axis=0))]
        warnings.warn(
            f"{int(unseen.sum())} observed cells hold labels never seen in fit (in "
            f"{', '.join(columns)}); they are not conditioned on.",
            UserWarning,
            stacklevel=3,  # the caller of impute or predict_proba
        )
    observed = ~not_conditioned & ~unseen
    return np.where(observed, codes, 0).astype(codes.dtype), observed
