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
    generator_lr: float
    critic_lr: float
    ema_decay: float
    verbose: int


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


def train_bgan(generator, critic, codes, divergence, config, rng, average=None):
    """Train a generator and critic on data codes.

    Each step draws ``batch_size`` latents and ``samples_per_latent`` rows per
    latent. One critic evaluation of those rows serves both updates: its
    gradient trains the critic, and its detached value gives the importance
    weights ``softmax_m(log w(x_nm))`` of the generator loss
    ``-sum_nm w_nm log g(x_nm | z_n) / N``. Subtracting the uniform weight
    ``1 / M`` from each weight is a control variate: it leaves the expected
    gradient unchanged (scores have zero mean) and removes the noise that
    rows of equal weight would otherwise inject.

    Parameters
    ----------
    generator : Generator
    critic : Critic
    codes : Tensor of shape (n_samples, n_features), int64, on the device
    divergence : Divergence
    config : TrainingConfig
    rng : torch.Generator
        Source of every random draw: batches, latents and samples.
    average : Generator, optional
        Exponential moving average of ``generator``'s weights, updated after
        each step; a copy of ``generator`` is made when not given.

    Returns
    -------
    average : Generator
        The averaged generator, used for sampling and scoring.
    history : list of dict
        Per epoch: mean ``critic_loss``, ``generator_loss`` and
        ``weight_ess`` (effective sample size of the weights over
        ``samples_per_latent``, 1 = flat weights).
    """
    device = codes.device
    n_samples, _ = codes.shape
    batch_size = min(config.batch_size, n_samples)
    m = config.samples_per_latent
    steps_per_epoch = max(n_samples // batch_size, 1)
    if average is None:
        average = copy.deepcopy(generator)
    average.requires_grad_(False)
    critic_opt = torch.optim.Adam(critic.parameters(), lr=config.critic_lr, betas=(0.5, 0.999))
    generator_opt = torch.optim.Adam(
        generator.parameters(), lr=config.generator_lr, betas=(0.5, 0.999)
    )
    history = []
    n_steps = 0
    epochs = range(config.epochs)
    if config.verbose:
        from tqdm.auto import tqdm

        epochs = tqdm(epochs, desc="DiscreteBGAN", unit="epoch")
    for _ in epochs:
        totals = torch.zeros(3, device=device)
        order = torch.randperm(n_samples, generator=rng, device=device)
        for step in range(steps_per_epoch):
            real = codes[order[step * batch_size : (step + 1) * batch_size]]
            z = torch.randn(batch_size, generator.latent_dim, generator=rng, device=device)
            log_probs = generator(z)
            with torch.no_grad():
                fake = generator.head.sample([b.detach() for b in log_probs], m, rng)

            v_fake = critic(fake.reshape(batch_size * m, -1))
            critic_loss = divergence.critic_loss(critic(real), v_fake)
            critic_opt.zero_grad(set_to_none=True)
            critic_loss.backward()
            critic_opt.step()

            log_weight = divergence.log_weight(v_fake.detach()).reshape(batch_size, m)
            weights = self_normalized_weights(log_weight)
            log_prob = generator.head.log_prob(log_probs, fake)
            generator_loss = -((weights - 1.0 / m) * log_prob).sum(dim=1).mean()
            generator_opt.zero_grad(set_to_none=True)
            generator_loss.backward()
            generator_opt.step()
            update_ema(average, generator, config.ema_decay, n_steps)
            n_steps += 1

            ess = (1.0 / (weights**2).sum(dim=1)).mean() / m
            totals += torch.stack([critic_loss.detach(), generator_loss.detach(), ess])
        record = dict(zip(("critic_loss", "generator_loss", "weight_ess"),
                          (totals / steps_per_epoch).tolist()))
        if not all(map(torch.isfinite, torch.tensor(list(record.values())))):
            raise FloatingPointError(
                f"Training diverged at epoch {len(history) + 1}: losses {record}. "
                "Lower critic_lr and generator_lr, or use divergence='gan'."
            )
        history.append(record)
        if config.verbose:
            epochs.set_postfix(
                critic=f"{record['critic_loss']:.3f}", ess=f"{record['weight_ess']:.2f}"
            )
    return average, history
