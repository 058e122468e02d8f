"""A model fitted on a GPU, saved, and loaded on a machine without one.

Run by hand in two places (not in CI)::

    python benchmarks/cuda_model.py save models.joblib     # on the GPU machine
    python benchmarks/cuda_model.py check models.joblib    # on a CPU-only machine

``save`` fits two small models on CUDA (a table with negative and gapped
labels, and 16x16 binary images on the conv networks) and dumps them with
joblib beside their ``score_samples`` of 50 training rows. ``check`` loads
them, asserts that every parameter is on the CPU and that they sample, and
prints how far their scores moved.
"""

import argparse
import time

import joblib
import numpy as np
import torch

from skbgan import DiscreteBGAN


def problems():
    """The two training sets and their estimators' parameters."""
    rng = np.random.default_rng(0)
    table = np.column_stack([rng.integers(-3, 4, 2000), rng.integers(0, 2, 2000) * 1000,
                             rng.integers(0, 20, 2000)])
    images = (rng.random((256, 16, 16)) < 0.3).astype(np.int64)
    return {"table": (table, {}), "conv": (images, {"architecture": "conv"})}


def save(path):
    models = {}
    for name, (X, params) in problems().items():
        start = time.perf_counter()
        est = DiscreteBGAN(epochs=3, device="cuda", random_state=0, **params).fit(X)
        print(f"{name}: fitted on {est.device_} in {time.perf_counter() - start:.1f} s")
        models[name] = (est, X[:50], est.score_samples(X[:50]))
    joblib.dump(models, path)
    print(f"saved {path} ({torch.cuda.get_device_name(0)})")


def check(path):
    for name, (est, X, scores) in joblib.load(path).items():
        assert all(p.device.type == "cpu" for p in est.generator_.parameters())
        assert est.sample(5, random_state=0).shape[1:] == X.shape[1:]
        moved = np.abs(est.score_samples(X[:len(scores)]) - scores).max()
        print(f"{name}: loaded on {est.device_}, samples, scores within {moved:.4f} nats "
              "of the GPU's")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("path")
    args = parser.parse_args()
    (save if args.action == "save" else check)(args.path)


if __name__ == "__main__":
    main()
