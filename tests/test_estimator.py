"""Behaviour of DiscreteBGAN: labels, shapes, dtypes, reproducibility, errors."""

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

from skbgan import DiscreteBGAN


def test_sample_keeps_labels_dtype_and_shape(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    S = est.sample(500, random_state=1)
    assert S.shape == (500, 4) and S.dtype == labels.dtype
    for j in range(labels.shape[1]):
        assert set(S[:, j]) <= set(labels[:, j])
    assert (S[:, 2] == 5).all()
    assert [list(c) for c in est.categories_] == [sorted(set(labels[:, j])) for j in range(4)]
    assert est.n_features_in_ == 4 and est.sample_shape_ == (4,)
    assert est.n_iter_ == 2 and len(est.history_) == 2
    assert set(est.history_[0]) == {"critic_loss", "generator_loss", "likelihood_loss", "weight_ess"}


@pytest.mark.parametrize(
    "X",
    [
        np.array([[True, False], [False, False], [True, True]] * 10),
        np.array([[1.0, 2.0], [3.0, -4.0]] * 10),
        np.array([["red", "S"], ["blue", "M"], ["red", "L"]] * 10),
        np.array([[0, 255], [17, 3]] * 10, dtype=np.uint8),
    ],
    ids=["bool", "integral-float", "str", "uint8"],
)
def test_other_label_dtypes_round_trip(X, tiny):
    S = DiscreteBGAN(**tiny, random_state=0).fit(X).sample(50, random_state=0)
    assert S.dtype == X.dtype
    for j in range(X.shape[1]):
        assert set(S[:, j].tolist()) <= set(X[:, j].tolist())


def test_image_shaped_data_gives_image_shaped_samples(tiny):
    X = np.random.default_rng(0).integers(0, 16, size=(64, 5, 3))
    est = DiscreteBGAN(**tiny, random_state=0).fit(X)
    assert est.sample_shape_ == (5, 3) and est.n_features_in_ == 15
    assert est.sample(7).shape == (7, 5, 3)
    assert est.score_samples(X[:4]).shape == (4,)
    with pytest.raises(ValueError, match=r"samples of shape \(15,\).*\(5, 3\)"):
        est.score(X.reshape(64, 15))
    with pytest.raises(ValueError, match=r"samples of shape \(3, 5\)"):
        est.score(X.transpose(0, 2, 1))


def test_many_categories_in_one_column(tiny):
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.integers(0, 5000, size=2000), rng.integers(0, 3, size=2000)])
    with pytest.warns(UserWarning, match="Column 0 has 1626 distinct labels in 2000 rows"):
        est = DiscreteBGAN(**tiny, numeric_columns=[], random_state=0).fit(X)
    assert len(est.categories_[0]) == len(np.unique(X[:, 0]))
    assert np.isin(est.sample(300)[:, 0], X[:, 0]).all()


def test_fit_and_sample_are_reproducible(labels, tiny):
    a = DiscreteBGAN(**tiny, random_state=3).fit(labels)
    b = DiscreteBGAN(**tiny, random_state=3).fit(labels)
    np.testing.assert_array_equal(a.sample(200, random_state=5), b.sample(200, random_state=5))
    assert a.history_ == b.history_
    c = DiscreteBGAN(**tiny, random_state=4).fit(labels)
    assert not np.array_equal(a.sample(200, random_state=5), c.sample(200, random_state=5))


def test_sampling_does_not_touch_global_random_state(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()
    est.sample(10, random_state=1)
    est.sample(10)
    DiscreteBGAN(**tiny, random_state=0).fit(labels)
    assert torch.equal(torch_state, torch.get_rng_state())
    assert np.array_equal(np_state[1], np.random.get_state()[1])


def test_sample_random_state_accepts_random_state_instance(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    a = est.sample(20, random_state=np.random.RandomState(0))
    b = est.sample(20, random_state=np.random.RandomState(0))
    np.testing.assert_array_equal(a, b)


def test_sampling_is_chunked_beyond_one_chunk(labels, tiny, monkeypatch):
    import skbgan._conditioning as module

    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    full = est.sample(1000, random_state=0)
    monkeypatch.setattr(module, "sample_chunk_rows", lambda n_outputs, device: 300)
    chunked = est.sample(1000, random_state=0)
    assert chunked.shape == full.shape
    assert set(chunked[:, 0]) <= set(labels[:, 0])


def test_score_is_mean_of_score_samples_and_deterministic(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    scores = est.score_samples(labels)
    assert scores.shape == (300,) and np.isfinite(scores).all() and (scores < 0).all()
    np.testing.assert_array_equal(scores, est.score_samples(labels))
    assert est.score(labels) == pytest.approx(scores.mean())


def test_unseen_category_gets_finite_documented_penalty(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    row = labels[:1].copy()
    base = est.score_samples(row)[0]
    row[0, 2] = 999  # never seen in the constant column, whose log-probability is 0
    assert est.score_samples(row)[0] == pytest.approx(base - np.log(300 + 1))


def test_device_auto_resolves_without_changing_the_parameter(labels, tiny):
    est = DiscreteBGAN(**{**tiny, "device": "auto"}).fit(labels)
    assert est.device == "auto"
    assert est.device_.type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_clone_gives_unfitted_copy_with_same_params(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    assert not hasattr(copy, "generator_")


def test_grid_search_with_default_score_on_rare_categories(tiny):
    rng = np.random.default_rng(0)
    X = rng.integers(0, 4, size=(90, 3))
    X[0, 0] = 77  # a category that some fold never sees in fit
    grid = GridSearchCV(DiscreteBGAN(**tiny, random_state=0),
                        {"samples_per_latent": [2, 4]}, cv=3, n_jobs=2)
    grid.fit(X)
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()
    assert grid.best_estimator_.sample(5).shape == (5, 3)


def test_pipeline_with_ordinal_encoder_on_strings(tiny):
    X = np.array([["red", "small"], ["blue", "large"], ["red", "large"]] * 20, dtype=object)
    pipe = make_pipeline(OrdinalEncoder(), DiscreteBGAN(**tiny, random_state=0)).fit(X)
    assert np.isfinite(pipe.score(X))
    codes = pipe[-1].sample(10, random_state=0)
    assert set(pipe[0].inverse_transform(codes)[:, 0]) <= {"red", "blue"}


def test_verbose_shows_progress_bar(labels, tiny, capsys):
    DiscreteBGAN(**{**tiny, "verbose": 1}).fit(labels)
    err = capsys.readouterr().err
    assert "DiscreteBGAN" in err and "critic=" in err


@pytest.mark.parametrize("divergence", ["gan", "jensen_shannon", "kl", "reverse_kl",
                                        "squared_hellinger", "pearson_chi2"])
def test_every_divergence_trains(labels, tiny, divergence):
    est = DiscreteBGAN(**tiny, divergence=divergence, random_state=0).fit(labels)
    assert all(np.isfinite(list(h.values())).all() for h in est.history_)


def test_non_finite_losses_stop_training_with_advice(labels, tiny):
    est = DiscreteBGAN(**{**tiny, "critic_lr": 1e30, "generator_lr": 1e30},
                       divergence="kl", critic_lipschitz=None)
    with pytest.raises(FloatingPointError, match="Lower critic_lr and generator_lr"):
        est.fit(labels)
    assert not hasattr(est, "generator_")
