"""Parallel grid search: no thread oversubscription, same results as serial."""

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import GridSearchCV

from skbgan import DiscreteBGAN


def _threads_in_worker(_):
    import torch

    return torch.get_num_threads()


def test_parallel_workers_do_not_oversubscribe_threads():
    # joblib's default (loky) backend caps each worker's threads at cpu_count // n_jobs
    import os

    threads = Parallel(n_jobs=2)(delayed(_threads_in_worker)(i) for i in range(2))
    assert max(threads) <= max(1, (os.cpu_count() or 1) // 2)


def test_grid_search_scores_match_serial(labels, tiny):
    grid = {"samples_per_latent": [2, 4]}
    serial = GridSearchCV(DiscreteBGAN(**tiny, random_state=0), grid, cv=2, n_jobs=1).fit(labels)
    parallel = GridSearchCV(DiscreteBGAN(**tiny, random_state=0), grid, cv=2, n_jobs=2).fit(labels)
    np.testing.assert_array_equal(serial.cv_results_["mean_test_score"],
                                  parallel.cv_results_["mean_test_score"])
