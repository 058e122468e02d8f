"""Faults during training: Ctrl-C, a killed process resumed from its checkpoint, bad checkpoints."""

import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import torch

from skbgan import DiscreteBGAN
from skbgan._training import BGANTrainer


def interrupt_at_epoch(monkeypatch, epoch):
    """Make ``BGANTrainer.run_epoch`` raise KeyboardInterrupt when it starts ``epoch`` (1-based)."""
    run_epoch = BGANTrainer.run_epoch

    def interrupted(self, codes, weights=None):
        if self.epoch + 1 == epoch:
            raise KeyboardInterrupt
        return run_epoch(self, codes, weights)

    monkeypatch.setattr(BGANTrainer, "run_epoch", interrupted)


def test_keyboard_interrupt_keeps_the_model_and_warns(labels, tiny, monkeypatch):
    interrupt_at_epoch(monkeypatch, 3)
    est = DiscreteBGAN(**{**tiny, "epochs": 10}, random_state=0)
    with pytest.warns(UserWarning, match="interrupted in epoch 3 of 10; the model trained so far"):
        est.fit(labels)
    assert est.n_iter_ == 2 and len(est.history_) == 2
    assert est.sample(10).shape == (10, 4)
    assert np.isfinite(est.score(labels))


def test_interrupted_fit_resumes_from_checkpoint_exactly(labels, tiny, monkeypatch, tmp_path):
    path = tmp_path / "fit.ckpt"
    settings = {**tiny, "epochs": 5, "random_state": 0, "validation_fraction": 0.2,
                "n_iter_no_change": 10}
    full = DiscreteBGAN(**settings).fit(labels)

    # Ctrl-C in the middle of epoch 4 (15 steps per epoch: 240 training rows, batches of 16)
    step, calls = BGANTrainer._step, []

    def interrupted(self, *args):
        calls.append(1)
        if len(calls) == 3 * 15 + 7:
            raise KeyboardInterrupt
        return step(self, *args)

    monkeypatch.setattr(BGANTrainer, "_step", interrupted)
    est = DiscreteBGAN(**settings, checkpoint_path=path)
    with pytest.warns(UserWarning, match="interrupted in epoch 4 of 5.*resume from the start"):
        est.fit(labels)
    assert path.exists() and est.n_iter_ == 3
    monkeypatch.undo()
    est.fit(labels)
    assert not path.exists(), "a completed fit removes its checkpoint"
    assert est.n_iter_ == 5 and est.history_ == full.history_
    np.testing.assert_array_equal(est.sample(300, random_state=1), full.sample(300, random_state=1))


KILLED_FIT = textwrap.dedent("""
    import sys
    import numpy as np
    from skbgan import DiscreteBGAN
    X = np.random.default_rng(0).integers(0, 5, size=(400, 6))
    DiscreteBGAN(epochs=100_000, batch_size=16, latent_dim=4, generator_layers=(16,),
                 critic_layers=(16,), samples_per_latent=4, likelihood_latents=16,
                 device="cpu", random_state=0, checkpoint_path=sys.argv[1],
                 checkpoint_interval=0).fit(X)
""")


def test_killed_process_resumes_from_its_checkpoint(tmp_path):
    path = tmp_path / "fit.ckpt"
    process = subprocess.Popen([sys.executable, "-c", KILLED_FIT, str(path)])
    try:
        deadline = time.monotonic() + 120
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # a few more epochs, so the kill lands mid-training
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert path.exists(), "the training process wrote no checkpoint"
    done = torch.load(path, weights_only=True)["trainer"]["epoch"]
    assert done >= 1

    X = np.random.default_rng(0).integers(0, 5, size=(400, 6))
    settings = dict(batch_size=16, latent_dim=4, generator_layers=(16,), critic_layers=(16,),
                    samples_per_latent=4, likelihood_latents=16, device="cpu", random_state=0)
    # Resume with a smaller target than the killed run had: epochs counts from the start of
    # the interrupted fit, and the checkpoint does not depend on it.
    resumed = DiscreteBGAN(**settings, epochs=done + 2, checkpoint_path=path).fit(X)
    assert resumed.n_iter_ == done + 2 and not path.exists()
    reference = DiscreteBGAN(**settings, epochs=done + 2).fit(X)
    assert resumed.history_ == reference.history_
    np.testing.assert_array_equal(resumed.sample(200, random_state=0),
                                  reference.sample(200, random_state=0))


def test_checkpoint_in_a_missing_directory_is_refused_before_training(labels, tiny, tmp_path):
    path = tmp_path / "absent" / "fit.ckpt"
    with pytest.raises(ValueError, match="no directory .*absent to write it in"):
        DiscreteBGAN(**tiny, checkpoint_path=path).fit(labels)


def test_checkpoint_path_of_a_directory_is_refused_before_training(labels, tiny, tmp_path):
    with pytest.raises(ValueError, match="it is a directory; name a file in it"):
        DiscreteBGAN(**tiny, checkpoint_path=tmp_path).fit(labels)


def test_checkpoint_of_another_fit_is_refused(labels, tiny, monkeypatch, tmp_path):
    path = tmp_path / "fit.ckpt"
    interrupt_at_epoch(monkeypatch, 2)
    with pytest.warns(UserWarning):
        DiscreteBGAN(**tiny, checkpoint_path=path).fit(labels)
    monkeypatch.undo()
    with pytest.raises(ValueError, match=r"different \['data'\]"):
        DiscreteBGAN(**tiny, checkpoint_path=path).fit(labels[::-1])
    with pytest.raises(ValueError, match=r"different \['params'\]"):
        DiscreteBGAN(**tiny, checkpoint_path=path, critic_steps=1).fit(labels)


def test_damaged_or_malicious_checkpoint_is_refused(labels, tiny, tmp_path):
    damaged = tmp_path / "damaged.ckpt"
    damaged.write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="is not a safe skbgan checkpoint"):
        DiscreteBGAN(**tiny, checkpoint_path=damaged).fit(labels)

    class Exploit:
        def __reduce__(self):
            return (os.system, ("echo pwned > " + str(tmp_path / "pwned"),))

    malicious = tmp_path / "malicious.ckpt"
    with open(malicious, "wb") as f:
        pickle.dump({"format": Exploit()}, f, protocol=2)
    with pytest.raises(ValueError, match="is not a safe skbgan checkpoint"):
        DiscreteBGAN(**tiny, checkpoint_path=malicious).fit(labels)
    assert not (tmp_path / "pwned").exists()


def test_diverged_warm_start_leaves_the_estimator_unfitted(labels, tiny):
    est = DiscreteBGAN(**tiny, warm_start=True, divergence="kl", critic_lipschitz=None).fit(labels)
    est.set_params(critic_lr=1e30, generator_lr=1e30)
    with pytest.raises(FloatingPointError, match="Training diverged"):
        est.fit(labels)
    assert not hasattr(est, "generator_") and not hasattr(est, "_trainer")
