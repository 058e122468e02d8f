"""impute, predict_proba, predict, temperature, rebalancing and critic-guided resampling:
exact against enumeration."""

import copy
import itertools

import numpy as np
import pandas as pd
import pytest
import torch

from skbgan import DiscreteBGAN

from .conftest import DEPENDENT_MODEL, dependent_columns

LABELS = [-5, 5, 15]
GRID = np.array(list(itertools.product(LABELS, repeat=3)))


@pytest.fixture(scope="module")
def model():
    """Three 3-category columns; column 1 mostly copies column 0, column 2 is free."""
    return DiscreteBGAN(**DEPENDENT_MODEL, score_latents=4096).fit(dependent_columns())


@pytest.fixture(scope="module")
def joint(model):
    """The model's joint over all 27 rows, by enumeration (200k latents: tiny MC error)."""
    latents = model.score_latents
    p = np.exp(model.set_params(score_latents=200_000).score_samples(GRID))
    model.set_params(score_latents=latents)
    return (p / p.sum()).reshape(3, 3, 3)


def tv(p, q):
    return 0.5 * np.abs(np.asarray(p) - np.asarray(q)).sum(axis=-1)


def test_predict_proba_is_the_exact_conditional(model, joint):
    rows = GRID[[0, 13, 26, 5]]
    proba = model.predict_proba(rows, target=1)
    i = {label: k for k, label in enumerate(LABELS)}
    exact = np.array([joint[i[a], :, i[c]] / joint[i[a], :, i[c]].sum() for a, _, c in rows])
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-12)
    assert tv(proba, exact).max() < 0.02
    # The conditioning has teeth: the marginal of column 1 is far from each conditional.
    assert tv(joint.sum(axis=(0, 2)), exact).min() > 0.2


def test_predict_proba_ignores_the_target_cell(model):
    rows = GRID.copy()
    changed = rows.copy()
    changed[:, 1] = 15
    np.testing.assert_array_equal(model.predict_proba(rows, target=1),
                                  model.predict_proba(changed, target=1))


def test_predict_every_column_matches_one_target_at_a_time(model):
    proba = model.predict_proba(GRID)
    assert proba.shape == (27, 9)
    for j in range(3):
        np.testing.assert_allclose(proba[:, 3 * j : 3 * j + 3],
                                   model.predict_proba(GRID, target=j), atol=1e-6)
    labels = model.predict(GRID)
    assert labels.shape == GRID.shape and labels.dtype == GRID.dtype
    np.testing.assert_array_equal(labels[:, 1], model.predict(GRID, target=1))


def test_predict_is_the_most_probable_label(model):
    proba = model.predict_proba(GRID, target=0)
    np.testing.assert_array_equal(model.predict(GRID, target=0),
                                  np.array(LABELS)[proba.argmax(axis=1)])


def test_imputed_cells_follow_the_exact_conditional(model, joint):
    n = 20_000
    X = np.tile([15.0, np.nan, np.nan], (n, 1))  # two gaps, drawn jointly
    filled = model.impute(X, random_state=0)
    assert (filled[:, 0] == 15).all() and not np.isnan(filled).any()
    pairs = {(b, c): 0 for b in LABELS for c in LABELS}
    for row, count in zip(*np.unique(filled[:, 1:], axis=0, return_counts=True)):
        pairs[tuple(row)] = count
    empirical = np.array(list(pairs.values())) / n
    exact = (joint[2] / joint[2].sum()).ravel()
    assert tv(empirical, exact) < 0.03
    assert tv(joint.sum(axis=0).ravel(), exact) > 0.2


def test_each_row_conditions_on_its_own_cells(model, joint):
    n = 10_000
    X = np.where(np.arange(2 * n)[:, None] < n, [[15.0, np.nan, 5]], [[-5.0, np.nan, 5]])
    filled = model.impute(X, random_state=0)
    for a, rows in ((2, slice(0, n)), (0, slice(n, 2 * n))):
        counts = np.array([(filled[rows, 1] == b).mean() for b in LABELS])
        exact = joint[a, :, 1] / joint[a, :, 1].sum()
        assert tv(counts, exact) < 0.03


