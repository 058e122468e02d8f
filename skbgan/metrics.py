"""Fidelity and privacy metrics: how close generated rows are to real ones, and what they leak.

Every metric takes arrays of shape ``(n_samples, n_features)`` (or with more
dimensions, flattened per sample) or DataFrames (pandas or polars), in the
user's own labels; DataFrames are matched by column name, arrays by
position. Labels are compared as they are, so a column of numbers in one
array and of text in another (``1`` against ``"1"``) is a ``TypeError``
naming it.
A numeric column (one that ``DiscreteBGAN(numeric_columns="auto")`` would
bin) is compared over 20 quantile bins of the first (real) array's values.
The scorers sample from a fitted estimator and compare with the data they
are given, so they plug into ``GridSearchCV(scoring=...)``.
"""

import inspect
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.utils import check_random_state

from ._arguments import check_integer, check_sample_weight, is_integer, unequal_weights
from ._encoding import (
    check_not_masked,
    check_not_series,
    from_polars,
    is_text,
    missing_mask,
    numbers_of,
    plain,
)
from ._numeric import N_BINS, BinnedColumn, looks_numeric
from ._privacy import privacy_report as _privacy_report

__all__ = [
    "marginal_tv",
    "pairwise_tv",
    "detection_auc",
    "novelty",
    "fidelity_report",
    "ml_efficacy",
    "privacy_report",
    "FidelityScorer",
    "neg_marginal_tv_scorer",
    "neg_pairwise_tv_scorer",
    "neg_detection_auc_scorer",
    "MLEfficacyScorer",
]


def _as_2d(X):
    """A 2-d numpy view of arrays (flattening samples) or DataFrames."""
    check_not_series(X)
    if hasattr(X, "iloc"):
        return X.to_numpy(dtype=object)
    X = np.asarray(X)
    if X.ndim == 1:
        raise ValueError("Expected samples of at least one feature, got a 1-d array.")
    return X.reshape(len(X), int(np.prod(X.shape[1:])))


_MISSING = object()
"""Key of every missing value (None, NaN, pd.NA), distinct from any label."""


def _numeric_bins(*columns):
    """The quantile bins that code one column of several arrays, or None for labels.

    A column is numeric by the rule of ``numeric_columns="auto"`` on the
    first array, and binned by 20 quantile bins of its values there.
    """
    reference = numbers_of(columns[0])
    if (reference is None or not looks_numeric(reference)
            or numbers_of(np.concatenate(columns)) is None):
        return None
    return BinnedColumn.fit(reference, N_BINS)


def _column_codes(*columns):
    """Shared integer codes for the labels of one column in several arrays.

    A numeric column is coded by its :func:`_numeric_bins`, missing values
    by one code after them. Returns the codes of each array, the number of
    codes, and the bins (None for a column of labels).
    """
    values = np.concatenate(columns)
    bins = _numeric_bins(*columns)
    if bins is not None:
        present = ~missing_mask(values)
        codes = np.full(len(values), bins.n_bins, dtype=np.int64)
        codes[present] = bins.bins(values[present].astype(np.float64))
        n = bins.n_bins + 1
    elif values.dtype.kind == "O":
        # object columns may mix types or hold missing values: hash, don't sort
        keys = [_MISSING if gap else v for v, gap in zip(values, missing_mask(values))]
        index = {}
        codes = np.array([index.setdefault(k, len(index)) for k in keys], dtype=np.int64)
        n = len(index)
    else:
        uniques, codes = np.unique(values, return_inverse=True)
        n = len(uniques)
    return np.split(codes.ravel(), np.cumsum([len(c) for c in columns])[:-1]), n, bins


def _aligned(arrays):
    """``arrays`` with every DataFrame's columns in the first DataFrame's order.

    DataFrames are matched by column name, arrays by position; polars
    DataFrames are read as pandas ones.
    """
    arrays = [from_polars(a) for a in arrays]
    for a in arrays:
        check_not_series(a)
        check_not_masked(a)
    frames = [a for a in arrays if hasattr(a, "iloc")]
    if len(frames) < 2:
        return arrays
    order = list(frames[0].columns)
    for frame in frames[1:]:
        missing = [c for c in order if c not in frame.columns]
        unexpected = [c for c in frame.columns if c not in order]
        if missing or unexpected:
            raise ValueError(f"DataFrames have different columns: {missing} missing from one, "
                             f"{unexpected} not in the first.")
    return [a[order] if hasattr(a, "iloc") else a for a in arrays]


