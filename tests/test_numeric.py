"""Numeric columns: quantile bins, values decoded inside them, dtypes, missing values."""

import pickle
import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import skbgan
from skbgan import DiscreteBGAN
from skbgan._numeric import MAX_INTEGER_LABELS, N_BINS, BinnedColumn
from skbgan.metrics import marginal_tv, pairwise_tv


@pytest.fixture
def mixed():
    """1,000 rows: integer ages, amounts with cents and gaps, mostly-zero gains, a float32
    measurement, a category that depends on age."""
    rng = np.random.default_rng(0)
    n = 1000
    age = rng.integers(17, 91, n)
    amount = np.round(rng.lognormal(8, 1, n), 2)
    amount[rng.random(n) < 0.2] = np.nan
    gain = np.where(rng.random(n) < 0.9, 0, rng.integers(100, 99_999, n))
    return pd.DataFrame({
        "age": age,
        "amount": amount,
        "gain": gain,
        "weight": rng.normal(70, 10, n).astype(np.float32),
        "group": np.where(age > 50, "senior", "junior"),
    })


def test_bins_hold_equal_shares_and_an_atom_gets_its_own_bin():
    rng = np.random.default_rng(0)
    values = np.concatenate([np.zeros(900), rng.uniform(1, 100, 1000)])
    column = BinnedColumn.fit(values, 10)
    counts = np.bincount(column.bins(values))
    assert column.lower[0] == 0 and column.lower[1] > 0  # the zeros alone in bin 0
    assert counts[0] == 900
    assert len(counts) == 10  # the other values share the other nine bins equally
    assert counts[1:].min() >= 1000 / 9 * 0.9 and counts[1:].max() <= 1000 / 9 * 1.1
    np.testing.assert_array_equal(column.edges[[0, -1]], [0, values.max()])


def test_draws_stay_in_their_bin_and_follow_the_data_there():
    rng = np.random.default_rng(1)
    values = rng.exponential(10, 20_000)
    column = BinnedColumn.fit(values, 5)
    bins = np.repeat(np.arange(5), 4000)
    drawn = column.draw(bins, np.random.default_rng(0))
    assert (column.bins(drawn) == bins).all() or np.mean(column.bins(drawn) == bins) > 0.999
    for k in range(5):
        inside = np.sort(values[column.bins(values) == k])
        ours = np.sort(drawn[bins == k])
        # within-bin quantiles match the data's, not a bin centre
        np.testing.assert_allclose(np.quantile(ours, [0.1, 0.5, 0.9]),
                                   np.quantile(inside, [0.1, 0.5, 0.9]),
                                   rtol=0.05, atol=0.05 * (inside[-1] - inside[0]))


def test_draws_keep_the_resolution_of_the_data():
    values = np.round(np.random.default_rng(2).uniform(0, 10, 500), 2)
    column = BinnedColumn.fit(values, 4)
    drawn = column.draw(np.arange(400) % 4, np.random.default_rng(0))
    np.testing.assert_allclose(drawn, np.round(drawn, 2))
    assert column.decimals == 2
    assert BinnedColumn.fit(np.arange(100.0), 4).decimals == 0
    assert BinnedColumn.fit(np.random.default_rng(3).normal(size=100), 4).decimals is None


def test_auto_rule_picks_fractional_and_wide_integer_columns(mixed, tiny):
    frame = mixed.assign(
        few=np.arange(1000) % MAX_INTEGER_LABELS,
        many=np.arange(1000) % (MAX_INTEGER_LABELS + 1),
        flag=np.arange(1000) % 2 == 0,
        coded=pd.Categorical(np.arange(1000) % 200),
    )
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    assert list(est.bin_edges_) == ["age", "amount", "gain", "weight", "many"]
    assert len(est.categories_[list(frame.columns).index("few")]) == MAX_INTEGER_LABELS
    assert len(est.categories_[list(frame.columns).index("coded")]) == 200


def test_numeric_columns_and_n_bins_are_overridable(mixed, tiny):
    est = DiscreteBGAN(**tiny, numeric_columns=["amount", "weight"], n_bins={"amount": 5},
                       random_state=0).fit(mixed)
    assert list(est.bin_edges_) == ["amount", "weight"]
    assert len(est.categories_[1]) == 5 + 1  # five bins and the missing values
    assert len(est.categories_[0]) == mixed["age"].nunique()  # ages stay categories
    est = DiscreteBGAN(**tiny, n_bins=8, random_state=0).fit(mixed)
    assert len(est.bin_edges_["age"]) == 8 + 1
    with pytest.raises(ValueError, match="Column 'weight' holds the non-integral value"):
        DiscreteBGAN(**tiny, numeric_columns=["amount"]).fit(mixed)
    assert len(est.bin_edges_["gain"]) <= 8 + 2  # the zeros' bin, and the value after them


