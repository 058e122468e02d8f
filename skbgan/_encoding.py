"""Labels <-> integer codes: per-column categories, sample shapes and DataFrames."""

import numbers
import reprlib
from itertools import repeat

import numpy as np

UNSEEN = -1
"""Code given to a label that was not seen when the categories were learned."""


def column_name(index, shape, names=None):
    """How an error message names a flat column: ``'colour'``, ``3`` or ``(1, 2)``."""
    if names is not None:
        return f"column {names[index]!r}"
    if len(shape) <= 1:
        return f"column {index}"
    return f"column {tuple(int(i) for i in np.unravel_index(index, shape))}"


def from_polars(X):
    """A polars DataFrame as a pandas one, names and column types kept; anything else as it is.

    Conversion column by column, without pyarrow: integers and booleans with
    nulls become pandas' nullable ``Int64``/``boolean`` (their names match),
    enums pandas categoricals of the same categories, categoricals ones of
    the labels they hold, text object columns with None at nulls; dates and
    times stay datetimes, so that they are refused by name like a pandas
    frame's.
    """
    if not type(X).__module__.startswith("polars"):
        return X
    if not is_polars(X):
        if hasattr(X, "collect"):
            raise TypeError("X is a polars LazyFrame: collect it first (X.collect()).")
        raise ValueError(f"Expected a 2-d container of samples, got a polars Series "
                         f"({getattr(X, 'name', None)!r}); pass series.to_frame() for a table "
                         "of that one column.")
    import pandas as pd
    import polars as pl

    def column(series):
        dtype = series.dtype
        if dtype.is_integer() or dtype == pl.Boolean:
            if series.null_count():
                return pd.array(series.to_list(), dtype="boolean" if dtype == pl.Boolean
                                else str(dtype))
            return series.to_numpy()
        if dtype.is_float() or dtype.is_temporal():
            return series.to_numpy()
        if isinstance(dtype, pl.Enum):  # its categories are declared
            return pd.Categorical(series.to_list(), categories=list(dtype.categories))
        if dtype == pl.Categorical:
            return pd.Categorical(series.to_list())
        values = np.empty(len(series), dtype=object)  # lists stay one value per cell
        values[:] = series.to_list()
        return values

    return pd.DataFrame({series.name: column(series) for series in X.get_columns()})


def is_polars(X):
    """Whether ``X`` is a polars DataFrame (without importing polars)."""
    return type(X).__module__.startswith("polars") and hasattr(X, "get_columns")


def polars_types(X):
    """The type name of each column of a polars DataFrame (``"Int32"``, ``"Enum"``...), else None.

    Names, not polars objects, so that a model file stores them as text.
    """
    return [type(dtype).__name__ for dtype in X.schema.values()] if is_polars(X) else None


def polars_schema(types, frame_dtypes):
    """The polars schema of :func:`polars_types`' names; an enum's categories come from
    its column's pandas ``category`` dtype in ``frame_dtypes``."""
    import polars as pl

    return {name: pl.Enum(list(dtype.categories)) if kind == "Enum" else getattr(pl, kind)
            for (name, dtype), kind in zip(frame_dtypes.items(), types)}


def typed_nulls(schema, fitted, frame):
    """A polars ``schema`` whose columns of type ``Null`` (nothing but nulls), filled in
    ``frame`` (pandas), take their type in ``fitted`` (the schema of ``fit``), or when
    that is None the type polars reads off the filled values."""
    import polars as pl

    def typed(name):
        return pl.Series(_cells(frame[name])).dtype if fitted is None else fitted[name]

    return {name: typed(name) if kind == pl.Null else kind for name, kind in schema.items()}


def widened_enums(schema, frame):
    """A polars ``schema`` whose enums take the categories of ``frame``'s columns, which
    :func:`as_column` may have widened with labels filled in."""
    import polars as pl

    return {name: pl.Enum(list(frame[name].cat.categories)) if isinstance(kind, pl.Enum)
            else kind for name, kind in schema.items()}


