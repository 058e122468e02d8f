"""Conditional sampling: the model's own conditional distribution, and clear errors."""

import itertools

import numpy as np
import pandas as pd
import pytest
import torch

from skbgan import DiscreteBGAN

from .conftest import DEPENDENT_MODEL, dependent_columns


@pytest.fixture(scope="module")
def dependent_model():
    """A model of three 3-category columns where column 1 mostly copies column 0."""
    return DiscreteBGAN(**DEPENDENT_MODEL).fit(dependent_columns())


def test_conditional_frequencies_match_enumeration(dependent_model):
    est = dependent_model
    labels = [-5, 5, 15]
    grid = np.array(list(itertools.product(labels, repeat=3)))
    # The model's exact joint, by enumeration of all 27 rows (many latents: tiny MC error).
    joint = np.exp(est.set_params(score_latents=200_000).score_samples(grid))
    est.set_params(score_latents=64)
    assert joint.sum() == pytest.approx(1, abs=1e-3)
    given = grid[:, 0] == 15
    exact = joint[given] / joint[given].sum()

    S = est.sample(40_000, conditions={0: 15}, random_state=0)
    assert (S[:, 0] == 15).all()
    counts = {tuple(row): 0 for row in grid[given]}
    for row, n in zip(*np.unique(S, axis=0, return_counts=True)):
        counts[tuple(row)] = n
    sampled = np.array([counts[tuple(row)] for row in grid[given]]) / len(S)
    assert 0.5 * np.abs(sampled - exact).sum() < 0.02
    # The condition matters: the unconditional distribution of the free columns differs.
    marginal = joint.reshape(3, 9).sum(axis=0)
    assert 0.5 * np.abs(marginal - exact).sum() > 0.2


def test_conditions_on_dataframe_columns_by_name():
    rng = np.random.default_rng(0)
    colour = rng.choice(["red", "blue", "green"], size=300)
    df = pd.DataFrame({
        "colour": pd.Categorical(colour),
        "size": np.where(colour == "red", "S", rng.choice(["M", "L"], size=300)),
        "count": rng.integers(0, 3, size=300),
        "note": pd.Series(rng.choice(["x", None], size=300), dtype=object),
    })
    est = DiscreteBGAN(epochs=2, batch_size=32, latent_dim=4, generator_layers=(16,),
                       critic_layers=(16,), device="cpu", random_state=0).fit(df)
    S = est.sample(100, conditions={"colour": "blue", "count": 2}, random_state=0)
    assert list(S.columns) == list(df.columns) and (S.dtypes == df.dtypes).all()
    assert (S["colour"] == "blue").all() and (S["count"] == 2).all()
    missing = est.sample(50, conditions={"note": None}, random_state=0)
    assert missing["note"].isna().all()
    for gap in (np.nan, pd.NA):  # any missing value is the missing category
        pd.testing.assert_frame_equal(est.sample(50, conditions={"note": gap}, random_state=0),
                                      missing)
    # a row of the table (a Series) conditions as the dict of its cells does
    row = df.iloc[1][["colour", "count"]]
    as_row = est.sample(20, conditions=row, random_state=0)
    pd.testing.assert_frame_equal(as_row, est.sample(20, conditions=row.to_dict(), random_state=0))
    # and value_counts(normalize=True) is a distribution
    shares = df["colour"].value_counts(normalize=True)
    rebalanced = est.sample(30, distribution={"colour": shares}, random_state=0)
    pd.testing.assert_frame_equal(
        rebalanced, est.sample(30, distribution={"colour": shares.to_dict()}, random_state=0))


def test_conditions_on_image_positions(tiny):
    X = np.random.default_rng(0).integers(0, 4, size=(64, 3, 2))
    est = DiscreteBGAN(**tiny, random_state=0).fit(X)
    S = est.sample(30, conditions={(2, 1): 3, 0: 1}, random_state=0)
    assert S.shape == (30, 3, 2)
    assert (S[:, 2, 1] == 3).all() and (S[:, 0, 0] == 1).all()
    with pytest.raises(ValueError, match=r"Condition on \(3, 0\): outside samples of shape"):
        est.sample(5, conditions={(3, 0): 1})
    with pytest.raises(TypeError, match=r"Condition on \(True, 0\): the key must be"):
        est.sample(5, conditions={(True, 0): 1})


