"""The adversarial training loop of a discrete boundary-seeking GAN."""

import copy
import math
from dataclasses import dataclass

import numpy as np
import torch

from ._accountant import ORDERS, epsilon_from_rdp
from ._divergences import self_normalized_weights
from ._likelihood import importance_weighted, trimmed_logsumexp
from ._networks import Critic, Generator, cpu_state_dict, rebuild
from ._private_training import (
    PrivacyConfig,
    add_critic_real_gradients,
    likelihood_logit_gradients,
    poisson_batch,
    updates_per_step,
)

LOSS_NAMES = ("critic_loss", "generator_loss", "likelihood_loss", "weight_ess")
"""Keys of the per-epoch record of :meth:`BGANTrainer.run_epoch`."""

DEPENDENCE_WARMUP_FACTOR = 0.1
"""The dependence matrix's rate during its warm-up, as a multiple of the generator's, at most.

For its first ``dependence_warmup_steps`` steps the matrix learns this
slowly, so that the latent first learns what many columns share; then at
``dependence_lr_factor``.
"""


@dataclass
class TrainingConfig:
    """Settings of a :class:`BGANTrainer`, taken from the estimator."""

    batch_size: int
    samples_per_latent: int
    critic_steps: int
    likelihood_weight: float
    likelihood_latents: int
    generator_lr: float
    critic_lr: float
    ema_decay: float
    dependence_lr_factor: float
    epoch_steps: int  # steps of one epoch: a pass over the rows, or part of one
    dependence_warmup_steps: int = 0
    privacy: PrivacyConfig | None = None


