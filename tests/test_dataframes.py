"""DataFrames in and out: names, dtypes, categoricals and missing values."""

import pickle

import numpy as np
import pandas as pd
import pytest

from skbgan import DiscreteBGAN


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    n = 200
    return pd.DataFrame({
        "colour": rng.choice(["red", "green", None], size=n),
        "size": pd.Categorical(rng.choice(["S", "M", "L"], size=n), categories=["S", "M", "L"]),
        "count": rng.integers(-2, 3, size=n),
        "flag": rng.integers(0, 2, size=n).astype(bool),
        "score": np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 4, size=n)),
    })


def test_sample_returns_frame_with_same_names_order_and_dtypes(frame, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    S = est.sample(300, random_state=0)
    assert isinstance(S, pd.DataFrame)
    assert list(S.columns) == list(frame.columns)
    assert dict(S.dtypes) == dict(frame.dtypes)
    assert list(S["size"].cat.categories) == ["S", "M", "L"]
    assert list(est.feature_names_in_) == list(frame.columns)


@pytest.mark.parametrize("other", ["int", "text"])
def test_categorical_columns_of_fractions_are_labels(tiny, other):
    # a category dtype declares labels: 0.5 is a label there, not a numeric value
    rng = np.random.default_rng(0)
    levels = [0.5, 1.25, 2.0]
    frame = pd.DataFrame({"dose": pd.Categorical(rng.choice(levels, 200)),
                          "arm": rng.integers(0, 3, 200) if other == "int"
                          else rng.choice(["a", "b"], 200)})
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    S = est.sample(100, random_state=0)
    assert dict(S.dtypes) == dict(frame.dtypes) and set(S["dose"]) <= set(levels)
    assert list(est.categories_[0]) == levels
    assert (est.sample(5, conditions={"dose": 1.25}, random_state=0)["dose"] == 1.25).all()
    assert np.isfinite(est.score_samples(frame)).all()


@pytest.mark.parametrize("other", [
    np.array([True, False] * 100),
    pd.array([1, None, 3, 4] * 50, dtype="Int64"),
    pd.array([True, None] * 100, dtype="boolean"),
    pd.array([0.5, None, 1.5, 2.5] * 50, dtype="Float64"),
], ids=["bool", "Int64", "boolean", "Float64"])
def test_categorical_of_text_beside_bool_or_nullable_columns(tiny, other):
    # without an object column, scikit-learn's validation would cast such a frame to float
    frame = pd.DataFrame({"size": pd.Categorical(["S", "M", "L", "M"] * 50), "other": other})
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    S = est.sample(400, random_state=0)
    assert dict(S.dtypes) == dict(frame.dtypes)
    assert set(S["size"]) <= {"S", "M", "L"}
    assert set(S["other"].dropna()) <= set(frame["other"].dropna())
    labels = sorted(frame["other"].dropna().unique().tolist())
    if "other" not in est.bin_edges_:  # Float64 is numeric; the others keep their labels
        assert est.categories_[1][:len(labels)].tolist() == labels
        assert {type(label) for label in est.categories_[1][:len(labels)]} == {
            type(label) for label in labels}
    if frame["other"].hasnans:
        assert est.categories_[1][-1] is None and S["other"].isna().any()
    assert np.isfinite(est.score_samples(frame)).all()


def test_labels_keep_their_column_type_beside_other_dtypes(tiny):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"count": rng.integers(0, 3, 200), "flag": rng.random(200) < 0.5,
                          "weight": rng.normal(size=200)})
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    assert [type(label) for label in est.categories_[0]] == [int] * 3  # not 0.0, 1.0, 2.0
    assert [type(label) for label in est.categories_[1]] == [bool] * 2
    assert dict(est.sample(50, random_state=0).dtypes) == dict(frame.dtypes)