def _label_kind(column):
    """``"text"`` or ``"numbers"`` where a column's labels are all of one kind, else None."""
    if column.dtype.kind in "US":
        return "text"
    if column.dtype.kind != "O":
        return "numbers"
    texts = {is_text(label) for label in column[~missing_mask(column)]}
    return {frozenset({True}): "text", frozenset({False}): "numbers"}.get(frozenset(texts))


def _check_same_kind(columns, name):
    """Raise a TypeError where one array holds a column as numbers and another as text."""
    kinds = [_label_kind(column) for column in columns]
    if {"numbers", "text"} <= set(kinds):
        text = columns[kinds.index("text")]
        example = plain(text[~missing_mask(text)][0])
        raise TypeError(
            f"{name} holds numbers in one array and text in another (e.g. {example!r}); "
            "labels are compared as they are, so give both the same type (e.g. "
            "df[column].astype(str), or read both CSV files the same way)."
        )


def _joint_codes(*arrays):
    """Per-column shared codes of several 2-d label arrays with equal widths.

    DataFrames are compared column by column of the same name.
    """
    aligned = _aligned(arrays)
    names = next((list(a.columns) for a in aligned if hasattr(a, "iloc")), None)
    arrays = [_as_2d(a) for a in aligned]
    widths = {a.shape[1] for a in arrays}
    if len(widths) != 1:
        raise ValueError(f"Arrays have different numbers of features: {sorted(widths)}.")
    if any(len(a) == 0 for a in arrays):
        raise ValueError("Cannot compare an empty array.")
    coded = [np.empty(a.shape, dtype=np.int64) for a in arrays]
    sizes = []
    for j in range(arrays[0].shape[1]):
        _check_same_kind([a[:, j] for a in arrays],
                         f"Column {names[j]!r}" if names else f"Column {j}")
        parts, n, _ = _column_codes(*[a[:, j] for a in arrays])
        for out, part in zip(coded, parts):
            out[:, j] = part
        sizes.append(n)
    return coded, np.array(sizes)


def _row_weights(sample_weight, n_rows, rows="real", name="sample_weight"):
    """Checked weights of ``rows`` (named so in messages), or None for none or equal ones.

    None makes a metric compute its unweighted value, exactly.
    """
    if sample_weight is None:
        return None
    return unequal_weights(check_sample_weight(sample_weight, n_rows, rows, name))


def _tv(codes_a, codes_b, n, weights_a=None):
    """Total variation between the code frequencies of ``codes_a`` (weighted) and ``codes_b``."""
    p = np.bincount(codes_a, weights_a, minlength=n)
    q = np.bincount(codes_b, minlength=n) / len(codes_b)
    return 0.5 * np.abs(p / p.sum() - q).sum()


def marginal_tv(real, synthetic, sample_weight=None):
    """Mean over columns of the total-variation distance of category frequencies.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame with the same columns
    sample_weight : array-like of shape (n_real,), optional
        Weights of the real rows (survey weights, say): their frequencies
        are weighted, those of the synthetic rows count each row once.

    Returns
    -------
    distance : float in [0, 1]
        0 when every column's frequencies agree, 1 when no column shares a label.
    """
    (a, b), sizes = _joint_codes(real, synthetic)
    weights = _row_weights(sample_weight, len(a))
    return float(np.mean([_tv(a[:, j], b[:, j], n, weights) for j, n in enumerate(sizes)]))


def _column_pairs(n_features, max_pairs, random_state):
    pairs = np.array([(i, j) for i in range(n_features) for j in range(i + 1, n_features)])
    if len(pairs) > max_pairs:
        rng = check_random_state(random_state)
        pairs = pairs[np.sort(rng.choice(len(pairs), max_pairs, replace=False))]
    return pairs


def pairwise_tv(real, synthetic, max_pairs=500, random_state=0, sample_weight=None):
    """Mean total-variation distance of the 2-way contingency tables of column pairs.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame with the same columns
    max_pairs : int, default=500
        Pairs compared at most; a random subset when there are more.
    random_state : int, RandomState instance or None, default=0
        Chooses the subset of pairs.
    sample_weight : array-like of shape (n_real,), optional
        Weights of the real rows, as in :func:`marginal_tv`.

    Returns
    -------
    distance : float in [0, 1]
    """
    check_integer("max_pairs", max_pairs, 1)
    (a, b), sizes = _joint_codes(real, synthetic)
    if a.shape[1] < 2:
        raise ValueError("pairwise_tv needs at least two columns.")
    weights = _row_weights(sample_weight, len(a))
    distances = [
        _tv(a[:, i] * sizes[j] + a[:, j], b[:, i] * sizes[j] + b[:, j], sizes[i] * sizes[j],
            weights)
        for i, j in _column_pairs(a.shape[1], max_pairs, random_state)
    ]
    return float(np.mean(distances))


