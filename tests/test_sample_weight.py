"""Row weights: ``fit(X, sample_weight=...)`` learns the weighted distribution."""

import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.model_selection import GridSearchCV

from skbgan import BGANImputer, DiscreteBGAN
from skbgan import _checkpoint
from skbgan._validation import Validation

from .conftest import TINY

RNG = np.random.default_rng(0)
TABLE = RNG.integers(0, 2, (2000, 3))
# label 0 of column 0 weighs 9: 0.502 of the rows, 0.90 of the weight
WEIGHTS = np.where(TABLE[:, 0] == 0, 9.0, 1.0)
SMALL = dict(TINY, epochs=10, batch_size=64, generator_layers=(32,), critic_layers=(32,))
ROWS, ROW_WEIGHTS = TABLE[:300], WEIGHTS[:300]  # for tests of behaviour, not of distributions


def share_of_zeros(est):
    return (est.sample(4000, random_state=0)[:, 0] == 0).mean()


def test_weights_move_the_learned_distribution():
    weighted_share = (WEIGHTS * (TABLE[:, 0] == 0)).sum() / WEIGHTS.sum()
    weighted = DiscreteBGAN(**SMALL, random_state=0).fit(TABLE, sample_weight=WEIGHTS)
    plain = DiscreteBGAN(**SMALL, random_state=0).fit(TABLE)
    assert share_of_zeros(weighted) == pytest.approx(weighted_share, abs=0.05)
    assert share_of_zeros(plain) == pytest.approx((TABLE[:, 0] == 0).mean(), abs=0.05)


def test_integer_weights_learn_what_repeated_rows_do():
    repeated = np.repeat(TABLE, WEIGHTS.astype(int), axis=0)
    weighted = DiscreteBGAN(**SMALL, random_state=0).fit(TABLE, sample_weight=WEIGHTS)
    # as many steps: 10 passes over 2,000 rows, 2 over their 10,000 repetitions
    copies = DiscreteBGAN(**dict(SMALL, epochs=2), random_state=0).fit(repeated)
    assert share_of_zeros(weighted) == pytest.approx(share_of_zeros(copies), abs=0.05)


@pytest.mark.parametrize("weight", [1.0, 3.5, np.full(len(ROWS), 2)])
def test_equal_weights_are_the_unweighted_fit(weight):
    plain = DiscreteBGAN(**TINY, random_state=0).fit(ROWS)
    weighted = DiscreteBGAN(**TINY, random_state=0).fit(ROWS, sample_weight=weight)
    np.testing.assert_array_equal(plain.sample(50, random_state=1),
                                  weighted.sample(50, random_state=1))


def test_only_the_ratios_of_the_weights_count_even_near_floats_limit():
    weighted = DiscreteBGAN(**TINY, random_state=0).fit(TABLE, sample_weight=WEIGHTS)
    for scale in (1e-300, 1e300):  # sums of their squares would underflow or overflow
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            scaled = DiscreteBGAN(**TINY, random_state=0).fit(TABLE,
                                                              sample_weight=WEIGHTS * scale)
        np.testing.assert_array_equal(weighted.sample(50, random_state=1),
                                      scaled.sample(50, random_state=1))


def test_zero_weight_rows_are_left_out():
    X = np.column_stack([ROWS[:, :2], np.where(np.arange(len(ROWS)) < 5, 7, ROWS[:, 2])])
    w = np.where(np.arange(len(X)) < 5, 0.0, 1.0)  # the only rows of label 7 weigh 0
    weighted = DiscreteBGAN(**TINY, random_state=0).fit(X, sample_weight=w)
    dropped = DiscreteBGAN(**TINY, random_state=0).fit(X[5:])
    assert list(weighted.categories_[2]) == [0, 1]
    assert weighted.n_samples_fit_ == len(X) - 5
    np.testing.assert_array_equal(weighted.sample(50, random_state=1),
                                  dropped.sample(50, random_state=1))
    masked = DiscreteBGAN(**TINY, random_state=0).fit(X, sample_weight=w.astype(bool))
    np.testing.assert_array_equal(masked.sample(50, random_state=1),
                                  dropped.sample(50, random_state=1))  # booleans: 0 and 1


def test_numeric_bins_are_weighted_quantiles():
    values = np.arange(1000, dtype=float) + 0.5
    X = pd.DataFrame({"amount": values})
    w = np.where(values < 100, 99.0, 1.0)  # values under 100: 100 * 99 of 100 * 99 + 900
    est = DiscreteBGAN(**TINY, random_state=0, n_bins=4).fit(X, sample_weight=w)
    edges = est.bin_edges_["amount"]
    plain = DiscreteBGAN(**TINY, random_state=0, n_bins=4).fit(X).bin_edges_["amount"]
    np.testing.assert_allclose(plain[1:4], [250.5, 500.5, 750.5], atol=1)
    assert (edges[1:3] < 100).all() and edges[3] < 120
    assert edges[0] == values.min() and edges[-1] == values.max()