def test_sample_keeps_dtypes_ranges_resolution_and_missing_values(mixed, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(mixed)
    S = est.sample(2000, random_state=0)
    assert dict(S.dtypes) == dict(mixed.dtypes)
    for name in ["age", "amount", "gain", "weight"]:
        values = S[name].dropna()
        assert values.min() >= mixed[name].min() and values.max() <= mixed[name].max()
    np.testing.assert_allclose(S["amount"].dropna(), S["amount"].dropna().round(2))
    assert 0 < S["amount"].isna().mean() < 0.6
    # the zeros are a bin of their own: no value drawn between them and the smallest gain
    assert (S["gain"] == 0).any() and not S["gain"].between(1, 99).any()
    assert est.categories_[1][-1] is None
    pd.testing.assert_frame_equal(S, est.sample(2000, random_state=0))


def test_numeric_arrays_keep_their_dtype_and_shape(tiny):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    S = DiscreteBGAN(**tiny, random_state=0).fit(X).sample(50, random_state=0)
    assert S.dtype == np.float64 and S.shape == (50, 3)
    wide = rng.integers(-10**6, 10**6, size=(300, 2))
    est = DiscreteBGAN(**tiny, random_state=0).fit(wide)
    S = est.sample(50, random_state=0)
    assert S.dtype == wide.dtype and (S >= wide.min()).all() and (S <= wide.max()).all()
    images = rng.random((60, 4, 4))
    est = DiscreteBGAN(**tiny, random_state=0).fit(images)
    assert est.sample(5, random_state=0).shape == (5, 4, 4)
    assert list(est.bin_edges_)[:2] == [(0, 0), (0, 1)]
    counts = np.arange(60 * 16).reshape(60, 4, 4) % 300  # integers in n-d arrays stay labels
    assert not DiscreteBGAN(**tiny, random_state=0).fit(counts).bin_edges_


def test_score_samples_sums_to_one_over_the_bins(tiny):
    rng = np.random.default_rng(0)
    amount = rng.normal(size=200)
    amount[:20] = np.nan
    frame = pd.DataFrame({"amount": amount, "kind": rng.choice(["a", "b"], 200)})
    est = DiscreteBGAN(**tiny, n_bins=3, random_state=0).fit(frame)
    medians = est._codec.numeric[0].medians()
    grid = pd.DataFrame([(m, k) for m in [*medians, np.nan] for k in ["a", "b"]],
                        columns=["amount", "kind"])
    assert len(grid) == (3 + 1) * 2
    np.testing.assert_allclose(np.exp(est.score_samples(grid)).sum(), 1.0, rtol=1e-4)
    # a value beyond the training range falls in the end bin, with a finite score
    far = pd.DataFrame({"amount": [amount[~np.isnan(amount)].max() * 10], "kind": ["a"]})
    np.testing.assert_allclose(est.score_samples(far),
                               est.score_samples(grid.iloc[[4]].reset_index(drop=True)))


def test_conditions_predict_and_impute_on_numeric_columns(mixed, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(mixed)
    S = est.sample(20, conditions={"age": 33, "group": "junior"}, random_state=0)
    assert (S["age"] == 33).all() and S["age"].dtype == mixed["age"].dtype
    predicted = est.predict(mixed.head(5), target="amount")
    assert predicted.dtype == mixed["amount"].dtype
    assert np.all((predicted >= np.nanmin(mixed["amount"]))
                  & (predicted <= np.nanmax(mixed["amount"])))
    proba = est.predict_proba(mixed.head(5), target="age")
    assert proba.shape == (5, len(est.bin_edges_["age"]) - 1)
    gaps = mixed.head(50).copy()
    gaps.loc[:9, "weight"] = np.nan
    filled = est.impute(gaps, random_state=0)
    assert filled["weight"].notna().all() and filled["weight"].dtype == np.float32
    assert filled["weight"].between(mixed["weight"].min(), mixed["weight"].max()).all()


def test_an_impossible_numeric_condition_gives_the_range_not_bin_numbers(mixed, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(mixed)
    low, high = mixed["age"].min(), mixed["age"].max()
    for value in [np.nan, float("inf"), 1 + 2j]:  # age has no gaps
        with pytest.raises(ValueError, match=f"Values of this numeric column: numbers from "
                                             f"{low} to {high}"):
            est.sample(5, conditions={"age": value})
    with pytest.raises(ValueError, match=f"column 'age' = 'old' is not a number; this numeric "
                                         f"column holds numbers from {low} to {high}"):
        est.sample(5, conditions={"age": "old"})


@pytest.mark.parametrize("frame", [True, False])
def test_a_numeric_condition_its_dtype_cannot_hold_is_an_error_not_a_cast(mixed, tiny, frame):
    ages = mixed[["age"]].astype(np.uint8)
    est = DiscreteBGAN(**tiny, random_state=0).fit(ages if frame else ages.to_numpy())
    column = "age" if frame else 0
    name = "column 'age'" if frame else "column 0"
    with pytest.raises(ValueError, match=f"{name} = 33.5 is not a whole number, but the column "
                                         r"holds integers \(uint8\)"):
        est.sample(5, conditions={column: 33.5})
    for value in [-1, 300, 2**70]:
        with pytest.raises(ValueError, match=rf"{name} = .* is outside what the column's dtype "
                                             r"uint8 holds \(0 to 255\)"):
            est.sample(5, conditions={column: value})
    with pytest.raises(ValueError, match=r"= 1000.*\.\.\..*0 is impossible"):  # beyond floats
        est.sample(5, conditions={column: 10**400})
    S = est.sample(5, conditions={column: 33.0}, random_state=0)  # whole: returned as 33
    assert (S[:, 0] if not frame else S["age"]).tolist() == [33] * 5
    nullable = mixed[["age"]].astype("Int64")
    with pytest.raises(ValueError, match=r"holds integers \(Int64\)"):
        DiscreteBGAN(**tiny, random_state=0).fit(nullable).sample(5, conditions={"age": 1.5})
    floats = DiscreteBGAN(**tiny, random_state=0).fit(mixed[["weight"]])
    assert (floats.sample(3, conditions={"weight": 70.25})["weight"] == np.float32(70.25)).all()


def test_a_column_of_decimals_comes_back_as_decimals(tiny, tmp_path):
    rng = np.random.default_rng(0)
    amounts = [Decimal(f"{v:.2f}") for v in rng.lognormal(5, 1, 300)]  # pd.read_sql's NUMERIC
    amounts[:10] = [None] * 10
    frame = pd.DataFrame({"amount": pd.Series(amounts, dtype=object),
                          "kind": rng.choice(["a", "b"], 300)})
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    assert list(est.bin_edges_) == ["amount"]
    S = est.sample(200, random_state=0)
    values = S["amount"].dropna()
    assert S["amount"].dtype == object and {type(v) for v in values} == {Decimal}
    assert all(v.as_tuple().exponent == -2 for v in values)  # the data's two places
    assert min(amounts[10:]) <= values.min() and values.max() <= max(amounts[10:])
    predicted = est.predict(frame.head(5), target="amount")
    assert {type(v) for v in predicted} == {Decimal}
    filled = est.impute(frame.head(20), random_state=0)["amount"]
    assert filled.notna().all() and {type(v) for v in filled} == {Decimal}
    est.save(tmp_path / "model.skbgan")
    again = skbgan.load(tmp_path / "model.skbgan").sample(200, random_state=0)
    pd.testing.assert_frame_equal(again, S)


def test_distribution_on_a_numeric_column_names_its_bins(mixed, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(mixed)
    S = est.sample(500, distribution={"gain": {0: 0.5, 50_000: 0.5}}, random_state=0)
    assert 0.35 < (S["gain"] == 0).mean() < 0.65


def test_save_load_and_pickle_keep_the_bins(mixed, tiny, tmp_path):
    est = DiscreteBGAN(**tiny, n_bins={"amount": 7}, random_state=0).fit(mixed)
    est.save(tmp_path / "model.skbgan")
    for copy in [skbgan.load(tmp_path / "model.skbgan"), pickle.loads(pickle.dumps(est))]:
        assert copy.get_params()["n_bins"] == {"amount": 7}
        assert copy.bin_edges_.keys() == est.bin_edges_.keys()
        for name, edges in est.bin_edges_.items():
            np.testing.assert_array_equal(copy.bin_edges_[name], edges)
        pd.testing.assert_frame_equal(copy.sample(100, random_state=3),
                                      est.sample(100, random_state=3))
        np.testing.assert_allclose(copy.score_samples(mixed[:20]), est.score_samples(mixed[:20]))


def test_warm_start_keeps_the_bins(mixed, tiny):
    est = DiscreteBGAN(**tiny, warm_start=True, random_state=0).fit(mixed)
    edges = dict(est.bin_edges_)
    with pytest.warns(UserWarning, match=r"1000 of 1000 values of column 'age' lie outside "
                                         r"the range the first fit binned \(\[17, 90\]\)"):
        est.fit(mixed.assign(age=mixed["age"] + 200))  # new values fall into the end bins
    for name, first in edges.items():
        np.testing.assert_array_equal(est.bin_edges_[name], first)
    assert est.sample(500, random_state=0)["age"].between(17, 90).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same rows again: nothing outside the bins
        est.fit(mixed)


def test_default_bin_count_is_documented():
    assert DiscreteBGAN().n_bins == N_BINS == 20
    assert "n_bins : int or dict, default=20" in DiscreteBGAN.__doc__


def test_metrics_compare_numeric_columns_over_bins_of_the_real_values():
    rng = np.random.default_rng(0)
    real = pd.DataFrame({"x": rng.normal(size=2000), "k": rng.choice(["a", "b"], 2000)})
    same = pd.DataFrame({"x": rng.normal(size=2000), "k": rng.choice(["a", "b"], 2000)})
    shifted = same.assign(x=same["x"] + 1.0)
    assert marginal_tv(real, same) < 0.05
    assert marginal_tv(real, shifted) > 0.15
    assert pairwise_tv(real, same) < pairwise_tv(real, shifted)
