"""The epochs of one fit: early stopping, checkpoints, progress and Ctrl-C."""

import os
import time
import warnings
from typing import NamedTuple

from . import _checkpoint
from ._networks import cpu_state_dict
from ._training import BGANTrainer, steps_per_epoch
from ._validation import epochs_without_improvement


class Schedule(NamedTuple):
    """What ``epochs="auto"`` aims for: passes over the data within bounds on the steps.

    Small tables are raised towards ``fewest_steps``, but by no more passes
    than ``most_passes`` and to no fewer than ``floor_steps`` steps, which
    the smallest reach in at most ``floor_passes`` passes.
    """

    passes: int
    fewest_steps: int
    most_steps: int
    most_passes: int | None = None
    floor_steps: int = 0
    floor_passes: int | None = None

    def steps(self, steps_per_pass):
        """Training steps of a fit whose every pass takes ``steps_per_pass``."""
        fewest = self.fewest_steps
        if self.most_passes is not None:
            floor = self.floor_steps
            if self.floor_passes is not None:
                floor = min(floor, self.floor_passes * steps_per_pass)
            fewest = max(min(fewest, self.most_passes * steps_per_pass), floor)
        return min(max(self.passes * steps_per_pass, fewest), self.most_steps)


AUTO_SCHEDULES = {
    "tables": Schedule(30, 2_000, 5_000, most_passes=40, floor_steps=1_000, floor_passes=250),
    "images": Schedule(30, 4_000, 5_000),
    "encoder": Schedule(60, 4_000, 10_000),
    "encoder network": Schedule(30, 4_000, 10_000),
    "encoder images": Schedule(60, 5_000, 10_000),
}
"""What ``epochs="auto"`` aims for, by kind of networks and likelihood proposal.

``"tables"``, the MLPs with prior latents: 30 passes within 2,000 to 5,000
steps, but small tables (fewer than about 4,300 rows at 64 a batch) no
more than 40 passes, with at least 1,000 steps. More passes over a small
table lowered its held-out log-likelihood without bettering its samples
(UCI digits, 1,347 rows: 30, 48 and 95 passes gave -95.1, -97.0 and -100.5
nats, pairwise TV 0.169 each; splice, 2,392 rows: 30, 39 and 53 passes gave
-78.45, -78.02 and -78.13, pairwise TV 0.069, 0.067, 0.067). The 1,000
steps take at most 250 passes (tables under 256 rows): over the 111 rows
of UCI lymphography, 1,000 passes gave a held-out log-likelihood of -25.7
nats with 46% of the samples copies of training rows, 250 passes -18.3
nats and 14% copies, pairwise TV 0.180 and 0.184 (UCI zoo, 75 rows: -9.1
and -7.2 nats).

``"images"``, the convolutional networks with prior latents (16-colour
images with ``architecture="conv"``): at least 4,000 steps, as images of
hundreds of values need more steps than tables (binarised MNIST, 4,000
images and 62 steps an epoch, reached detection AUC 0.85 after 2,000 steps,
0.77 after 3,000 and 0.72 after 4,000).

``"encoder"``, the likelihood's encoder proposal with the MLPs (wide binary
tables): twice the
passes raised every such set's held-out log-likelihood (kr-vs-kp -10.90 to
-10.40, connect-4 -14.22 to -14.03, binary digits -17.20 to -16.89) and
lowered detection AUC on the game positions (kr-vs-kp 0.60 to 0.53,
connect-4 0.77 to 0.73); on the tables with prior latents it bought nothing
beyond noise (adult AUC 0.590 to 0.575 at twice the time, splice 0.603 to
0.623).

``"encoder network"``, the encoder proposal with the autoregressive head's
masked network (see ``autoregressive_units``): half the passes, as the
network learns in 30 passes what the matrix alone needed 60 for. Connect-4
(10,000 rows, seeds 0-2): detection AUC 0.572 after 30 passes against
0.568 after 60, pairwise TV 0.0119 against 0.0117, in 122 to 137 s
against 261 to 292 s. The 4,000 steps stay: at 2,000 (54 passes)
kr-vs-kp's AUC was 0.535 against 0.524 (three draws a seed).

``"encoder images"``, the encoder proposal with the convolutional networks
(binarised images): as ``"encoder"``, but at least 5,000 steps. Binarised
MNIST (4,000 images) at 5,000 steps against 4,000 (2 CPU cores): detection
AUC 0.68 and 0.70 against 0.72 and 0.73 (seeds 0 and 1), Wasserstein
estimates 0.68 and 1.24 against 0.82 and 1.40, in 489 and 561 against 375
and 378 s.
"""