def test_impute_leaves_complete_rows_and_falls_back_to_the_model(model, joint):
    X = np.vstack([GRID[:5], np.full((20_000, 3), -1)])
    filled = model.impute(X, missing_values=-1, random_state=0)
    np.testing.assert_array_equal(filled[:5], GRID[:5])
    assert filled.dtype == X.dtype
    empty = filled[5:]
    counts = np.array([(empty[:, 0] == a).mean() for a in LABELS])
    assert tv(counts, joint.sum(axis=(1, 2))) < 0.03


def test_multiple_imputation_gives_proper_draws(model):
    X = np.tile([15.0, np.nan, np.nan], (200, 1))
    draws = model.impute(X, n_draws=3, random_state=0)
    assert len(draws) == 3
    assert not np.array_equal(draws[0], draws[1])
    np.testing.assert_array_equal(model.impute(X, random_state=4), model.impute(X, random_state=4))


def test_temperature_one_is_plain_sampling_bit_for_bit(model):
    np.testing.assert_array_equal(model.sample(500, random_state=3),
                                  model.sample(500, random_state=3, temperature=1.0))
    np.testing.assert_array_equal(model.sample(500, random_state=3, conditions={0: 5}),
                                  model.sample(500, random_state=3, conditions={0: 5},
                                               temperature=1))


def test_temperature_sharpens_and_flattens(model):
    def agreement(temperature):
        S = model.sample(20_000, random_state=0, temperature=temperature)
        return (S[:, 0] == S[:, 1]).mean()

    cold, plain, hot = agreement(0.3), agreement(1.0), agreement(5.0)
    assert cold > plain > hot
    assert hot < 0.5  # close to independent columns (1/3)


class FavoursLastLabel(torch.nn.Module):
    """A stand-in critic: ``log w(x) = log 3`` where column 0 holds its last label, else 0."""

    def forward(self, codes):
        return np.log(3.0) * (codes[:, 0] == len(LABELS) - 1).float()


def test_one_candidate_is_plain_sampling_bit_for_bit(model):
    np.testing.assert_array_equal(model.sample(500, random_state=3),
                                  model.sample(500, random_state=3, candidates=1))


def test_candidates_follow_the_critic_reweighted_model(model, joint):
    reweighted = copy.deepcopy(model)
    reweighted.critic_ = FavoursLastLabel()
    n = 10_000
    S = reweighted.sample(n, random_state=0, candidates=64)
    share = (S[:, 0] == 15).mean()
    q = joint.sum(axis=(1, 2))[2]
    target = 3 * q / (3 * q + 1 - q)  # w q, normalised
    assert abs(share - target) < 0.02
    assert target - q > 0.1  # the critic has teeth
    # the other columns follow the model given column 0: column 1 still mostly copies it
    assert (S[:, 0] == S[:, 1]).mean() > 0.6
    np.testing.assert_array_equal(S, reweighted.sample(n, random_state=0, candidates=64))


def test_candidates_keep_conditions_and_rebalancing(model):
    S = model.sample(300, random_state=0, candidates=4, conditions={2: 5})
    assert (S[:, 2] == 5).all()
    S = model.sample(300, random_state=0, candidates=4, distribution={0: {-5: 0.5, 5: 0.5}})
    assert set(np.unique(S[:, 0])) == {-5, 5}


def test_rebalanced_column_hits_the_requested_marginal(model, joint):
    n = 30_000
    S = model.sample(n, distribution={0: {-5: 0.1, 15: 0.9}}, random_state=0)
    share = (S[:, 0] == 15).mean()
    assert abs(share - 0.9) < 4 * np.sqrt(0.9 * 0.1 / n)
    assert not (S[:, 0] == 5).any()
    # Other columns keep their conditional given the rebalanced label.
    rows = S[S[:, 0] == 15][:, 1:]
    pairs = np.array([((rows[:, 0] == b) & (rows[:, 1] == c)).mean()
                      for b in LABELS for c in LABELS])
    assert tv(pairs, (joint[2] / joint[2].sum()).ravel()) < 0.03
    # Rows come shuffled, not grouped by label: neighbours differ with probability 2 p (1 - p).
    assert abs((S[:-1, 0] != S[1:, 0]).mean() - 2 * 0.9 * 0.1) < 0.02


