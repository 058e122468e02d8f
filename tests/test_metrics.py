"""Fidelity metrics on cases with known answers, and the scorers."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV

from skbgan import DiscreteBGAN
from skbgan.metrics import (
    FidelityScorer,
    MLEfficacyScorer,
    detection_auc,
    fidelity_report,
    marginal_tv,
    neg_marginal_tv_scorer,
    neg_pairwise_tv_scorer,
    novelty,
    pairwise_tv,
    privacy_report,
)


@pytest.fixture
def table():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 3, size=600)
    return np.column_stack([a, (a + rng.integers(0, 2, size=600)) % 3, rng.integers(0, 4, size=600)])


def test_identical_data_scores_zero_and_half(table):
    assert marginal_tv(table, table) == 0
    assert pairwise_tv(table, table) == 0
    # two halves of one sample: same distribution, different rows
    assert detection_auc(table[::2], table[1::2]) == pytest.approx(0.5, abs=0.08)
    assert novelty(table, table) == 0


def test_disjoint_supports_score_one(table):
    other = table + 10
    assert marginal_tv(table, other) == 1
    assert pairwise_tv(table, other) == 1
    assert detection_auc(table, other) == pytest.approx(1.0)
    assert novelty(table, other) == 1


def test_marginal_tv_known_value():
    real = np.array([[0], [0], [1], [1]])
    fake = np.array([[0], [0], [0], [1]])
    assert marginal_tv(real, fake) == pytest.approx(0.25)


def test_pairwise_tv_sees_dependence_that_marginals_miss(table):
    rng = np.random.default_rng(1)
    shuffled = np.column_stack([rng.permutation(c) for c in table.T])
    assert marginal_tv(table, shuffled) == 0
    assert pairwise_tv(table, shuffled) > 0.1
    assert detection_auc(table, shuffled) > 0.6


def test_pairwise_tv_limits_pairs():
    X = np.random.default_rng(0).integers(0, 2, size=(50, 30))
    assert 0 <= pairwise_tv(X, X[::-1], max_pairs=5) <= 1


def test_metrics_accept_dataframes_with_strings_and_missing_values():
    real = pd.DataFrame({"colour": ["red", "blue", None, "red"], "size": [1, 2, 2, 1]})
    fake = pd.DataFrame({"colour": ["red", "red", None, "blue"], "size": [1, 2, 2, 2]})
    # colour frequencies agree (missing counted as a category); size differs by 0.25
    assert marginal_tv(real, fake) == pytest.approx((0 + 0.25) / 2)
    # only ("red", 2) is not a training row
    assert novelty(real, fake) == pytest.approx(0.25)


def test_dataframes_are_matched_by_column_name():
    real = pd.DataFrame({"colour": ["red", "blue", "red", "red"], "size": [1, 2, 2, 1]})
    shuffled = real[["size", "colour"]].iloc[::-1]
    assert marginal_tv(real, shuffled) == 0 and pairwise_tv(real, shuffled) == 0
    assert novelty(real, shuffled) == 0
    with pytest.raises(ValueError, match=r"different columns: \['size'\] missing from one, "
                                         r"\['weight'\] not in the first"):
        marginal_tv(real, real.rename(columns={"size": "weight"}))


def test_every_kind_of_missing_value_is_one_category_distinct_from_labels():
    real = pd.DataFrame({"c": pd.array(["a", pd.NA, "<missing>", None], dtype=object)})
    fake = pd.DataFrame({"c": ["a", np.nan, "<missing>", pd.NA]})
    assert marginal_tv(real, fake) == 0
    assert marginal_tv(real, pd.DataFrame({"c": ["a", "<missing>", "<missing>", None]})) == 0.25


def test_metrics_accept_image_shaped_arrays():
    X = np.random.default_rng(0).integers(0, 3, size=(40, 2, 2))
    assert marginal_tv(X, X) == 0


def test_mismatched_widths_are_rejected(table):
    with pytest.raises(ValueError, match="different numbers of features"):
        marginal_tv(table, table[:, :2])
    with pytest.raises(ValueError, match="at least two columns"):
        pairwise_tv(table[:, :1], table[:, :1])
    with pytest.raises(ValueError, match="empty"):
        marginal_tv(table, table[:0])


@pytest.mark.parametrize("metric", [marginal_tv, pairwise_tv, detection_auc, novelty])
def test_masked_arrays_are_rejected(table, metric):
    masked = np.ma.masked_equal(table, table[0, 0])
    with pytest.raises(TypeError, match=r"A masked array with \d+ masked cells; masks are not "
                                        r"read as missing values"):
        metric(table, masked)
    assert metric(table, np.ma.masked_array(table)) >= 0  # nothing masked: plain labels


@pytest.mark.parametrize("metric", [marginal_tv, pairwise_tv, detection_auc, novelty])
def test_numbers_against_text_are_rejected_naming_the_column(table, metric):
    real = pd.DataFrame(table, columns=["a", "b", "c"])
    as_text = real.assign(b=real["b"].astype(str))  # e.g. a CSV read back as strings
    with pytest.raises(TypeError, match=r"Column 'b' holds numbers in one array and text in "
                                        r"another \(e\.g\. '\d'\)"):
        metric(real, as_text)
    with pytest.raises(TypeError, match=r"Column 1 holds numbers"):
        metric(table, as_text.to_numpy())
    assert metric(as_text, as_text.assign(b=as_text["b"].where(real["a"] > 0))) >= 0  # gaps


def test_detection_auc_needs_a_row_per_fold(table):
    with pytest.raises(ValueError, match=r"n_splits=3 folds .* got 2 real and 40 synthetic rows"):
        detection_auc(table[:2], table[:40])
    assert 0 <= detection_auc(table[:3], table[:3]) <= 1


@pytest.mark.parametrize("call, match", [
    (lambda X: pairwise_tv(X, X, max_pairs=0), r"max_pairs=0 must be an integer >= 1"),
    (lambda X: pairwise_tv(X, X, max_pairs=2.5), r"max_pairs=2.5 must be an integer >= 1"),
    (lambda X: detection_auc(X, X, n_splits=True), r"n_splits=True must be an integer >= 2"),
    (lambda X: detection_auc(X, X, max_samples=2), r"max_samples=2 must be an integer >= 3"),
    (lambda X: privacy_report(X, X, X, max_samples=0), r"max_samples=0 must be an integer >= 2"),
    (lambda X: MLEfficacyScorer(target=0, n_samples=0), r"n_samples=0 must be an integer >= 1"),
], ids=["max-pairs-zero", "max-pairs-float", "n-splits-bool", "max-samples-below-folds",
        "privacy-max-samples", "scorer-n-samples"])
def test_bad_metric_arguments_are_named(table, call, match):
    with pytest.raises(ValueError, match=match):
        call(table)


def test_scorers_name_an_estimator_that_generates_nothing(table):
    from sklearn.cluster import KMeans

    clusters = KMeans(2, n_init=1, random_state=0).fit(table)
    for scorer in (neg_pairwise_tv_scorer, MLEfficacyScorer(target=0)):
        with pytest.raises(TypeError, match=rf"{re.escape(repr(scorer))} scores generative "
                                            r"models.*KMeans has no sample method"):
            scorer(clusters, table)


def test_fidelity_scorer_needs_a_function():
    with pytest.raises(TypeError, match=r"metric='pairwise_tv' must be a function"):
        FidelityScorer("pairwise_tv")
    assert repr(neg_pairwise_tv_scorer) == "FidelityScorer(pairwise_tv)"


@pytest.mark.parametrize("name", ["marginal_tv", "pairwise_tv", "detection_auc", "novelty"])
def test_a_series_is_rejected_with_the_fix(name):
    import skbgan.metrics

    series = pd.Series(np.arange(20) % 3, name="colour")
    with pytest.raises(ValueError, match=r"pandas Series \('colour'\); pass series.to_frame"):
        getattr(skbgan.metrics, name)(series, series)


def test_fidelity_report_has_every_metric(table):
    report = fidelity_report(table, table[::-1], train=table)
    assert set(report) == {"marginal_tv", "pairwise_tv", "detection_auc", "novelty"}


def test_scorers_in_grid_search_are_negated_metrics(table, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(table)
    expected = -marginal_tv(table, est.sample(len(table), random_state=0))
    assert neg_marginal_tv_scorer(est, table) == pytest.approx(expected)
    grid = GridSearchCV(DiscreteBGAN(**tiny, random_state=0), {"epochs": [1, 2]},
                        scoring=neg_pairwise_tv_scorer, cv=2).fit(table)
    assert (grid.cv_results_["mean_test_score"] <= 0).all()


def _labelled_rows(n, seed):
    """Four label columns and a target that depends on the first two."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 3, size=(n, 4))
    y = np.where(rng.random(n) < 0.9, (X[:, 0] + X[:, 1]) % 2, rng.integers(0, 2, n))
    return np.column_stack([X, y])