def schedule_for(proposal, architecture, masked_network=False):
    """The :data:`AUTO_SCHEDULES` key of a fit with this likelihood proposal and architecture.

    Parameters
    ----------
    proposal : {"prior", "encoder"}
        The likelihood proposal the fit resolved.
    architecture : {"mlp", "conv"}
        The networks the fit resolved.
    masked_network : bool, default=False
        Whether the autoregressive head has its masked network.
    """
    if proposal == "encoder":
        if architecture == "conv":
            return "encoder images"
        return "encoder network" if masked_network else "encoder"
    return "images" if architecture == "conv" else "tables"


class EpochPlan(NamedTuple):
    """The epochs of one fit and the training steps of each."""

    count: int
    steps: int

    @property
    def total_steps(self):
        """Training steps of the whole fit."""
        return self.count * self.steps


def epoch_plan(epochs, n_rows, batch_size, schedule="tables"):
    """Epochs of a fit and their steps: ``epochs`` passes, or an :data:`AUTO_SCHEDULES` entry's.

    For tables with prior latents, ``"auto"`` gives 30 passes as long as
    they take 2,000 to 5,000 steps (small tables: at most 40 passes, at
    least 1,000 steps), so that large tables take a bounded time (5,000
    steps, about a minute and a half on 2 CPU cores with the default
    networks). An epoch is a pass over the rows, but under ``"auto"`` at
    most the schedule's ``most_steps``: batches are drawn with replacement,
    so a table whose one pass is longer (at 64 rows a batch, more than
    320,000 rows) gets one epoch that is a random part of a pass.

    Returns
    -------
    EpochPlan
    """
    pass_steps = steps_per_epoch(n_rows, batch_size)
    if epochs != "auto":
        return EpochPlan(epochs, pass_steps)
    schedule = AUTO_SCHEDULES[schedule]
    steps = min(pass_steps, schedule.most_steps)
    return EpochPlan(max(1, round(schedule.steps(pass_steps) / steps)), steps)


