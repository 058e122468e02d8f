"""BGANImputer: DiscreteBGAN.impute as a scikit-learn transformer for pipelines."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from ._encoding import (
    frame_for_validation,
    from_polars,
    is_missing,
    is_polars,
    missing_cells,
    to_polars,
)
from ._estimator import DiscreteBGAN


class BGANImputer(TransformerMixin, BaseEstimator):
    """Fill missing cells with draws from a boundary-seeking GAN, given each row's other cells.

    ``fit`` trains a :class:`DiscreteBGAN` on the rows, gaps included (a
    column's missing values are learned as a category of their own, so the
    model also learns where values go missing); ``transform`` fills each
    row's missing cells with a draw from the model's conditional given the
    row's observed cells (:meth:`DiscreteBGAN.impute`). Like
    ``IterativeImputer(sample_posterior=True)``, the fill is a draw, not the
    mode: a fixed ``random_state`` gives the same draw on every call, and
    several seeds give multiple imputations.

    Parameters
    ----------
    estimator : DiscreteBGAN or None, default=None
        The model to fit (cloned); None uses ``DiscreteBGAN(random_state=random_state)``.
    missing_values : scalar, default=np.nan
        The placeholder of a missing cell; with ``np.nan``, NaN, None, NaT
        and pd.NA are all missing.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws of ``transform`` (and the default estimator's fit).

    Attributes
    ----------
    estimator_ : DiscreteBGAN
        The fitted model.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame with string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from skbgan import BGANImputer, DiscreteBGAN
    >>> X = np.random.default_rng(0).integers(0, 3, size=(300, 4)).astype(float)
    >>> X[::7, 1] = np.nan
    >>> imputer = BGANImputer(DiscreteBGAN(epochs=2, device="cpu", random_state=0),
    ...                       random_state=0).fit(X)
    >>> bool(np.isnan(imputer.transform(X)).any())
    False
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "impute"]), None],
        "missing_values": [numbers.Real, str, None],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator=None, *, missing_values=np.nan, random_state=None):
        self.estimator = estimator
        self.missing_values = missing_values
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, sample_weight=None):
        """Fit the model on ``X``, missing cells included.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or DataFrame
            Labels as :meth:`DiscreteBGAN.fit` takes them, with gaps.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), optional
            Row weights, as :meth:`DiscreteBGAN.fit` takes them.

        Returns
        -------
        self : BGANImputer
        """
        X = from_polars(X)
        validate_data(self, frame_for_validation(X), dtype=None, ensure_all_finite=False)
        estimator = (DiscreteBGAN(random_state=self.random_state) if self.estimator is None
                     else clone(self.estimator))
        self.estimator_ = estimator.fit(self._with_gaps(X), sample_weight=sample_weight)
        return self

    def transform(self, X):
        """``X`` with its missing cells filled by draws from the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or DataFrame

        Returns
        -------
        X_filled : ndarray or DataFrame
            Of ``X``'s kind, columns and dtype (a float array stays float, a
            polars DataFrame keeps its schema).
        """
        check_is_fitted(self)
        given, X = X, from_polars(X)
        validate_data(self, frame_for_validation(X), dtype=None, ensure_all_finite=False,
                      reset=False)
        filled = self.estimator_.impute(self._with_gaps(X), random_state=self.random_state)
        if hasattr(X, "iloc"):
            filled = filled.astype(dict(X.dtypes))
            return to_polars(filled, given.schema) if is_polars(given) else filled
        X = np.asarray(X)
        return np.asarray(filled, dtype=object).astype(X.dtype)

    def get_feature_names_out(self, input_features=None):
        """The input column names: imputation keeps every column.

        Parameters
        ----------
        input_features : array-like of str or None, default=None

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        return _check_feature_names_in(self, input_features)

    def _with_gaps(self, X):
        """``X`` as :class:`DiscreteBGAN` takes rows with gaps: a DataFrame with None at missing cells.

        Arrays with no missing cell pass through unchanged, and so does a
        DataFrame when the placeholder is a missing value (NaN, None): its
        gaps already are, in their column's dtype (a categorical stays one).
        Otherwise only the placeholder's columns become object.
        """
        is_frame = hasattr(X, "iloc")
        if is_frame and is_missing(self.missing_values):
            return X
        missing = missing_cells(X, self.missing_values)
        if not is_frame and not missing.any():
            return X
        import pandas as pd

        frame = X.copy() if is_frame else pd.DataFrame(np.asarray(X, dtype=object))
        for j in np.flatnonzero(missing.any(axis=0)):
            column = frame.iloc[:, j].astype(object)
            column[missing[:, j]] = None
            frame.isetitem(j, column)
        if not is_frame:
            frame = frame.infer_objects()
        return frame