def steps_per_epoch(n_samples, batch_size):
    """Training steps in one pass over ``n_samples`` rows, at least one."""
    return max(n_samples // min(batch_size, n_samples), 1)


FUSED_ADAM_DEVICES = (
    ("cuda", "cpu") if torch.torch_version.TorchVersion(torch.__version__) >= (2, 4) else ("cuda",)
)
"""Devices whose Adam this PyTorch runs as one fused kernel (on the CPU from version 2.4)."""


def adam(params, device, **options):
    """Adam with GAN training's betas, fused where PyTorch has the kernel for ``device``.

    Elsewhere it takes PyTorch's default implementation: the same update,
    rounded differently.
    """
    fused = torch.device(device).type in FUSED_ADAM_DEVICES
    return torch.optim.Adam(params, betas=(0.5, 0.999), fused=fused or None, **options)


def batch_rows(n_rows, batch_size, rng, device, cumulative=None):
    """Indices of a batch of training rows, drawn with replacement.

    Uniformly, or with ``cumulative`` (the running sum of the rows' weights,
    float64) each row in proportion to its weight.
    """
    if cumulative is None:
        return torch.randint(n_rows, (batch_size,), generator=rng, device=device)
    u = torch.rand(batch_size, generator=rng, device=device, dtype=cumulative.dtype)
    return torch.searchsorted(cumulative, u * cumulative[-1], right=True).clamp_(max=n_rows - 1)


def epoch_seed(seed, epoch, rank=0):
    """Seed of the random stream of one epoch on one process.

    Every epoch starts a fresh stream derived from the fit's seed, so training
    resumed from a checkpoint, or continued by ``warm_start``, draws exactly
    what an uninterrupted fit would have drawn, on every process.
    """
    return int(np.random.SeedSequence([seed, epoch, rank]).generate_state(1, np.uint64)[0]) >> 1


def update_ema(average, model, decay, step):
    """Move ``average``'s parameters towards ``model``'s after update ``step``.

    The decay warms up as ``min(decay, (1 + step) / (10 + step))`` so that a
    short fit is not dominated by the random initial weights.
    """
    decay = min(decay, (1.0 + step) / (10.0 + step))
    with torch.no_grad():
        torch._foreach_lerp_(
            list(average.parameters()), list(model.parameters()), 1.0 - decay
        )


def bgan_generator_loss(weights, log_prob):
    """The discrete BGAN generator loss with a control variate.

    ``-sum_m (w_nm - 1/M) log g(x_nm | z_n)``, averaged over latents.
    Subtracting the uniform weight ``1/M`` leaves the expected gradient
    unchanged (the score ``grad log g`` has zero mean under ``g``) and removes
    the noise that rows of equal weight would otherwise inject.

    Parameters
    ----------
    weights : Tensor of shape (n_latents, samples_per_latent)
        Self-normalised importance weights, no gradient.
    log_prob : Tensor of shape (n_latents, samples_per_latent)
        ``log g(x_nm | z_n)``, with gradient.

    Returns
    -------
    loss : Tensor of shape ()
    """
    m = weights.shape[1]
    return -((weights - 1.0 / m) * log_prob).sum(dim=1).mean()


def likelihood_loss(generator, real, n_latents, rng):
    """Negative Monte-Carlo log-likelihood of data rows under the generator.

    ``-mean_i log mean_k g(x_i | z_k)`` with ``n_latents`` latents ``z_k``
    drawn from the prior and shared by the batch; with a latent mixture, their
    components drawn uniformly and weighted by ``K pi_c`` (see
    :mod:`skbgan._mixture`). With an encoder, the importance-weighted
    estimate (:func:`~skbgan._likelihood.importance_weighted`) with
    ``n_latents // batch`` encoder draws per row: as many decoded latents.
    Negligible latents are dropped from the mean
    (:func:`~skbgan._likelihood.trimmed_logsumexp`).

    Parameters
    ----------
    generator : Generator
    real : Tensor of shape (batch, n_features), int64
    n_latents : int
    rng : torch.Generator

    Returns
    -------
    loss : Tensor of shape ()
    """
    if generator.encoder is not None:
        n_draws = max(1, n_latents // len(real))
        return -importance_weighted(generator, real, n_draws, rng).mean()
    latents = prior_latents(generator, n_latents, rng, real.device)
    return prior_likelihood_loss(generator, generator(*latents[:2]), latents[2], real)


def prior_latents(generator, n_latents, rng, device):
    """The likelihood term's latents drawn from the prior, with their components and weights.

    Returns
    -------
    z : Tensor of shape (n_latents, latent_dim)
    components : Tensor of shape (n_latents,), int64, or None
        With a latent mixture, components drawn uniformly (importance-weighted
        by ``log_weights``, which trains the mixture's weights); else None.
    log_weights : Tensor of shape (n_latents,) or float
    """
    z = torch.randn(n_latents, generator.latent_dim, generator=rng, device=device)
    if generator.mixture is None:
        return z, None, 0.0
    components = torch.randint(generator.mixture.n_components, (n_latents,), generator=rng,
                               device=device)
    return z, components, generator.mixture.log_weights(components)


def prior_likelihood_loss(generator, log_probs, log_weights, real):
    """:func:`likelihood_loss` of ``real`` given the prior latents' log-probability blocks.

    Parameters
    ----------
    generator : Generator
    log_probs : list of Tensor
        The generator's output for the latents of :func:`prior_latents`.
    log_weights : Tensor of shape (n_latents,) or float
    real : Tensor of shape (batch, n_features), int64

    Returns
    -------
    loss : Tensor of shape ()
    """
    cross = generator.head.cross_log_prob(log_probs, real) + log_weights
    return math.log(cross.shape[1]) - trimmed_logsumexp(cross, dim=1).mean()


def decode_together(generator, z, latents):
    """``generator(z)`` and the output for :func:`prior_latents` ``latents``, in one pass.

    One forward and backward pass over both sets of latents instead of two
    dispatches half the generator's operators: 7 to 9% of a step on tables
    whose likelihood term draws prior latents (2 CPU cores).

    Returns
    -------
    log_probs, prior_log_probs : list of Tensor
        The blocks of ``z``'s rows, then those of the prior latents'.
    """
    prior_z, prior_components, _ = latents
    components = None
    if generator.mixture is not None:  # z's components read off z, as generator(z) does
        components, z = generator.mixture.split(z)
        components = torch.cat([components, prior_components])
    blocks = generator(torch.cat([z, prior_z]), components)
    n = len(z)
    return [block[:n] for block in blocks], [block[n:] for block in blocks]


def _to_cpu(state):
    """A nested optimiser state with every tensor copied to the CPU."""
    if isinstance(state, torch.Tensor):
        return state.detach().to("cpu", copy=True)
    if isinstance(state, dict):
        return {key: _to_cpu(value) for key, value in state.items()}
    if isinstance(state, list):
        return [_to_cpu(value) for value in state]
    return state


def generator_param_groups(generator, lr, dependence_lr_factor):
    """The generator's parameters for its optimiser: all at ``lr``, but an
    autoregressive head's dependence (its matrix, and a sequence head's table
    of pairs), in a second group, at ``lr * dependence_lr_factor``.

    Parameters
    ----------
    generator : Generator
    lr, dependence_lr_factor : float

    Returns
    -------
    list of dict
    """
    named = dict(generator.named_parameters())
    dependence = [named.pop(name) for name in list(named)
                  if name.split(".")[:2] in (["head", "dependence"], ["head", "pair_dependence"])]
    groups = [{"params": list(named.values()), "lr": lr}]
    if dependence:
        groups.append({"params": dependence, "lr": lr * dependence_lr_factor})
    return groups


class BGANTrainer:
    """Everything one training run carries between steps, and the step itself.

    Holds the generator, its exponential moving average, the critic, both
    optimisers and the epoch count. Each step draws ``batch_size`` latents and
    ``samples_per_latent`` rows per latent. The critic takes ``critic_steps``
    updates, each on a real batch and one generated row per latent (balanced
    classes, and far cheaper than back-propagating through all rows). It then
    scores all the rows without gradient, giving the per-latent self-normalised
    importance weights of the BGAN generator loss
    (:func:`bgan_generator_loss`), to which ``likelihood_weight`` times
    :func:`likelihood_loss` is added.

    Parameters
    ----------
    generator : Generator
    critic : Critic
        Both on the training device.
    divergence : Divergence
    config : TrainingConfig
    seed : int
        Seeds every draw (see :func:`epoch_seed`).
    world : World
        The processes training together; gradients are averaged over them.
    """

    def __init__(self, generator, critic, divergence, config, seed, world):
        self.generator = generator
        self.critic = critic
        self.divergence = divergence
        self.config = config
        self.seed = seed
        self.world = world
        self.average = copy.deepcopy(generator).requires_grad_(False)
        device = next(generator.parameters()).device
        self.critic_opt = adam(critic.parameters(), device, lr=config.critic_lr)
        self.generator_opt = adam(
            generator_param_groups(generator, config.generator_lr, config.dependence_lr_factor),
            device,
        )
        self.epoch = 0
        self.step = 0
        self.rdp = np.zeros(len(ORDERS))
        self._step_rdp = self._rdp_per_step(config)

    @staticmethod
    def _rdp_per_step(config):
        """RDP of one step's private updates (critic updates, likelihood term); None without DP."""
        if config.privacy is None:
            return None
        updates = updates_per_step(config.critic_steps, config.likelihood_weight)
        return updates * config.privacy.update_rdp()

    @property
    def record_names(self):
        """Keys of the record of :meth:`run_epoch`.

        Under differential privacy the critic and likelihood losses are left
        out: they are computed on data rows, and releasing them would not be
        private. ``epsilon`` (spent so far) takes their place.
        """
        if self.config.privacy is None:
            return LOSS_NAMES
        return ("generator_loss", "weight_ess")

    @property
    def epsilon(self):
        """Privacy spent so far at the configured delta; ``inf`` without differential privacy."""
        if self.config.privacy is None:
            return float("inf")
        return epsilon_from_rdp(self.rdp, self.config.privacy.delta)

    def run_epoch(self, codes, weights=None):
        """One epoch of ``config.epoch_steps`` steps on ``codes``, shared among the processes of ``world``.

        Parameters
        ----------
        codes : Tensor of shape (n_samples, n_features), any integer dtype, on the device
            Kept compact; each batch is converted to int64 as it is drawn.
        weights : Tensor of shape (n_samples,), float64, on the device, optional
            Positive row weights: batches draw each row in proportion to its
            weight. None draws rows uniformly.

        Returns
        -------
        record : dict
            Mean ``critic_loss``, ``generator_loss`` (the BGAN term),
            ``likelihood_loss`` and ``weight_ess`` (effective sample size of
            the weights over ``samples_per_latent``; 1 means flat weights),
            averaged over steps and processes; see :attr:`record_names`.
            Under differential privacy, also ``epsilon``.

        Raises
        ------
        FloatingPointError
            If a loss is not finite.
        """
        device = codes.device
        self.generator.train()
        self.critic.train()  # spectral normalisation updates only in training mode
        batch_size = min(self.config.batch_size, len(codes))
        n_steps = self.config.epoch_steps
        rng = torch.Generator(device=device).manual_seed(
            epoch_seed(self.seed, self.epoch, self.world.rank)
        )
        names = self.record_names
        totals = torch.zeros(len(names), device=device)
        cumulative = None if weights is None else torch.cumsum(weights, dim=0)
        for _ in range(n_steps):
            losses = self._step(codes, batch_size, rng, cumulative)
            totals += torch.stack([losses[name] for name in names])
        totals = self.world.mean(totals / n_steps)
        record = dict(zip(names, totals.tolist()))
        if not torch.isfinite(totals).all():
            raise FloatingPointError(
                f"Training diverged at epoch {self.epoch + 1}: losses {record}. "
                "Lower critic_lr and generator_lr, or use divergence='gan'."
            )
        if self.config.privacy is not None:
            record["epsilon"] = self.epsilon
        self.epoch += 1
        return record

    def _set_dependence_rate(self):
        """The dependence matrix's learning rate for this step: slow during its warm-up."""
        groups, config = self.generator_opt.param_groups, self.config
        if len(groups) == 2:
            factor = config.dependence_lr_factor
            if self.step < config.dependence_warmup_steps:
                factor = min(factor, DEPENDENCE_WARMUP_FACTOR)
            groups[1]["lr"] = config.generator_lr * factor

    def _step(self, codes, batch_size, rng, cumulative=None):
        """One generator update and its critic updates; returns the step's losses by name.

        ``cumulative`` (see :func:`batch_rows`) draws the real rows by weight.
        """
        self._set_dependence_rate()
        generator, config = self.generator, self.config
        m = config.samples_per_latent
        z = torch.randn(batch_size, generator.latent_dim, generator=rng, device=codes.device)
        prior = None  # the likelihood term's prior latents, decoded with z when it has them
        if generator.encoder is None and config.privacy is None and config.likelihood_weight:
            latents = prior_latents(generator, config.likelihood_latents, rng, codes.device)
            log_probs, prior_log_probs = decode_together(generator, z, latents)
            prior = prior_log_probs, latents[2]
        else:
            log_probs = generator(z)
        with torch.no_grad():
            fake = generator.head.sample(log_probs, m, rng)
        critic_loss, real = self._update_critic(codes, fake, batch_size, rng, cumulative)
        losses = {"critic_loss": critic_loss}

        with torch.no_grad():
            log_weight = self.divergence.log_weight(self.critic(fake.reshape(batch_size * m, -1)))
            weights = self_normalized_weights(log_weight.reshape(batch_size, m))
        bgan_loss = bgan_generator_loss(weights, generator.head.log_prob(log_probs, fake))
        self.generator_opt.zero_grad(set_to_none=True)
        losses["likelihood_loss"] = self._backward_generator(bgan_loss, real, codes, rng, prior)
        self.world.average_gradients(generator)
        self.generator_opt.step()
        update_ema(self.average, generator, config.ema_decay, self.step)
        self.step += 1
        if config.privacy is not None:
            self.rdp = self.rdp + self._step_rdp

        losses["generator_loss"] = bgan_loss.detach()
        losses["weight_ess"] = (1.0 / (weights**2).sum(dim=1)).mean() / m
        return losses

    def _update_critic(self, codes, fake, batch_size, rng, cumulative=None):
        """``critic_steps`` critic updates against ``fake[:, k]``.

        Returns the last update's loss and real rows, drawn by weight with
        ``cumulative`` (see :func:`batch_rows`). Under differential privacy
        the real rows are Poisson batches whose gradient is clipped and
        noised, and neither is returned (``None, None``).
        """
        critic, config, privacy = self.critic, self.config, self.config.privacy
        m = config.samples_per_latent
        loss = real = None
        for k in range(config.critic_steps):
            self.critic_opt.zero_grad(set_to_none=True)
            if privacy is None:
                index = batch_rows(len(codes), batch_size, rng, codes.device, cumulative)
                real = codes[index].long()
                v = critic(torch.cat([real, fake[:, k % m]]))
                loss = self.divergence.critic_loss(v[:batch_size], v[batch_size:])
                loss.backward()
            else:
                self.divergence.fake_term(critic(fake[:, k % m])).mean().backward()
                real = poisson_batch(codes, privacy.rate, rng)
                add_critic_real_gradients(critic, self.divergence, real, privacy,
                                          privacy.rate * len(codes), rng)
            self.world.average_gradients(critic)
            self.critic_opt.step()
        return (None, None) if loss is None else (loss.detach(), real)

    def _backward_generator(self, bgan_loss, real, codes, rng, prior=None):
        """Back-propagate the generator loss: the BGAN term plus the weighted likelihood term.

        The likelihood term reads the critic's last ``real`` rows, or under
        differential privacy a Poisson batch of its own; ``prior``, the
        log-probability blocks and log-weights of its prior latents when the
        step decoded them already (see :func:`decode_together`). Returns the
        likelihood loss (zero when its weight is 0; ``None`` under
        differential privacy, where it is not computed).
        """
        config, privacy = self.config, self.config.privacy
        if not config.likelihood_weight:
            bgan_loss.backward()
            return torch.zeros((), device=codes.device)
        if privacy is None:
            nll = (likelihood_loss(self.generator, real, config.likelihood_latents, rng)
                   if prior is None else prior_likelihood_loss(self.generator, *prior, real))
            (bgan_loss + config.likelihood_weight * nll).backward()
            return nll.detach()
        real = poisson_batch(codes, privacy.rate, rng)
        logits, gradients = likelihood_logit_gradients(
            self.generator, real, config.likelihood_latents, privacy,
            privacy.rate * len(codes), rng,
        )
        torch.autograd.backward(
            [bgan_loss, *logits],
            [None, *(config.likelihood_weight * g for g in gradients)],
        )
        return None

    def state_dict(self):
        """A snapshot of the whole training state: tensors copied to the CPU, plain values."""
        return {
            "generator_config": self.generator.config,
            "critic_config": self.critic.config,
            "generator": cpu_state_dict(self.generator),
            "average": cpu_state_dict(self.average),
            "critic": cpu_state_dict(self.critic),
            "generator_opt": _to_cpu(self.generator_opt.state_dict()),
            "critic_opt": _to_cpu(self.critic_opt.state_dict()),
            "seed": self.seed,
            "epoch": self.epoch,
            "step": self.step,
            "rdp": torch.as_tensor(self.rdp),
        }

    def continued(self, divergence, config, world, device):
        """This trainer with new training settings, on ``device``, for a warm start.

        The networks, averaged generator, optimiser states and counts carry
        over; the divergence, ``config`` (learning rates included) and
        processes are the new ones.
        """
        trainer = self
        if device != next(self.generator.parameters()).device:
            trainer = BGANTrainer.from_state_dict(self.state_dict(), divergence, config,
                                                  world, device)
        trainer.divergence, trainer.config, trainer.world = divergence, config, world
        trainer._step_rdp = trainer._rdp_per_step(config)
        rates = generator_param_groups(trainer.generator, config.generator_lr,
                                       config.dependence_lr_factor)
        for group, fresh in zip(trainer.generator_opt.param_groups, rates):
            group["lr"] = fresh["lr"]
        for group in trainer.critic_opt.param_groups:
            group["lr"] = config.critic_lr
        return trainer

    @classmethod
    def from_state_dict(cls, state, divergence, config, world, device):
        """The trainer that :meth:`state_dict` described, on ``device``."""
        generator = rebuild(Generator, state["generator_config"], state["generator"], device)
        critic = rebuild(Critic, state["critic_config"], state["critic"], device)
        trainer = cls(generator.train(), critic.train(), divergence, config, state["seed"], world)
        trainer.average.load_state_dict(state["average"])
        trainer.generator_opt.load_state_dict(state["generator_opt"])
        trainer.critic_opt.load_state_dict(state["critic_opt"])
        trainer.epoch = state["epoch"]
        trainer.step = state["step"]
        trainer.rdp = state["rdp"].numpy()
        return trainer