def detection_auc(real, synthetic, n_splits=3, max_samples=10_000, random_state=0,
                  sample_weight=None):
    """Cross-validated ROC AUC of a classifier telling real from synthetic rows.

    A histogram gradient-boosted classifier treats every column as categorical
    (columns with more than 255 labels as ordinal codes). Both sets are
    subsampled to the same size, at most ``max_samples`` each.

    Parameters
    ----------
    real, synthetic : array-like or DataFrame with the same columns
    n_splits : int, default=3
        Stratified folds of the cross-validation.
    max_samples : int, default=10_000
        Rows taken from each set at most.
    random_state : int, RandomState instance or None, default=0
    sample_weight : array-like of shape (n_real,), optional
        Weights of the real rows: the classifier is trained and the AUC
        computed with the real rows weighted (scaled to as much weight in
        all as the synthetic rows, one each), so it tells the weighted
        distribution from the synthetic one.

    Returns
    -------
    auc : float
        0.5 when the classifier cannot tell them apart, 1 when it always can.
        It falls below 0.5 when many rows occur once in each set (a model
        that regenerates held-out rows exactly, as on mushroom): a shared
        row in the test fold has its twin, of the other label, among the
        training folds, so the classifier leans the wrong way (2,000
        distinct rows against a set sharing 30% of them: 0.39).

    Raises
    ------
    ValueError
        If either set has fewer than ``n_splits`` rows, ``n_splits`` is not
        an integer >= 2 or ``max_samples`` not one >= ``n_splits``.
    """
    check_integer("n_splits", n_splits, 2)
    check_integer("max_samples", max_samples, n_splits)
    (a, b), sizes = _joint_codes(real, synthetic)
    if min(len(a), len(b)) < n_splits:
        raise ValueError(
            f"detection_auc cross-validates over n_splits={n_splits} folds and needs at least "
            f"as many rows in each set; got {len(a)} real and {len(b)} synthetic rows."
        )
    weights = _row_weights(sample_weight, len(a))
    rng = check_random_state(random_state)
    n = min(len(a), len(b), max_samples)
    chosen = rng.choice(len(a), n, replace=False)
    a = a[chosen]
    b = b[rng.choice(len(b), n, replace=False)]
    X = np.vstack([a, b])
    y = np.r_[np.ones(n), np.zeros(n)]
    clf = HistGradientBoostingClassifier(
        categorical_features=sizes <= 255, max_iter=200, early_stopping=False,
        random_state=rng.randint(np.iinfo(np.int32).max),
    )
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=rng.randint(2**31 - 1))
    if weights is None:
        return float(np.mean(cross_val_score(clf, X, y, cv=cv, scoring="roc_auc")))
    w = np.r_[weights[chosen] * n / weights[chosen].sum(), np.ones(n)]
    aucs = [roc_auc_score(y[test], clone(clf).fit(X[train], y[train], sample_weight=w[train])
                          .decision_function(X[test]), sample_weight=w[test])
            for train, test in cv.split(X, y)]
    return float(np.mean(aucs))


def novelty(train, synthetic):
    """Share of synthetic rows that are not copies of a training row.

    A numeric column is compared by its 20 quantile bins of the ``train``
    values, as in every metric here: a row that falls in a training row's
    bins and matches its labels counts as a copy, a stricter test than
    equal values.

    Parameters
    ----------
    train, synthetic : array-like or DataFrame with the same columns

    Returns
    -------
    share : float in [0, 1]
    """
    (a, b), _ = _joint_codes(train, synthetic)
    seen = {row.tobytes() for row in a}
    return float(np.mean([row.tobytes() not in seen for row in b]))


