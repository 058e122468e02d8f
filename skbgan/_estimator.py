"""DiscreteBGAN: a boundary-seeking GAN for categorical data, as an estimator."""

import copy
import numbers
import os
import time
import warnings

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.base import BaseEstimator, DensityMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _checkpoint
from ._conditions import resolve_conditions
from ._distributed import World, join
from ._divergences import DIVERGENCES
from ._encoding import UNSEEN, CategoricalCodec, check_labels, column_name, identifier_like
from ._likelihood import log_likelihood
from ._networks import (
    SAMPLE_CHUNK_ELEMENTS,
    Critic,
    Generator,
    available,
    cpu_state_dict,
    rebuild,
)
from ._training import BGANTrainer, TrainingConfig, steps_per_epoch
from ._validation import Validation, epochs_without_improvement

_MODULES = {"generator_": Generator, "critic_": Critic}
AUTO_STEPS = 2_000
"""Training steps that ``epochs="auto"`` aims for."""
_CONDITION_POOL_FACTOR = 4
"""Prior latents drawn per conditional sample, to be resampled by their weights."""
_RARE_CONDITION_ESS = 50
"""Effective number of pooled latents below which conditional sampling warns."""


def _resolve_device(device):
    """The ``torch.device`` that ``device`` names, checking it is usable."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"device={device!r} is not a device; use 'auto', 'cpu', 'cuda' or 'cuda:N'."
        ) from None
    if resolved.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(
                f"device={device!r} but no CUDA GPU is available; use device='cpu' "
                "or device='auto'."
            )
        if resolved.index is not None and resolved.index >= torch.cuda.device_count():
            raise ValueError(
                f"device={device!r} but only {torch.cuda.device_count()} CUDA "
                "device(s) are available."
            )
    elif resolved.type != "cpu":
        raise ValueError(f"device={device!r} is not supported; use 'cpu' or 'cuda'.")
    return resolved


def _seed_from(random_state):
    """A 63-bit seed from ``None``, an int or a ``RandomState``.

    ``None`` draws fresh entropy without touching numpy's global state.
    """
    if random_state is None:
        return int(np.random.default_rng().integers(2**63 - 1))
    if isinstance(random_state, numbers.Integral):
        return int(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    raise ValueError(f"random_state={random_state!r} must be None, an int or a RandomState.")


class DiscreteBGAN(DensityMixin, BaseEstimator):
    """Boundary-seeking GAN that learns and samples categorical data.

    The generator maps a Gaussian latent ``z`` to one categorical distribution
    per column, so the model is the mixture ``q(x) = E_z prod_j g_j(x_j | z)``.
    A critic learns the density ratio ``p(x) / q(x)``; the generator moves
    towards the critic-reweighted distribution by the discrete BGAN update
    (Hjelm et al., 2018) with ``samples_per_latent`` draws per latent and
    per-latent self-normalised importance weights.

    Parameters
    ----------
    divergence : {"gan", "jensen_shannon", "kl", "reverse_kl", \
"squared_hellinger", "pearson_chi2"}, default="gan"
        f-divergence whose critic loss and importance weight are used.
    samples_per_latent : int, default=16
        Rows drawn per latent in each generator update. Small values
        collapse onto the critic's favourite rows.
    critic_steps : int, default=3
        Critic updates per generator update.
    likelihood_weight : float, default=0.3
        Weight of a Monte-Carlo maximum-likelihood term added to the BGAN
        generator loss; it keeps every mode of the data covered while the
        BGAN term sharpens the samples. 0 gives the pure BGAN.
    likelihood_latents : int, default=512
        Prior latents of the likelihood term's Monte-Carlo estimate per step.
    batch_size : int, default=64
        Latents (and data rows) per training step, per process.
    epochs : int or "auto", default="auto"
        Passes over the training data (the most, with early stopping; more
        of them with ``warm_start``). ``"auto"`` runs as many as take about
        ``AUTO_STEPS`` (2,000) training steps, at least one.
    latent_dim : int, default=64
        Dimension of the Gaussian latent.
    generator_layers : tuple of int, default=(512, 512)
        Hidden layer widths of the generator.
    critic_layers : tuple of int, default=(128, 128)
        Embedding width, then hidden layer widths, of the critic.
    generator_lr : float, default=1e-3
        Adam learning rate of the generator.
    critic_lr : float, default=2e-4
        Adam learning rate of the critic.
    critic_lipschitz : float or None, default=5.0
        Bound on the critic's Lipschitz constant (with respect to the one-hot
        rows), enforced by spectral normalisation of every layer and a fixed
        output scale. None leaves the critic unconstrained.
    ema_decay : float, default=0.999
        Decay of the exponential moving average of generator weights; the
        averaged generator is the one that samples and scores. 0 disables it.
    score_latents : int, default=1024
        Latent draws of the Monte-Carlo likelihood estimate of ``score_samples``.
    validation_fraction : float or None, default=None
        Fraction of the rows held out of training to score the generator
        after every epoch (``validation_log_likelihood`` and
        ``validation_marginal_tv`` in ``history_``). None trains on all rows.
    n_iter_no_change : int or None, default=None
        Stop when the validation log-likelihood has not risen by more than
        ``tol`` for this many epochs, and keep the generator of the best
        epoch. Needs ``validation_fraction``. None never stops early.
    tol : float, default=1e-3
        Smallest rise of the validation log-likelihood (nats per row) that
        counts as an improvement for early stopping.
    warm_start : bool, default=False
        When True, ``fit`` continues training the networks, optimisers and
        epoch count of the previous ``fit`` for ``epochs`` more epochs, on
        data whose labels were all seen by the first fit.
    checkpoint_path : str, path-like or None, default=None
        File where ``fit`` saves its whole training state, at most every
        ``checkpoint_interval`` seconds and when interrupted. If the file
        exists when ``fit`` starts, training resumes from it (same data and
        parameters required) and draws exactly what an uninterrupted fit
        would have; the file is deleted when ``fit`` completes.
    checkpoint_interval : float, default=60.0
        Least number of seconds between two checkpoints.
    distributed : bool, default=False
        Train data-parallel over the processes of a ``torchrun`` launch (or an
        initialised ``torch.distributed`` process group): gradients are
        averaged over processes after each backward pass, and every process
        ends with the same fitted estimator. See "Reliability and scaling".
    device : str, default="auto"
        ``"auto"`` (CUDA when available), ``"cpu"``, ``"cuda"`` or ``"cuda:N"``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation and every draw of ``fit``; the same value
        gives the same model on CPU.
    verbose : int, default=0
        0 is silent; 1 shows a progress bar with the current losses; 2 prints
        one line per epoch with every entry of ``history_``.

    Attributes
    ----------
    categories_ : list of ndarray
        Sorted labels of each column (flattened sample position for n-d data).
    n_features_in_ : int
        Number of columns (values per sample).
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame with string column names.
    sample_shape_ : tuple of int
        Shape of one sample: ``(n_features_in_,)`` or e.g. ``(8, 8)``.
    generator_ : torch.nn.Module
        The averaged generator used to sample and score.
    critic_ : torch.nn.Module
        The trained critic.
    history_ : list of dict
        Per epoch: ``critic_loss``, ``generator_loss`` (BGAN term),
        ``likelihood_loss``, ``weight_ess`` (effective sample size of the
        importance weights, as a fraction of ``samples_per_latent``), and with
        ``validation_fraction`` also ``validation_log_likelihood`` and
        ``validation_marginal_tv``.
    n_iter_ : int
        Number of epochs run, over all ``warm_start`` fits.
    best_epoch_ : int
        Epoch (1-based) whose generator was kept: the last, or with early
        stopping the one of the best validation log-likelihood.
    n_samples_fit_ : int
        Number of training samples; sets the penalty of unseen categories in
        ``score_samples``.
    score_seed_ : int
        Seed of the latents of ``score_samples``, fixed at ``fit``.
    device_ : torch.device
        Device the networks live on.

    Examples
    --------
    >>> import numpy as np
    >>> from skbgan import DiscreteBGAN
    >>> X = np.random.default_rng(0).integers(-3, 5, size=(200, 4))
    >>> est = DiscreteBGAN(epochs=2, random_state=0).fit(X)
    >>> est.sample(3, random_state=0).shape
    (3, 4)
    >>> bool(np.isin(est.sample(50), np.arange(-3, 5)).all())
    True
    >>> bool((est.sample(20, conditions={0: 4})[:, 0] == 4).all())
    True
    """

    _parameter_constraints = {
        "divergence": [StrOptions(set(DIVERGENCES))],
        "samples_per_latent": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "generator_layers": [tuple, list],
        "critic_layers": [tuple, list],
        "generator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "critic_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "critic_lipschitz": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "critic_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "likelihood_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "likelihood_latents": [Interval(numbers.Integral, 1, None, closed="left")],
        "ema_decay": [Interval(numbers.Real, 0, 1, closed="left")],
        "score_latents": [Interval(numbers.Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither"), None],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "checkpoint_path": [str, os.PathLike, None],
        "checkpoint_interval": [Interval(numbers.Real, 0, None, closed="left")],
        "distributed": ["boolean"],
        "device": [str],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        divergence="gan",
        samples_per_latent=16,
        critic_steps=3,
        likelihood_weight=0.3,
        likelihood_latents=512,
        batch_size=64,
        epochs="auto",
        latent_dim=64,
        generator_layers=(512, 512),
        critic_layers=(128, 128),
        generator_lr=1e-3,
        critic_lr=2e-4,
        critic_lipschitz=5.0,
        ema_decay=0.999,
        score_latents=1024,
        validation_fraction=None,
        n_iter_no_change=None,
        tol=1e-3,
        warm_start=False,
        checkpoint_path=None,
        checkpoint_interval=60.0,
        distributed=False,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.divergence = divergence
        self.samples_per_latent = samples_per_latent
        self.critic_steps = critic_steps
        self.likelihood_weight = likelihood_weight
        self.likelihood_latents = likelihood_latents
        self.batch_size = batch_size
        self.epochs = epochs
        self.latent_dim = latent_dim
        self.generator_layers = generator_layers
        self.critic_layers = critic_layers
        self.generator_lr = generator_lr
        self.critic_lr = critic_lr
        self.critic_lipschitz = critic_lipschitz
        self.ema_decay = ema_decay
        self.score_latents = score_latents
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.warm_start = warm_start
        self.checkpoint_path = checkpoint_path
        self.checkpoint_interval = checkpoint_interval
        self.distributed = distributed
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags

    # ------------------------------------------------------------------ input
    def _check_X(self, X, reset):
        """Validate labels and flatten samples to ``(n_samples, n_features)``.

        DataFrames keep their column names, and their missing values become a
        category; arrays of more than two dimensions are flattened per sample.
        """
        is_frame = hasattr(X, "iloc")
        shape = None
        if not is_frame and not sp.issparse(X):
            try:
                X = np.asarray(X)
            except ValueError:
                raise ValueError(
                    "X must be a rectangular array of labels; its rows have different "
                    "lengths."
                ) from None
            if reset and X.ndim > 2:
                shape = X.shape[1:]
            elif not reset and X.ndim >= 2 and (X.ndim > 2 or len(self.sample_shape_) > 1):
                if X.shape[1:] != self.sample_shape_:
                    raise ValueError(
                        f"X has samples of shape {X.shape[1:]}, but "
                        f"{type(self).__name__} was fitted on samples of shape "
                        f"{self.sample_shape_}."
                    )
            if X.ndim > 2:
                X = X.reshape(len(X), -1)
        if reset:
            self._frame_dtypes = dict(X.dtypes) if is_frame else None
        X = validate_data(self, X, reset=reset, dtype=None, ensure_all_finite=False)
        if reset:
            self.sample_shape_ = shape if shape is not None else (X.shape[1],)
        names = getattr(self, "feature_names_in_", None) if is_frame else None
        check_labels(X, self.sample_shape_, names, allow_missing=is_frame)
        if not reset:
            self._codec.check_compatible(X, names)
        return X

    def _to_frame(self, labels):
        """Generated labels as a DataFrame with the fitted column names and dtypes."""
        import pandas as pd

        columns = {}
        for j, (name, dtype) in enumerate(self._frame_dtypes.items()):
            values = labels[:, j]
            if isinstance(dtype, pd.CategoricalDtype):
                columns[name] = pd.Categorical(values, dtype=dtype)
            else:
                columns[name] = pd.Series(values, dtype=object).astype(dtype)
        return pd.DataFrame(columns)

    # -------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the categories of each column and train the BGAN.

        Ctrl-C (``KeyboardInterrupt``) stops training cleanly: the model
        trained so far is kept and usable, a warning says so, and with
        ``checkpoint_path`` the next ``fit`` resumes it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, d1, d2, ...)
            Integer, boolean, integral-float or string labels, or a DataFrame
            with int, bool, string/object or category columns, whose missing
            values (NaN, None, pd.NA) are learned as a category of their own.
        y : None
            Ignored.

        Returns
        -------
        self : DiscreteBGAN
            The fitted estimator.

        Raises
        ------
        FloatingPointError
            If training diverges (a non-finite loss); the estimator is then
            left unfitted.
        """
        self._check_settings()
        device = _resolve_device(self.device)
        world = World()
        if self.distributed:
            world, device = join(device)
        warm = self.warm_start and hasattr(self, "_trainer")
        if self.warm_start and not warm and hasattr(self, "generator_"):
            raise ValueError(
                "warm_start=True needs the training state of a previous fit, which a model "
                "read by skbgan.load does not keep; fit it anew, or keep training a model "
                "fitted in this session or unpickled with joblib."
            )
        X = self._check_X(X, reset=not warm)
        if warm:
            codec, seed = self._codec, self._trainer.seed
            codes = self._encode_seen(X)
        else:
            codec = CategoricalCodec().fit(X, self.sample_shape_)
            self._warn_identifier_like(codec, X.shape[0])
            seed = world.share(_seed_from(self.random_state))
            codes = codec.encode(X)
        train, validation = self._split(codes, codec.cardinalities, seed, device)
        if warm:
            trainer = self._continued_trainer(device, world)
            history = list(self.history_)
        else:
            with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
                torch.manual_seed(seed)
                generator = Generator(codec.cardinalities, self.latent_dim, self.generator_layers)
                critic = Critic(codec.cardinalities, self.critic_layers, self.critic_lipschitz)
            trainer = BGANTrainer(
                generator.to(device), critic.to(device), DIVERGENCES[self.divergence],
                self._training_config(), seed, world,
            )
            history = []
        try:
            trainer, best = self._train(trainer, train, validation, history, codes)
        except FloatingPointError:
            self._forget_fit()
            raise
        self._codec = codec
        self._trainer = trainer
        self.categories_ = codec.categories
        self.n_samples_fit_ = X.shape[0]
        self.device_ = device
        self.history_ = history
        self.n_iter_ = trainer.epoch
        self.critic_ = trainer.critic.eval()
        self.generator_ = trainer.average.eval()
        self.best_epoch_ = trainer.epoch
        if best is not None:
            self.best_epoch_, state = best
            self.generator_ = copy.deepcopy(trainer.average)
            self.generator_.load_state_dict(state)
        self.score_seed_ = seed + 1
        return self

    def _check_settings(self):
        """Checks of parameter values that the constraints alone cannot express."""
        for name in ("generator_layers", "critic_layers"):
            layers = getattr(self, name)
            if len(layers) == 0 or not all(
                isinstance(w, numbers.Integral) and w >= 1 for w in layers
            ):
                raise ValueError(
                    f"{name}={layers!r} must be a non-empty tuple of positive integers."
                )
        if self.n_iter_no_change is not None and self.validation_fraction is None:
            raise ValueError(
                f"n_iter_no_change={self.n_iter_no_change} needs rows to validate on: "
                "set validation_fraction (e.g. 0.1)."
            )

    def _warn_identifier_like(self, codec, n_samples):
        names = getattr(self, "feature_names_in_", None)
        for j in identifier_like(codec.cardinalities, n_samples):
            warnings.warn(
                f"{column_name(j, self.sample_shape_, names).capitalize()} has "
                f"{codec.cardinalities[j]} distinct labels in {n_samples} rows: it looks like "
                "an identifier or a measurement, whose values a categorical model can only "
                "copy. Drop it, or bin it first (e.g. KBinsDiscretizer). Fit time and memory "
                "grow with the number of categories.",
                UserWarning,
                stacklevel=4,  # the caller of fit, past sklearn's fit wrapper
            )

    def _training_config(self):
        return TrainingConfig(
            batch_size=self.batch_size,
            samples_per_latent=self.samples_per_latent,
            critic_steps=self.critic_steps,
            likelihood_weight=self.likelihood_weight,
            likelihood_latents=self.likelihood_latents,
            generator_lr=self.generator_lr,
            critic_lr=self.critic_lr,
            ema_decay=self.ema_decay,
        )

    def _encode_seen(self, X):
        """Codes of ``X`` for a warm start, whose labels must all be known."""
        codes = self._codec.encode(X)
        unseen = codes == UNSEEN
        if unseen.any():
            j = int(np.flatnonzero(unseen.any(axis=0))[0])
            label = X[np.flatnonzero(unseen[:, j])[0], j]
            label = label.item() if isinstance(label, np.generic) else label
            name = column_name(j, self.sample_shape_, getattr(self, "feature_names_in_", None))
            raise ValueError(
                f"warm_start=True but {name} holds {label!r}, a label the first fit never "
                "saw; a warm start keeps the categories of the first fit. Fit anew "
                "(warm_start=False) to learn new categories."
            )
        return codes

    def _continued_trainer(self, device, world):
        """The previous fit's trainer, on ``device``, with the current training settings."""
        trainer = self._trainer
        first = (trainer.generator.config["latent_dim"],
                 trainer.generator.config["hidden_layer_sizes"],
                 trainer.critic.config["hidden_layer_sizes"],
                 trainer.critic.config["lipschitz"])
        now = (self.latent_dim, tuple(self.generator_layers), tuple(self.critic_layers),
               self.critic_lipschitz)
        names = ("latent_dim", "generator_layers", "critic_layers", "critic_lipschitz")
        changed = [name for name, a, b in zip(names, first, now) if a != b]
        if changed:
            raise ValueError(
                f"warm_start=True keeps the networks of the first fit; {changed} changed "
                "since. Fit anew (warm_start=False) to change the networks."
            )
        config = self._training_config()
        if device != self.device_:
            trainer = BGANTrainer.from_state_dict(
                trainer.state_dict(), trainer.divergence, config, world, device
            )
        trainer.config, trainer.world = config, world
        trainer.divergence = DIVERGENCES[self.divergence]
        for optimizer, lr in ((trainer.generator_opt, self.generator_lr),
                              (trainer.critic_opt, self.critic_lr)):
            for group in optimizer.param_groups:
                group["lr"] = lr
        return trainer

    def _split(self, codes, cardinalities, seed, device):
        """Training codes on the device, and the :class:`Validation` rows if asked for."""
        if self.validation_fraction is None:
            return torch.as_tensor(codes, device=device), None
        n_valid = int(np.ceil(self.validation_fraction * len(codes)))
        if len(codes) - n_valid < 1:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} of {len(codes)} rows leaves "
                "none to train on; lower it or pass more rows."
            )
        order = np.random.default_rng(seed).permutation(len(codes))
        train = torch.as_tensor(codes[order[n_valid:]], device=device)
        valid = torch.as_tensor(codes[order[:n_valid]], device=device)
        return train, Validation(valid, cardinalities, seed + 2)

    def _train(self, trainer, train, validation, history, codes):
        """Run the epochs of one ``fit``, appending to ``history``.

        Returns
        -------
        trainer : BGANTrainer
            ``trainer``, or the one resumed from the checkpoint.
        best : tuple of (int, dict) or None
            With early stopping, the best epoch and its averaged generator's weights.
        """
        world = trainer.world
        if self.epochs == "auto":
            steps = steps_per_epoch(len(train), self.batch_size * world.size)
            n_epochs = max(1, round(AUTO_STEPS / steps))
        else:
            n_epochs = self.epochs
        start, best = trainer.epoch, None
        identity = None
        if self.checkpoint_path is not None:
            identity = self._checkpoint_identity(codes, world)
            if os.path.exists(self.checkpoint_path):
                state, progress, best_state = _checkpoint.read(self.checkpoint_path, identity)
                trainer = self._resume(trainer, state)
                start, history[:] = progress["start_epoch"], progress["history"]
                best = None if best_state is None else (progress["best_epoch"], best_state)
        end = start + n_epochs
        progress_bar = self._progress_bar(trainer.epoch - start, n_epochs, world)
        last_checkpoint, boundary = time.monotonic(), None
        try:
            while trainer.epoch < end:
                if identity is not None:  # what Ctrl-C mid-epoch can resume exactly
                    boundary = (trainer.state_dict(), list(history), best)
                record = trainer.run_epoch(train)
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
                if identity is not None and (
                    time.monotonic() - last_checkpoint >= self.checkpoint_interval
                ):
                    self._write_checkpoint(trainer.state_dict(), identity, start, history,
                                           best, world)
                    last_checkpoint = time.monotonic()
        except KeyboardInterrupt:
            message = (
                f"Training interrupted in epoch {trainer.epoch + 1} of {end}; the model "
                "trained so far is kept."
            )
            if boundary is not None:
                state, done, done_best = boundary
                self._write_checkpoint(state, identity, start, done, done_best, world)
                message += (
                    f" Call fit again to resume from the start of that epoch, saved in "
                    f"{self.checkpoint_path}."
                )
            warnings.warn(message, UserWarning, stacklevel=4)
        else:
            if identity is not None and world.rank == 0 and os.path.exists(self.checkpoint_path):
                os.remove(self.checkpoint_path)
        finally:
            if progress_bar is not None:
                progress_bar.close()
        return trainer, best

    def _resume(self, trainer, state):
        """The trainer of a checkpoint, in place of ``trainer``."""
        device = next(trainer.generator.parameters()).device
        return BGANTrainer.from_state_dict(
            state, trainer.divergence, trainer.config, trainer.world, device
        )

    def _checkpoint_identity(self, codes, world):
        """What a checkpoint must match to be resumed by this fit."""
        ignored = {"epochs", "verbose", "device", "checkpoint_path", "checkpoint_interval"}
        params = {
            name: value if isinstance(value, (int, float, str, bool, type(None), tuple, list))
            else type(value).__name__
            for name, value in self.get_params().items() if name not in ignored
        }
        return {"params": params, "data": _checkpoint.fingerprint(codes),
                "processes": world.size}

    def _write_checkpoint(self, state, identity, start, history, best, world):
        """Save a trainer's ``state`` with the fit's progress (process 0 only)."""
        if world.rank != 0:
            return
        progress = {"start_epoch": start, "history": history,
                    "best_epoch": None if best is None else best[0]}
        _checkpoint.write(self.checkpoint_path, state, identity, progress,
                          None if best is None else best[1])

    def _progress_bar(self, done, total, world):
        if self.verbose != 1 or world.rank != 0:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=total, initial=done, desc="DiscreteBGAN", unit="epoch")

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

    def _forget_fit(self):
        """Leave the estimator unfitted (after training diverged)."""
        for name in [n for n in vars(self) if n.endswith("_") and not n.startswith("__")]:
            delattr(self, name)
        for name in ("_trainer", "_codec"):
            self.__dict__.pop(name, None)

    # ----------------------------------------------------------------- sample
    def sample(self, n_samples=1, random_state=None, conditions=None):
        """Generate new samples in the labels, dtype and shape seen in ``fit``.

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples to generate.
        random_state : int, RandomState instance or None, default=None
            Seed of this call's draws; global random states are not touched.
        conditions : dict or None, default=None
            Labels to fix, keyed by column name (DataFrames), flat column
            index, or position tuple (n-d samples), e.g. ``{"colour": "red"}``.
            Every sample then satisfies them and the other columns follow the
            model's conditional distribution: latents are drawn from the prior
            (``4 * n_samples`` per chunk), resampled in proportion to the
            probability the generator gives the fixed labels, and the free
            columns drawn from the resampled latents. A label the model finds
            rare leaves few distinct latents in the pool, and a warning says so.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features) or (n_samples, d1, d2, ...), \
or DataFrame
            A DataFrame with the fitted column names and dtypes when ``fit``
            was given one.

        Raises
        ------
        ValueError
            If ``n_samples`` is not a positive integer, or a condition names an
            unknown column or a label never seen in ``fit`` (probability zero).
        """
        check_is_fitted(self)
        is_count = isinstance(n_samples, numbers.Integral) and not isinstance(n_samples, bool)
        if not is_count or n_samples < 1:
            raise ValueError(f"n_samples={n_samples!r} must be a positive integer.")
        fixed = None
        if conditions:
            fixed = resolve_conditions(
                conditions, self._codec, getattr(self, "feature_names_in_", None)
            )
        generator = self.generator_
        rng = torch.Generator(device=self.device_).manual_seed(_seed_from(random_state))
        out = np.empty((n_samples, *self.sample_shape_), dtype=self._codec.dtype)
        chunk = max(1, SAMPLE_CHUNK_ELEMENTS // generator.head.n_outputs)
        if fixed is not None:
            chunk = max(1, chunk // _CONDITION_POOL_FACTOR)
        with torch.inference_mode():
            for start in range(0, n_samples, chunk):
                size = min(chunk, n_samples - start)
                if fixed is None:
                    z = torch.randn(size, generator.latent_dim, generator=rng, device=self.device_)
                else:
                    z = self._conditional_latents(size, fixed, rng)
                codes = generator.draw(z, rng).cpu().numpy()
                if fixed is not None:
                    codes[:, fixed[0]] = fixed[1]
                out[start : start + size] = self._codec.decode(codes)
        return out if self._frame_dtypes is None else self._to_frame(out)

    def _conditional_latents(self, size, fixed, rng):
        """``size`` latents resampled from a prior pool by the probability of the fixed labels."""
        generator = self.generator_
        columns, codes = fixed
        pool_size = max(_CONDITION_POOL_FACTOR * size, 256)
        pool = torch.randn(pool_size, generator.latent_dim, generator=rng, device=self.device_)
        row = torch.zeros(1, generator.head.n_features, dtype=torch.long, device=self.device_)
        included = torch.zeros_like(row, dtype=torch.bool)
        row[0, columns], included[0, columns] = torch.as_tensor(codes, device=self.device_), True
        log_weight = generator.head.cross_log_prob(generator(pool), row, included)[0]
        weights = torch.softmax(log_weight, dim=0)
        ess = float(1.0 / (weights**2).sum())
        if ess < _RARE_CONDITION_ESS:
            warnings.warn(
                f"The conditions are rare under the model: the {pool_size} pooled latents "
                f"give an effective {ess:.1f}, so the samples come from few latents and "
                "approximate the conditional distribution coarsely.",
                UserWarning,
                stacklevel=3,
            )
        return pool[torch.multinomial(weights, size, replacement=True, generator=rng)]

    # ------------------------------------------------------------------ score
    def score_samples(self, X):
        """Estimated log-likelihood ``log q(x)`` of each sample, in nats.

        ``q(x) = E_z g(x | z)`` is estimated by ``log mean_k g(x | z_k)`` over
        ``score_latents`` latents drawn from the prior. The mean inside is
        unbiased for ``q(x)``, so the log is biased *downwards* (Jensen): it
        under-estimates ``log q(x)``, by more when ``score_latents`` is small
        or the data high-dimensional. The latents are fixed by the fitted
        model, so the same input always gets the same score.

        A label never seen in ``fit`` has probability zero under the model;
        to keep scores finite (e.g. in cross-validation on rare categories)
        each such value instead contributes ``-log(n_samples_fit_ + 1)``, the
        add-one estimate of an unseen category's frequency.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, d1, d2, ...)

        Returns
        -------
        log_likelihood : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        codes = self._codec.encode(X)
        unseen = codes == UNSEEN
        generator = self.generator_
        rng = torch.Generator(device=self.device_).manual_seed(self.score_seed_)
        with torch.inference_mode():
            z = torch.randn(self.score_latents, generator.latent_dim, generator=rng,
                            device=self.device_)
            seen = torch.as_tensor(~unseen, device=self.device_)
            known = torch.as_tensor(np.where(unseen, 0, codes), device=self.device_)
            scores = log_likelihood(generator, known, z, seen).cpu().numpy().astype(np.float64)
        return scores - unseen.sum(axis=1) * np.log(self.n_samples_fit_ + 1)

    def score(self, X, y=None):
        """Mean estimated log-likelihood of ``X`` (higher is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, d1, d2, ...)
        y : None
            Ignored.

        Returns
        -------
        score : float
        """
        return float(np.mean(self.score_samples(X)))

    # ------------------------------------------------------------ persistence
    def save(self, path):
        """Write the fitted model to ``path`` in skbgan's safe format.

        The file holds only tensors and JSON metadata; :func:`skbgan.load`
        reads it without running any code from it, unlike a pickle.

        Parameters
        ----------
        path : str or path-like
        """
        check_is_fitted(self)
        from ._persistence import save

        save(self, path)

    def __getstate__(self):
        # BaseEstimator returns the live __dict__ on Python 3.11+: copy it.
        state = dict(super().__getstate__())
        for name in _MODULES:
            if name in state:
                module = state[name]
                state[name] = {"config": module.config, "state_dict": cpu_state_dict(module)}
        if "_trainer" in state:
            state["_trainer"] = state["_trainer"].state_dict()
        if "device_" in state:
            state["device_"] = str(state["device_"])
        return state

    def __setstate__(self, state):
        if "device_" in state:
            state["device_"] = available(state["device_"])
            for name, cls in _MODULES.items():
                state[name] = rebuild(
                    cls, state[name]["config"], state[name]["state_dict"], state["device_"]
                )
        super().__setstate__(state)
        if "_trainer" in state:
            self._trainer = BGANTrainer.from_state_dict(
                state["_trainer"], DIVERGENCES[self.divergence], self._training_config(),
                World(), self.device_,
            )