def test_ml_efficacy_of_real_and_of_independent_columns():
    from skbgan.metrics import ml_efficacy

    train, test = _labelled_rows(2000, 0), _labelled_rows(1000, 1)
    same = ml_efficacy(train, train.copy(), test, target=4)
    assert same["gap"] == 0 and same["real_auc"] > 0.85
    rng = np.random.default_rng(2)
    independent = np.column_stack([rng.choice(train[:, j], 2000) for j in range(5)])
    broken = ml_efficacy(train, independent, test, target=4)
    assert abs(broken["synthetic_auc"] - 0.5) < 0.1 and broken["gap"] > 0.3


def test_ml_efficacy_on_dataframes_multiclass_and_errors():
    from skbgan.metrics import ml_efficacy

    rows = _labelled_rows(1500, 0)
    frame = pd.DataFrame(rows, columns=["a", "b", "c", "d", "y"])
    frame["a"] = frame["a"].map({0: "x", 1: "y", 2: "z"})
    report = ml_efficacy(frame[:1000], frame[:1000], frame[1000:], target="a")  # 3 labels
    assert set(report) == {"synthetic_auc", "real_auc", "gap"} and report["gap"] == 0
    with pytest.raises(ValueError, match="target='income' is not a column"):
        ml_efficacy(frame, frame, frame, target="income")
    with pytest.raises(ValueError, match="got a pandas Series"):
        ml_efficacy(frame["a"], frame["a"], frame["a"], target="a")
    with pytest.raises(ValueError, match="target=9 must be a column index from 0 to 4"):
        ml_efficacy(rows, rows, rows, target=9)
    with pytest.raises(ValueError, match="target=True must be a column index"):
        ml_efficacy(rows, rows, rows, target=True)
    with pytest.raises(ValueError, match="single label"):
        ml_efficacy(rows, rows, np.column_stack([rows[:, :4], np.zeros(len(rows))]), target=4)