def to_polars(frame, schema):
    """A pandas ``frame`` read from a polars one (:func:`from_polars`) back as polars.

    Without pyarrow: each column goes through Python objects, missing values
    as nulls, and ``schema`` (a polars schema or a mapping of names to
    polars types) gives the columns their types back.
    """
    import polars as pl

    return pl.DataFrame({name: _cells(frame[name]) for name in schema}, schema=schema)


def _cells(column):
    """A pandas column's values as a list of Python objects, None where missing."""
    return column.astype(object).where(column.notna(), None).tolist()


def missing_mask(column):
    """Where a 1-d array holds None, NaN, NaT or pd.NA."""
    if column.dtype.kind == "f":
        return np.isnan(column)
    if column.dtype.kind != "O":
        return np.zeros(len(column), dtype=bool)
    try:
        import pandas as pd

        return np.asarray(pd.isna(column), dtype=bool)
    except ImportError:  # pragma: no cover - pandas is optional
        return np.array([v is None or (isinstance(v, float) and v != v) for v in column])


def is_missing(label):
    """Whether one label is a missing value: None, NaN, NaT or pd.NA."""
    column = np.empty(1, dtype=object)
    column[0] = label
    return bool(missing_mask(column)[0])


def missing_cells(X, missing_values=np.nan):
    """Which cells of ``X`` are missing, as a 2-d ``(n_samples, n_features)`` bool array.

    Parameters
    ----------
    X : ndarray of any shape, or DataFrame
        Arrays of more than two dimensions are flattened per sample.
    missing_values : scalar, default=np.nan
        The placeholder of a missing cell; with NaN, every missing value
        (NaN, None, NaT, pd.NA) counts.
    """
    check_not_series(X)
    if hasattr(X, "iloc"):
        values = X.to_numpy(dtype=object)
    else:
        values = np.asarray(X)
        values = values.reshape(len(values), -1) if values.ndim > 1 else values[:, None]
    if isinstance(missing_values, float) and np.isnan(missing_values):
        return np.column_stack([missing_mask(values[:, j]) for j in range(values.shape[1])])
    with np.errstate(invalid="ignore"):
        return np.asarray(values == missing_values, dtype=bool).reshape(values.shape)


def as_column(values, dtype):
    """A pandas column of ``dtype`` (categorical included) holding ``values``.

    A categorical ``dtype`` that lacks some of the labels gains them at the end
    of its categories, rather than pandas turning them into missing values.
    """
    import pandas as pd

    if isinstance(dtype, pd.CategoricalDtype):
        values = np.asarray(values, dtype=object)
        missing = missing_mask(values)
        codes = dtype.categories.get_indexer(values)
        lacking = (codes == -1) & ~missing
        if lacking.any():  # rare: only then hash the labels again
            dtype = with_labels(dtype, values[lacking])
            codes = dtype.categories.get_indexer(values)
        return pd.Categorical.from_codes(codes, dtype=dtype)
    return pd.Series(values, dtype=object).astype(dtype)


def with_labels(dtype, labels):
    """A categorical ``dtype`` with the ``labels`` its categories lack appended, in order."""
    import pandas as pd

    known = set(dtype.categories)
    lacking = [label for label in pd.unique(np.asarray(labels, dtype=object))
               if label not in known]
    if not lacking:
        return dtype
    return pd.CategoricalDtype(list(dtype.categories) + lacking, dtype.ordered)


def fill_cells(X, missing, labels, labels_dtype, column_dtypes=None):
    """A copy of ``X`` (array of any shape, or DataFrame) with its ``missing`` cells set from ``labels``.

    ``missing`` and ``labels`` are 2-d, ``(n_samples, n_features)``; columns
    and dtypes of ``X`` are kept, but a DataFrame's column whose every cell is
    missing, or an array whose every cell is, says nothing of the labels by
    its dtype (float, for NaN): it takes the fitted one, ``column_dtypes[j]``
    (a DataFrame's column dtypes in fit, if it was one) or ``labels_dtype``.
    """
    if hasattr(X, "iloc"):
        out = X.copy()
        for j in np.flatnonzero(missing.any(axis=0)):
            column = out.columns[j]
            values = np.array(out[column], dtype=object)
            values[missing[:, j]] = labels[missing[:, j], j]
            dtype = X[column].dtype
            if missing[:, j].all() and column_dtypes is not None:
                dtype = column_dtypes[j]
            out[column] = as_column(values, dtype)
        return out
    X = np.asarray(X)
    flat = X.reshape(len(X), -1)
    dtype = labels_dtype if missing.all() else X.dtype
    return np.where(missing, labels, flat).astype(dtype).reshape(X.shape)