def fidelity_report(real, synthetic, train=None, random_state=0, sample_weight=None):
    """All fidelity metrics of ``synthetic`` against ``real`` in one dict.

    Parameters
    ----------
    real : array-like or DataFrame
        Held-out real data to compare with.
    synthetic : array-like or DataFrame
        Generated data.
    train : array-like or DataFrame, optional
        Training data; adds ``novelty`` when given.
    random_state : int, default=0
    sample_weight : array-like of shape (n_real,), optional
        Weights of the ``real`` rows, for the total variations and the
        detection AUC (see :func:`marginal_tv`, :func:`detection_auc`).

    Returns
    -------
    report : dict
        ``marginal_tv``, ``pairwise_tv`` (when there are two columns or more),
        ``detection_auc`` and, with ``train``, ``novelty``.
    """
    # polars frames converted once here rather than by each metric
    real, synthetic, train = (from_polars(X) for X in (real, synthetic, train))
    report = {"marginal_tv": marginal_tv(real, synthetic, sample_weight=sample_weight)}
    if _as_2d(real).shape[1] > 1:
        report["pairwise_tv"] = pairwise_tv(real, synthetic, random_state=random_state,
                                            sample_weight=sample_weight)
    report["detection_auc"] = detection_auc(real, synthetic, random_state=random_state,
                                            sample_weight=sample_weight)
    if train is not None:
        report["novelty"] = novelty(train, synthetic)
    return report


def _target_column(target, X):
    """Flat index of the ``target`` column: a DataFrame column name or an integer index."""
    check_not_series(X)
    if hasattr(X, "iloc") and not is_integer(target):
        if target not in X.columns:
            raise ValueError(f"target={target!r} is not a column; columns are {list(X.columns)}.")
        return int(list(X.columns).index(target))
    n_features = _as_2d(X).shape[1]
    if not is_integer(target) or not 0 <= target < n_features:
        raise ValueError(f"target={target!r} must be a column index from 0 to {n_features - 1}.")
    return int(target)


def _macro_auc(classifier, X, y, sample_weight=None):
    """Mean one-vs-rest ROC AUC over the classes of ``y`` (the AUC itself for two classes).

    A class the classifier never saw gets probability zero; rows of weight 0
    count for nothing, so a class only they hold is left out.
    """
    proba = classifier.predict_proba(X)
    seen = {c: k for k, c in enumerate(classifier.classes_)}
    classes = np.unique(y if sample_weight is None else y[sample_weight > 0])
    if len(classes) < 2:
        raise ValueError("The test rows hold a single label of the target: no AUC.")
    scores = [np.zeros(len(y)) if c not in seen else proba[:, seen[c]] for c in classes]
    if len(classes) == 2:
        return float(roc_auc_score(y == classes[1], scores[1], sample_weight=sample_weight))
    return float(np.mean([roc_auc_score(y == c, s, sample_weight=sample_weight)
                          for c, s in zip(classes, scores)]))


def _fit_score(train, test, j, sizes, random_state, train_weight=None, test_weight=None):
    """AUC on ``test`` of a gradient-boosted classifier of column ``j`` trained on ``train``.

    ``train_weight`` weighs the rows the classifier learns from, ``test_weight``
    the rows of its AUC (None: equal weights).
    """
    categorical = np.delete(sizes <= 255, j)
    classifier = HistGradientBoostingClassifier(categorical_features=categorical,
                                                random_state=random_state)
    classifier.fit(np.delete(train, j, axis=1), train[:, j], sample_weight=train_weight)
    return _macro_auc(classifier, np.delete(test, j, axis=1), test[:, j], test_weight)


