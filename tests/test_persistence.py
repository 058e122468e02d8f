"""Pickling and joblib round trips, device-free state."""

import pickle

import joblib
import numpy as np
import torch

from skbgan import DiscreteBGAN


def test_joblib_round_trip_samples_and_scores_identically(labels, tiny, tmp_path):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    joblib.dump(est, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(est.sample(100, random_state=2), loaded.sample(100, random_state=2))
    np.testing.assert_array_equal(est.score_samples(labels), loaded.score_samples(labels))
    assert loaded.history_ == est.history_
    assert [list(c) for c in loaded.categories_] == [list(c) for c in est.categories_]


def test_pickling_does_not_break_the_live_model(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    before = est.sample(20, random_state=0)
    pickle.dumps(est)
    assert isinstance(est.generator_, torch.nn.Module)
    np.testing.assert_array_equal(before, est.sample(20, random_state=0))


def test_state_holds_only_cpu_tensors_and_plain_device(labels, tiny):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    state = est.__getstate__()
    assert state["device_"] == "cpu"
    for name in ("generator_", "critic_"):
        assert all(t.device.type == "cpu" for t in state[name]["state_dict"].values())


def test_cuda_trained_state_loads_on_cpu(labels, tiny, monkeypatch):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    state = est.__getstate__()
    state["device_"] = "cuda:0"  # as written by a model trained on a GPU
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    loaded = DiscreteBGAN.__new__(DiscreteBGAN)
    loaded.__setstate__(state)
    assert loaded.device_ == torch.device("cpu")
    np.testing.assert_array_equal(loaded.sample(30, random_state=1), est.sample(30, random_state=1))


def test_unfitted_estimator_pickles(tiny):
    loaded = pickle.loads(pickle.dumps(DiscreteBGAN(**tiny)))
    assert loaded.get_params() == DiscreteBGAN(**tiny).get_params()