def test_missing_values_are_a_category_and_are_generated_back(frame, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    assert est.categories_[0][-1] is None and len(est.categories_[0]) == 3
    assert est.categories_[4][-1] is None
    S = est.sample(2000, random_state=0)
    assert S["colour"].isna().any() and set(S["colour"].dropna()) <= {"red", "green"}
    assert S["score"].isna().any() and set(S["score"].dropna()) <= {0.0, 1.0, 2.0, 3.0}


def test_score_on_frames_with_missing_values(frame, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    assert np.isfinite(est.score_samples(frame)).all()


def test_score_rejects_other_columns(frame, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    with pytest.raises(ValueError, match="feature names"):
        est.score(frame.rename(columns={"colour": "hue"}))


def test_errors_name_the_column(tiny):
    bad = pd.DataFrame({"ok": [1, 2, 3], "weight": [0.5, 1.0, 2.0]})
    with pytest.raises(ValueError, match="Column 'weight' holds the non-integral value 0.5"):
        DiscreteBGAN(**tiny, numeric_columns=["ok"]).fit(bad)
    mixed = pd.DataFrame({"ok": [1, 2, 3], "mixed": ["a", 1, "b"]})
    with pytest.raises(TypeError, match="Column 'mixed' mixes the types"):
        DiscreteBGAN(**tiny).fit(mixed)


def test_a_frame_of_every_column_kind_round_trips(tiny):
    rng = np.random.default_rng(0)
    n = 200
    frame = pd.DataFrame({
        "cat_text": pd.Categorical(rng.choice(["x", "y"], n)),
        "cat_int": pd.Categorical(rng.choice([3, 7], n)),
        "cat_ordered": pd.Categorical(rng.choice(["lo", "hi"], n), categories=["lo", "hi"],
                                      ordered=True),
        "cat_missing": pd.Categorical(rng.choice(["u", None], n)),
        "object": rng.choice(["a", "b", None], n).astype(object),
        "string": pd.array(rng.choice(["p", "q"], n), dtype="string"),
        "bool": rng.random(n) < 0.5,
        "boolean": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
        "int": rng.integers(0, 4, n),
        "Int64": pd.array(rng.choice([1, 2, None], n), dtype="Int64"),
        "uint8": rng.integers(0, 4, n).astype(np.uint8),
        "float": rng.normal(size=n),
        "float_missing": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
        "Float64": pd.array(np.where(rng.random(n) < 0.2, None, rng.normal(size=n)),
                            dtype="Float64"),
        "wide_int": rng.integers(0, 10**6, n),
    })
    est = DiscreteBGAN(**tiny, random_state=0).fit(frame)
    assert dict(est.sample(100, random_state=0).dtypes) == dict(frame.dtypes)
    assert np.isfinite(est.score_samples(frame)).all()
    gaps = frame.copy()
    gaps.loc[::3, ["cat_text", "boolean", "Int64", "float"]] = None
    filled = est.impute(gaps, random_state=0)
    assert dict(filled.dtypes) == dict(gaps.dtypes)
    assert not filled[["cat_text", "boolean", "Int64", "float"]].isna().any().any()
    S = est.sample(20, conditions={"boolean": True, "cat_int": 7, "string": "q"}, random_state=0)
    assert S["boolean"].all() and (S["cat_int"] == 7).all() and (S["string"] == "q").all()


def test_pyarrow_backed_columns_are_read_as_python_backed_ones(tiny):
    pa = pytest.importorskip("pyarrow")
    from skbgan._encoding import frame_for_validation

    rng = np.random.default_rng(0)
    text = rng.choice(["p", "q", None], 300)
    python = pd.DataFrame({"str": pd.array(text, dtype="string[python]"),
                           "arrow_int": rng.integers(0, 3, 300)})
    arrow = pd.DataFrame({"str": pd.array(text, dtype="string[pyarrow]"),
                          "arrow_int": pd.array(python["arrow_int"], dtype=pd.ArrowDtype(pa.int64()))})
    objects = frame_for_validation(arrow)
    assert objects.equals(arrow.astype(object))
    assert [type(v) for v in objects["arrow_int"]] == [int] * 300
    fitted = [DiscreteBGAN(**tiny, random_state=0).fit(X) for X in (python, arrow)]
    assert [list(c) for c in fitted[0].categories_] == [list(c) for c in fitted[1].categories_]
    S = fitted[1].sample(50, random_state=0)
    assert dict(S.dtypes) == dict(arrow.dtypes)


@pytest.fixture
def polars_frame():
    pl = pytest.importorskip("polars")
    rng = np.random.default_rng(0)
    n = 200
    return pl.DataFrame({
        "colour": pl.Series(rng.choice(["red", "green", None], size=n).tolist(), dtype=pl.String),
        "size": pl.Series(rng.choice(["S", "M", "L"], size=n).tolist(),
                          dtype=pl.Enum(["S", "M", "L", "XL"])),
        "shape": pl.Series(rng.choice(["round", "flat"], size=n).tolist(), dtype=pl.Categorical),
        "count": rng.integers(-2, 3, size=n),
        "rooms": pl.Series([None if v == 0 else int(v) for v in rng.integers(0, 4, size=n)],
                           dtype=pl.Int32),
        "flag": rng.integers(0, 2, size=n).astype(bool),
    })


def test_polars_frames_are_read_as_pandas_ones(polars_frame, tiny):
    from skbgan._encoding import from_polars

    converted = from_polars(polars_frame)
    assert str(converted["rooms"].dtype) == "Int32" and converted["rooms"].isna().any()
    assert list(converted["size"].cat.categories) == ["S", "M", "L", "XL"]  # an enum's, all
    assert list(converted["shape"].cat.categories) == ["flat", "round"]
    assert converted["colour"].isna().any() and converted["count"].dtype == np.int64
    est = DiscreteBGAN(**tiny, random_state=0).fit(polars_frame)
    twin = DiscreteBGAN(**tiny, random_state=0).fit(converted)
    assert list(est.feature_names_in_) == polars_frame.columns
    np.testing.assert_allclose(est.score_samples(polars_frame), twin.score_samples(converted))
    S = est.sample(50, conditions={"colour": "red"}, random_state=0)
    expected = twin.sample(50, conditions={"colour": "red"}, random_state=0)
    assert S.schema == polars_frame.schema  # polars back, every column's type kept
    pd.testing.assert_frame_equal(from_polars(S), expected, check_categorical=False)
    assert (S["colour"] == "red").all()


def test_a_model_fitted_on_polars_samples_polars_after_save_and_pickle(polars_frame, tiny,
                                                                      tmp_path):
    import skbgan

    est = DiscreteBGAN(**tiny, random_state=0).fit(polars_frame)
    est.save(tmp_path / "model.skbgan")
    for copy in [skbgan.load(tmp_path / "model.skbgan"), pickle.loads(pickle.dumps(est))]:
        assert copy.sample(5, random_state=0).equals(est.sample(5, random_state=0))
        assert copy.predict(polars_frame.head(3)).schema == polars_frame.schema


def test_polars_frames_in_impute_predict_the_imputer_and_metrics(polars_frame, tiny):
    pl = pytest.importorskip("polars")
    from skbgan import BGANImputer
    from skbgan.metrics import marginal_tv, ml_efficacy

    est = DiscreteBGAN(**tiny, random_state=0).fit(polars_frame)
    gaps = polars_frame.with_columns(
        pl.when(pl.col("count") == 0).then(None).otherwise(pl.col("count")).alias("count"))
    filled = est.impute(gaps.head(20), random_state=0)  # a polars frame back, of its schema
    assert isinstance(filled, pl.DataFrame) and filled.schema == gaps.schema
    assert filled.null_count().sum_horizontal().item() == 0
    assert est.predict(polars_frame.drop("flag").head(5), target="flag").dtype == bool
    imputer = BGANImputer(estimator=DiscreteBGAN(**tiny), random_state=0)
    imputed = imputer.fit_transform(gaps)
    assert isinstance(imputed, pl.DataFrame) and imputed.schema == gaps.schema
    assert imputed["count"].null_count() == 0
    as_pandas = imputer.set_output(transform="pandas").transform(gaps)
    assert isinstance(as_pandas, pd.DataFrame) and as_pandas["count"].notna().all()
    reordered = polars_frame.select(polars_frame.columns[::-1])
    assert marginal_tv(polars_frame, reordered) == 0  # matched by name, not by position
    assert set(ml_efficacy(polars_frame, polars_frame, reordered, "flag")) == {
        "synthetic_auc", "real_auc", "gap"}


def test_a_polars_column_of_nulls_only_is_imputed_in_a_type_of_its_labels(polars_frame, tiny):
    pl = pytest.importorskip("polars")
    from skbgan._encoding import from_polars

    unknown = polars_frame.head(10).with_columns(pl.lit(None).alias("colour"),
                                                 pl.lit(None).alias("shape"))
    assert unknown.schema["colour"] == pl.Null
    filled = DiscreteBGAN(**tiny, random_state=0).fit(polars_frame).impute(unknown,
                                                                          random_state=0)
    assert filled.schema == polars_frame.schema  # the fitted types, not Null
    assert set(filled["colour"]) <= {"red", "green"} and filled["shape"].null_count() == 0
    # fitted on pandas: the types polars reads off the filled labels
    filled = DiscreteBGAN(**tiny, random_state=0).fit(from_polars(polars_frame)).impute(
        unknown, random_state=0)
    assert filled.schema["colour"] == pl.String and filled["colour"].null_count() == 0


def test_a_polars_date_column_is_refused_by_name(tiny):
    pl = pytest.importorskip("polars")
    dates = pl.DataFrame({"day": pl.date_range(pl.date(2020, 1, 1), pl.date(2020, 1, 20),
                                               eager=True), "n": list(range(20))})
    with pytest.raises(TypeError, match="day"):
        DiscreteBGAN(**tiny).fit(dates)


@pytest.mark.parametrize("make, error, message", [
    (lambda pl: pl.DataFrame({"a": [1, 2] * 10}).lazy(), TypeError, r"LazyFrame: collect it"),
    (lambda pl: pl.Series("a", [1, 2] * 10), ValueError, r"got a polars Series \('a'\)"),
    (lambda pl: pl.DataFrame({"tags": [["x"], ["y"]] * 10}), TypeError,
     r"Column 'tags' holds list values"),
])
def test_polars_inputs_that_are_no_table_of_labels_are_named(make, error, message, tiny):
    pl = pytest.importorskip("polars")
    with pytest.raises(error, match=message):
        DiscreteBGAN(**tiny).fit(make(pl))


def test_declared_labels_a_categorical_column_lacks_join_its_dtype(tiny):
    frame = pd.DataFrame({"size": pd.Categorical(["S", "M"] * 20, categories=["S", "M"]),
                          "flag": [0, 1] * 20})
    est = DiscreteBGAN(**tiny, random_state=0,
                       categories=[["S", "M", "XL"], [0, 1]]).fit(frame)
    S = est.sample(3, random_state=0)  # "XL" may be drawn: never turned into a missing value
    assert list(S["size"].cat.categories) == ["S", "M", "XL"]
    assert S["flag"].dtype == frame["flag"].dtype