def test_rebalancing_with_conditions_and_reproducibility(model):
    a = model.sample(300, distribution={0: {5: 0.5, 15: 0.5}}, conditions={2: -5},
                     random_state=1)
    b = model.sample(300, distribution={0: {5: 0.5, 15: 0.5}}, conditions={2: -5},
                     random_state=1)
    np.testing.assert_array_equal(a, b)
    assert (a[:, 2] == -5).all() and set(a[:, 0]) == {5, 15}


@pytest.fixture(scope="module")
def frame_model():
    rng = np.random.default_rng(0)
    sex = rng.choice(["F", "M"], size=400)
    df = pd.DataFrame({
        "sex": pd.Categorical(sex),
        "job": np.where(sex == "F", "a", rng.choice(["b", "c"], size=400)).astype(object),
        "kids": rng.integers(0, 3, size=400),
        "note": pd.Series(rng.choice(["x", None], size=400), dtype=object),
    })
    est = DiscreteBGAN(epochs=3, batch_size=32, latent_dim=4, generator_layers=(16,),
                       critic_layers=(16,), score_latents=256, device="cpu", random_state=0)
    return est.fit(df), df


def test_dataframe_impute_keeps_columns_dtypes_and_never_draws_missing(frame_model):
    est, df = frame_model
    gaps = df.head(50).copy()
    gaps.loc[::2, "job"] = None
    gaps.loc[::3, "note"] = None
    filled = est.impute(gaps, random_state=0)
    assert list(filled.columns) == list(df.columns) and (filled.dtypes == gaps.dtypes).all()
    assert not filled.isna().any().any()  # the learned missing category is never drawn
    kept = gaps.notna()
    assert (filled[kept] == gaps[kept]).sum().sum() == kept.sum().sum()


def test_impute_fills_a_column_of_nothing_but_gaps_in_the_fitted_dtype(frame_model, tiny):
    est, df = frame_model
    unknown_job = df.head(20).assign(job=np.nan)  # NaN only: a float column
    filled = est.impute(unknown_job, random_state=0)
    assert filled["job"].dtype == df["job"].dtype and set(filled["job"]) <= set(df["job"])
    assert (filled[["sex", "kids"]] == df.head(20)[["sex", "kids"]]).all().all()
    np.testing.assert_allclose(est.predict_proba(unknown_job, target="job"),
                               est.predict_proba(df.head(20), target="job"))
    nothing = est.impute(pd.DataFrame({c: [np.nan] * 5 for c in df}), random_state=0)
    assert dict(nothing.dtypes) == dict(df.dtypes)
    labels = np.random.default_rng(0).choice(np.array(["a", "b"]), (50, 3))
    array_model = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    filled = array_model.impute(np.full((4, 3), np.nan), random_state=0)  # float: no labels
    assert filled.dtype == labels.dtype and set(filled.ravel()) <= {"a", "b"}


def test_dataframe_predict_with_the_target_left_out(frame_model):
    est, df = frame_model
    proba = est.predict_proba(df.drop(columns="job").head(20), target="job")
    assert proba.shape == (20, 3) and np.allclose(proba.sum(axis=1), 1)
    np.testing.assert_array_equal(proba, est.predict_proba(df.head(20), target="job"))
    labels = est.predict(df.head(20), target="sex")
    assert set(labels) <= {"F", "M"}
    kids = est.predict(df.head(20), target="kids")  # the column's dtype, not object
    assert kids.dtype == df["kids"].dtype and set(kids) <= {0, 1, 2}
    every = est.predict(df.head(5))
    assert list(every.columns) == list(df.columns)
    assert est.predict_proba(df.head(5), target="note").shape == (5, 1)  # None left out


def test_dataframe_rebalancing_by_name(frame_model):
    est, _ = frame_model
    S = est.sample(2000, distribution={"sex": {"F": 0.2, "M": 0.8}}, random_state=0)
    assert abs((S["sex"] == "M").mean() - 0.8) < 0.05
    assert S["sex"].dtype == "category"


