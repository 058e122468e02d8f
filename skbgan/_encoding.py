"""Labels <-> integer codes: per-column categories and the shape of a sample."""

import numbers

import numpy as np

UNSEEN = -1
"""Code given to a label that was not seen when the categories were learned."""


def _column_name(index, shape):
    """How an error message names a flat column: ``3`` or ``(1, 2)`` for n-d samples."""
    if len(shape) <= 1:
        return f"column {index}"
    return f"column {tuple(int(i) for i in np.unravel_index(index, shape))}"


def check_labels(X, shape):
    """Check that a 2-d array of labels can be used as categories.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    shape : tuple of int
        Shape of one sample, used to name columns in error messages.

    Raises
    ------
    ValueError
        If a float column holds NaN, infinity or non-integral values.
    TypeError
        If the dtype is not numeric, boolean, string or object.
    """
    kind = X.dtype.kind
    if kind == "f":
        bad = ~np.isfinite(X)
        if bad.any():
            column = int(np.flatnonzero(bad.any(axis=0))[0])
            raise ValueError(
                f"Input contains NaN or infinity in {_column_name(column, shape)}; "
                "categories must be finite labels."
            )
        fractional = X != np.round(X)
        if fractional.any():
            column = int(np.flatnonzero(fractional.any(axis=0))[0])
            value = X[:, column][fractional[:, column]][0]
            raise ValueError(
                f"{_column_name(column, shape).capitalize()} holds the non-integral "
                f"value {value.item()!r}; floats are accepted only when integral. Encode "
                "continuous data into bins first (e.g. KBinsDiscretizer)."
            )
    elif kind == "O":
        for column in range(X.shape[1]):
            kinds = {type(v) for v in X[:, column]}
            if any(v is None or (isinstance(v, float) and v != v) for v in X[:, column]):
                raise ValueError(
                    f"{_column_name(column, shape).capitalize()} contains missing "
                    "values (None or NaN)."
                )
            if len(kinds) > 1 and not all(issubclass(k, numbers.Number) for k in kinds):
                names = sorted(k.__name__ for k in kinds)
                raise TypeError(
                    f"{_column_name(column, shape).capitalize()} mixes the types "
                    f"{names}; a column's labels must all be numbers or all strings."
                )
    elif kind not in "iubUS":
        raise TypeError(
            f"Cannot use data of dtype {X.dtype} as categories; pass integer, "
            "boolean, integral float or string labels."
        )


class CategoricalCodec:
    """Map each column's labels to codes ``0 .. n_categories - 1`` and back.

    Categories of each column are its sorted unique labels, as in
    :class:`sklearn.preprocessing.OrdinalEncoder`.

    Attributes
    ----------
    categories : list of ndarray
        Sorted labels of each flat column.
    sample_shape : tuple of int
        Shape of one sample, ``(n_features,)`` for tables.
    dtype : numpy.dtype
        Dtype of the labels, restored by ``decode``.
    """

    def fit(self, X, sample_shape):
        """Learn the categories of each column of a checked 2-d array."""
        self.sample_shape = tuple(sample_shape)
        self.dtype = X.dtype
        self.categories = [np.unique(X[:, j]) for j in range(X.shape[1])]
        self.cardinalities = [len(c) for c in self.categories]
        # All labels end to end, so decoding is one vectorised lookup.
        self._flat = np.concatenate(self.categories)
        self._offsets = np.concatenate([[0], np.cumsum(self.cardinalities)[:-1]])
        return self

    def encode(self, X):
        """Codes of a 2-d array of labels; labels never seen get ``UNSEEN``.

        Returns
        -------
        codes : ndarray of shape (n_samples, n_features), int64
        """
        codes = np.empty(X.shape, dtype=np.int64)
        for j, categories in enumerate(self.categories):
            column = X[:, j]
            position = np.searchsorted(categories, column)
            position = np.minimum(position, len(categories) - 1)
            found = categories[position] == column
            codes[:, j] = np.where(found, position, UNSEEN)
        return codes

    def decode(self, codes):
        """Labels, in the fitted dtype and sample shape, of codes ``(n, n_features)``."""
        labels = self._flat[codes + self._offsets]
        return labels.astype(self.dtype, copy=False).reshape(-1, *self.sample_shape)