def to_frame(labels, dtypes):
    """Labels ``(n_samples, n_features)`` as a DataFrame of the given column names and dtypes."""
    import pandas as pd

    return pd.DataFrame({name: as_column(labels[:, j], dtype)
                         for j, (name, dtype) in enumerate(dtypes.items())})


def widened_categoricals(dtypes, codec):
    """``dtypes`` with each categorical column's categories followed by the labels of
    ``codec``'s column that they lack (:func:`with_labels`).

    A sequence's positions share one alphabet and declared categories may hold
    labels a DataFrame's own categories lack: pandas would turn those, drawn, into
    missing values.
    """
    import pandas as pd

    return {name: with_labels(dtype, codec.present[j])
            if isinstance(dtype, pd.CategoricalDtype) and j not in codec.numeric else dtype
            for j, (name, dtype) in enumerate(dtypes.items())}


def _non_integral(name, value):
    return ValueError(
        f"{name.capitalize()} holds the non-integral value {value.item()!r}; floats are "
        "accepted only when integral, or in numeric_columns (learned through quantile bins)."
    )


LABEL_TYPES = (numbers.Number, np.number, np.bool_, str, bytes)
"""Types of the labels an object column may hold (besides missing values)."""


def _missing_values(name, kinds, fitting):
    """The error for missing values in an array, where they cannot be a category."""
    advice = ("; pass a pandas DataFrame to learn them as a category" if fitting else
              ", which an array cannot hold as labels; impute fills such cells from the "
              "model")
    return ValueError(f"{name.capitalize()} contains missing values ({kinds}){advice}.")