def test_unseen_labels_are_not_conditioned_on_and_warn(model):
    rows = np.array([[15, 99, 5], [15, 5, 5]])
    with pytest.warns(UserWarning, match=r"1 observed cells hold labels never seen in fit "
                                         r"\(in column 1\)"):
        proba = model.predict_proba(rows, target=0)
    assert proba.shape == (2, 3)
    with pytest.warns(UserWarning, match="never seen"):
        filled = model.impute(np.array([[15.0, 99, np.nan]]), random_state=0)
    assert filled[0, 1] == 99  # kept as given


def test_image_shaped_impute_and_predict(tiny):
    X = np.random.default_rng(0).integers(0, 4, size=(64, 3, 2))
    est = DiscreteBGAN(**tiny, random_state=0).fit(X)
    gaps = X[:5].astype(float)
    gaps[:, 1, 1] = np.nan
    filled = est.impute(gaps, random_state=0)
    assert filled.shape == (5, 3, 2) and not np.isnan(filled).any()
    assert est.predict(X[:5]).shape == (5, 3, 2)
    assert est.predict_proba(X[:5], target=(1, 1)).shape == (5, 4)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda m: m.predict_proba(GRID, target=3), ValueError, r"Target column 3: indices run"),
        (lambda m: m.predict(GRID, target="a"), ValueError, r"Target 'a': columns are named"),
        (lambda m: m.predict(GRID, target=1.5), TypeError, r"Target 1.5: the key must"),
        (lambda m: m.sample(5, temperature=0), ValueError, r"temperature=0 must be a positive"),
        (lambda m: m.sample(5, temperature=-1.0), ValueError, r"temperature=-1.0 must be"),
        (lambda m: m.sample(5, temperature=float("nan")), ValueError, r"temperature=nan"),
        (lambda m: m.sample(5, temperature="hot"), ValueError, r"temperature='hot'"),
        (lambda m: m.sample(5, distribution={0: {-5: 0.5, 99: 0.5}}), ValueError,
         r"Distribution of column 0 = 99 is impossible"),
        (lambda m: m.sample(5, distribution={0: {-5: 0.5, 5: 0.3}}), ValueError,
         r"probabilities of column 0 must sum to 1; they sum to 0.8"),
        (lambda m: m.sample(5, distribution={0: {-5: 1.5, 5: -0.5}}), ValueError,
         r"must be finite and non-negative; got \[1.5, -0.5\]"),
        (lambda m: m.sample(5, distribution={0: {-5: "half", 5: 0.5}}), TypeError,
         r"The probabilities of column 0 must be numbers"),
        (lambda m: m.sample(5, distribution={0: {-5: 1}, 1: {5: 1}}), TypeError,
         r"distribution must be a dict of one column"),
        (lambda m: m.sample(5, distribution={0: [0.5, 0.5]}), TypeError,
         r"must be a non-empty dict of label to probability"),
        (lambda m: m.sample(5, distribution={7: {5: 1}}), ValueError,
         r"Distribution of column 7: indices run"),
        (lambda m: m.sample(5, distribution={0: {5: 1}}, conditions={0: 5}), ValueError,
         r"Column 0 is both conditioned and rebalanced"),
        (lambda m: m.impute(GRID, n_draws=0), ValueError, r"n_draws=0 must be None or a positive"),
        (lambda m: m.impute(GRID[:, :2]), ValueError, r"X has 2 features"),
        (lambda m: m.predict(GRID[0]), ValueError, r"Expected 2D array"),
    ],
)
def test_bad_calls_say_what_is_wrong(model, call, error, message):
    with pytest.raises(error, match=message):
        call(model)


def test_unfitted_model_says_so():
    from sklearn.exceptions import NotFittedError

    for call in (lambda m: m.impute(GRID), lambda m: m.predict_proba(GRID, target=0)):
        with pytest.raises(NotFittedError):
            call(DiscreteBGAN())


