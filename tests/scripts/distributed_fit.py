"""Fit one estimator data-parallel; run by tests/test_distributed.py under torchrun.

Every process fits on the same data and writes its model and a sample to the
folder given as first argument; a second argument ``autoregressive`` fits the
autoregressive head.
"""

import sys
from pathlib import Path

import numpy as np
import torch.distributed as dist

from skbgan import DiscreteBGAN

X = np.random.default_rng(0).integers(-2, 4, size=(256, 5))
est = DiscreteBGAN(epochs=3, batch_size=16, latent_dim=4, generator_layers=(16,),
                   critic_layers=(16,), samples_per_latent=4, likelihood_latents=16,
                   score_latents=64, device="cpu", distributed=True,
                   autoregressive=sys.argv[2:] == ["autoregressive"]).fit(X)  # no seed: shared
rank = dist.get_rank()
out = Path(sys.argv[1])
est.save(out / f"model-{rank}.skbgan")
np.save(out / f"sample-{rank}.npy", est.sample(100, random_state=1))
np.save(out / f"score-{rank}.npy", est.score_samples(X))
dist.barrier()
dist.destroy_process_group()
