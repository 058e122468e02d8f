"""The model's conditional distributions: observed cells weight latents, free cells follow.

The model is ``q(x) = E_z prod_j g_j(x_j | z)`` with ``z ~ h``, the Gaussian
prior. Given the observed cells ``O`` of a row, Bayes' rule gives

    q(x_M | x_O) = E_{z ~ q(z | x_O)} prod_{j in M} g_j(x_j | z),
    q(z | x_O) ∝ h(z) prod_{j in O} g_j(x_j | z).

A pool of ``K`` prior latents with self-normalised weights
``w_k ∝ g(x_O | z_k)`` stands in for ``q(z | x_O)`` (importance sampling with
the prior as proposal). Free cells are drawn from a latent resampled by these
weights, and conditional probabilities are the weighted mean of each
latent's ``g_t(. | z_k)``. Both are consistent as ``K`` grows; with few
effective latents (rare or many observed cells) they follow few latents.

With the autoregressive head (:mod:`skbgan._autoregressive`) ``g(x_O | z)``
has no closed form: each pooled latent instead draws one whole row column by
column, its observed cells kept and weighing it (sequential importance
sampling), and rows are resampled by these weights.
"""

import warnings

import numpy as np
import torch

from ._autoregressive import AutoregressiveHead
from ._networks import PADDING_LOGIT, row_chunks, sample_chunk_rows

CONDITION_POOL_FACTOR = 4
"""Prior latents drawn per conditional sample, to be resampled by their weights."""
RARE_CONDITION_ESS = 50
"""Effective number of pooled latents below which conditional sampling warns."""


def excluded_logits(head, excluded):
    """Additive logits that forbid some codes, one block per column group.

    Parameters
    ----------
    head : CategoricalHead
    excluded : dict of int to int
        Flat column to the code it must never take (e.g. its missing-value category).

    Returns
    -------
    masks : list of Tensor of shape (n_columns_in_group, width), or None when nothing is excluded
    """
    if not excluded:
        return None
    masks = []
    for g, padding in enumerate(head.paddings()):
        mask = torch.zeros_like(padding)
        for position, column in enumerate(head.group_columns(g).tolist()):
            if column in excluded:
                mask[position, excluded[column]] = PADDING_LOGIT
        masks.append(mask)
    return masks


def _allowed(blocks, forbidden=None):
    """Logit blocks with forbidden codes masked out."""
    if forbidden is None:
        return blocks
    return [block + mask for block, mask in zip(blocks, forbidden)]


def sequential(head):
    """Whether ``head`` draws column by column, its conditionals estimated by :meth:`~skbgan._autoregressive.AutoregressiveHead.sample_given`."""
    return isinstance(head, AutoregressiveHead)


def _observed_log_weights(head, log_probs, codes, observed):
    """``log g(x_O | z_k)`` of each row's observed cells under each pooled latent, ``(rows, K)``."""
    return head.cross_log_prob(log_probs, codes.long(), observed)