def test_imputer_in_a_pipeline_with_set_output(tiny):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline

    from skbgan import BGANImputer

    rng = np.random.default_rng(0)
    X = rng.integers(0, 3, size=(300, 4)).astype(float)
    y = (X[:, 0] + X[:, 1] > 2).astype(int)
    X[::7, 1] = np.nan
    imputer = BGANImputer(DiscreteBGAN(**tiny, random_state=0), random_state=0)
    filled = imputer.fit_transform(X)
    assert filled.dtype == X.dtype and not np.isnan(filled).any()
    np.testing.assert_array_equal(filled[~np.isnan(X)], X[~np.isnan(X)])
    assert set(np.unique(filled[:, 1])) <= {0.0, 1.0, 2.0}
    np.testing.assert_array_equal(imputer.transform(X), filled)  # fixed seed, same draw
    frame = imputer.set_output(transform="pandas").transform(X)
    assert list(frame.columns) == ["x0", "x1", "x2", "x3"]
    pipe = make_pipeline(BGANImputer(DiscreteBGAN(**tiny, random_state=0), random_state=0),
                         HistGradientBoostingClassifier()).fit(X, y)
    assert pipe.score(X, y) > 0.8


def test_imputer_with_a_placeholder_and_dataframes(tiny):
    from skbgan import BGANImputer

    rng = np.random.default_rng(0)
    X = rng.integers(0, 3, size=(200, 3))
    X[::5, 2] = -1
    filled = BGANImputer(DiscreteBGAN(**tiny, random_state=0), missing_values=-1,
                         random_state=0).fit_transform(X)
    assert filled.dtype == X.dtype and not (filled == -1).any()
    df = pd.DataFrame({"a": rng.choice(["x", "y", None], 200), "b": rng.choice(["u", "v"], 200)})
    imputer = BGANImputer(DiscreteBGAN(**tiny, random_state=0), random_state=0).fit(df)
    out = imputer.transform(df)
    assert list(out.columns) == ["a", "b"] and not out.isna().any().any()
    assert list(imputer.get_feature_names_out()) == ["a", "b"]


def test_imputer_keeps_a_dataframes_dtypes(tiny):
    from skbgan import BGANImputer

    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        "size": pd.Categorical(rng.choice(["S", "M", "L"], 200), categories=["S", "M", "L"]),
        "count": pd.array(rng.integers(0, 3, 200), dtype="Int64"),
        "flag": rng.integers(0, 2, 200).astype(bool),
        "code": rng.integers(0, 3, 200),
    })
    df.loc[::5, "size"] = None
    df.loc[1::7, "count"] = pd.NA
    df.loc[2::9, "code"] = -1
    imputer = BGANImputer(DiscreteBGAN(**tiny, random_state=0), random_state=0).fit(df)
    assert dict(imputer.estimator_.sample(5, random_state=0).dtypes) == dict(df.dtypes)
    out = imputer.transform(df)
    assert dict(out.dtypes) == dict(df.dtypes)
    assert not out[["size", "count"]].isna().any().any() and (out["code"] == -1).any()
    kept = df["size"].notna()
    assert (out.loc[kept, "size"] == df.loc[kept, "size"]).all()
    placeholder = BGANImputer(DiscreteBGAN(**tiny, random_state=0), missing_values=-1,
                              random_state=0).fit_transform(df[["flag", "code"]])
    assert placeholder["code"].dtype == np.int64 and not (placeholder["code"] == -1).any()


def test_a_column_fitted_without_values_stays_missing_with_a_warning(tiny):
    from skbgan import BGANImputer

    df = pd.DataFrame({"a": np.random.default_rng(0).integers(0, 3, 40), "b": [np.nan] * 40})
    with pytest.warns(UserWarning, match="Column 'b' had only missing values in fit"):
        out = BGANImputer(DiscreteBGAN(**tiny), random_state=0).fit_transform(df)
    assert out["b"].isna().all() and out["a"].notna().all()


def test_target_is_an_option_not_routed_metadata():
    # No set_predict_request: scikit-learn would otherwise route ``target`` as sample metadata.
    # fit's and score's sample_weight are routed, as scikit-learn's estimators route theirs.
    routed = [name for name in dir(DiscreteBGAN)
              if name.startswith("set_") and name.endswith("_request")]
    assert routed == ["set_fit_request", "set_score_request"]
    assert "target" not in str(DiscreteBGAN().get_metadata_routing())
