"""What synthetic rows reveal about the training rows: copies, closeness, membership.

Every figure compares the synthetic rows' relation to the training rows with
the same relation for holdout rows, real rows the model never saw: on
low-dimensional tables real rows copy each other too, so a figure means
something only next to its holdout reference.
"""

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.utils import check_random_state

from ._encoding import category_offsets

_CHUNK_ELEMENTS = 2**24
"""Entries of the (query rows, reference rows) match matrix per chunk."""
_DENSE_ONE_HOT_ELEMENTS = 2**25
"""Largest dense one-hot of the reference rows; beyond it, columns are compared one by one."""


def _one_hot(codes, sizes):
    """Dense float32 one-hot rows ``(n, sum(sizes))`` of per-column codes."""
    offsets = category_offsets(sizes)
    out = np.zeros((len(codes), int(np.sum(sizes))), dtype=np.float32)
    np.put_along_axis(out, codes + offsets, 1.0, axis=1)
    return out


def nearest_distance(query, reference, sizes):
    """Hamming distance of each query row to its closest reference row, as a share of columns.

    Shared labels of every (query, reference) pair are counted by one matrix
    product of one-hot rows, in chunks of query rows; when the reference's
    one-hot would be too large (many categories), column by column.

    Parameters
    ----------
    query : ndarray of shape (n_query, n_features), int
    reference : ndarray of shape (n_reference, n_features), int
        Codes shared with ``query`` column by column.
    sizes : ndarray of int
        Number of codes of each column.

    Returns
    -------
    distance : ndarray of shape (n_query,), in [0, 1]
        0 for an exact copy of a reference row.
    """
    n_features = query.shape[1]
    dense = len(reference) * int(np.sum(sizes)) <= _DENSE_ONE_HOT_ELEMENTS
    if dense:
        transposed = _one_hot(reference, sizes).T.copy()
    best = np.empty(len(query), dtype=np.float32)
    chunk = max(1, _CHUNK_ELEMENTS // max(1, len(reference)))
    for start in range(0, len(query), chunk):
        rows = query[start : start + chunk]
        if dense:
            matches = _one_hot(rows, sizes) @ transposed
        else:
            matches = np.zeros((len(rows), len(reference)), dtype=np.float32)
            for j in range(n_features):
                matches += rows[:, j, None] == reference[None, :, j]
        best[start : start + chunk] = matches.max(axis=1)
    return (n_features - best) / n_features


def privacy_report(train_codes, synthetic_codes, holdout_codes, sizes, member_scores=None,
                   max_samples=10_000, random_state=0):
    """The figures of :func:`skbgan.metrics.privacy_report`, from codes shared by the three sets.

    ``member_scores(train_index, holdout_index)``, when given, returns the
    attack's scores of those training rows then those holdout rows.
    """
    rng = check_random_state(random_state)
    n = min(len(train_codes), len(holdout_codes), max_samples)
    members = np.sort(rng.choice(len(train_codes), n, replace=False))
    outsiders = np.sort(rng.choice(len(holdout_codes), n, replace=False))
    train, holdout = train_codes[members], holdout_codes[outsiders]
    synthetic = synthetic_codes
    if len(synthetic) > max_samples:
        synthetic = synthetic[rng.choice(len(synthetic), max_samples, replace=False)]

    # Equal numbers of training and holdout rows: without leakage a synthetic
    # row is as likely to lie nearer either (ties, common in categories, count half).
    to_train = nearest_distance(synthetic, train, sizes)
    to_holdout = nearest_distance(synthetic, holdout, sizes)
    holdout_to_train = nearest_distance(holdout, train, sizes)
    if n < len(train_codes):  # copies count against every training row, not the subsample
        synthetic_to_all = nearest_distance(synthetic, train_codes, sizes)
        holdout_to_all = nearest_distance(holdout, train_codes, sizes)
    else:
        synthetic_to_all, holdout_to_all = to_train, holdout_to_train
    report = {
        "exact_copies": float(np.mean(synthetic_to_all == 0)),
        "holdout_exact_copies": float(np.mean(holdout_to_all == 0)),
        "dcr_closer_to_train": float(np.mean(to_train < to_holdout)
                                     + 0.5 * np.mean(to_train == to_holdout)),
        "dcr_synthetic_p5": float(np.percentile(to_train, 5)),
        "dcr_synthetic_median": float(np.median(to_train)),
        "dcr_holdout_p5": float(np.percentile(holdout_to_train, 5)),
        "dcr_holdout_median": float(np.median(holdout_to_train)),
    }
    is_member = np.r_[np.ones(n), np.zeros(n)]
    closeness = -np.r_[nearest_distance(train, synthetic, sizes),
                       nearest_distance(holdout, synthetic, sizes)]
    report["membership_auc_distance"] = float(roc_auc_score(is_member, closeness))
    if member_scores is not None:
        report["membership_auc_likelihood"] = float(
            roc_auc_score(is_member, member_scores(members, outsiders))
        )
    return report