def test_conditional_sampling_is_reproducible(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    a = est.sample(100, conditions={1: 7}, random_state=3)
    b = est.sample(100, conditions={1: 7}, random_state=3)
    np.testing.assert_array_equal(a, b)


def test_empty_conditions_sample_the_model_itself(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    np.testing.assert_array_equal(est.sample(50, conditions={}, random_state=3),
                                  est.sample(50, random_state=3))


@pytest.mark.parametrize(
    "conditions, error, match",
    [
        ({0: 12345}, ValueError, r"column 0 = 12345 is impossible.*never seen in fit"),
        ({1: 2.5}, ValueError, r"column 1 = 2.5 is impossible"),
        ({1: "3"}, ValueError, r"column 1 = '3' is impossible"),
        ({0: np.int64(12345)}, ValueError, r"column 0 = 12345 is impossible"),
        ({1: [3, 7]}, TypeError, r"column 1 is given list \[3, 7\], not one label.*impute"),
        ({1: {"a": 7}}, TypeError, r"column 1 is given dict \{'a': 7\}, not one label"),
        ({4: 0}, ValueError, r"column 4: indices run from 0 to 3"),
        ({-1: 0}, ValueError, r"column -1: indices run from 0 to 3"),
        ({"colour": "red"}, ValueError, r"named only when fit was given a DataFrame"),
        ({1.5: 0}, TypeError, r"Condition on 1.5: the key must be a column name"),
        ({True: 0}, TypeError, r"Condition on True: the key must be a column name"),
        ([(0, 3)], TypeError, r"conditions must be a dict"),
        (np.array([0, 3]), TypeError, r"conditions must be a dict of column to label, got ndarray"),
        (pd.DataFrame({0: [0, 3]}), TypeError, r"got DataFrame; to give each row its own.*impute"),
    ],
    ids=["unseen-label", "fractional-label", "string-for-int", "numpy-scalar", "list", "dict",
         "index-too-large", "negative-index", "name-without-frame", "float-key", "bool-key",
         "not-a-dict", "array", "dataframe"],
)
def test_bad_conditions_get_clear_errors(labels, tiny, conditions, error, match):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    with pytest.raises(error, match=match):
        est.sample(5, conditions=conditions)


def test_impossible_condition_lists_labels_as_plain_values(tiny):
    est = DiscreteBGAN(**tiny).fit(np.array([[-3.0, 1.0], [2.0, 0.0]] * 20))
    with pytest.raises(ValueError, match=r"column 0 = 5.0 is impossible.*: \[-3.0, 2.0\]\.$"):
        est.sample(5, conditions={0: np.float64(5.0)})


def test_unknown_column_name_lists_the_columns(tiny):
    df = pd.DataFrame({"a": ["x", "y"] * 20, "b": ["u", "v"] * 20})
    est = DiscreteBGAN(**tiny).fit(df)
    with pytest.raises(ValueError, match=r"'colour': no such column; columns are \['a', 'b'\]"):
        est.sample(5, conditions={"colour": "x"})
    with pytest.raises(ValueError, match=r"column 'a' = 'z' is impossible.*\['x', 'y'\]"):
        est.sample(5, conditions={"a": "z"})


def test_rare_condition_warns_but_samples(tiny):
    rng = np.random.default_rng(0)
    a = (rng.random(500) < 0.01).astype(int)
    est = DiscreteBGAN(**tiny, random_state=0).fit(np.column_stack([a] * 4))
    with torch.no_grad():  # sharpen the generator: label 1 only where its logit peaks
        for linear in est.generator_.head.linears:
            linear.weight *= 50
            linear.bias *= 50
    with pytest.warns(UserWarning, match="rare under the model") as caught:
        S = est.sample(20, conditions={0: 1}, random_state=0)
    assert (S[:, 0] == 1).all()
    assert caught[0].filename == __file__  # the warning points at the caller's line