def check_labels(X, shape, names=None, allow_missing=False, numeric=(), declared=(),
                 fitting=True):
    """Check that a 2-d array of labels can be used as categories.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    shape : tuple of int
        Shape of one sample, used to name columns in error messages.
    names : sequence of str, optional
        Column names, used in error messages instead of positions.
    allow_missing : bool, default=False
        Accept missing values (they become a category of their own).
    numeric : collection of int, default=()
        Numeric columns, whose values need not be integral.
    declared : collection of int, default=()
        Columns whose dtype declares them categorical (pandas ``category``):
        any numbers are labels there, fractions included.
    fitting : bool, default=True
        Whether ``X`` is being fitted, which the message on missing values
        of an array follows.

    Raises
    ------
    ValueError
        If a column holds NaN, infinity or non-integral floats outside
        ``numeric`` and ``declared`` columns (missing values are accepted with
        ``allow_missing``).
    TypeError
        If the dtype is not numeric, boolean, string or object, or an object
        column holds anything but numbers and strings (lists, dicts, dates),
        or mixes numbers and strings.
    """
    def name(j):
        return column_name(j, shape, names)

    kind = X.dtype.kind
    if kind == "f":
        infinite = np.isinf(X)
        if infinite.any():
            j = int(np.flatnonzero(infinite.any(axis=0))[0])
            raise ValueError(
                f"Input contains infinity in {name(j)}; labels and numeric values must be "
                "finite."
            )
        nan = np.isnan(X)
        missing = nan.any(axis=0)
        if missing.any() and not allow_missing:
            raise _missing_values(name(int(np.flatnonzero(missing)[0])), "NaN", fitting)
        with np.errstate(invalid="ignore"):
            fractional = (X != np.round(X)) & ~nan
        fractional[:, [*numeric, *declared]] = False
        if fractional.any():
            j = int(np.flatnonzero(fractional.any(axis=0))[0])
            value = X[:, j][fractional[:, j]][0]
            raise _non_integral(name(j), value)
    elif kind == "O":
        for j in range(X.shape[1]):
            missing = missing_mask(X[:, j])
            if missing.any() and not allow_missing:
                raise _missing_values(name(j), "None or NaN", fitting)
            present = X[~missing, j]
            kinds = types_of(present)
            if j in numeric:
                if not all(is_number_type(k) for k in kinds):
                    text = next(v for v in present if not is_number(v))
                    raise TypeError(
                        f"{name(j).capitalize()} is numeric (learned through quantile "
                        f"bins) but holds the value {reprlib.repr(text)}; a numeric "
                        "column's values must be numbers."
                    )
                if not np.isfinite(present.astype(np.float64)).all():
                    raise ValueError(
                        f"Input contains infinity in {name(j)}; labels and numeric values "
                        "must be finite."
                    )
            odd = [k for k in kinds if not issubclass(k, LABEL_TYPES)]
            if odd:
                value = next(v for v in present if type(v) is odd[0])
                hint = ""
                if odd[0].__name__ == "Interval":
                    hint = (" Bins from pd.cut: pass the numbers themselves (numeric "
                            "columns are binned, see n_bins) or the bins as strings, "
                            "X[column].astype(str).")
                raise TypeError(
                    f"{name(j).capitalize()} holds {odd[0].__name__} values such as "
                    f"{reprlib.repr(value)}; a column's labels must be numbers or strings."
                    + hint
                )
            if kinds and j not in numeric and j not in declared and all(
                is_number_type(k) for k in kinds
            ):
                values = present.astype(np.float64)
                fractional = values != np.round(values)
                if fractional.any():
                    raise _non_integral(name(j), values[fractional][0])
            # numpy's booleans are not numbers.Number, Python's are
            numbers_only = all(issubclass(k, (numbers.Number, np.bool_)) for k in kinds)
            flags = [k for k in kinds if issubclass(k, (bool, np.bool_))]
            if flags and len(flags) < len(kinds) and numbers_only:
                types = sorted(k.__name__ for k in kinds)
                raise TypeError(
                    f"{name(j).capitalize()} mixes booleans with numbers ({types}); True "
                    "equals 1 and False equals 0, so they would merge into one label. Give "
                    "the column one type (e.g. df[column].astype(str))."
                )
            if len(kinds) > 1 and not (numbers_only or all(issubclass(k, str) for k in kinds)):
                types = sorted(k.__name__ for k in kinds)
                raise TypeError(
                    f"{name(j).capitalize()} mixes the types {types}; a column's "
                    "labels must all be numbers or all strings."
                )
    elif kind not in "iubUS":
        raise TypeError(
            f"Cannot use data of dtype {X.dtype} as categories; pass integer, "
            "boolean, integral float or string labels."
        )


def is_number(value):
    """Whether a value is a number (booleans are not)."""
    return is_number_type(type(value))


def is_number_type(kind):
    """Whether values of type ``kind`` are numbers (booleans are not)."""
    return issubclass(kind, (numbers.Number, np.number)) and not issubclass(kind, (bool, np.bool_))


def types_of(values):
    """The set of the types of the values of a 1-d object array (one pass in C)."""
    return set(map(type, values))


def numbers_of(column):
    """The non-missing values of a 1-d column as float64, or None if they are not all numbers."""
    if column.dtype.kind in "iuf":
        values = column.astype(np.float64)
        return values[~np.isnan(values)]
    if column.dtype.kind != "O":
        return None
    values = column[~missing_mask(column)]
    if not all(is_number_type(k) for k in types_of(values)):
        return None
    return values.astype(np.float64)


def unique_labels(values):
    """The sorted distinct labels of a 1-d array, as ``np.unique`` gives them.

    An object array's are found through a set and only they are sorted:
    ``np.unique`` would sort every cell with Python comparisons (seconds for
    a million strings).
    """
    if values.dtype.kind != "O":
        return np.unique(values)
    labels = sorted(set(values.tolist()))
    distinct = np.empty(len(labels), dtype=object)
    distinct[:] = labels
    return distinct


