"""privacy_report: a copying generator is flagged on every figure, independent columns are not."""

import numpy as np
import pandas as pd
import pytest

from skbgan import DiscreteBGAN
from skbgan.metrics import privacy_report


@pytest.fixture(scope="module")
def halves():
    """Training and holdout rows of one source: 8 columns, 4 labels, some structure."""
    rng = np.random.default_rng(0)
    group = rng.integers(0, 4, size=4000)
    X = np.where(rng.random((4000, 8)) < 0.5, group[:, None], rng.integers(0, 4, (4000, 8)))
    return X[:2000] * 3 - 4, X[2000:] * 3 - 4  # labels -4, -1, 2, 5


class Memoriser:
    """A 'model' that gives its training rows high likelihood and every other row low."""

    def __init__(self, train):
        self.seen = {tuple(row) for row in np.asarray(train)}

    def score_samples(self, X):
        return np.array([0.0 if tuple(row) in self.seen else -10.0 for row in np.asarray(X)])


def test_a_copying_generator_is_flagged_on_every_figure(halves):
    train, holdout = halves
    report = privacy_report(train, train[::-1], holdout, estimator=Memoriser(train))
    assert report["exact_copies"] == 1.0
    assert report["holdout_exact_copies"] < 0.5
    assert report["dcr_closer_to_train"] > 0.75
    assert report["dcr_synthetic_median"] == 0 < report["dcr_holdout_median"]
    assert report["membership_auc_distance"] > 0.75
    assert report["membership_auc_likelihood"] > 0.75


def test_independent_columns_are_not_flagged(halves):
    train, holdout = halves
    rng = np.random.default_rng(1)
    independent = np.column_stack([rng.choice(train[:, j], 3000) for j in range(8)])
    report = privacy_report(train, independent, holdout)
    assert abs(report["dcr_closer_to_train"] - 0.5) < 0.03
    assert abs(report["membership_auc_distance"] - 0.5) < 0.03
    assert report["exact_copies"] < 3 * report["holdout_exact_copies"] + 0.01
    assert report["dcr_synthetic_p5"] <= report["dcr_synthetic_median"]


def test_a_fitted_model_does_not_leak_on_a_large_support(halves, tiny):
    train, holdout = halves
    est = DiscreteBGAN(**tiny, random_state=0).fit(train)
    report = privacy_report(train, est.sample(2000, random_state=0), holdout, estimator=est)
    assert abs(report["membership_auc_likelihood"] - 0.5) < 0.05
    assert abs(report["dcr_closer_to_train"] - 0.5) < 0.05


def test_dataframes_with_strings_and_missing_values():
    rng = np.random.default_rng(0)

    def frame(n):
        return pd.DataFrame({"a": rng.choice(["x", "y", None], n),
                             "b": rng.choice(["u", "v", "w"], n), "c": rng.integers(0, 3, n)})

    train, holdout = frame(300), frame(300)
    report = privacy_report(train, train.iloc[::-1], holdout, max_samples=200)
    assert report["exact_copies"] == 1.0
    assert set(report) >= {"exact_copies", "dcr_closer_to_train", "membership_auc_distance"}


def test_mismatched_columns_are_an_error(halves):
    train, holdout = halves
    with pytest.raises(ValueError, match="different numbers of features"):
        privacy_report(train, train[:, :3], holdout)


def test_wide_columns_are_compared_one_by_one_with_the_same_result(halves, monkeypatch):
    import skbgan._privacy as privacy

    train, holdout = halves
    codes = [np.searchsorted([-4, -1, 2, 5], X) for X in halves]
    sizes = np.full(8, 4)
    dense = privacy.nearest_distance(codes[1], codes[0], sizes)
    monkeypatch.setattr(privacy, "_DENSE_ONE_HOT_ELEMENTS", 0)
    np.testing.assert_array_equal(privacy.nearest_distance(codes[1], codes[0], sizes), dense)
    assert dense.min() >= 0 and dense.max() <= 1
