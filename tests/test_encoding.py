"""Labels -> codes -> labels round-trips exactly (property-based)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from skbgan._encoding import (
    UNSEEN,
    CategoricalCodec,
    as_column,
    check_labels,
    unique_labels,
    widened_categoricals,
)

INT_DTYPES = st.sampled_from([np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint64])


@settings(max_examples=60, deadline=None)
@given(arrays(INT_DTYPES, array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=6)))
def test_integer_arrays_of_any_shape_round_trip(X):
    flat = X.reshape(len(X), -1)
    codec = CategoricalCodec().fit(flat, X.shape[1:])
    codes = codec.encode(flat)
    assert (codes >= 0).all()
    decoded = codec.decode(codes)
    assert decoded.dtype == X.dtype and decoded.shape == X.shape
    np.testing.assert_array_equal(decoded, X)


LABEL = st.one_of(st.none(), st.text(max_size=3))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(LABEL, min_size=3, max_size=3), min_size=1, max_size=20))
def test_string_columns_with_missing_values_round_trip(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c"])
    X = frame.to_numpy(dtype=object)
    check_labels(X, (3,), allow_missing=True)
    codec = CategoricalCodec().fit(X, (3,))
    decoded = codec.decode(codec.encode(X))
    assert [[v for v in row] for row in decoded] == [list(row) for row in rows]


@settings(max_examples=40, deadline=None)
@given(arrays(np.int64, (5, 2), elements=st.integers(-(2**62), 2**62)),
       st.integers(-(2**62), 2**62))
def test_labels_never_seen_get_the_unseen_code(X, label):
    codec = CategoricalCodec().fit(X, (2,))
    probe = np.array([[label, X[0, 1]]])
    codes = codec.encode(probe)
    assert (codes[0, 0] == UNSEEN) == (label not in X[:, 0])
    assert codes[0, 1] != UNSEEN


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.lists(st.text(max_size=2), min_size=1, max_size=30),
                 st.lists(st.one_of(st.integers(-5, 5), st.sampled_from([1.0, 2.0, -0.0])),
                          min_size=1, max_size=30)))
def test_object_labels_are_found_by_hash_as_np_unique_finds_them(labels):
    column = np.empty(len(labels), dtype=object)
    column[:] = labels
    expected = np.unique(column)
    found = unique_labels(column)
    assert found.dtype == object and len(found) == len(expected)
    assert all(a == b for a, b in zip(found, expected))  # 1 and 1.0 are one label
    codec = CategoricalCodec().fit(column[:, None], (1,))
    codes = codec.encode(column[:, None])[:, 0]
    assert [found[c] == v for c, v in zip(codes, column)] == [True] * len(column)


def test_object_labels_never_seen_or_unhashable_get_the_unseen_code():
    codec = CategoricalCodec().fit(np.array([["a"], ["b"]], dtype=object), (1,))
    probe = np.empty((3, 1), dtype=object)
    probe[:, 0] = ["b", "z", 7]
    assert codec.encode(probe)[:, 0].tolist() == [1, UNSEEN, UNSEEN]
    assert codec.encode_label(0, ["a"]) == UNSEEN


def test_numpy_strings_beside_python_strings_are_one_kind_of_label(tiny):
    from skbgan import DiscreteBGAN

    X = np.array([[np.str_("a")], ["b"], ["a"]] * 10, dtype=object)
    est = DiscreteBGAN(**tiny, random_state=0).fit(X)
    assert list(est.categories_[0]) == ["a", "b"]
    assert set(est.sample(20, random_state=0).ravel()) <= {"a", "b"}


@pytest.mark.filterwarnings("error")  # pandas deprecates casting labels a dtype lacks
def test_a_categorical_column_gains_the_labels_its_categories_lack():
    dtype = pd.CategoricalDtype(["b", "a"], ordered=True)
    column = as_column(np.array(["a", "c", None, "b", "c"], dtype=object), dtype)
    assert list(column.categories) == ["b", "a", "c"] and column.ordered
    assert list(column.isna()) == [False, False, True, False, False]  # None stays missing
    assert as_column(np.array(["a", None], dtype=object), dtype).dtype == dtype


def test_widened_categoricals_append_the_codecs_labels_and_keep_other_dtypes():
    dtypes = {"x": pd.CategoricalDtype(["z", "a"], ordered=True), "y": np.dtype(object)}
    codec = CategoricalCodec().fit(np.array([["a", "u"], ["b", "v"]], dtype=object), (2,))
    widened = widened_categoricals(dtypes, codec)
    assert list(widened["x"].categories) == ["z", "a", "b"] and widened["x"].ordered
    assert widened["y"] == object