def ml_efficacy(train, synthetic, test, target, random_state=0, train_weight=None,
                test_weight=None):
    """Machine-learning efficacy: is a classifier trained on synthetic rows as good as on real ones?

    A histogram gradient-boosted classifier of ``target`` from the other
    columns (all categorical, as in :func:`detection_auc`) is trained once on
    the synthetic rows and once on the real training rows, and both are
    scored on the real ``test`` rows by ROC AUC (the mean one-vs-rest AUC
    for more than two labels). A numeric target is predicted as its quantile
    bin (see the module's description).

    With row weights (a survey's design weights, say, with the generator
    fitted by ``fit(train, sample_weight=train_weight)``), the classifier
    trained on real rows weighs them by ``train_weight`` and both AUCs weigh
    the test rows by ``test_weight``, so both classifiers are judged on the
    population the weights stand for; the synthetic rows are unweighted.

    Parameters
    ----------
    train : array-like or DataFrame
        Real rows the generator was fitted on.
    synthetic : array-like or DataFrame
        Generated rows, same columns.
    test : array-like or DataFrame
        Real held-out rows.
    target : str or int
        The column to predict: a DataFrame column name or a column index.
    random_state : int, default=0
    train_weight : array-like of shape (n_train,), optional
        Weights of the real training rows; None weighs them equally.
    test_weight : array-like of shape (n_test,), optional
        Weights of the real test rows; None weighs them equally.

    Returns
    -------
    report : dict
        ``synthetic_auc``, ``real_auc`` and ``gap`` (real minus synthetic:
        0 means synthetic rows teach the classifier as much as real ones).
    """
    train = from_polars(train)  # once: _joint_codes would convert it again
    j = _target_column(target, train)
    (a, b, c), sizes = _joint_codes(train, synthetic, test)
    train_weight = _row_weights(train_weight, len(a), "train", "train_weight")
    test_weight = _row_weights(test_weight, len(c), "test", "test_weight")
    synthetic_auc = _fit_score(b, c, j, sizes, random_state, test_weight=test_weight)
    real_auc = _fit_score(a, c, j, sizes, random_state, train_weight, test_weight)
    return {"synthetic_auc": synthetic_auc, "real_auc": real_auc,
            "gap": real_auc - synthetic_auc}


def privacy_report(train, synthetic, holdout, estimator=None, max_samples=10_000,
                   random_state=0):
    """What ``synthetic`` rows reveal about the ``train`` rows, next to what ``holdout`` rows do.

    Distances are Hamming distances over columns, as a share of the columns
    (every column is compared as labels, a numeric one by its quantile bins of
    the ``train`` values; missing values equal each other).
    Training and holdout rows are subsampled to the same number, at most
    ``max_samples`` each, so that no leakage gives 0.5 on the shares and AUCs.

    Parameters
    ----------
    train : array-like or DataFrame
        The rows the generator was fitted on.
    synthetic : array-like or DataFrame
        Generated rows, same columns.
    holdout : array-like or DataFrame
        Real rows of the same source that the generator never saw.
    estimator : fitted estimator with ``score_samples``, optional
        Adds the likelihood membership attack (e.g. the fitted ``DiscreteBGAN``).
    max_samples : int, default=10_000
    random_state : int, RandomState instance or None, default=0

    Returns
    -------
    report : dict
        ``exact_copies``: share of synthetic rows that copy a training row;
        ``holdout_exact_copies``: the same share for holdout rows (the level
        that real rows reach without copying anything);
        ``dcr_closer_to_train``: share of synthetic rows closer to a training
        row than to any holdout row (ties count half; about 0.5 when nothing
        leaks, near 1 for a generator that copies);
        ``dcr_synthetic_p5`` / ``dcr_synthetic_median``: 5th percentile and
        median of the synthetic rows' distance to their closest training row,
        next to ``dcr_holdout_p5`` / ``dcr_holdout_median``, the same for
        holdout rows; ``membership_auc_distance``: ROC AUC of telling training
        rows from holdout rows by their closeness to the nearest synthetic row;
        with ``estimator``, ``membership_auc_likelihood``: the same by the
        model's ``score_samples`` (the strongest attack on a likelihood
        model). AUCs near 0.5 mean membership cannot be told.

    Examples
    --------
    >>> import numpy as np
    >>> from skbgan.metrics import privacy_report
    >>> rng = np.random.default_rng(0)
    >>> train, holdout = rng.integers(0, 4, (2, 500, 8))
    >>> report = privacy_report(train, train, holdout)   # a generator that copies
    >>> report["exact_copies"], round(report["holdout_exact_copies"], 3)
    (1.0, 0.008)
    >>> bool(report["membership_auc_distance"] > 0.95)
    True
    """
    check_integer("max_samples", max_samples, 2)
    train, holdout = from_polars(train), from_polars(holdout)
    (a, b, c), sizes = _joint_codes(train, synthetic, holdout)
    member_scores = None
    if estimator is not None:
        def member_scores(members, outsiders):
            pick = (lambda X, rows: X.iloc[rows]) if hasattr(train, "iloc") else (
                lambda X, rows: np.asarray(X)[rows])
            return np.r_[estimator.score_samples(pick(train, members)),
                         estimator.score_samples(pick(holdout, outsiders))]
    return _privacy_report(a, b, c, sizes, member_scores, max_samples, random_state)


def _takes_sample_weight(function):
    """Whether ``function`` takes a ``sample_weight`` keyword (or any keyword)."""
    parameters = inspect.signature(function).parameters.values()
    return any(p.name == "sample_weight" or p.kind is p.VAR_KEYWORD for p in parameters)


