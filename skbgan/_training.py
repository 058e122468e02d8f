"""The adversarial training loop of a discrete boundary-seeking GAN."""

import copy
from dataclasses import dataclass

import torch

from ._divergences import self_normalized_weights


@dataclass
class TrainingConfig:
    """Settings of one call to :func:`train_bgan`, taken from the estimator."""

    epochs: int
    batch_size: int
    samples_per_latent: int
    critic_steps: int
    likelihood_weight: float
    likelihood_latents: int
    generator_lr: float
    critic_lr: float
    ema_decay: float
    verbose: int


def steps_per_epoch(n_samples, batch_size):
    """Training steps in one pass over ``n_samples`` rows, at least one."""
    return max(n_samples // min(batch_size, n_samples), 1)


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

    ``-mean_i log mean_k g(x_i | z_k)`` with ``z_k`` drawn from the prior: the
    estimator of ``DiscreteBGAN.score_samples`` on a training batch.

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
    z = torch.randn(n_latents, generator.latent_dim, generator=rng, device=real.device)
    cross = generator.head.cross_log_prob(generator(z), real)
    return -torch.logsumexp(cross, dim=1).mean()


def train_bgan(generator, critic, codes, divergence, config, rng):
    """Train a generator and critic on data codes.

    Each step draws ``batch_size`` latents and ``samples_per_latent`` rows per
    latent. The critic takes ``critic_steps`` updates, each on a real batch
    and one generated row per latent (balanced classes, and far cheaper than
    back-propagating through all rows). It then scores all the rows without
    gradient, giving the per-latent self-normalised importance weights of the
    BGAN generator loss (:func:`bgan_generator_loss`), to which
    ``likelihood_weight`` times :func:`likelihood_loss` is added.

    Parameters
    ----------
    generator : Generator
    critic : Critic
    codes : Tensor of shape (n_samples, n_features), any integer dtype, on the device
        Kept compact; each batch is converted to int64 as it is drawn.
    divergence : Divergence
    config : TrainingConfig
    rng : torch.Generator
        Source of every random draw: batches, latents and samples.

    Returns
    -------
    average : Generator
        Exponential moving average of the generator's weights.
    history : list of dict
        Per epoch: mean ``critic_loss``, ``generator_loss`` (the BGAN term),
        ``likelihood_loss`` and ``weight_ess`` (effective sample size of the
        weights over ``samples_per_latent``; 1 means flat weights).
    """
    device = codes.device
    n_samples = len(codes)
    batch_size = min(config.batch_size, n_samples)
    m = config.samples_per_latent
    n_steps = steps_per_epoch(n_samples, batch_size)
    average = copy.deepcopy(generator).requires_grad_(False)
    critic_opt = torch.optim.Adam(critic.parameters(), lr=config.critic_lr, betas=(0.5, 0.999))
    generator_opt = torch.optim.Adam(
        generator.parameters(), lr=config.generator_lr, betas=(0.5, 0.999)
    )

    def real_batch():
        return codes[torch.randint(n_samples, (batch_size,), generator=rng, device=device)].long()

    names = ("critic_loss", "generator_loss", "likelihood_loss", "weight_ess")
    history = []
    step = 0
    epochs = range(config.epochs)
    if config.verbose:
        from tqdm.auto import tqdm

        epochs = tqdm(epochs, desc="DiscreteBGAN", unit="epoch")
    for _ in epochs:
        totals = torch.zeros(len(names), device=device)
        for _ in range(n_steps):
            z = torch.randn(batch_size, generator.latent_dim, generator=rng, device=device)
            log_probs = generator(z)
            with torch.no_grad():
                fake = generator.head.sample(log_probs, m, rng)

            for k in range(config.critic_steps):
                real = real_batch()
                v = critic(torch.cat([real, fake[:, k % m]]))
                critic_loss = divergence.critic_loss(v[:batch_size], v[batch_size:])
                critic_opt.zero_grad(set_to_none=True)
                critic_loss.backward()
                critic_opt.step()

            with torch.no_grad():
                log_weight = divergence.log_weight(critic(fake.reshape(batch_size * m, -1)))
                weights = self_normalized_weights(log_weight.reshape(batch_size, m))
            bgan_loss = bgan_generator_loss(weights, generator.head.log_prob(log_probs, fake))
            loss = bgan_loss
            if config.likelihood_weight:
                nll = likelihood_loss(generator, real, config.likelihood_latents, rng)
                loss = loss + config.likelihood_weight * nll
            else:
                nll = torch.zeros((), device=device)
            generator_opt.zero_grad(set_to_none=True)
            loss.backward()
            generator_opt.step()
            update_ema(average, generator, config.ema_decay, step)
            step += 1

            ess = (1.0 / (weights**2).sum(dim=1)).mean() / m
            totals += torch.stack([critic_loss.detach(), bgan_loss.detach(), nll.detach(), ess])
        record = dict(zip(names, (totals / n_steps).tolist()))
        if not all(map(torch.isfinite, torch.tensor(list(record.values())))):
            raise FloatingPointError(
                f"Training diverged at epoch {len(history) + 1}: losses {record}. "
                "Lower critic_lr and generator_lr, or use divergence='gan'."
            )
        history.append(record)
        if config.verbose:
            epochs.set_postfix(
                critic=f"{record['critic_loss']:.3f}",
                nll=f"{record['likelihood_loss']:.2f}",
                ess=f"{record['weight_ess']:.2f}",
            )
    return average, history
