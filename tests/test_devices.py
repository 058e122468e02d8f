"""Everything a user does, on every device this machine has: the CPU, and CUDA when present.

Without a GPU the CUDA cases are skipped and the CPU cases check the same
code paths; on a machine with one (``python -m pytest tests/test_devices.py``)
they run there.
"""

import joblib
import numpy as np
import pytest
import torch

import skbgan
from skbgan import DiscreteBGAN
from skbgan._networks import cpu_state_dict

DEVICES = [
    "cpu",
    pytest.param("cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(),
                                                  reason="no CUDA GPU")),
]


@pytest.fixture(params=DEVICES)
def device(request):
    return request.param


@pytest.mark.parametrize("autoregressive", [False, True, "sequence"])
def test_table_fits_samples_scores_and_imputes_on_the_device(labels, tiny, device,
                                                              autoregressive):
    tiny["device"] = device
    est = DiscreteBGAN(**tiny, autoregressive=autoregressive, random_state=0).fit(labels)
    assert est.device_.type == device
    assert all(p.device.type == device for p in est.generator_.parameters())
    S = est.sample(200, random_state=1)
    assert S.dtype == labels.dtype and S.shape == (200, labels.shape[1])
    for j in range(labels.shape[1]):  # "sequence": every column has every column's labels
        assert np.isin(S[:, j], labels if autoregressive == "sequence" else labels[:, j]).all()
    np.testing.assert_array_equal(S, est.sample(200, random_state=1))
    fixed = est.sample(50, conditions={0: 10**9}, random_state=0)
    assert (fixed[:, 0] == 10**9).all()
    scores = est.score_samples(labels)
    assert scores.shape == (len(labels),) and np.isfinite(scores).all()
    holes = labels[:20].astype(float)
    holes[:, 1] = np.nan
    filled = est.impute(holes, random_state=0)
    assert np.isin(filled[:, 1], labels if autoregressive == "sequence" else labels[:, 1]).all()
    proba = est.predict_proba(labels[:20], target=3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)


def test_conv_images_train_and_sample_on_the_device(tiny, device):
    images = np.random.default_rng(0).integers(0, 2, size=(64, 16, 16))
    tiny.update(device=device, architecture="conv")
    est = DiscreteBGAN(**tiny, random_state=0).fit(images)
    assert est.device_.type == device and est.architecture_ == "conv"
    S = est.sample(8, random_state=0, conditions={(0, 0): 1}, candidates=2)
    assert S.shape == (8, 16, 16) and (S[:, 0, 0] == 1).all()
    assert np.isfinite(est.score_samples(images[:8])).all()


def test_warm_start_continues_on_the_device(labels, tiny, device):
    tiny.update(device=device, epochs=1)
    est = DiscreteBGAN(**tiny, warm_start=True, random_state=0).fit(labels)
    est.fit(labels)
    assert len(est.history_) == 2 and est.device_.type == device


@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_each_precision_draws_on_the_device(labels, tiny, device, precision):
    tiny["device"] = device
    est = DiscreteBGAN(**tiny, precision=precision, random_state=0).fit(labels)
    S = est.sample(100, random_state=0)
    np.testing.assert_array_equal(S, est.sample(100, random_state=0))
    assert np.isin(S[:, 0], labels[:, 0]).all()


def test_a_model_from_the_device_loads_on_a_cpu_only_machine(labels, tiny, device, tmp_path,
                                                             monkeypatch):
    tiny["device"] = device
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    joblib.dump(est, tmp_path / "model.joblib")
    est.save(tmp_path / "model.skbgan")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    for loaded in (joblib.load(tmp_path / "model.joblib"), skbgan.load(tmp_path / "model.skbgan")):
        assert loaded.device_ == torch.device("cpu")
        weights = cpu_state_dict(loaded.generator_)
        for name, tensor in cpu_state_dict(est.generator_).items():
            torch.testing.assert_close(weights[name], tensor, rtol=0, atol=0)
        assert np.isin(loaded.sample(50, random_state=0)[:, 0], labels[:, 0]).all()
        assert np.isfinite(loaded.score_samples(labels[:20])).all()


def test_device_may_be_a_torch_device(labels, tiny, tmp_path):
    tiny["device"] = torch.device("cpu")
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    assert est.device_ == torch.device("cpu")
    est.save(tmp_path / "model.skbgan")
    assert skbgan.load(tmp_path / "model.skbgan").get_params()["device"] == "cpu"
    with pytest.raises(ValueError, match="is not supported; use 'cpu' or 'cuda'"):
        DiscreteBGAN(**{**tiny, "device": torch.device("meta")}).fit(labels)


def test_adam_is_fused_only_where_pytorch_has_the_kernel(labels, tiny, monkeypatch):
    from skbgan import _training

    tiny["device"] = "cpu"
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    on_cpu = torch.torch_version.TorchVersion(torch.__version__) >= (2, 4)
    assert bool(est._trainer.generator_opt.defaults["fused"]) == on_cpu
    # a PyTorch before 2.4, whose CPU has no fused Adam: the default implementation
    monkeypatch.setattr(_training, "FUSED_ADAM_DEVICES", ("cuda",))
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    assert not est._trainer.generator_opt.defaults["fused"]
    assert not est._trainer.critic_opt.defaults["fused"]
    assert np.isfinite(est.score_samples(labels)).all()