def is_series(X):
    """Whether ``X`` is a pandas Series (one column), not a table."""
    return hasattr(X, "iloc") and getattr(X, "ndim", 2) == 1


def check_not_series(X):
    """Raise a ValueError for a pandas Series: samples are the rows of a 2-d container."""
    if is_series(X):
        raise ValueError(
            f"Expected a 2-d container of samples, got a pandas Series ({X.name!r}); "
            "pass series.to_frame() for a table of that one column."
        )


def check_not_masked(X, name=None):
    """Raise a TypeError for a masked array with masked cells: np.asarray would drop the mask.

    ``name`` (e.g. ``"X"``) names the array in the message.
    """
    if np.ma.is_masked(X):
        subject = f"{name} is a" if name else "A"
        raise TypeError(
            f"{subject} masked array with {int(np.ma.count_masked(X))} masked cells; masks are "
            "not read as missing values. Pass a pandas DataFrame with NaN or None at the "
            f"missing cells, or {name or 'array'}.filled(value)."
        )


def check_column_names(frame):
    """Raise a ValueError for a DataFrame whose columns are a MultiIndex or repeat a name."""
    if getattr(frame.columns, "nlevels", 1) > 1:
        raise ValueError(
            f"X has columns of {frame.columns.nlevels} levels (a MultiIndex); flatten them "
            "first, e.g. X.columns = ['_'.join(map(str, c)) for c in X.columns]."
        )
    repeated = frame.columns[frame.columns.duplicated()].unique().tolist()
    if repeated:
        raise ValueError(
            f"X has more than one column named {repeated}; give each column its own "
            "name (a sample's cells are matched by name)."
        )


def check_no_datetimes(frame):
    """Raise a TypeError naming a DataFrame's date, time and period columns."""
    kinds = {name: str(dtype) for name, dtype in frame.dtypes.items()
             if getattr(dtype, "kind", "O") in "mM" or str(dtype).startswith("period")}
    if kinds:
        raise TypeError(
            f"Columns {list(kinds)} hold dates or times ({sorted(set(kinds.values()))}), "
            "which skbgan does not learn as such; convert them to numbers (e.g. days since "
            "a reference date) or to categories (e.g. the year or the weekday)."
        )


def frame_for_validation(X):
    """``X``, or a DataFrame of columns of several dtypes as one of objects.

    scikit-learn's validation turns a DataFrame into one array of one dtype:
    an int column beside a float one would come back as floats (labels 0.0,
    1.0, ...), and a frame with a bool or nullable (``Int64``, ``boolean``,
    ``Float64``) column is cast to float, which fails on a categorical column
    of strings. As objects every cell keeps its own label (``pd.NA`` is
    missing). Frames of one numpy dtype and anything but a DataFrame are
    returned as they are.
    """
    if not hasattr(X, "iloc"):
        return X
    dtypes = set(X.dtypes)
    if len(dtypes) <= 1 and all(isinstance(dtype, np.dtype) for dtype in dtypes):
        return X
    if not any(getattr(dtype, "storage", None) == "pyarrow" for dtype in dtypes):
        return X.astype(object)  # one call: column by column is twice as slow on wide frames
    import pandas as pd

    frame = pd.concat([_as_objects(X.iloc[:, j]) for j in range(X.shape[1])], axis=1)
    frame.columns = X.columns
    return frame


def _as_objects(column):
    """A pandas column as objects, a pyarrow-backed column's cells sharing one object per label.

    ``astype(object)`` of a pyarrow-backed column (pandas' default ``str``
    where pyarrow is installed) makes a Python object of every cell, about
    50 bytes for a short string: a million rows of 20 text columns took
    1.5 GB more; its distinct labels, indexed by the column's codes, 0.26
    GB. Missing cells get the dtype's own missing value, as from
    ``astype(object)``. Other columns (Python-backed text already holds
    string objects) are converted as they are.
    """
    import pandas as pd

    if getattr(column.dtype, "storage", None) != "pyarrow":  # StringDtype or ArrowDtype
        return column.astype(object)
    codes, uniques = pd.factorize(column)
    labels = np.empty(len(uniques) + 1, dtype=object)
    labels[:-1] = np.asarray(uniques, dtype=object)
    labels[-1] = column.dtype.na_value  # code -1: missing
    return pd.Series(labels[codes], index=column.index, name=column.name, dtype=object)