def _samples_of(estimator, n, random_state, scorer):
    """``n`` rows that ``estimator`` generates, for ``scorer``; raise if it generates none."""
    if not callable(getattr(estimator, "sample", None)):
        raise TypeError(f"{scorer!r} scores generative models, whose sample(n) draws rows; "
                        f"{type(estimator).__name__} has no sample method.")
    return estimator.sample(n, random_state=random_state)


class FidelityScorer:
    """Scorer that samples from a fitted estimator and compares with ``X``.

    Higher is better, as ``GridSearchCV`` expects: the metric is negated.
    Called with ``sample_weight`` (``GridSearchCV(...).fit(X, sample_weight=w)``
    passes the validation rows' weights), it passes them on to ``metric`` as
    its ``sample_weight``, and warns if ``metric`` takes none.

    Parameters
    ----------
    metric : callable
        ``metric(real, synthetic) -> float``, lower is better, optionally
        with a ``sample_weight`` of the real rows.
    random_state : int, default=0
        Seed of the samples drawn at each call.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skbgan import DiscreteBGAN
    >>> from skbgan.metrics import neg_pairwise_tv_scorer
    >>> search = GridSearchCV(DiscreteBGAN(), {"epochs": [50, 100]},
    ...                       scoring=neg_pairwise_tv_scorer)
    """

    def __init__(self, metric, random_state=0):
        if not callable(metric):
            raise TypeError(f"metric={metric!r} must be a function metric(real, synthetic), "
                            "e.g. skbgan.metrics.pairwise_tv.")
        self.metric = metric
        self.random_state = random_state

    def __call__(self, estimator, X, y=None, sample_weight=None):
        synthetic = _samples_of(estimator, len(X), self.random_state, self)
        options = {}
        if sample_weight is not None:
            if _takes_sample_weight(self.metric):
                options["sample_weight"] = sample_weight
            else:
                warnings.warn(f"{self!r}: the metric takes no sample_weight, so the rows are "
                              "compared unweighted.", UserWarning, stacklevel=2)
        return -self.metric(X, synthetic, **options)

    def __repr__(self):
        return f"FidelityScorer({getattr(self.metric, '__name__', repr(self.metric))})"


class MLEfficacyScorer:
    """Scorer: AUC on ``X`` of a classifier of ``target`` trained on samples of the estimator.

    Higher is better: it is the ``synthetic_auc`` of :func:`ml_efficacy` with
    the validation fold as the real test rows, so ``GridSearchCV`` picks the
    model whose samples teach a classifier best. Called with
    ``sample_weight``, the AUC weighs the validation rows by it.

    Parameters
    ----------
    target : str or int
        The column to predict.
    n_samples : int or None, default=None
        Rows sampled at each call; None samples as many as ``X`` has.
    random_state : int, default=0
        Seed of the samples and the classifier.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skbgan import DiscreteBGAN
    >>> from skbgan.metrics import MLEfficacyScorer
    >>> search = GridSearchCV(DiscreteBGAN(), {"epochs": [50, 100]},
    ...                       scoring=MLEfficacyScorer(target="income"))
    """

    def __init__(self, target, n_samples=None, random_state=0):
        if n_samples is not None:
            check_integer("n_samples", n_samples, 1)
        self.target = target
        self.n_samples = n_samples
        self.random_state = random_state

    def __call__(self, estimator, X, y=None, sample_weight=None):
        n = len(X) if self.n_samples is None else self.n_samples
        synthetic = _samples_of(estimator, n, self.random_state, self)
        X = from_polars(X)
        j = _target_column(self.target, X)
        (c, b), sizes = _joint_codes(X, synthetic)  # numeric columns: bins of the real rows
        weights = _row_weights(sample_weight, len(c), "X")
        return _fit_score(b, c, j, sizes, self.random_state, test_weight=weights)

    def __repr__(self):
        return f"MLEfficacyScorer(target={self.target!r})"


neg_marginal_tv_scorer = FidelityScorer(marginal_tv)
"""Negated :func:`marginal_tv` of as many samples as validation rows."""
neg_pairwise_tv_scorer = FidelityScorer(pairwise_tv)
"""Negated :func:`pairwise_tv` of as many samples as validation rows."""
neg_detection_auc_scorer = FidelityScorer(detection_auc)
"""Negated :func:`detection_auc` of as many samples as validation rows."""
