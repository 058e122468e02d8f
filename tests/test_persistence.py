"""Pickling and joblib round trips, device-free state, and the safe model format."""

import json
import numbers
import os
import pickle
import re
import warnings
from decimal import Decimal
from fractions import Fraction

import joblib
import numpy as np
import pandas as pd
import pytest
import torch

import skbgan
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

    def tensors(value):
        if isinstance(value, torch.Tensor):
            yield value
        elif isinstance(value, (dict, list, tuple)):
            for item in value.values() if isinstance(value, dict) else value:
                yield from tensors(item)

    training_state = list(tensors(state["_trainer"]))
    assert len(training_state) > 10 and all(t.device.type == "cpu" for t in training_state)


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


# ------------------------------------------------------------ safe format

@pytest.mark.parametrize("kind", ["ints", "strings", "bytes", "images", "frame",
                                  "tuple names", "exotic labels"])
def test_safe_format_round_trip(kind, labels, tiny, tmp_path):
    data = {
        "ints": labels,
        "strings": np.array([["a", "x"], ["b", "y"], ["a", "y"]] * 10),
        "bytes": np.array([[b"a", b"\xff"], [b"b", b"y"]] * 10),
        "images": np.random.default_rng(0).integers(0, 4, size=(40, 2, 3)).astype(np.uint8),
        "frame": pd.DataFrame({"c": pd.Categorical(["u", "v", None] * 10), "n": [1, 2, 3] * 10,
                               "s": ["p", None, "q"] * 10}),
        "tuple names": pd.DataFrame({"x": [1, 2, 3] * 10, "y": ["p", "q", "q"] * 10}).set_axis(
            pd.Index([("a", 1), ("b", 2)], tupleize_cols=False), axis=1),  # not a MultiIndex
        # labels JSON has no type for: a database's NUMERIC, fractions, bytes
        "exotic labels": pd.DataFrame({
            "decimal": pd.Series([Decimal("1"), Decimal("20"), None] * 10, dtype=object),
            "fraction": pd.Categorical([Fraction(1, 3), Fraction(1, 2), Fraction(1, 3)] * 10),
            "bytes": pd.Series([b"\x00", b"b", b"b"] * 10, dtype=object),
            "category": pd.Categorical([Decimal("0.5"), Decimal("1.5"), Decimal("1.5")] * 10),
        }),
    }[kind]
    est = DiscreteBGAN(**tiny, random_state=0).fit(data)
    est.save(tmp_path / "model.skbgan")
    loaded = skbgan.load(tmp_path / "model.skbgan")
    a, b = est.sample(50, random_state=3), loaded.sample(50, random_state=3)
    if kind in ("frame", "tuple names", "exotic labels"):
        pd.testing.assert_frame_equal(a, b)
        assert [type(v) for v in b.iloc[0]] == [type(v) for v in a.iloc[0]]
    else:
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype
    np.testing.assert_array_equal(est.score_samples(data), loaded.score_samples(data))
    assert loaded.get_params() == est.get_params()
    assert loaded.history_ == est.history_


class _Quantity(numbers.Number):
    """A number type of another package: fit takes it as a label, JSON has no type for it."""

    def __repr__(self):
        return "Quantity()"


def test_a_label_of_a_type_the_format_cannot_hold_is_named():
    from skbgan._persistence import _labels_to_json

    with pytest.raises(TypeError, match=r"Cannot write the label Quantity\(\) of type _Quantity "
                                        r"to a model file; joblib.dump keeps any label"):
        _labels_to_json(["a", _Quantity()])


class _RunsCode:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_crafted_file_with_code_is_refused(tmp_path):
    path = tmp_path / "evil.skbgan"
    torch.save({"metadata": "{}", "payload": _RunsCode()}, path)
    with pytest.raises(ValueError, match="not a safe skbgan model file") as refused:
        skbgan.load(path)
    assert "weights_only" not in str(refused.value)  # no advice to load it unsafely


def test_joblib_file_given_to_load_points_to_joblib(labels, tiny, tmp_path):
    joblib.dump(DiscreteBGAN(**tiny).fit(labels), tmp_path / "model.joblib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no warning of torch's about pickle protocols
        with pytest.raises(ValueError, match="read with joblib.load, only from a source you "
                                             "trust"):
            skbgan.load(tmp_path / "model.joblib")


def test_files_of_other_kinds_and_versions_are_refused(labels, tiny, tmp_path):
    torch.save({"weights": torch.zeros(3)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not a skbgan model file"):
        skbgan.load(tmp_path / "other.pt")
    est = DiscreteBGAN(**tiny).fit(labels)
    est.save(tmp_path / "model.skbgan")
    content = torch.load(tmp_path / "model.skbgan", weights_only=True)
    meta = json.loads(content["metadata"])
    for version, advice in [(99, "Upgrade skbgan"), (2, "Its networks are laid out differently; refit")]:
        meta["format_version"] = version
        content["metadata"] = json.dumps(meta)
        torch.save(content, tmp_path / "other-version.skbgan")
        with pytest.raises(ValueError, match=f"format version {version}; this skbgan reads "
                                             f"version 3. {advice}"):
            skbgan.load(tmp_path / "other-version.skbgan")


def test_save_needs_a_fitted_model(tiny, tmp_path):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        DiscreteBGAN(**tiny).save(tmp_path / "model.skbgan")


def test_save_into_a_missing_directory_says_which(labels, tiny, tmp_path):
    est = DiscreteBGAN(**tiny).fit(labels)
    with pytest.raises(FileNotFoundError, match=re.escape(f"no directory {tmp_path / 'absent'}")):
        est.save(tmp_path / "absent" / "model.skbgan")
    with pytest.raises(IsADirectoryError, match="it is a directory; name a file in it"):
        est.save(tmp_path)
    est.save(tmp_path / "model.skbgan")  # the model is unharmed


def test_files_before_auto_likelihood_latents_read_theirs_from_the_parameters(labels, tiny,
                                                                              tmp_path):
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    est.save(tmp_path / "model.skbgan")
    content = torch.load(tmp_path / "model.skbgan", weights_only=True)
    metadata = json.loads(content["metadata"])
    del metadata["likelihood_latents"]  # as an earlier version wrote it
    metadata["params"]["likelihood_latents"] = 48
    content["metadata"] = json.dumps(metadata)
    torch.save(content, tmp_path / "earlier.skbgan")
    assert skbgan.load(tmp_path / "earlier.skbgan").likelihood_latents_ == 48