def check_not_complex(X):
    """Raise a ValueError naming the columns of complex numbers (an array's: all of them)."""
    if hasattr(X, "dtypes"):
        where = [name for name, dtype in X.dtypes.items() if getattr(dtype, "kind", "O") == "c"]
        where = f"columns {where} hold" if where else None
    else:
        where = "X holds" if np.iscomplexobj(X) else None
    if where:
        raise ValueError(
            f"Complex data not supported: {where} complex numbers; split each into its "
            "real and imaginary parts (two numeric columns) to learn them."
        )


def is_text(label):
    """Whether a label is a string (text) rather than a number or boolean."""
    return isinstance(label, (str, bytes))


def plain(label):
    """A numpy scalar as the Python value it holds; anything else unchanged."""
    return label.item() if isinstance(label, np.generic) else label


def first_observed(X, j):
    """The first label of column ``j`` of a 2-d array that is not missing, or None."""
    rows = np.flatnonzero(~missing_mask(X[:, j]))
    return plain(X[rows[0], j]) if len(rows) else None


def first_unseen(codes, X):
    """Column and label of the first ``UNSEEN`` code of ``codes`` (the codes of ``X``), or None."""
    unseen = codes == UNSEEN
    if not unseen.any():
        return None
    j = int(np.flatnonzero(unseen.any(axis=0))[0])
    return j, plain(X[np.flatnonzero(unseen[:, j])[0], j])


def category_offsets(cardinalities):
    """Index of each column's first category when all columns' categories are laid end to end."""
    return np.concatenate([[0], np.cumsum(cardinalities)[:-1]]).astype(np.int64)


def identifier_like(cardinalities, n_samples):
    """Columns with so many distinct labels that they look like identifiers or measurements.

    At least 1,000 labels, and more than half as many as rows.
    """
    return [j for j, k in enumerate(cardinalities) if k >= 1000 and k > n_samples / 2]