def test_ml_efficacy_scorer_in_cross_validation(tiny):
    from sklearn.model_selection import cross_val_score

    from skbgan.metrics import MLEfficacyScorer

    scores = cross_val_score(DiscreteBGAN(**tiny, random_state=0), _labelled_rows(600, 0),
                             cv=2, scoring=MLEfficacyScorer(target=4))
    assert scores.shape == (2,) and ((0 <= scores) & (scores <= 1)).all()


def test_ml_efficacy_scorer_bins_numeric_columns_by_the_real_rows():
    from skbgan.metrics import MLEfficacyScorer, ml_efficacy

    rng = np.random.default_rng(0)
    real = pd.DataFrame({"amount": rng.uniform(0, 1, 400)})
    real["big"] = np.where(real["amount"] > 0.5, "yes", "no")
    synthetic = real.assign(amount=real["amount"] ** 3)  # other quantiles, same order

    class Sampler:  # an estimator whose samples are known
        def sample(self, n, random_state=None):
            return synthetic[:n]

    expected = ml_efficacy(real, synthetic, real, target="big")["synthetic_auc"]
    assert MLEfficacyScorer(target="big")(Sampler(), real) == expected


@pytest.mark.parametrize("metric", [marginal_tv, pairwise_tv])
def test_weighted_total_variation_is_that_of_repeated_rows(table, metric):
    weights = np.random.default_rng(1).integers(1, 4, size=len(table))
    synthetic = table[::-1][:400]
    weighted = metric(table, synthetic, sample_weight=weights)
    assert weighted == pytest.approx(metric(np.repeat(table, weights, axis=0), synthetic))
    assert weighted != pytest.approx(metric(table, synthetic))


@pytest.mark.parametrize("metric", [marginal_tv, pairwise_tv, detection_auc])
def test_equal_weights_give_the_unweighted_metric(table, metric):
    synthetic = table[::-1]
    assert metric(table, synthetic, sample_weight=2.5) == metric(table, synthetic)


def test_weighted_detection_auc_tells_the_weighted_distribution_apart():
    rng = np.random.default_rng(0)
    real = rng.integers(0, 2, size=(2000, 3))
    weights = np.where(real[:, 0] == 0, 9.0, 1.0)  # 90% of the weight on label 0
    like_weighted = np.column_stack([rng.random(2000) > 0.9, rng.integers(0, 2, (2000, 2))])
    like_rows = rng.integers(0, 2, size=(2000, 3))
    assert detection_auc(real, like_weighted.astype(int), sample_weight=weights) < 0.55
    assert detection_auc(real, like_rows, sample_weight=weights) > 0.65
    assert detection_auc(real, like_rows) < 0.55
    report = fidelity_report(real, like_weighted.astype(int), sample_weight=weights)
    assert report["marginal_tv"] < 0.03 and report["detection_auc"] < 0.55


