"""DiscreteBGAN: a boundary-seeking GAN for categorical data, as an estimator."""

import math
import numbers

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.base import BaseEstimator, DensityMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._divergences import DIVERGENCES
from ._encoding import UNSEEN, CategoricalCodec, check_labels
from ._networks import Critic, Generator, available, cpu_state_dict, rebuild
from ._training import TrainingConfig, steps_per_epoch, train_bgan

_MODULES = {"generator_": Generator, "critic_": Critic}
AUTO_STEPS = 2_000
"""Training steps that ``epochs="auto"`` aims for."""
_SAMPLE_CHUNK_ELEMENTS = 2**23
"""Logits per sampling chunk: bounds the memory of ``sample`` whatever ``n_samples``."""
_SCORE_CHUNK_ELEMENTS = 2**23


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
        Latents (and data rows) per training step.
    epochs : int or "auto", default="auto"
        Passes over the training data. ``"auto"`` runs as many as take about
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
    device : str, default="auto"
        ``"auto"`` (CUDA when available), ``"cpu"``, ``"cuda"`` or ``"cuda:N"``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation and every draw of ``fit``; the same value
        gives the same model on CPU.
    verbose : int, default=0
        1 shows a progress bar with the current losses.

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
        ``likelihood_loss`` and ``weight_ess`` (see ``fit``).
    n_iter_ : int
        Number of epochs run.
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
            X = np.asarray(X)
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
        """
        for name in ("generator_layers", "critic_layers"):
            layers = getattr(self, name)
            if len(layers) == 0 or not all(
                isinstance(w, numbers.Integral) and w >= 1 for w in layers
            ):
                raise ValueError(
                    f"{name}={layers!r} must be a non-empty tuple of positive integers."
                )
        device = _resolve_device(self.device)
        X = self._check_X(X, reset=True)
        codec = CategoricalCodec().fit(X, self.sample_shape_)
        seed = _seed_from(self.random_state)
        with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
            torch.manual_seed(seed)
            self._fit(codec.encode(X), codec.cardinalities, device, seed)
        self._codec = codec
        self.categories_ = codec.categories
        self.n_samples_fit_ = X.shape[0]
        self.device_ = device
        return self

    def _fit(self, codes, cardinalities, device, seed):
        generator = Generator(cardinalities, self.latent_dim, self.generator_layers)
        critic = Critic(cardinalities, self.critic_layers, self.critic_lipschitz)
        generator.to(device)
        critic.to(device)
        rng = torch.Generator(device=device).manual_seed(seed)
        epochs = self.epochs
        if epochs == "auto":
            epochs = max(1, round(AUTO_STEPS / steps_per_epoch(len(codes), self.batch_size)))
        config = TrainingConfig(
            epochs=epochs,
            batch_size=self.batch_size,
            samples_per_latent=self.samples_per_latent,
            critic_steps=self.critic_steps,
            likelihood_weight=self.likelihood_weight,
            likelihood_latents=self.likelihood_latents,
            generator_lr=self.generator_lr,
            critic_lr=self.critic_lr,
            ema_decay=self.ema_decay,
            verbose=self.verbose,
        )
        codes = torch.as_tensor(codes, device=device)
        average, history = train_bgan(
            generator, critic, codes, DIVERGENCES[self.divergence], config, rng
        )
        self.generator_ = average.eval()
        self.critic_ = critic.eval()
        self.history_ = history
        self.n_iter_ = len(history)
        self.score_seed_ = seed + 1

    # ----------------------------------------------------------------- sample
    def sample(self, n_samples=1, random_state=None):
        """Generate new samples in the labels, dtype and shape seen in ``fit``.

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples to generate.
        random_state : int, RandomState instance or None, default=None
            Seed of this call's draws; global random states are not touched.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features) or (n_samples, d1, d2, ...), \
or DataFrame
            A DataFrame with the fitted column names and dtypes when ``fit``
            was given one.
        """
        check_is_fitted(self)
        is_count = isinstance(n_samples, numbers.Integral) and not isinstance(n_samples, bool)
        if not is_count or n_samples < 1:
            raise ValueError(f"n_samples={n_samples!r} must be a positive integer.")
        generator = self.generator_
        rng = torch.Generator(device=self.device_).manual_seed(_seed_from(random_state))
        out = np.empty((n_samples, *self.sample_shape_), dtype=self._codec.dtype)
        with torch.inference_mode():
            chunk = max(1, _SAMPLE_CHUNK_ELEMENTS // generator.head.n_outputs)
            for start in range(0, n_samples, chunk):
                size = min(chunk, n_samples - start)
                z = torch.randn(size, generator.latent_dim, generator=rng, device=self.device_)
                logits = generator.head.logits(generator.body(z))
                codes = generator.head.sample(logits, 1, rng)[:, 0]
                out[start : start + size] = self._codec.decode(codes.cpu().numpy())
        return out if self._frame_dtypes is None else self._to_frame(out)

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
        n_latents = self.score_latents
        chunk = max(1, _SCORE_CHUNK_ELEMENTS // (n_latents * codes.shape[1]))
        scores = np.empty(len(codes))
        with torch.inference_mode():
            z = torch.randn(n_latents, generator.latent_dim, generator=rng, device=self.device_)
            log_probs = generator(z)
            for start in range(0, len(codes), chunk):
                rows = slice(start, start + chunk)
                seen = torch.as_tensor(~unseen[rows], device=self.device_)
                batch = torch.as_tensor(
                    np.where(unseen[rows], 0, codes[rows]), dtype=torch.long, device=self.device_
                )
                cross = generator.head.cross_log_prob(log_probs, batch, seen)
                scores[rows] = (torch.logsumexp(cross, dim=1) - math.log(n_latents)).cpu().numpy()
        return scores - unseen.sum(axis=1) * math.log(self.n_samples_fit_ + 1)

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
