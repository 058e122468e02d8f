"""Training never reads a device value back to the host per step (on CUDA, each read is a sync).

No GPU is needed: a host read of a tensor value (``.item()``, ``bool()``,
``float()``, ``nonzero``, boolean-mask indexing, ``torch.equal``) goes through
one of a few ATen operators, which a dispatch mode counts on CPU as it would
on CUDA; ``.tolist()``, ``.numpy()`` and ``.cpu()`` do not dispatch on CPU, so
they are wrapped. Reads issued by ``torch.optim`` are left out: Adam's step
counters live on the host, so reading them never waits for the GPU.
"""

import traceback
from collections import Counter

import numpy as np
import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from skbgan import DiscreteBGAN

HOST_READS = {"aten._local_scalar_dense.default", "aten.item.default", "aten.nonzero.default",
              "aten.is_nonzero.default", "aten.equal.default", "aten.masked_select.default"}
MASKED_INDEXING = {"aten.index.Tensor", "aten.index_put.default", "aten.index_put_.default"}


class HostReads(TorchDispatchMode):
    """Counts host reads of tensor values, by the skbgan line that caused them."""

    def __init__(self):
        super().__init__()
        self.sites = Counter()

    def record(self):
        frames = traceback.extract_stack()
        if not any("torch/optim" in frame.filename for frame in frames):
            site = [f"{frame.filename}:{frame.lineno}" for frame in frames
                    if "/skbgan/" in frame.filename]
            self.sites[site[-1] if site else "outside skbgan"] += 1

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        masked = str(func) in MASKED_INDEXING and any(
            index is not None and index.dtype == torch.bool for index in args[1])
        if str(func) in HOST_READS or masked:
            self.record()
        return func(*args, **(kwargs or {}))


def host_reads(n_rows, monkeypatch, **params):
    X = np.random.default_rng(0).integers(0, 3, size=(n_rows, 5))
    mode = HostReads()
    for name in ("tolist", "numpy", "cpu"):
        method = getattr(torch.Tensor, name)

        def wrapped(tensor, *args, method=method, **kwargs):
            mode.record()
            return method(tensor, *args, **kwargs)
        monkeypatch.setattr(torch.Tensor, name, wrapped)
    with mode:
        DiscreteBGAN(epochs=1, batch_size=32, generator_layers=(16,), critic_layers=(16,),
                     device="cpu", random_state=0, **params).fit(X)
    monkeypatch.undo()
    return mode.sites


def test_host_reads_are_seen(monkeypatch):
    mode = HostReads()
    with mode:
        t = torch.ones(3)
        t.sum().item(), bool(t.sum() > 0), t[t > 0]
        with torch.inference_mode():
            t.sum().item()
    assert sum(mode.sites.values()) == 4


@pytest.mark.parametrize("params", [{}, {"divergence": "kl", "validation_fraction": 0.2},
                                    {"likelihood_weight": 0.0}, {"autoregressive": True},
                                    {"autoregressive": True, "autoregressive_units": 8},
                                    {"autoregressive": "sequence"},
                                    {"autoregressive": "sequence", "autoregressive_units": 8}])
def test_host_reads_do_not_grow_with_the_steps(params, monkeypatch):
    ten_steps = host_reads(320, monkeypatch, **params)
    forty_steps = host_reads(1280, monkeypatch, **params)
    assert ten_steps == forty_steps
    # per epoch: the losses' record and finite check, the validation scores
    assert sum(ten_steps.values()) <= 6, ten_steps