class CategoricalCodec:
    """Map each column's labels to codes ``0 .. n_categories - 1`` and back.

    Categories of each column are its sorted unique labels, as in
    :class:`sklearn.preprocessing.OrdinalEncoder`; a column with missing values
    gets one more category, last, for them. The categories of a numeric column
    are its bins ``0 .. n_bins - 1`` (see :class:`~skbgan._numeric.BinnedColumn`).

    Attributes
    ----------
    categories : list of ndarray
        Labels of each flat column (``None`` last for missing values).
    numeric : dict of int to BinnedColumn
        The bins of each numeric column.
    cardinalities : list of int
    sample_shape : tuple of int
        Shape of one sample, ``(n_features,)`` for tables.
    dtype : numpy.dtype
        Dtype of the labels, restored by ``decode``.
    """

    def fit(self, X, sample_shape, numeric=None):
        """Learn the categories of each column of a checked 2-d array.

        ``numeric`` maps each numeric column to its fitted
        :class:`~skbgan._numeric.BinnedColumn`.
        """
        self.numeric = numeric = dict(numeric or {})
        X = self._binned(X)
        present, has_missing = [], []
        for j in range(X.shape[1]):
            missing = missing_mask(X[:, j])
            present.append(unique_labels(X[~missing, j]))
            has_missing.append(bool(missing.any()))
        return self._set(present, has_missing, sample_shape, X.dtype, numeric)

    @classmethod
    def declared(cls, categories, X, sample_shape, names=None):
        """A codec of the categories a user declared, which must cover every label of ``X``.

        Parameters
        ----------
        categories : list of array-like
            The labels of each flat column (``None`` or NaN among them declares
            missing values), as ``OrdinalEncoder(categories=...)`` takes them.
        X : ndarray of shape (n_samples, n_features)
            Checked labels.
        sample_shape : tuple of int
        names : sequence of str, optional
            Column names, for error messages.

        Raises
        ------
        ValueError
            If ``categories`` does not have one non-empty entry per column, or
            ``X`` holds a label (or a missing value) its column does not declare.
        TypeError
            If a column's declared labels are text where ``X`` holds numbers, or the reverse.
        """
        if isinstance(categories, str) or len(categories) != X.shape[1]:
            raise ValueError(
                f"categories must list the labels of each of the {X.shape[1]} columns; "
                f"got {categories!r:.80}."
            )
        present, has_missing = [], []
        for j, labels in enumerate(categories):
            column = np.empty(len(labels), dtype=object)
            column[:] = list(labels)
            missing = missing_mask(column)
            values = column[~missing]
            if len(column) == 0:
                raise ValueError(f"categories[{j}] is empty; declare at least one label.")
            text_x = X.dtype.kind in "US" or is_text(first_observed(X, j))
            if any(is_text(v) != text_x for v in values):
                kinds = {True: "text", False: "numeric"}
                raise TypeError(
                    f"categories[{j}] holds {kinds[not text_x]} labels, but "
                    f"{column_name(j, sample_shape, names)} of X holds {kinds[text_x]} labels."
                )
            present.append(np.unique(values if X.dtype.kind == "O" else values.tolist()))
            has_missing.append(bool(missing.any()))
        dtype = X.dtype
        if dtype.kind != "O":
            dtype = np.result_type(dtype, *(p.dtype for p in present if len(p)))
        codec = cls()._set([p.astype(dtype) for p in present], has_missing, sample_shape, dtype,
                           numeric={})
        unseen = first_unseen(codec.encode(X), X)
        if unseen is not None:
            j, label = unseen
            missing = missing_mask(np.array([label], dtype=object))[0]
            raise ValueError(
                f"{column_name(j, sample_shape, names).capitalize()} holds "
                + ("missing values, which" if missing else f"{label!r}, which")
                + f" categories[{j}] does not declare"
                + (" (add None to its labels)." if missing else ".")
            )
        return codec

    def shared(self):
        """This codec with every column given the labels of all columns (and missing values
        if any column has them), as a sequence's positions share an alphabet.

        Raises
        ------
        TypeError
            If labels of different columns cannot be sorted together.
        """
        labels = unique_labels(np.concatenate(self.present))  # every column has X's dtype
        n = len(self.present)
        return self.from_categories([labels] * n, [any(self.has_missing)] * n,
                                    self.sample_shape, self.dtype, self.numeric)

    @classmethod
    def from_categories(cls, present, has_missing, sample_shape, dtype, numeric):
        """A codec from each column's labels present, whether it had missing values, and bins."""
        return cls()._set(present, has_missing, sample_shape, dtype, numeric)

    def _set(self, present, has_missing, sample_shape, dtype, numeric):
        self.numeric = dict(numeric)
        self.sample_shape = tuple(sample_shape)
        self.dtype = np.dtype(dtype)
        self.present = list(present)
        self.has_missing = list(has_missing)
        self.categories = [
            np.append(p.astype(object), None) if missing else p
            for p, missing in zip(self.present, self.has_missing)
        ]
        self.cardinalities = [len(c) for c in self.categories]
        self.code_dtype = np.min_scalar_type(-max(self.cardinalities))
        # All labels end to end, so decoding is one vectorised lookup.
        self._flat = np.concatenate(self.categories)
        self._offsets = category_offsets(self.cardinalities)
        return self

    def _binned(self, X):
        """``X`` with each numeric column's values replaced by their bins (missing kept)."""
        if not self.numeric:
            return X
        X = X.copy()
        for j, column in self.numeric.items():
            missing = missing_mask(X[:, j])
            values = X[~missing, j].astype(np.float64)
            X[~missing, j] = column.bins(values)  # as Python ints in an object array
        return X

    def encode(self, X):
        """Codes of a 2-d array of labels; labels never seen get ``UNSEEN``.

        Returns
        -------
        codes : ndarray of shape (n_samples, n_features)
            Of the smallest signed integer dtype that holds every code, so
            large data sets stay compact (int8 up to 127 categories per column).
        """
        X = self._binned(X)
        codes = np.full(X.shape, UNSEEN, dtype=self.code_dtype)
        for j in range(len(self.present)):
            codes[:, j] = self._encode_column(j, X[:, j])
        return codes

    def encode_label(self, j, label):
        """Code of one label of column ``j``; ``UNSEEN`` unless it equals a fitted label."""
        missing = is_missing(label)
        if j in self.numeric and not missing:
            try:
                value = float(label) if is_number(label) else np.nan
            except (OverflowError, TypeError):  # beyond any float, or complex
                value = np.nan
            if not np.isfinite(value):
                return UNSEEN
            return int(self.numeric[j].bins(np.array([value]))[0])
        column = np.empty(1, dtype=object)
        column[0] = label
        if not missing:
            try:
                typed = column.astype(self.dtype)
            except (TypeError, ValueError, OverflowError):
                return UNSEEN
            if not typed[0] == label:  # e.g. 5.5 cast to 5, or 5 to "5"
                return UNSEEN
            column = typed
        return int(self._encode_column(j, column)[0])

    def _encode_column(self, j, column):
        present = self.present[j]
        codes = np.full(len(column), UNSEEN, dtype=self.code_dtype)
        missing = missing_mask(column)
        values = column[~missing]
        if len(present) and values.dtype.kind == "O":
            # a hash lookup: a search would compare objects in Python, log2(k) times a cell
            code_of = dict(zip(present.tolist(), range(len(present))))
            try:
                codes[~missing] = np.fromiter(map(code_of.get, values, repeat(UNSEEN)),
                                              dtype=np.int64, count=len(values))
            except TypeError:  # an unhashable value (a list): never a label
                pass
        elif len(present):
            try:
                position = np.minimum(np.searchsorted(present, values), len(present) - 1)
                codes[~missing] = np.where(present[position] == values, position, UNSEEN)
            except TypeError:  # labels of another type than the fitted ones
                pass
        if len(present) < self.cardinalities[j]:
            codes[missing] = len(present)
        return codes

    def check_compatible(self, X, names=None):
        """Raise if a column of ``X`` holds text where ``fit`` saw numbers, or the reverse.

        Such labels would all be unseen, and scored as improbable rather than
        rejected: a wrong input, not a rare one.
        """
        for j, present in enumerate(self.present):
            # one label per column tells: check_labels has rejected columns of mixed types
            given = first_observed(X, j)
            if len(present) == 0 or given is None:
                continue
            fitted = plain(present[0])
            if is_text(given) != is_text(fitted):
                kinds = {True: "text", False: "numeric"}
                raise TypeError(
                    f"{column_name(j, self.sample_shape, names).capitalize()} holds "
                    f"{kinds[is_text(given)]} labels (e.g. {given!r}), but the model was "
                    f"fitted on {kinds[is_text(fitted)]} labels (e.g. {fitted!r})."
                )

    def missing_codes(self):
        """Each column's missing-value code, for columns that have one besides other labels."""
        return {j: len(present) for j, (present, has) in
                enumerate(zip(self.present, self.has_missing)) if has and len(present)}

    def decode(self, codes, rng=None):
        """Labels, in the fitted dtype and sample shape, of codes ``(n, n_features)``.

        A numeric column's bin is decoded to a value drawn inside it with
        ``rng`` (a :class:`numpy.random.Generator`, needed for numeric columns).
        """
        labels = self._flat[codes + self._offsets]
        if self.numeric:
            labels = labels.astype(object if self.dtype.kind == "O" else np.float64)
            for j, column in self.numeric.items():
                bins = codes[:, j]
                valued = bins < len(self.present[j])
                labels[valued, j] = column.draw(bins[valued].astype(np.int64), rng)
        return labels.astype(self.dtype, copy=False).reshape(-1, *self.sample_shape)

    def point_labels(self, j):
        """The label that stands for each category of column ``j`` (a numeric bin's median)."""
        if j in self.numeric:
            return self.numeric[j].medians()
        return self.present[j]