def test_bad_weights_of_the_real_rows(table):
    with pytest.raises(ValueError, match=r"sample_weight has shape \(3,\), but real has 600 rows"):
        marginal_tv(table, table, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match=r"row 0 has weight -1.0"):
        detection_auc(table, table, sample_weight=np.r_[-1.0, np.ones(599)])


def test_ml_efficacy_weights_the_test_rows_as_repeated_rows():
    from skbgan.metrics import ml_efficacy

    train, test, synthetic = _labelled_rows(500, 0), _labelled_rows(300, 1), _labelled_rows(500, 2)
    weights = np.random.default_rng(3).integers(1, 4, size=len(test))
    weighted = ml_efficacy(train, synthetic, test, target=4, test_weight=weights)
    repeated = ml_efficacy(train, synthetic, np.repeat(test, weights, axis=0), target=4)
    assert weighted == pytest.approx(repeated)
    assert ml_efficacy(train, synthetic, test, 4, train_weight=2.0, test_weight=np.full(300, 3)) \
        == ml_efficacy(train, synthetic, test, 4)


def test_ml_efficacy_trains_the_real_classifier_on_weighted_rows():
    from skbgan.metrics import ml_efficacy

    train, test = _labelled_rows(2000, 0), _labelled_rows(1000, 1)
    noise = np.random.default_rng(4).random(len(train)) < 0.5
    train[noise, 4] = np.random.default_rng(5).integers(0, 2, noise.sum())  # half the rows: noise
    plain = ml_efficacy(train, train, test, target=4)
    rules_only = ml_efficacy(train, train, test, target=4, train_weight=(~noise).astype(float))
    noise_only = ml_efficacy(train, train, test, target=4, train_weight=noise.astype(float))
    assert noise_only["real_auc"] < 0.6 < plain["real_auc"] < rules_only["real_auc"] + 0.02
    assert noise_only["synthetic_auc"] == plain["synthetic_auc"]  # synthetic rows: unweighted
    with pytest.raises(ValueError, match=r"train_weight has shape \(3,\), but train has 2000"):
        ml_efficacy(train, train, test, target=4, train_weight=np.ones(3))
    with pytest.raises(ValueError, match=r"test_weight must be finite and non-negative; row 0"):
        ml_efficacy(train, train, test, target=4, test_weight=np.r_[np.nan, np.ones(999)])


class _Sampler:
    """An 'estimator' whose samples are known rows."""

    def __init__(self, rows):
        self.rows = rows

    def sample(self, n, random_state=None):
        return self.rows[:n]


def test_scorers_take_the_weights_of_the_rows_they_score(table):
    from skbgan.metrics import ml_efficacy

    weights = np.random.default_rng(1).integers(1, 4, size=len(table))
    sampler = _Sampler(table[::-1])
    assert neg_pairwise_tv_scorer(sampler, table, sample_weight=weights) == -pairwise_tv(
        table, table[::-1], sample_weight=weights)
    rows = _labelled_rows(600, 0)
    expected = ml_efficacy(rows, _labelled_rows(600, 1), rows, target=4,
                           test_weight=weights)["synthetic_auc"]
    scorer = MLEfficacyScorer(target=4)
    assert scorer(_Sampler(_labelled_rows(600, 1)), rows, sample_weight=weights) == expected

    def unweighted_metric(real, synthetic):
        return marginal_tv(real, synthetic)

    with pytest.warns(UserWarning, match="takes no sample_weight, so the rows are compared"):
        score = FidelityScorer(unweighted_metric)(sampler, table, sample_weight=weights)
    assert score == -marginal_tv(table, table[::-1])
    assert FidelityScorer(lambda real, synthetic, **options: marginal_tv(
        real, synthetic, **options))(sampler, table, sample_weight=weights) == -marginal_tv(
        table, table[::-1], sample_weight=weights)


def test_a_search_passes_weights_to_the_scorers(tiny):
    import warnings

    rows = _labelled_rows(300, 0)
    weights = np.random.default_rng(1).integers(1, 4, size=len(rows)).astype(float)
    for scoring in (neg_pairwise_tv_scorer, MLEfficacyScorer(target=4)):
        search = GridSearchCV(DiscreteBGAN(**tiny, random_state=0), {"latent_dim": [2]}, cv=2,
                              scoring=scoring, error_score="raise")
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)  # not "does not support sample_weight"
            search.fit(rows, sample_weight=weights)
        assert np.isfinite(search.best_score_)