def draw(generator, n_samples, rng, temperature=1.0, fixed=None, resampler=None):
    """Rows drawn from the model, or from its conditional given cells shared by all rows.

    Parameters
    ----------
    generator : Generator
    n_samples : int
    rng : torch.Generator
        On the generator's device.
    temperature : float, default=1.0
        Divides each column's logits given the latent.
    fixed : tuple of (ndarray, ndarray), optional
        Flat columns and their codes that every row takes; the other columns
        follow the model's conditional distribution given them.
    resampler : CriticResampler, optional
        Draws ``resampler.candidates`` rows per row yielded and keeps one
        (see :mod:`~skbgan._resampling`).

    Yields
    ------
    codes : Tensor of shape (chunk, n_features), int64, on the CPU
        Consecutive chunks of rows, ``n_samples`` in all; memory is bounded by
        :func:`~skbgan._networks.sample_chunk_rows`.
    """
    device = rng.device
    head = generator.head
    candidates = 1 if resampler is None else resampler.candidates
    chunk = max(1, sample_chunk_rows(head.n_outputs, device) // candidates)
    if fixed is not None:
        chunk = max(1, chunk // CONDITION_POOL_FACTOR)
        columns, values = fixed
        row = torch.zeros(1, head.n_features, dtype=torch.long, device=device)
        observed = torch.zeros_like(row, dtype=torch.bool)
        row[0, columns], observed[0, columns] = torch.as_tensor(values, device=device), True
    for start in range(0, n_samples, chunk):
        kept = min(chunk, n_samples - start)
        size = kept * candidates
        if fixed is None:
            z = torch.randn(size, generator.latent_dim, generator=rng, device=device)
            logits = head.logits(generator.hidden(z))
            codes = head.sample(logits, 1, rng, temperature)[:, 0]
        else:
            pool = torch.randn(max(CONDITION_POOL_FACTOR * size, 256), generator.latent_dim,
                               generator=rng, device=device)
            logits = head.logits(generator.hidden(pool))
            if sequential(head):  # each pooled latent's row drawn, its fixed cells weighing it
                drawn, log_weight = head.sample_given(logits, row.expand(len(pool), -1),
                                                      observed.expand(len(pool), -1), rng,
                                                      temperature)
            else:
                log_weight = _observed_log_weights(head, head.normalized(logits), row,
                                                   observed)[0]
            weights = torch.softmax(log_weight, dim=0)
            _warn_if_rare(weights)
            chosen = torch.multinomial(weights, size, replacement=True, generator=rng)
            if sequential(head):
                codes = drawn[chosen]
            else:
                codes = head.sample([b[chosen] for b in logits], 1, rng, temperature)[:, 0]
                codes[:, columns] = row[0, columns]
        if resampler is not None:
            codes = resampler(codes, rng)
        yield codes.cpu()


def _warn_if_rare(weights):
    ess = float(1.0 / (weights**2).sum())
    if ess < RARE_CONDITION_ESS:
        warnings.warn(
            f"The conditions are rare under the model: the {len(weights)} pooled latents "
            f"give an effective {ess:.1f}, so the samples come from few latents and "
            "approximate the conditional distribution coarsely.",
            UserWarning,
            stacklevel=5,  # _warn_if_rare < draw < draw_codes < sample < its caller
        )


def draw_codes(generator, n_samples, rng, temperature=1.0, fixed=None, distribution=None,
               dtype=np.int64, resampler=None):
    """Codes ``(n_samples, n_features)`` from the model, as ``DiscreteBGAN.sample`` asks.

    Parameters
    ----------
    generator, n_samples, rng, temperature, fixed, resampler
        As in :func:`draw`.
    distribution : tuple of (int, ndarray, ndarray), optional
        A column, its codes and their probabilities: each row's label of that
        column is drawn from them and the other columns from the model's
        conditional given it (and ``fixed``); rows come shuffled.
    dtype : numpy dtype, default=np.int64
        Of the codes returned: a compact one keeps large samples small.

    Returns
    -------
    codes : ndarray of shape (n_samples, n_features)
    """
    if distribution is None:
        codes = np.empty((n_samples, generator.head.n_features), dtype=dtype)
        start = 0
        for chunk in draw(generator, n_samples, rng, temperature, fixed, resampler):
            codes[start : start + len(chunk)] = chunk.numpy()
            start += len(chunk)
        return codes
    column, labels, probabilities = distribution
    p = torch.as_tensor(probabilities, dtype=torch.float32, device=rng.device)
    counts = torch.bincount(torch.multinomial(p, n_samples, replacement=True, generator=rng),
                            minlength=len(labels)).tolist()
    columns, values = fixed if fixed is not None else (np.empty(0, np.int64),) * 2
    parts = [draw_codes(generator, count, rng, temperature,
                        (np.append(columns, column), np.append(values, label)), dtype=dtype,
                        resampler=resampler)
             for label, count in zip(labels, counts) if count]
    order = torch.randperm(n_samples, generator=rng, device=rng.device).cpu().numpy()
    return np.concatenate(parts)[order]


def _every_pair(logits, codes, observed):
    """Every row under every latent, row-major: logit blocks tiled, rows and masks repeated.

    Parameters
    ----------
    logits : list of Tensor
        Logit blocks of ``n_latents`` latents.
    codes : Tensor of shape (n_rows, n_features)
    observed : Tensor of shape (n_rows, n_features), bool

    Returns
    -------
    logits : list of Tensor
        ``n_rows * n_latents`` blocks, latent ``k`` of row ``i`` at ``i * n_latents + k``.
    codes : Tensor of shape (n_rows * n_latents, n_features), int64
    observed : Tensor of shape (n_rows * n_latents, n_features), bool
    """
    n_rows, n_latents = len(codes), logits[0].shape[0]
    return ([b.repeat(n_rows, 1, 1) for b in logits],
            codes.long().repeat_interleave(n_latents, dim=0),
            observed.repeat_interleave(n_latents, dim=0))


def complete_rows(generator, codes, observed, n_latents, rng, forbidden=None):
    """Each row's unobserved cells drawn from the model's conditional given its observed cells.

    Rows condition on different cells; every chunk of rows shares one fresh
    pool of ``n_latents`` prior latents, from which each row resamples one
    latent by its own weights and draws its free cells.

    Parameters
    ----------
    generator : Generator
    codes : Tensor of shape (n_rows, n_features), on the generator's device
        Codes of the observed cells; the others are ignored.
    observed : Tensor of shape (n_rows, n_features), bool
    n_latents : int
    rng : torch.Generator
    forbidden : list of Tensor, optional
        From :func:`excluded_logits`: codes the drawn cells never take.

    Returns
    -------
    completed : Tensor of shape (n_rows, n_features), int64
        Observed cells unchanged, the others drawn.
    """
    head = generator.head
    out = codes.long().clone()
    n_outputs = head.n_outputs if sequential(head) else 1
    for rows in row_chunks(len(codes), n_latents * n_outputs):
        z = torch.randn(n_latents, generator.latent_dim, generator=rng, device=codes.device)
        logits = head.logits(generator.hidden(z))
        if sequential(head):  # each row completed under every latent, one completion kept
            n_rows = len(out[rows])
            drawn, log_weight = head.sample_given(*_every_pair(logits, out[rows], observed[rows]),
                                                  rng, forbidden=forbidden)
            chosen = torch.multinomial(torch.softmax(log_weight.reshape(n_rows, n_latents), 1),
                                       1, generator=rng)[:, 0]
            out[rows] = drawn.reshape(n_rows, n_latents, -1)[torch.arange(n_rows), chosen]
            continue
        log_weight = _observed_log_weights(
            head, head.normalized(logits), codes[rows], observed[rows]
        )
        chosen = torch.multinomial(torch.softmax(log_weight, dim=1), 1, generator=rng)[:, 0]
        drawn = head.sample(_allowed([b[chosen] for b in logits], forbidden), 1, rng)
        out[rows] = torch.where(observed[rows], out[rows], drawn[:, 0])
    return out


def conditional_proba(generator, codes, observed, targets, z, forbidden=None):
    """``q(x_t = c | x_O without t)`` of each row, for each target column ``t``.

    Each target is predicted from the row's observed cells other than itself:
    its own term ``log g_t(x_t | z_k)`` is removed from the row's latent
    log-weights, so every target costs one ``(rows, latents)`` softmax and
    one product with its per-latent probabilities, not a pass over all columns.

    Parameters
    ----------
    generator : Generator
    codes : Tensor of shape (n_rows, n_features)
    observed : Tensor of shape (n_rows, n_features), bool
    targets : sequence of int
        Flat column indices.
    z : Tensor of shape (n_latents, latent_dim)
        The pool of prior latents (fixed, so equal input gives equal output).
    forbidden : list of Tensor, optional
        From :func:`excluded_logits`: codes given probability zero.

    Returns
    -------
    proba : list of Tensor of shape (n_rows, n_categories_of_target)
        One per target; rows sum to one.
    """
    head = generator.head
    if sequential(head):
        return _sequential_proba(generator, codes, observed, targets, z, forbidden)
    logits = head.logits(generator.hidden(z))
    log_probs = head.normalized(logits)
    adjusted = _allowed(logits, forbidden)
    locations = [head.locate(t) for t in targets]
    per_latent = [torch.softmax(adjusted[g][:, position], dim=-1)[:, : head.cardinalities[t]]
                  for t, (g, position) in zip(targets, locations)]
    out = [torch.empty(len(codes), p.shape[1], device=codes.device) for p in per_latent]
    for rows in row_chunks(len(codes), len(z)):
        log_weight = _observed_log_weights(head, log_probs, codes[rows], observed[rows])
        for i, (t, (g, position)) in enumerate(zip(targets, locations)):
            own = log_probs[g][:, position, :][:, codes[rows, t].long()].T
            own = own * observed[rows, t, None]
            weights = torch.softmax(log_weight - own, dim=1)
            out[i][rows] = weights @ per_latent[i]
    return [p / p.sum(dim=1, keepdim=True) for p in out]


def _sequential_proba(generator, codes, observed, targets, z, forbidden=None):
    """:func:`conditional_proba` for a head that draws column by column.

    ``q(x_t = c, x_O)`` is estimated for every category ``c`` under every
    latent of ``z``, then normalised over ``c``. A row observed in every
    column but ``t`` has no cell to draw: its probability under each latent
    is one product over its columns (:meth:`~skbgan._autoregressive.AutoregressiveHead.cross_log_prob`,
    as ``score_samples`` computes it). Other rows use sequential importance
    sampling (:meth:`~skbgan._autoregressive.AutoregressiveHead.sample_given`),
    the free cells drawn with the same random numbers for each ``c`` (so
    equal input gives equal output, and the categories are compared on the
    same draws).
    """
    head = generator.head
    logits = head.logits(generator.hidden(z))
    n_latents, device = len(z), codes.device
    # forbidden categories keep -inf
    out = [torch.full((len(codes), head.cardinalities[t]), -torch.inf, device=device)
           for t in targets]
    for i, t in enumerate(targets):
        g, position = head.locate(t)
        seen = observed.clone()
        seen[:, t] = True
        complete = seen.all(dim=1)
        whole, partial = torch.nonzero(complete)[:, 0], torch.nonzero(~complete)[:, 0]
        allowed = [c for c in range(head.cardinalities[t])
                   if forbidden is None or forbidden[g][position, c] >= 0]
        if len(whole):
            for c in allowed:
                given = codes[whole].long()
                given[:, t] = c
                out[i][whole, c] = torch.logsumexp(head.cross_log_prob(logits, given), dim=1)
        for rows in row_chunks(len(partial), n_latents * head.n_outputs):
            chunk = partial[rows]
            tiled, given, pair_seen = _every_pair(logits, codes[chunk], seen[chunk])
            for c in allowed:
                given[:, t] = c
                rng = torch.Generator(device=device).manual_seed(0)
                _, log_weight = head.sample_given(tiled, given, pair_seen, rng,
                                                  forbidden=forbidden)
                out[i][chunk, c] = torch.logsumexp(log_weight.reshape(len(chunk), n_latents),
                                                   dim=1)
    return [torch.softmax(p, dim=1) for p in out]