def test_weighted_validation_and_early_stopping():
    est = DiscreteBGAN(**dict(TINY, epochs=4), random_state=0, validation_fraction=0.2,
                       n_iter_no_change=2).fit(ROWS, sample_weight=ROW_WEIGHTS)
    scores = [h["validation_log_likelihood"] for h in est.history_]
    assert len(scores) >= 1 and np.isfinite(scores).all()


def test_weights_as_series_and_list_and_through_a_search():
    series = pd.Series(ROW_WEIGHTS)
    DiscreteBGAN(**TINY, random_state=0).fit(ROWS, sample_weight=series)
    DiscreteBGAN(**TINY, random_state=0).fit(ROWS, sample_weight=ROW_WEIGHTS.tolist())
    search = GridSearchCV(DiscreteBGAN(**TINY, random_state=0), {"latent_dim": [2, 4]}, cv=2)
    search.fit(ROWS, sample_weight=ROW_WEIGHTS)
    assert search.best_params_["latent_dim"] in (2, 4)


def test_a_checkpoint_is_resumed_only_with_the_same_weights():
    codes = TABLE.astype(np.int8)
    params = DiscreteBGAN().get_params()
    same = _checkpoint.identity(params, codes, 1, WEIGHTS)
    assert same == _checkpoint.identity(params, codes, 1, WEIGHTS.copy())
    assert same != _checkpoint.identity(params, codes, 1, WEIGHTS * 2)
    assert same != _checkpoint.identity(params, codes, 1)


def test_validation_scores_are_weighted_means():
    codes = torch.as_tensor(TABLE)
    counts = WEIGHTS.astype(int)
    weighted = Validation(codes, [2, 2, 2], 0, torch.as_tensor(WEIGHTS, dtype=torch.float64))
    repeated = Validation(codes.repeat_interleave(torch.as_tensor(counts), dim=0), [2, 2, 2], 0)
    torch.testing.assert_close(weighted.reference.float(), repeated.reference.float())
    generator = DiscreteBGAN(**TINY, random_state=0).fit(ROWS).generator_
    ll = weighted.evaluate(generator)["validation_log_likelihood"]
    assert ll == pytest.approx(repeated.evaluate(generator)["validation_log_likelihood"], rel=1e-5)


def test_score_takes_weights():
    est = DiscreteBGAN(**TINY, random_state=0).fit(ROWS)
    scores = est.score_samples(ROWS)
    assert est.score(ROWS, sample_weight=ROW_WEIGHTS) == pytest.approx(
        np.average(scores, weights=ROW_WEIGHTS))
    w = np.where(np.arange(len(ROWS)) < 10, 1.0, 0.0)
    assert est.score(ROWS, sample_weight=w) == pytest.approx(scores[:10].mean())
    assert est.score(ROWS, sample_weight=1.0) == pytest.approx(est.score(ROWS))


def test_the_imputer_passes_weights_on():
    X = TABLE.astype(float)
    X[::7, 0] = np.nan
    plain = BGANImputer(DiscreteBGAN(**SMALL, random_state=0), random_state=0).fit(X)
    weighted = BGANImputer(DiscreteBGAN(**SMALL, random_state=0), random_state=0).fit(
        X, sample_weight=WEIGHTS)
    gaps = np.isnan(X[:, 0])
    zeros = [(imputer.transform(X)[gaps, 0] == 0).mean() for imputer in (weighted, plain)]
    assert zeros[0] > zeros[1] + 0.2


def test_a_warm_start_trains_on_the_new_weights():
    est = DiscreteBGAN(**SMALL, random_state=0, warm_start=True).fit(TABLE)
    before = share_of_zeros(est)
    est.fit(TABLE, sample_weight=WEIGHTS)
    assert est.n_iter_ == 2 * SMALL["epochs"]
    assert share_of_zeros(est) > before + 0.2


def test_a_few_heavy_rows_are_warned_about():
    w = np.ones(len(ROWS))
    w[:5] = 1000.0  # (5,295)^2 / (5 * 1000^2 + 295): about 6 equally weighted rows
    with pytest.warns(UserWarning, match=r"sample_weight gives 300 rows the weight of about 6 "
                                         r"equally weighted ones \(Kish's effective sample size\)"
                      ) as caught:
        DiscreteBGAN(**TINY, random_state=0).fit(ROWS, sample_weight=w)
    assert caught[0].filename == __file__  # points at the caller of fit