class FitRun:
    """Runs the epochs of one ``fit`` around a :class:`BGANTrainer`.

    Parameters
    ----------
    n_epochs : int
        Epochs to run in this fit.
    n_iter_no_change : int or None
        Early-stopping patience on the validation log-likelihood.
    tol : float
        Smallest rise of the validation log-likelihood that counts.
    checkpoint_path : str, path-like or None
    checkpoint_interval : float
        Least seconds between two checkpoints.
    identity : dict or None
        What a checkpoint must match to be resumed (see :func:`_checkpoint.identity`).
    verbose : int
    """

    def __init__(self, n_epochs, n_iter_no_change, tol, checkpoint_path,
                 checkpoint_interval, identity, verbose):
        self.n_epochs = n_epochs
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.checkpoint_path = checkpoint_path
        self.checkpoint_interval = checkpoint_interval
        self.identity = identity
        self.verbose = verbose

    def run(self, trainer, train, validation, history, weights=None):
        """Run the epochs, appending one record per epoch to ``history``.

        ``weights`` (one per row of ``train``, or None) weighs the rows that
        batches draw (see :meth:`BGANTrainer.run_epoch`).

        A checkpoint at ``checkpoint_path`` is resumed first. Ctrl-C stops at
        once, keeps the model trained so far, warns, and with a checkpoint
        path saves the last epoch boundary.

        Returns
        -------
        trainer : BGANTrainer
            ``trainer``, or the one resumed from the checkpoint.
        best : tuple of (int, dict) or None
            With early stopping, the best epoch and its averaged generator's weights.
        """
        world = trainer.world
        checkpointing = self.checkpoint_path is not None
        start, best = trainer.epoch, None
        if checkpointing and os.path.exists(self.checkpoint_path):
            state, progress, best_state = _checkpoint.read(self.checkpoint_path, self.identity)
            device = next(trainer.generator.parameters()).device
            trainer = BGANTrainer.from_state_dict(
                state, trainer.divergence, trainer.config, world, device
            )
            start, history[:] = progress["start_epoch"], progress["history"]
            best = None if best_state is None else (progress["best_epoch"], best_state)
        end = start + self.n_epochs
        progress_bar = self._progress_bar(trainer.epoch - start, world)
        last_checkpoint, boundary = time.monotonic(), None
        try:
            while trainer.epoch < end:
                if checkpointing:  # what Ctrl-C mid-epoch can resume exactly
                    boundary = (trainer.state_dict(), list(history), best)
                record = trainer.run_epoch(train, weights)
                if validation is not None:
                    record.update(validation.evaluate(trainer.average))
                history.append(record)
                if self.n_iter_no_change is not None:
                    scores = [h["validation_log_likelihood"] for h in history[start:]]
                    stale = epochs_without_improvement(scores, self.tol)
                    if stale == 0:
                        best = (trainer.epoch, cpu_state_dict(trainer.average))
                self._report(record, trainer.epoch, end, progress_bar, world)
                if self.n_iter_no_change is not None and stale >= self.n_iter_no_change:
                    break
                if checkpointing and (
                    time.monotonic() - last_checkpoint >= self.checkpoint_interval
                ):
                    self._write_checkpoint(trainer.state_dict(), start, history, best, world)
                    last_checkpoint = time.monotonic()
        except KeyboardInterrupt:
            message = (
                f"Training interrupted in epoch {trainer.epoch + 1} of {end}; the model "
                "trained so far is kept."
            )
            if boundary is not None:
                state, done, done_best = boundary
                self._write_checkpoint(state, start, done, done_best, world)
                message += (
                    f" Call fit again to resume from the start of that epoch, saved in "
                    f"{self.checkpoint_path}."
                )
            warnings.warn(message, UserWarning, stacklevel=4)  # the caller of fit
        else:
            if checkpointing and world.rank == 0 and os.path.exists(self.checkpoint_path):
                os.remove(self.checkpoint_path)
        finally:
            if progress_bar is not None:
                progress_bar.close()
        return trainer, best

    def _write_checkpoint(self, state, start, history, best, world):
        """Save a trainer's ``state`` with the fit's progress (process 0 only)."""
        if world.rank != 0:
            return
        progress = {"start_epoch": start, "history": history,
                    "best_epoch": None if best is None else best[0]}
        _checkpoint.write(self.checkpoint_path, state, self.identity, progress,
                          None if best is None else best[1])

    def _progress_bar(self, done, world):
        if self.verbose != 1 or world.rank != 0:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=self.n_epochs, initial=done, desc="DiscreteBGAN", unit="epoch")

    def _report(self, record, epoch, end, progress_bar, world):
        """Show an epoch's record as ``verbose`` asks."""
        if progress_bar is not None:
            progress_bar.update()
            progress_bar.set_postfix(
                critic=f"{record['critic_loss']:.3f}",
                nll=f"{record['likelihood_loss']:.2f}",
                ess=f"{record['weight_ess']:.2f}",
            )
        elif self.verbose >= 2 and world.rank == 0:
            values = ", ".join(f"{name}={value:.4f}" for name, value in record.items())
            print(f"[DiscreteBGAN] epoch {epoch}/{end}: {values}", flush=True)
