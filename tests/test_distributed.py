"""Data-parallel training with torch.distributed (gloo, 2 CPU processes) and dask's joblib backend."""

import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV

import skbgan
from skbgan import DiscreteBGAN

SCRIPT = Path(__file__).parent / "scripts" / "distributed_fit.py"


@pytest.mark.parametrize("head", [[], ["autoregressive"]])
def test_two_processes_train_one_model(tmp_path, head):
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               "--nproc_per_node=2", str(SCRIPT), str(tmp_path), *head]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    models = [skbgan.load(tmp_path / f"model-{rank}.skbgan") for rank in (0, 1)]
    for a, b in zip(models[0].generator_.state_dict().values(),
                    models[1].generator_.state_dict().values()):
        assert torch.equal(a, b), "the processes ended with different generators"
    assert models[0].history_ == models[1].history_ and models[0].n_iter_ == 3
    assert models[0].autoregressive_ == bool(head)
    samples = [np.load(tmp_path / f"sample-{rank}.npy") for rank in (0, 1)]
    np.testing.assert_array_equal(samples[0], samples[1])
    assert samples[0].shape == (100, 5) and np.isin(samples[0], np.arange(-2, 4)).all()
    scores = [np.load(tmp_path / f"score-{rank}.npy") for rank in (0, 1)]
    np.testing.assert_array_equal(scores[0], scores[1])
    assert np.isfinite(scores[0]).all()


def test_distributed_without_torchrun_says_how_to_launch(labels, tiny, monkeypatch):
    for name in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="launch the script with 'torchrun"):
        DiscreteBGAN(**tiny, distributed=True).fit(labels)


def test_grid_search_on_a_dask_cluster(tiny):
    distributed = pytest.importorskip("dask.distributed")
    X = np.random.default_rng(0).integers(0, 4, size=(90, 3))
    grid = {"samples_per_latent": [2, 4]}
    serial = GridSearchCV(DiscreteBGAN(**tiny, random_state=0), grid, cv=3).fit(X)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client, joblib.parallel_backend("dask"):
            on_dask = GridSearchCV(DiscreteBGAN(**tiny, random_state=0), grid, cv=3).fit(X)
            # dask's nanny sets OMP_NUM_THREADS=1: one torch thread per single-threaded worker
            assert set(client.run(torch.get_num_threads).values()) == {1}
    np.testing.assert_array_equal(serial.cv_results_["mean_test_score"],
                                  on_dask.cv_results_["mean_test_score"])
    assert on_dask.best_estimator_.sample(5).shape == (5, 3)


def test_command_line_fit_under_torchrun(tmp_path):
    data, model = tmp_path / "data.csv", tmp_path / "model.skbgan"
    rng = np.random.default_rng(0)
    rows = [f"{a},{b}" for a, b in zip(rng.choice(["x", "y"], 200), rng.choice(["u", "v"], 200))]
    data.write_text("first,second\n" + "\n".join(rows) + "\n")
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               "--nproc_per_node=2", "-m", "skbgan", "fit", str(data), "-o", str(model),
               "--distributed", "--epochs", "2", "--quiet", "--device", "cpu"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("model written to") == 1  # process 0 writes, once
    assert skbgan.load(model).sample(5).shape == (5, 2)
