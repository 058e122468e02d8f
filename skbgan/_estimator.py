"""DiscreteBGAN: a boundary-seeking GAN for categorical data, as an estimator."""

import contextlib
import copy
import numbers
import os
import reprlib
import warnings

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.base import BaseEstimator, DensityMixin, _fit_context
from sklearn.utils import metadata_routing
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _checkpoint, _conditioning, _persistence
from ._accountant import noise_multiplier
from ._arguments import check_sample_weight, is_integer, unequal_weights
from ._autoregressive import MAX_CATEGORIES, dependence_entries, sequence_pairs
from ._conditions import (
    as_mapping,
    column_index,
    partial_rows,
    resolve_conditions,
    resolve_distribution,
)
from ._conv import is_image
from ._device import available, resolve_device
from ._distributed import World, join
from ._divergences import DIVERGENCES
from ._encoding import (
    UNSEEN,
    CategoricalCodec,
    as_column,
    check_column_names,
    check_labels,
    check_no_datetimes,
    check_not_complex,
    check_not_masked,
    check_not_series,
    column_name,
    fill_cells,
    first_unseen,
    frame_for_validation,
    from_polars,
    identifier_like,
    is_polars,
    missing_cells,
    numbers_of,
    polars_schema,
    polars_types,
    to_frame,
    to_polars,
    typed_nulls,
    widened_categoricals,
    widened_enums,
)
from ._epochs import FitRun, epoch_plan, schedule_for
from ._likelihood import encoder_noise, log_likelihood
from ._networks import (
    Critic,
    Generator,
    cpu_state_dict,
    rebuild,
    resolved_context_units,
)
from ._numeric import N_BINS, bin_counts, fit_bins, numeric_columns
from ._precision import PRECISIONS, drawing_dtype, lowered
from ._private_training import PrivacyConfig, updates_per_step
from ._resampling import CriticResampler
from ._training import DEPENDENCE_WARMUP_FACTOR, BGANTrainer, TrainingConfig
from ._validation import split

_MODULES = {"generator_": Generator, "critic_": Critic}


def load(path, device="auto"):
    """Read a model written by :meth:`DiscreteBGAN.save`, running no code from the file.

    Parameters
    ----------
    path : str or path-like
    device : str, default="auto"
        Where to put the networks: ``"auto"`` uses the device the model was
        trained on when available, else the CPU.

    Returns
    -------
    estimator : DiscreteBGAN
        A fitted estimator.

    Raises
    ------
    ValueError
        If the file is not a model file of this format, holds anything but
        tensors and metadata, or was written by an incompatible version.
    """
    params, fitted = _persistence.read(path, device)
    estimator = DiscreteBGAN(**params)
    estimator.__dict__.update(fitted)
    estimator.bin_edges_ = estimator._bin_edges()
    return estimator


ENCODER_MAX_CATEGORIES, ENCODER_MIN_COLUMNS = 3, 32
"""``likelihood_proposal="auto"`` uses the encoder for rows of at least 32 values of at most 3 categories.

A rule read off the measurements of docs/benchmarks.md and
docs/experiments.md: the encoder won on binarised MNIST, binarised digits,
kr-vs-kp and connect-4 (37 to 784 columns of 2 or 3 categories), and lost
on 16-colour images, latent-class data, adult, mushroom, nursery (9 columns
of up to 5), splice and a 3-column table of 3 categories (the test suite's).
``autoregressive="auto"`` turns the autoregressive head on for tables of
that kind: on connect-4 it took detection AUC from 0.73 to 0.62 (sequential
CART 0.64) and tied on kr-vs-kp and binarised digits, with a higher
held-out log-likelihood (three seeds each). On tables with more categories
per column it costs 1.4 to 2.9 times the fit time; it is on there only with
numeric columns, whose many ordered bins other columns constrain (adult's
detection AUC and efficacy gap lower), and off otherwise, where the gains
were mixed (splice's and digits' AUC mixed, mushroom tied; three seeds).
"""


def _few_categories(cardinalities):
    """Whether rows have at least 32 values of at most 3 categories: see :data:`ENCODER_MAX_CATEGORIES`."""
    return (max(cardinalities) <= ENCODER_MAX_CATEGORIES
            and len(cardinalities) >= ENCODER_MIN_COLUMNS)


AUTO_MAX_DEPENDENCE_ENTRIES = 1_024 ** 2
"""Most entries of the head's matrix (see ``skbgan._autoregressive.dependence_blocks``) for
which ``autoregressive="auto"`` turns the head on.

On a table of columns of fewer than 256 categories the matrix is the
square of all categories, and so is its cost a step: on 14 columns of 6
categories and a numeric one, plus a column of many labels (6,400 rows, 2
CPU cores, the Xeon; 2026-12-08), a step took 2.2 times as long with the
head at 104 categories in all, 2.4 at 704, 2.9 at 1,104, 3.5 at 2,104 and
4.7 at 3,604 (299 against 63 ms), when the matrix was stored whole. Beyond
this limit (1,024 such categories) ``"auto"`` leaves it off. A column of
many labels is a block of its own that leaves out the square of its
labels: the same table with a column of 3,500 labels needs 374,816
entries instead of 13 million, and a step takes 2.4 times the one without
the head (170 to 182 against 71 to 75 ms; docs/experiments.md, "The
head's matrix on a column of many labels").
"""


AUTO_DEPENDENCE_LR_FACTOR = 3.0
"""``dependence_lr_factor="auto"``: the matrix's rate after its warm-up, on large tables.

The autoregressive head's matrix learns at a tenth of the generator's rate
for the first half of a fit's steps, while the latent learns what many
columns share, then at three times it, learning near-rules between two
columns. Against a tenth throughout (docs/experiments.md, seeds 0 and 1):
adult's detection AUC 0.559 and 0.570 against 0.579 and 0.584, its
efficacy gap 0.012 and 0.010 against 0.018 and 0.020; connect-4's AUC 0.585
and 0.599 against 0.616 and 0.620 and its held-out log-likelihood a nat
higher; kr-vs-kp's 0.3 nats higher, its AUC a tie. Tables of fewer than
:data:`AUTO_DEPENDENCE_MIN_ROWS` rows keep a tenth throughout.
"""

AUTO_DEPENDENCE_MIN_ROWS = 2_000
"""Fewest training rows for which ``dependence_lr_factor="auto"`` speeds the matrix up.

On smaller tables the fast matrix, over many passes, learns the rows'
noise: the warm-up then 3 lowered the held-out log-likelihood of binarised
digits (1,347 rows) by 0.15 to 0.18 nats and of two small numeric tables
(426 and 331 rows) by 2.9 to 3.8 and 0.7 to 0.8 (seeds 0 and 1).
"""


def dependence_schedule(factor, n_rows, n_steps):
    """``dependence_lr_factor`` resolved: the rate after the warm-up, and the warm-up's steps.

    Parameters
    ----------
    factor : "auto" or float
    n_rows : int
        Training rows.
    n_steps : int
        Steps of the fit.

    Returns
    -------
    factor : float
    warmup_steps : int
        0 when the rate is constant.
    """
    if factor != "auto":
        return float(factor), 0
    if n_rows < AUTO_DEPENDENCE_MIN_ROWS:
        return DEPENDENCE_WARMUP_FACTOR, 0
    return AUTO_DEPENDENCE_LR_FACTOR, n_steps // 2


AUTO_CONTEXT_UNITS = 256
"""``autoregressive_units="auto"`` for the ``True`` head on large tables of few categories.

Tables of the encoder's kind (see :data:`ENCODER_MAX_CATEGORIES`) of at
least :data:`AUTO_CONTEXT_MIN_ROWS` training rows and at most
:data:`AUTO_CONTEXT_MAX_COLUMNS` columns get a masked network of this many
units beside the head's matrix: game positions whose result is a rule over
many squares. Over three seeds (docs/experiments.md, "A masked network in
the autoregressive head"): kr-vs-kp's detection AUC 0.524 against 0.557
without it (sequential CART 0.534), connect-4's 0.572 against 0.593 (CART
0.640, and in half the passes: see ``skbgan._epochs.AUTO_SCHEDULES``),
pairwise TV tied or lower, a higher held-out log-likelihood, at 1.2 to 1.6
times the epoch. Everywhere else ``"auto"`` builds none.
"""

AUTO_CONTEXT_MIN_ROWS = 2_000
"""Fewest training rows for which ``autoregressive_units="auto"`` builds the masked network.

On binarised UCI digits (1,347 rows of 64 binary columns) it lowered the
held-out log-likelihood by 1.2 nats without better samples.
"""

AUTO_CONTEXT_MAX_COLUMNS = 64
"""Most columns for which ``autoregressive_units="auto"`` builds the masked network.

The widest table it was measured on; wider rows of few categories
(flattened binary images) keep the matrix alone, whose draw already takes a
pass per column.
"""


def context_units(units, autoregressive, cardinalities, n_rows):
    """``autoregressive_units`` resolved: see :data:`AUTO_CONTEXT_UNITS`."""
    if units == "auto" and autoregressive is True:
        units = (AUTO_CONTEXT_UNITS if _few_categories(cardinalities)
                 and n_rows >= AUTO_CONTEXT_MIN_ROWS
                 and len(cardinalities) <= AUTO_CONTEXT_MAX_COLUMNS else 0)
    return resolved_context_units(autoregressive, len(cardinalities), units)


AUTO_GENERATOR_LAYERS = (512, 512)
"""``generator_layers="auto"``, but on tables of few rows: see below."""

AUTO_SMALL_GENERATOR_LAYERS = (256, 256)
"""``generator_layers="auto"`` with fewer than :data:`AUTO_SMALL_TABLE_ROWS` training rows.

A few hundred rows hold little for a generator to learn, and the likelihood
term decodes its 512 latents through these layers every step whatever the
table's size. Over seeds 0-2 on the nine benchmark tables of 111 to 718
training rows in the seed-spread table, 256 units against 512 on the same kind of
CPU (docs/experiments.md, "Settings measured over seeds"): pairwise TV
lower on tic-tac-toe, soybean and SPECT, higher on breast cancer (by
0.006) and vote (by 0.006, one standard error), tied on the rest;
detection AUC lower on the small latent-class set and diabetes, higher
on wdbc (by 0.022, 1.4 standard errors), tied on the rest. Held-out
log-likelihood higher on all eight categorical tables (one seed; SPECT
-13.7 against -14.5 nats), fewer copies of training rows, and fits of the
categorical tables 25 to 45% shorter (SPECT 8 against 13 s, the 400-row
latent-class set 14 against 26 s). Tables with numeric columns (wdbc,
diabetes) took as long, their step being the autoregressive head's.
"""

AUTO_SMALL_TABLE_ROWS = 1_000
"""Training rows under which ``generator_layers="auto"`` builds the narrower generator."""


def generator_layers(layers, n_rows):
    """``generator_layers`` resolved: see :data:`AUTO_SMALL_GENERATOR_LAYERS`."""
    if isinstance(layers, str):  # "auto"
        small = n_rows < AUTO_SMALL_TABLE_ROWS
        return AUTO_SMALL_GENERATOR_LAYERS if small else AUTO_GENERATOR_LAYERS
    return tuple(int(width) for width in layers)


AUTO_LIKELIHOOD_LATENTS = 512
"""``likelihood_latents="auto"``, but for binarised images: see below."""

AUTO_IMAGE_LIKELIHOOD_LATENTS = 128
"""``likelihood_latents="auto"`` with the conv networks and the encoder proposal.

The conv networks decode each latent into full-resolution feature maps,
about twice the MLP's cost per latent on 28x28 binarised digits (the
likelihood term over 512 latents, forward and backward, 33 against 15.5 ms
on 2 CPU cores; docs/experiments.md). Binarised MNIST (4,000 digits, 81
epochs, 2 CPU cores, seeds 0 and 1), 128 against 512 latents: detection AUC 0.700 and 0.729
against 0.699 and 0.733, Wasserstein estimates 0.82 and 1.67 against 0.70
and 1.72, pixel-pair TV 0.021 and 0.030 against 0.019 and 0.030, held-out
log-likelihood -97.8 and -95.6 against -93.7 and -93.9 nats, in 229 and
216 against 309 and 318 s; an epoch 2.3-3.0 against 4.2-4.5 s, the MLP's
2.6-3.0 s over five runs (docs/benchmarks.md, "Images"). Images of more
categories (prior latents, shared by the batch) were not measured and keep 512.
"""

AUTO_LATENT_COMPONENTS = 32
"""``latent_components="auto"``: the mixture's components with prior latents.

Measured against the plain Gaussian (docs/experiments.md): the latent-class
set's truth log-likelihood gap of samples fell from 4.0 to 0.03 nats, the
detection AUC of adult, mushroom and digits by 0.04, 0.06 and 0.04; it rose
on splice (0.59 to 0.63), and digits' held-out log-likelihood fell by 7 nats.
On 16-colour images (conv networks) detection AUC 0.959 to 0.940 and the
Wasserstein estimate 15.2 to 8.4. With the encoder (kr-vs-kp, connect-4) it
lost: the encoder keeps a plain Gaussian.
"""


FEW_EFFECTIVE_ROWS = 0.1
"""``fit`` warns when the row weights' effective sample size is below this share of the rows.

UCI adult's census weights keep 76% (7,650 of 10,000 rows).
"""


def _seed_from(random_state):
    """A 63-bit seed from ``None``, a non-negative int or a ``RandomState``.

    ``None`` draws fresh entropy without touching numpy's global state.
    """
    if random_state is None:
        return int(np.random.default_rng().integers(2**63 - 1))
    if isinstance(random_state, numbers.Integral) and random_state >= 0:
        return int(random_state)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    raise ValueError(
        f"random_state={random_state!r} must be None, a non-negative int or a RandomState."
    )


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
    categories : "auto" or list of array-like, default="auto"
        The labels of each column (flattened sample position for n-d data):
        ``"auto"`` learns them from the data in ``fit``; a list gives each
        column's labels, as in :class:`~sklearn.preprocessing.OrdinalEncoder`
        (``None`` among them declares missing values). Declared labels that
        the data never shows are learned as rare; a label of the data that is
        not declared is an error. Required with ``dp_epsilon``: the set of
        labels present is itself a fact about the data.
    numeric_columns : "auto" or list, default="auto"
        Columns learned as numeric: through quantile bins, each sampled bin
        decoded to a value that follows the training values inside it.
        ``"auto"`` picks, in a table, the columns of numbers (never boolean or
        pandas categorical ones) that hold a non-integral value or more than
        50 distinct integers, and in an n-d array all positions when it holds
        a non-integral value; a list names them (names, indices or position
        tuples), ``[]`` learns every column as categories. With declared
        ``categories``, ``"auto"`` picks none.
    n_bins : int or dict, default=20
        Quantile bins per numeric column; a dict sets some columns' counts
        (``{"age": 40}``) and leaves the others at 20. A value that fills a
        whole quantile step gets a bin of its own. ``score`` gives a numeric
        value its bin's probability, so fits with other bins do not compare
        by it (fewer bins score higher): tune ``n_bins`` with a scorer of
        :mod:`skbgan.metrics`.
    divergence : {"gan", "jensen_shannon", "kl", "reverse_kl", \
"squared_hellinger", "pearson_chi2"}, default="gan"
        f-divergence whose critic loss and importance weight are used.
    samples_per_latent : int, default=16
        Rows drawn per latent in each generator update, over which the
        critic's importance weights are normalised.
    critic_steps : int, default=3
        Critic updates per generator update.
    likelihood_weight : float, default=0.3
        Weight of a Monte-Carlo maximum-likelihood term added to the BGAN
        generator loss; it keeps every mode of the data covered while the
        BGAN term sharpens the samples. 0 gives the pure BGAN.
    likelihood_latents : int or "auto", default="auto"
        Latents of the likelihood term's Monte-Carlo estimate per step: drawn
        from the prior and shared by the batch, or with the encoder proposal
        split among the batch's rows (512 / 64 = 8 draws per row). More give
        a tighter estimate, at more cost. ``"auto"``: 512, but 128 for
        binarised images (the conv networks with the encoder proposal),
        whose every latent decodes full-resolution feature maps (on
        binarised MNIST the same detection AUC in 30% less time, the
        held-out log-likelihood 2 to 4 nats lower).
    likelihood_proposal : {"auto", "prior", "encoder"}, default="auto"
        Where the likelihood term's latents come from. ``"prior"``: the
        Gaussian prior. ``"encoder"``: an encoder ``r(z | x)`` trained with
        the generator, the draws importance-weighted (IWAE); tighter where
        rows are nearly determined by their latent, and then also used by
        ``score_samples``. ``"auto"`` picks ``"encoder"`` for rows of at
        least 32 values with at most 3 categories each (binary images, board
        positions: it won on all four such benchmark sets, e.g. binarised
        MNIST's detection AUC 0.85 against 0.96), ``"prior"`` otherwise (it
        lost on all seven others) and under ``dp_epsilon``, which the encoder
        does not support. See "The model in plain words" in the user guide.
    batch_size : int, default=64
        Latents (and data rows) per training step, per process.
    epochs : int or "auto", default="auto"
        Passes over the training data (the most, with early stopping; more
        of them with ``warm_start``). ``"auto"`` runs 30, or as many as take
        2,000 steps if that is more, or 5,000 steps if that is fewer: small
        tables get more passes (no more than 40, and no fewer than 1,000
        steps, but at most 250 passes for those: tables under 256 rows),
        large ones a bounded time (5,000 steps take about a minute and a half
        on 2 CPU cores; a table whose one pass takes more, over 320,000 rows
        at 64 a batch, gets one epoch of 5,000 batches, a random part of a
        pass). The convolutional
        networks take at least 4,000 steps; with the encoder proposal, 60
        passes within 4,000 to 10,000 steps, at least 5,000 on the
        convolutional networks (binarised MNIST: 5,000 steps, about eight
        minutes on 2 CPU cores).
    architecture : {"auto", "mlp", "conv"}, default="auto"
        ``"mlp"``: dense networks over all columns. ``"conv"``, for samples
        of shape ``(H, W)`` or ``(H, W, C)`` (quantised images): a generator
        of transposed convolutions with one categorical distribution per
        pixel (and channel), and a critic of strided convolutions over
        per-pixel category embeddings. ``"auto"`` picks ``"conv"`` when
        samples are ``(H, W)`` or ``(H, W, C)`` with ``H, W >= 16``,
        ``C <= 4`` and at most 3 categories per value (binarised images,
        where it won), else ``"mlp"`` (which won on 16-colour images).
    latent_dim : int, default=64
        Dimension of the Gaussian latent.
    latent_components : int or "auto", default="auto"
        Components of the latent's discrete part: the Gaussian latent is
        shifted by one of this many learned means, picked with learned
        probabilities, so the generator can place distinct groups of rows
        (classes, species) apart instead of blending them on the seams. 0
        keeps a plain Gaussian. Needs the likelihood's latents from the prior
        (not the encoder) and no ``dp_epsilon``. ``"auto"`` uses 32 with
        latents from the prior, 0 otherwise (measured: the latent-class
        set's samples' truth log-likelihood gap 4.0 to 0.03 nats, adult's
        detection AUC 0.63 to 0.59, mushroom's 0.53 to 0.47; see "Groups of
        rows apart" in the user guide).
    autoregressive : bool, "sequence" or "auto", default="auto"
        Let each column's logits also read the columns before it (one learned
        matrix over pairs of categories, added to the logits given the
        latent) instead of drawing the columns independently given the
        latent. It keeps constraints over many columns that the latent keeps
        only loosely: on connect-4, whose boards hold as many pieces of each
        player, detection AUC 0.62 against 0.73 with the independent columns
        (sequential CART: 0.64; three seeds). Sampling takes one pass per
        column; the fit takes about as long with the encoder proposal on
        tables of tens of columns (5.5 times as long an epoch on 784 binary
        columns) and 1.4 to 2.9 times as long with prior latents;
        conditional sampling, ``impute`` and ``predict_proba`` of rows with
        gaps are estimated by sequential importance sampling, and
        ``predict_proba`` costs a pass per category of the target (a product
        over the columns for a row with no gap, a draw column by column
        otherwise). MLP only (not
        ``architecture="conv"``), at most 4,096 categories over all
        columns, and not with ``dp_epsilon``. ``"auto"``
        turns it on for tables (not images) of at least 32 columns of at
        most 3 categories (board positions, binary tables), where it won or
        tied, and for tables with numeric columns (on adult: detection AUC
        0.579 against 0.593, the efficacy gap of ``income`` 0.019 against
        0.023, at 1.45 to 1.9 times the fit time), and off elsewhere (mixed gains
        at 1.6 to 2.9 times the fit time), and beyond a matrix of
        1,024 ** 2 entries (1,024 categories over columns of fewer than 256;
        a column of more is a block of its own that leaves out the square of
        its labels), where a step's cost grows with the matrix (at 3,604
        categories 4.7 times the step without the head stored whole, 2.4
        times beside a column of 3,500 labels in blocks). ``"sequence"``, for strings (the
        columns are positions of a sequence): each column reads the 8
        columns before it through one matrix per lag, and the two just
        before it together through one table (as a character trigram does;
        alphabets of at most 128 categories), both shared along the row;
        every column gets the categories of all columns (declared ones must
        be equal; a DataFrame's categorical columns gain them in what
        ``sample`` returns), and there is no limit on their total; with
        ``autoregressive_units="auto"`` it also gets a hidden layer over those
        8 characters. On 32-character pieces of running text (three seeds) it
        took the held-out log-likelihood from -86.5 nats (defaults; -73.6
        with ``True``, seed 0) to -40.7, above TabularARGN's -75.7 and a
        character trigram's -59.0, and the share of real words from 5.4% to
        56.5% (sequential CART 38.9%, trigram 14.7%), at 4.6 times the fit
        (3.1 with ``samples_per_latent=8``, as good there). See "Constraints
        across many columns" and "Character strings" in the user guide.
    autoregressive_units : int or "auto", default="auto"
        Hidden units of a masked network (MADE; Germain et al., 2015) that
        the ``autoregressive=True`` head adds to its matrix: each column's
        logits also read a nonlinear function of the columns before it, so
        a column that is a rule over several others (a game's result given
        the board) can be learned, where the matrix adds what each earlier
        column says on its own. With ``autoregressive="sequence"``: one
        hidden layer over the 8 characters before each position, shared along
        the string as the head's matrices are (a small neural language
        model): with 256, over three seeds of 32-character running text,
        56.5% real words against 20.8% without it and sequential CART's 38.9%,
        held-out log-likelihood -40.7 nats against -55.5, at about 2.1 times
        the sequence head's epoch (see "Character strings" in the user guide).
        0 for none; unused by the factorised head and on a single column.
        ``"auto"``: 256 for the ``"sequence"`` head; for ``True``, 256 on
        tables of at least 32 and at most 64 columns of at most 3 categories
        and at least 2,000 training rows (game positions: kr-vs-kp's
        detection AUC 0.524 against 0.557 without it, sequential CART 0.534;
        connect-4's 0.572 against 0.593, CART 0.640; three seeds, at 1.2 to
        1.6 times the epoch, and ``epochs="auto"`` gives half the passes
        there), 0 elsewhere. With 256 and ``True`` on other tables, over
        three seeds: tic-tac-toe's detection AUC 0.521 against the defaults'
        0.575 (CART 0.558), UCI letter's 0.657 against 0.828 (CART 0.729;
        the matrix alone 0.682), at 1.1 to 1.4 times the matrix alone's
        epoch; it lost elsewhere (one seed: adult's AUC 0.581 against 0.564,
        tables of a few hundred rows and binarised digits a lower held-out
        log-likelihood). See "Rules across columns" in the user guide.
    dependence_lr_factor : "auto" or float, default="auto"
        Learning rate of the autoregressive head's matrix over pairs of
        categories, as a multiple of ``generator_lr`` (unused without the
        head). Slow, the latent learns what many columns share and the matrix
        what is left; faster, the matrix learns near-rules between two columns
        sooner (adult, three seeds: efficacy gap 0.019 at 0.1, 0.009 at 3,
        detection AUC 0.580 and 0.569) but can take over from the latent
        (binarised digits' and mushroom's detection AUC worse at 1 and 3) and
        learn the noise of a few hundred rows (two small numeric tables at 3:
        held-out log-likelihood 2 and 11 nats lower). ``"auto"``: 0.1 for the
        first half of the fit's steps, then 3, on tables of at least 2,000
        training rows (connect-4's detection AUC 0.02 to 0.03 lower and its
        held-out log-likelihood a nat higher than at 0.1 throughout; adult's
        efficacy gap 0.010 over three seeds against 0.019); 0.1 throughout
        on smaller ones, where the fast matrix learned the rows' noise. A
        number is the rate throughout. A warm start keeps its first fit's
        warm-up. Tune it with ``GridSearchCV`` and the criterion that
        matters, e.g. ``scoring=skbgan.metrics.neg_detection_auc_scorer``:
        on adult the held-out ``score`` did not rank the rates as the
        detection AUC did.
    generator_layers : tuple of int or "auto", default="auto"
        Hidden layer widths of the generator's MLP (unused by ``"conv"``).
        ``"auto"``: ``(512, 512)``, but ``(256, 256)`` on fewer than 1,000
        training rows, which on the benchmark's small tables gave samples as
        good (better on some measures, worse on others), a higher held-out
        log-likelihood and fewer copies of training rows, in a quarter to
        almost half less time on categorical ones. A warm start keeps its
        first fit's widths.
    critic_layers : tuple of int, default=(128, 128)
        Embedding width, then hidden layer widths, of the critic; with
        ``"conv"``, the widths of the dense layers after the convolutions.
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
        Latent draws of the Monte-Carlo estimates of ``score_samples`` and
        ``predict_proba``, and of each chunk's latent pool in ``impute``.
        More is more accurate (and slower); it can be changed after ``fit``.
    dp_epsilon : float or None, default=None
        Train with differential privacy at this ``epsilon`` (with
        ``dp_delta``): every update that reads data rows (the critic's
        real-data term, the likelihood term) draws a Poisson batch, clips each
        row's contribution to ``dp_max_grad_norm`` and adds Gaussian noise
        whose scale is set, before training, so that the whole fit spends
        ``dp_epsilon`` by the Rényi DP accountant. Needs ``categories``;
        validation, early stopping and ``distributed`` are unavailable. See
        "Privacy" in the user guide. None trains without privacy guarantee.
    dp_delta : float or None, default=None
        The ``delta`` of the guarantee; None uses ``1 / n_samples**2``. Set
        without ``dp_epsilon``, ``fit`` raises a ``ValueError``.
    dp_max_grad_norm : float, default=1.0
        Bound on each row's contribution to a private update (Euclidean
        norm of its gradient).
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
        data whose labels were all seen by the first fit (numeric columns
        keep its bins; values outside them warn).
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
    device : str or torch.device, default="auto"
        ``"auto"`` (CUDA when available), ``"cpu"``, ``"cuda"`` or ``"cuda:N"``
        (or the ``torch.device`` of one).
    precision : {"auto", "float32", "bfloat16"}, default="auto"
        Arithmetic of the generator's layers in ``sample`` and ``impute``.
        ``"bfloat16"`` computes them in bfloat16 and turns their outputs back
        to float32 before the softmax and the draws (about twice the rows per
        second on CPUs with AMX); the samples follow the same distribution up
        to rounding far below sampling noise (see "Speed" in the user guide).
        ``"auto"`` uses bfloat16 where the device computes it natively (CPUs
        with AMX or AVX512-BF16, CUDA GPUs of compute capability 8 or more),
        float32 elsewhere. ``"float32"`` gives the same samples for a
        ``random_state`` whether or not a machine has bfloat16 (up to the
        last-bit rounding of other vector instructions). Training,
        ``score_samples`` and ``predict_proba`` are always float32; it can be
        changed after ``fit``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation and every draw of ``fit``; the same value
        gives the same model on CPU, with the same number of torch threads on
        the same kind of processor.
    verbose : int, default=0
        0 is silent; 1 shows a progress bar with the current losses; 2 prints
        one line per epoch with every entry of ``history_``.

    Attributes
    ----------
    categories_ : list of ndarray
        Sorted labels of each column (flattened sample position for n-d
        data); a numeric column's categories are its bins ``0 .. n - 1``.
    bin_edges_ : dict
        Each numeric column (name, or flat index) mapped to its bin edges: the
        smallest training value of each bin, then the largest value.
    n_features_in_ : int
        Number of columns (values per sample).
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame with string column names.
    sample_shape_ : tuple of int
        Shape of one sample: ``(n_features_in_,)`` or e.g. ``(8, 8)``.
    architecture_ : {"mlp", "conv"}
        The networks ``fit`` built.
    likelihood_proposal_ : {"prior", "encoder"}
        The proposal of the likelihood's latents that ``fit`` used.
    latent_components_ : int
        Components of the latent's discrete part that ``fit`` used (0: none).
    likelihood_latents_ : int
        Latents of the likelihood term per step that ``fit`` used.
    autoregressive_ : bool or "sequence"
        Whether ``fit`` built the autoregressive head, and ``"sequence"`` for
        the head shared along the row.
    autoregressive_units_ : int
        Hidden units of the autoregressive head's network (the masked network
        of ``True``, the hidden layer of ``"sequence"``) that ``fit`` built
        (0: none).
    generator_layers_ : tuple of int
        Hidden layer widths of the generator's MLP that ``fit`` built (with
        ``"conv"``, the widths it resolved, which the convolutional generator
        does not use).
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
        Seed of the latents of ``score_samples`` and ``predict_proba``, fixed at ``fit``.
    device_ : torch.device
        Device the networks live on.
    epsilon_ : float
        Privacy spent by training at ``delta_`` (``inf`` without ``dp_epsilon``);
        also recorded per epoch in ``history_``.
    delta_ : float or None
        The ``delta`` of ``epsilon_``; None without ``dp_epsilon``.
    noise_multiplier_ : float or None
        Noise standard deviation over ``dp_max_grad_norm`` of the private
        updates; None without ``dp_epsilon``.

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
    >>> est.predict_proba(X[:2], target=0).shape  # column 0's 8 labels given the rest
    (2, 8)
    >>> gaps = X[:2].astype(float)
    >>> gaps[:, 1] = np.nan
    >>> bool(np.isnan(est.impute(gaps, random_state=0)).any())
    False
    """

    # ``target`` chooses what to predict; it is not per-sample metadata to route.
    __metadata_request__predict = {"target": metadata_routing.UNUSED}
    __metadata_request__predict_proba = {"target": metadata_routing.UNUSED}

    _parameter_constraints = {
        "categories": [StrOptions({"auto"}), list],
        "numeric_columns": [StrOptions({"auto"}), list],
        "n_bins": [Interval(numbers.Integral, 2, None, closed="left"), dict],
        "divergence": [StrOptions(set(DIVERGENCES))],
        "samples_per_latent": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "architecture": [StrOptions({"auto", "mlp", "conv"})],
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "latent_components": [Interval(numbers.Integral, 0, None, closed="left"),
                              StrOptions({"auto"})],
        "autoregressive": ["boolean", StrOptions({"auto", "sequence"})],
        "autoregressive_units": [Interval(numbers.Integral, 0, None, closed="left"),
                                 StrOptions({"auto"})],
        "dependence_lr_factor": [Interval(numbers.Real, 0, None, closed="neither"),
                                 StrOptions({"auto"})],
        "generator_layers": [tuple, list, StrOptions({"auto"})],
        "critic_layers": [tuple, list],
        "generator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "critic_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "critic_lipschitz": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "critic_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "likelihood_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "likelihood_latents": [Interval(numbers.Integral, 1, None, closed="left"),
                               StrOptions({"auto"})],
        "likelihood_proposal": [StrOptions({"auto", "prior", "encoder"})],
        "ema_decay": [Interval(numbers.Real, 0, 1, closed="left")],
        "score_latents": [Interval(numbers.Integral, 1, None, closed="left")],
        "dp_epsilon": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "dp_delta": [Interval(numbers.Real, 0, 1, closed="neither"), None],
        "dp_max_grad_norm": [Interval(numbers.Real, 0, None, closed="neither")],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither"), None],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "checkpoint_path": [str, os.PathLike, None],
        "checkpoint_interval": [Interval(numbers.Real, 0, None, closed="left")],
        "distributed": ["boolean"],
        "device": [str, torch.device],
        "precision": [StrOptions(set(PRECISIONS))],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        categories="auto",
        numeric_columns="auto",
        n_bins=N_BINS,
        divergence="gan",
        samples_per_latent=16,
        critic_steps=3,
        likelihood_weight=0.3,
        likelihood_latents="auto",
        likelihood_proposal="auto",
        batch_size=64,
        epochs="auto",
        architecture="auto",
        latent_dim=64,
        latent_components="auto",
        autoregressive="auto",
        autoregressive_units="auto",
        dependence_lr_factor="auto",
        generator_layers="auto",
        critic_layers=(128, 128),
        generator_lr=1e-3,
        critic_lr=2e-4,
        critic_lipschitz=5.0,
        ema_decay=0.999,
        score_latents=1024,
        dp_epsilon=None,
        dp_delta=None,
        dp_max_grad_norm=1.0,
        validation_fraction=None,
        n_iter_no_change=None,
        tol=1e-3,
        warm_start=False,
        checkpoint_path=None,
        checkpoint_interval=60.0,
        distributed=False,
        device="auto",
        precision="auto",
        random_state=None,
        verbose=0,
    ):
        self.categories = categories
        self.numeric_columns = numeric_columns
        self.n_bins = n_bins
        self.divergence = divergence
        self.samples_per_latent = samples_per_latent
        self.critic_steps = critic_steps
        self.likelihood_weight = likelihood_weight
        self.likelihood_latents = likelihood_latents
        self.likelihood_proposal = likelihood_proposal
        self.batch_size = batch_size
        self.epochs = epochs
        self.architecture = architecture
        self.latent_dim = latent_dim
        self.latent_components = latent_components
        self.autoregressive = autoregressive
        self.autoregressive_units = autoregressive_units
        self.dependence_lr_factor = dependence_lr_factor
        self.generator_layers = generator_layers
        self.critic_layers = critic_layers
        self.generator_lr = generator_lr
        self.critic_lr = critic_lr
        self.critic_lipschitz = critic_lipschitz
        self.ema_decay = ema_decay
        self.score_latents = score_latents
        self.dp_epsilon = dp_epsilon
        self.dp_delta = dp_delta
        self.dp_max_grad_norm = dp_max_grad_norm
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.warm_start = warm_start
        self.checkpoint_path = checkpoint_path
        self.checkpoint_interval = checkpoint_interval
        self.distributed = distributed
        self.device = device
        self.precision = precision
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
        A polars DataFrame is read as the pandas one of :func:`from_polars`
        (``fit`` keeps its column types, for ``sample`` to return one).
        """
        if reset:
            self._polars_types = polars_types(X)
        X = from_polars(X)
        check_not_series(X)
        is_frame = hasattr(X, "iloc")
        shape = None
        check_not_masked(X, "X")
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
        if is_frame:
            check_column_names(X)
            check_no_datetimes(X)
        check_not_complex(X)
        if reset:
            self._frame_dtypes = dict(X.dtypes) if is_frame else None
        X = validate_data(self, frame_for_validation(X), reset=reset, dtype=None,
                          ensure_all_finite=False)
        if reset:
            self.sample_shape_ = shape if shape is not None else (X.shape[1],)
        names = getattr(self, "feature_names_in_", None) if is_frame else None
        if reset:
            spec = self.numeric_columns if isinstance(self.categories, str) else []
            self._numeric = numeric_columns(X, spec, self.sample_shape_, names,
                                            self._frame_dtypes)
        declared = [j for j, dtype in enumerate((self._frame_dtypes or {}).values())
                    if str(dtype) == "category"] if is_frame else []
        check_labels(X, self.sample_shape_, names, allow_missing=is_frame,
                     numeric=self._numeric if reset else list(self._codec.numeric),
                     declared=declared, fitting=reset)
        if not reset:
            self._codec.check_compatible(X, names)
        return X

    # -------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Learn the categories of each column and train the BGAN.

        Ctrl-C (``KeyboardInterrupt``) stops training cleanly: the model
        trained so far is kept and usable, a warning says so, and with
        ``checkpoint_path`` the next ``fit`` resumes it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, d1, d2, ...)
            Integer, boolean, integral-float or string labels, or a DataFrame
            with int, bool, string/object or category columns (any categories,
            fractions included), whose missing values (NaN, None, pd.NA) are
            learned as a category of their own; a polars DataFrame is read as
            the pandas one of the same names and types. A pandas Series is not
            a table: pass ``series.to_frame()``.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weight of each row (survey or design weights): the
            model learns the weighted distribution, as if each row occurred
            in proportion to its weight. Training batches draw rows by
            weight, numeric bins are weighted quantiles, and the validation
            scores are weighted means; a row of weight 0 is left out
            entirely. Not available with ``dp_epsilon``. None weighs every
            row the same.

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
        device = resolve_device(self.device)
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
        if warm and self.dp_epsilon is not None and self._trainer.config.privacy is None:
            raise ValueError(
                "warm_start=True cannot make a model trained without differential privacy "
                "private: its first fit read the data without noise. Fit anew."
            )
        X = self._check_X(X, reset=not warm)
        X, weights = self._weighted_rows(X, sample_weight)
        if warm:
            codec, seed = self._codec, self._trainer.seed
            codes = self._encode_seen(X)
        else:
            if isinstance(self.categories, str):
                counts = bin_counts(self.n_bins, self._numeric, self.sample_shape_,
                                    getattr(self, "feature_names_in_", None))
                codec = CategoricalCodec().fit(X, self.sample_shape_,
                                               fit_bins(X, counts, weights))
                if self.autoregressive == "sequence" and not codec.numeric:
                    with contextlib.suppress(TypeError):  # unsortable: _check_sequence says so
                        codec = codec.shared()
            else:
                codec = CategoricalCodec.declared(self.categories, X, self.sample_shape_,
                                                  getattr(self, "feature_names_in_", None))
            if self._frame_dtypes is not None:  # every label the model may draw
                self._frame_dtypes = widened_categoricals(self._frame_dtypes, codec)
            self._warn_identifier_like(codec, X.shape[0])
            seed = world.share(_seed_from(self.random_state))
            codes = codec.encode(X)
        train, train_weights, validation = split(
            codes, self.validation_fraction, codec.cardinalities, seed, device, weights)
        image_shape = self._image_shape(codec.cardinalities)
        autoregressive = self._autoregressive(codec, image_shape)
        units = (self._trainer.generator.config.get("context_units", 0)
                 if warm and self.autoregressive_units == "auto"
                 else context_units(self.autoregressive_units, autoregressive,
                                    codec.cardinalities, len(train)))
        layers = (tuple(self._trainer.generator.config["hidden_layer_sizes"])
                  if warm and self.generator_layers == "auto"
                  else generator_layers(self.generator_layers, len(train)))
        proposal = self._proposal(codec.cardinalities)
        architecture = "mlp" if image_shape is None else "conv"
        schedule = schedule_for(proposal, architecture,
                                masked_network=autoregressive is True and units > 0)
        global_batch = self.batch_size * world.size
        plan = epoch_plan(self.epochs, len(train), global_batch, schedule)
        divergence = DIVERGENCES[self.divergence]
        factor, warmup = dependence_schedule(self.dependence_lr_factor, len(train),
                                             plan.total_steps)
        if warm:  # the warm-up is the first fit's
            warmup = self._trainer.config.dependence_warmup_steps
        latents = self._likelihood_latents(architecture, proposal)
        config = self._training_config(len(train), plan, (factor, warmup), latents,
                                       spent=self._trainer.rdp if warm else 0.0)
        components = self._components(proposal)
        if warm:
            self._check_same_networks(image_shape, proposal, components, autoregressive, units,
                                      layers)
            trainer = self._trainer.continued(divergence, config, world, device)
            history = list(self.history_)
        else:
            with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
                torch.manual_seed(seed)
                generator = Generator(codec.cardinalities, self.latent_dim, layers,
                                      image_shape, encoder=proposal == "encoder",
                                      latent_components=components,
                                      autoregressive=autoregressive,
                                      sequence_pairs=sequence_pairs(codec.cardinalities),
                                      context_units=units)
                critic = Critic(codec.cardinalities, self.critic_layers, self.critic_lipschitz,
                                image_shape)
            trainer = BGANTrainer(generator.to(device), critic.to(device), divergence, config,
                                  seed, world)
            history = []
        run = FitRun(
            n_epochs=plan.count,
            n_iter_no_change=self.n_iter_no_change,
            tol=self.tol,
            checkpoint_path=self.checkpoint_path,
            checkpoint_interval=self.checkpoint_interval,
            identity=(None if self.checkpoint_path is None
                      else _checkpoint.identity(self.get_params(), codes, world.size,
                                                weights)),
            verbose=self.verbose,
        )
        try:
            trainer, best = run.run(trainer, train, validation, history, train_weights)
        except FloatingPointError:
            self._forget_fit()
            raise
        self._codec = codec
        self._trainer = trainer
        self.categories_ = codec.categories
        self.architecture_ = architecture
        self.likelihood_proposal_ = proposal
        self.latent_components_ = components
        self.likelihood_latents_ = latents
        self.autoregressive_ = autoregressive
        self.autoregressive_units_ = trainer.generator.config.get("context_units", 0)
        self.generator_layers_ = layers
        self.bin_edges_ = self._bin_edges()
        self.n_samples_fit_ = X.shape[0]
        self.device_ = device
        self.history_ = history
        self.n_iter_ = trainer.epoch
        self.critic_ = trainer.critic.eval()
        self.generator_ = trainer.average.eval()
        self.__dict__.pop("_lowered_generator", None)  # warm start updates generator_ in place
        self.best_epoch_ = trainer.epoch
        if best is not None:
            self.best_epoch_, state = best
            self.generator_ = copy.deepcopy(trainer.average)
            self.generator_.load_state_dict(state)
        self.score_seed_ = seed + 1
        privacy = trainer.config.privacy
        self.epsilon_ = trainer.epsilon
        self.delta_ = None if privacy is None else privacy.delta
        self.noise_multiplier_ = None if privacy is None else privacy.noise_multiplier
        return self

    def _weighted_rows(self, X, sample_weight):
        """The rows of ``X`` of positive weight, and their float64 weights relative to the
        largest; raise if unusable.

        The weights are None when there are none, or when all are equal: a
        fit with equal weights is the unweighted fit, bit for bit.
        """
        if sample_weight is None:
            return X, None
        if self.dp_epsilon is not None:
            raise ValueError(
                "sample_weight cannot be used with dp_epsilon: the privacy guarantee counts "
                "every row once. Fit without weights, or without differential privacy."
            )
        weights = check_sample_weight(sample_weight, X.shape[0])
        positive = weights > 0
        # relative to the largest: only the ratios count, and sums cannot overflow
        X, weights = X[positive], weights[positive] / weights.max()
        effective = weights.sum() ** 2 / (weights**2).sum()  # Kish's effective sample size
        if effective < FEW_EFFECTIVE_ROWS * len(weights):
            warnings.warn(
                f"sample_weight gives {len(weights)} rows the weight of about {effective:.0f} "
                "equally weighted ones (Kish's effective sample size): a few heavy rows fill "
                "most batches, and the model may copy them. Trim or smooth the extreme "
                "weights if that is not intended.",
                UserWarning,
                stacklevel=4,  # the caller of fit, past sklearn's fit wrapper
            )
        return X, unequal_weights(weights)

    def _check_settings(self):
        """Checks of parameter values that the constraints alone cannot express."""
        for name, constraints in self._parameter_constraints.items():
            # a bool is an Integral to Python and to scikit-learn's constraints
            if isinstance(getattr(self, name), bool) and any(
                    isinstance(c, Interval) and c.type is numbers.Integral for c in constraints):
                raise TypeError(f"{name}={getattr(self, name)!r} must be an integer, not a "
                                "boolean.")
        for name in ("generator_layers", "critic_layers"):
            layers = getattr(self, name)
            if isinstance(layers, str):  # "auto", checked by the constraints
                continue
            if len(layers) == 0 or not all(is_integer(w) and w >= 1 for w in layers):
                raise ValueError(
                    f"{name}={layers!r} must be a non-empty tuple of positive integers."
                )
        if self.checkpoint_path is not None:
            problem = _persistence.unwritable(self.checkpoint_path)
            if problem is not None:
                raise ValueError(
                    f"checkpoint_path={os.fspath(self.checkpoint_path)!r}: {problem[1]}.")
        if self.n_iter_no_change is not None and self.validation_fraction is None:
            raise ValueError(
                f"n_iter_no_change={self.n_iter_no_change} needs rows to validate on: "
                "set validation_fraction (e.g. 0.1)."
            )
        if self.numeric_columns not in ("auto", []) and not isinstance(self.categories, str):
            raise ValueError(
                f"numeric_columns={self.numeric_columns!r} needs categories='auto': numeric "
                "bins are learned from the data. With declared categories, bin the values "
                "yourself and declare the bins."
            )
        if self.dp_epsilon is None:
            if self.dp_delta is not None:  # the user meant privacy and would get none
                raise ValueError(f"dp_delta={self.dp_delta!r} needs dp_epsilon: without it "
                                 "training has no privacy guarantee.")
            return
        if isinstance(self.categories, str):
            raise ValueError(
                "dp_epsilon needs categories=[labels of column 0, labels of column 1, ...]: "
                "which labels occur is itself private, so they must come from you (e.g. "
                "from a codebook or the data's documentation), not from the data."
            )
        unsupported = {"validation_fraction": "validation reads held-out rows outside the "
                                              "privacy budget.",
                       "distributed": "private training runs in one process.",
                       "likelihood_proposal": "the encoder's gradients are not privatised; use "
                                              "'prior' (or 'auto').",
                       "latent_components": "the mixture weights' gradients are not "
                                            "privatised; use 0 (or 'auto').",
                       "autoregressive": "the private likelihood gradients assume columns "
                                         "independent given the latent; use False (or 'auto')."}
        for name, reason in unsupported.items():
            if getattr(self, name) not in (None, False, "auto", "prior"):  # the values that are off
                raise ValueError(
                    f"{name}={getattr(self, name)!r} is not available with dp_epsilon: {reason}"
                )

    def _warn_identifier_like(self, codec, n_samples):
        names = getattr(self, "feature_names_in_", None)
        for j in identifier_like(codec.cardinalities, n_samples):
            warnings.warn(
                f"{column_name(j, self.sample_shape_, names).capitalize()} has "
                f"{codec.cardinalities[j]} distinct labels in {n_samples} rows: it looks like "
                "an identifier or a measurement, whose values a categorical model can only "
                "copy. Drop it, or list it in numeric_columns to learn it through bins. "
                "Fit time and memory grow with the number of categories.",
                UserWarning,
                stacklevel=4,  # the caller of fit, past sklearn's fit wrapper
            )

    def _training_config(self, n_rows, plan, dependence, likelihood_latents, spent):
        """Training settings; with ``dp_epsilon``, noise calibrated to spend it in these epochs.

        ``plan`` is the fit's :class:`~skbgan._epochs.EpochPlan`; ``dependence`` is the
        matrix's rate and warm-up steps (see :func:`dependence_schedule`);
        ``likelihood_latents`` is resolved; ``spent`` is the RDP curve of the fit that a
        warm start continues.
        """
        privacy = None
        if self.dp_epsilon is not None:
            rate = min(self.batch_size, n_rows) / n_rows
            delta = self.dp_delta if self.dp_delta is not None else 1.0 / n_rows**2
            updates = plan.total_steps * updates_per_step(self.critic_steps,
                                                          self.likelihood_weight)
            privacy = PrivacyConfig(
                noise_multiplier=noise_multiplier(self.dp_epsilon, delta, rate, updates, spent),
                max_grad_norm=self.dp_max_grad_norm,
                rate=rate,
                delta=delta,
            )
        return TrainingConfig(
            batch_size=self.batch_size,
            samples_per_latent=self.samples_per_latent,
            critic_steps=self.critic_steps,
            likelihood_weight=self.likelihood_weight,
            likelihood_latents=likelihood_latents,
            generator_lr=self.generator_lr,
            critic_lr=self.critic_lr,
            ema_decay=self.ema_decay,
            dependence_lr_factor=dependence[0],
            epoch_steps=plan.steps,
            dependence_warmup_steps=dependence[1],
            privacy=privacy,
        )

    def _encode_seen(self, X):
        """Codes of ``X`` for a warm start, whose labels must all be known."""
        codes = self._codec.encode(X)
        unseen = first_unseen(codes, X)
        if unseen is not None:
            j, label = unseen
            raise ValueError(
                f"warm_start=True but {self._column_name(j)} holds {label!r}, a label the "
                "first fit never saw; a warm start keeps the categories of the first fit. "
                "Fit anew (warm_start=False) to learn new categories."
            )
        for j, column in self._codec.numeric.items():
            values, (low, high) = numbers_of(X[:, j]), column.edges[[0, -1]]
            outside = int(((values < low) | (values > high)).sum())
            if outside:
                warnings.warn(
                    f"warm_start=True but {outside} of {len(values)} values of "
                    f"{self._column_name(j)} lie outside the range the first fit binned "
                    f"([{low:g}, {high:g}]); they are learned as its first or last bin, and "
                    "samples stay inside that range. Fit anew (warm_start=False) to bin the "
                    "column again.", UserWarning, stacklevel=4)  # the caller of fit
        return codes

    def _image_shape(self, cardinalities):
        """The image shape the conv networks are built for, or None for the MLPs."""
        shape = self.sample_shape_
        if self.architecture == "conv" and len(shape) not in (2, 3):
            raise ValueError(
                f"architecture='conv' needs samples of shape (H, W) or (H, W, C); X has "
                f"samples of shape {shape}. Use architecture='mlp' or 'auto'."
            )
        if self.architecture == "conv" or (self.architecture == "auto"
                                           and is_image(shape, cardinalities)):
            return shape
        return None

    def _autoregressive(self, codec, image_shape):
        """``autoregressive`` resolved: see :data:`ENCODER_MAX_CATEGORIES`; raise if it cannot be built.

        ``"auto"`` turns it on for tables (rows, not images) of the encoder's
        kind, at least 32 columns of at most 3 categories, and for tables with
        numeric columns, of at most :data:`MAX_CATEGORIES` categories in all
        and a matrix of at most :data:`AUTO_MAX_DEPENDENCE_ENTRIES` entries,
        without ``dp_epsilon``.
        """
        cardinalities, has_numeric = codec.cardinalities, bool(codec.numeric)
        total = int(np.sum(cardinalities))
        if self.autoregressive == "auto":
            table = len(self.sample_shape_) == 1  # rows, not images
            affordable = (total <= MAX_CATEGORIES and dependence_entries(cardinalities)
                          <= AUTO_MAX_DEPENDENCE_ENTRIES)
            return (table and self.dp_epsilon is None and affordable
                    and (_few_categories(cardinalities) or has_numeric))
        if not self.autoregressive:
            return False
        if image_shape is not None:
            raise ValueError(
                f"autoregressive={self.autoregressive!r} needs the MLP generator, but "
                "architecture resolved to 'conv' (image-shaped samples pick it under 'auto'). "
                "Set architecture='mlp'."
            )
        if self.autoregressive == "sequence":
            self._check_sequence(codec)
            return "sequence"
        if total > MAX_CATEGORIES:
            raise ValueError(
                f"autoregressive=True corrects every category's logit by the columns before "
                f"it, and X has {total} categories over all columns (at most "
                f"{MAX_CATEGORIES}). Use autoregressive=False, or fewer bins or categories."
            )
        return True

    def _check_sequence(self, codec):
        """Raise unless every column is categorical with the first one's categories."""
        if codec.numeric:
            j = min(codec.numeric)
            raise ValueError(
                f"autoregressive='sequence' shares one dependence along the row, so every "
                f"column needs the same categories, but {self._column_name(j)} is numeric "
                "(learned as bins). Pass numeric_columns=[] to learn every column as "
                "categories (an alphabet of many symbols), or use autoregressive=True."
            )
        first = list(codec.categories[0])
        for j, categories in enumerate(codec.categories):
            if list(categories) != first:
                raise ValueError(
                    f"autoregressive='sequence' shares one dependence along the row, so every "
                    f"column needs the same categories, but {self._column_name(j)} has "
                    f"{reprlib.repr(np.asarray(categories).tolist())} where "
                    f"{self._column_name(0)} has {reprlib.repr(np.asarray(first).tolist())}. "
                    "Declare them with categories=[alphabet] * n_columns, or use "
                    "autoregressive=True."
                )
        if len(first) > MAX_CATEGORIES:
            raise ValueError(
                f"autoregressive='sequence' learns a matrix over every pair of a column's "
                f"categories, and the columns have {len(first)} (at most "
                f"{MAX_CATEGORIES})."
            )

    def _proposal(self, cardinalities):
        """``likelihood_proposal`` resolved: see :data:`ENCODER_MAX_CATEGORIES`."""
        if self.likelihood_proposal != "auto":
            return self.likelihood_proposal
        return ("encoder" if _few_categories(cardinalities) and self.dp_epsilon is None
                else "prior")

    def _likelihood_latents(self, architecture, proposal):
        """``likelihood_latents`` resolved: see :data:`AUTO_IMAGE_LIKELIHOOD_LATENTS`."""
        if self.likelihood_latents != "auto":
            return self.likelihood_latents
        if architecture == "conv" and proposal == "encoder":
            return AUTO_IMAGE_LIKELIHOOD_LATENTS
        return AUTO_LIKELIHOOD_LATENTS

    def _components(self, proposal):
        """``latent_components`` resolved: 32 with prior latents, else 0."""
        if self.latent_components == "auto":
            prior = proposal == "prior" and self.dp_epsilon is None
            return AUTO_LATENT_COMPONENTS if prior else 0
        if self.latent_components and proposal == "encoder":
            raise ValueError(
                f"latent_components={self.latent_components} needs the likelihood's latents "
                "from the prior, but likelihood_proposal resolved to 'encoder' (binary-like "
                "rows pick it under 'auto'). Set likelihood_proposal='prior', or "
                "latent_components=0."
            )
        return self.latent_components

    def _check_same_networks(self, image_shape, proposal, components, autoregressive, units,
                             layers):
        """A warm start keeps the networks: raise if their parameters changed."""
        generator, critic = self._trainer.generator.config, self._trainer.critic.config
        first = {"architecture": "conv" if generator.get("image_shape") else "mlp",
                 "likelihood_proposal": "encoder" if generator.get("encoder") else "prior",
                 "latent_components": generator.get("latent_components", 0),
                 "autoregressive": generator.get("autoregressive", False),
                 "autoregressive_units": generator.get("context_units", 0),
                 "latent_dim": generator["latent_dim"],
                 "generator_layers": tuple(generator["hidden_layer_sizes"]),
                 "critic_layers": tuple(critic["hidden_layer_sizes"]),
                 "critic_lipschitz": critic["lipschitz"]}
        now = {"architecture": "mlp" if image_shape is None else "conv",
               "likelihood_proposal": proposal,
               "latent_components": components,
               "autoregressive": autoregressive,
               "autoregressive_units": units,
               "latent_dim": self.latent_dim,
               "generator_layers": layers,
               "critic_layers": tuple(self.critic_layers),
               "critic_lipschitz": self.critic_lipschitz}
        changed = [name for name in first if first[name] != now[name]]
        if changed:
            raise ValueError(
                f"warm_start=True keeps the networks of the first fit; {changed} changed "
                "since. Fit anew (warm_start=False) to change the networks."
            )

    def _forget_fit(self):
        """Leave the estimator unfitted (after training diverged)."""
        for name in [n for n in vars(self) if n.endswith("_") and not n.startswith("__")]:
            delattr(self, name)
        for name in ("_trainer", "_codec", "_lowered_generator"):
            self.__dict__.pop(name, None)

    def _column_name(self, j):
        return column_name(j, self.sample_shape_, getattr(self, "feature_names_in_", None))

    def _bin_edges(self):
        """Each numeric column, as users name it (name, index or position), to its bin edges."""
        names = getattr(self, "feature_names_in_", None)

        def key(j):
            if names is not None:
                return str(names[j])
            if len(self.sample_shape_) > 1:
                return tuple(int(i) for i in np.unravel_index(j, self.sample_shape_))
            return j
        return {key(j): column.edges for j, column in self._codec.numeric.items()}

    def _with_conditioned_values(self, out, columns, values):
        """``out`` with each conditioned numeric cell set to the value asked for, not its bin's draw.

        ``columns`` are the flat indices that :func:`resolve_conditions` found
        for the condition ``values``, in the same order.
        """
        for j, value in zip(columns.tolist(), values):
            if j not in self._codec.numeric:
                continue
            if hasattr(out, "iloc"):
                column = out.columns[j]
                out[column] = as_column(np.full(len(out), value, dtype=object), out[column].dtype)
            else:
                out.reshape(len(out), -1)[:, j] = value
        return out

    # ----------------------------------------------------------------- sample
    def sample(self, n_samples=1, random_state=None, conditions=None, distribution=None,
               temperature=1.0, candidates=1):
        """Generate new samples in the labels, dtype and shape seen in ``fit``.

        Parameters
        ----------
        n_samples : int, default=1
            Number of samples to generate.
        random_state : int, RandomState instance or None, default=None
            Seed of this call's draws; global random states are not touched.
        conditions : dict, pandas Series or None, default=None
            Labels to fix, keyed by column name (DataFrames), flat column
            index, or position tuple (n-d samples), e.g. ``{"colour": "red"}``
            or a row's columns, ``df.iloc[0][["colour", "size"]]``.
            Every sample then satisfies them and the other columns follow the
            model's conditional distribution: latents are drawn from the prior
            (``4 * n_samples`` per chunk), resampled in proportion to the
            probability the generator gives the fixed labels, and the free
            columns drawn from the resampled latents. A label the model finds
            rare leaves few distinct latents in the pool, and a warning says so.
            A numeric column's condition fixes the bin that holds the value
            (the end bin for a value beyond the training range), and the
            samples carry the value itself.
        distribution : dict or None, default=None
            Rebalancing: one column mapped to the probabilities of its labels,
            e.g. ``{"sex": {"F": 0.5, "M": 0.5}}`` (labels left out get zero;
            a Series such as ``value_counts(normalize=True)`` works too).
            Each sample's label of that column is drawn from it, and the other
            columns from the model's conditional given that label (and
            ``conditions``), so the column follows the requested marginal and
            the rest stays realistic for each label.
        temperature : float, default=1.0
            Divides each column's logits given the latent before drawing:
            below 1 draws sharper, more typical rows, above 1 flatter, more
            varied ones. 1 samples the model itself, bit for bit.
        candidates : int, default=1
            Critic-guided resampling: draw this many rows from the generator
            per sample and keep one with probability proportional to the
            critic's importance weight ``w(x)``, its estimate of
            ``p(x) / q(x)``. As it grows the samples follow ``w q``, the
            BGAN's critic-corrected estimate of the data distribution,
            rather than the generator ``q`` that ``score_samples`` scores
            (see the user guide, "Critic-guided resampling"); sampling
            costs about ``candidates`` times as much. 1 samples the
            generator itself, bit for bit.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features) or (n_samples, d1, d2, ...), \
or DataFrame
            A DataFrame with the fitted column names and dtypes when ``fit``
            was given one (a polars DataFrame of the fitted schema for polars).

        Raises
        ------
        ValueError
            If ``n_samples`` or ``candidates`` is not a positive integer,
            ``temperature`` not a positive number, a condition or
            distribution names an unknown column or a label never seen in
            ``fit``, a numeric column's condition is a value its dtype cannot
            hold (30.5 in a column of integers), or a distribution's
            probabilities do not sum to one.
        TypeError
            If ``conditions`` or ``distribution`` is not a mapping (a
            DataFrame of per-row values is :meth:`impute`'s input), or a
            condition's value is not one label.
        """
        check_is_fitted(self)
        for name, count in (("n_samples", n_samples), ("candidates", candidates)):
            if not is_integer(count) or count < 1:
                raise ValueError(f"{name}={count!r} must be a positive integer.")
        is_number = isinstance(temperature, numbers.Real) and not isinstance(temperature, bool)
        if not is_number or not 0 < temperature < np.inf:
            raise ValueError(f"temperature={temperature!r} must be a positive number.")
        names = getattr(self, "feature_names_in_", None)
        conditions = as_mapping(conditions)
        fixed = (None if conditions is None
                 else resolve_conditions(conditions, self._codec, names, self._column_dtypes()))
        if distribution is not None:
            distribution = resolve_distribution(distribution, self._codec, names, fixed)
        seed = _seed_from(random_state)
        rng = torch.Generator(device=self.device_).manual_seed(seed)
        resampler = None if candidates == 1 else CriticResampler(
            self.critic_, DIVERGENCES[self.divergence], int(candidates))
        with torch.inference_mode():
            codes = _conditioning.draw_codes(self._drawing_generator(), n_samples, rng,
                                             temperature, fixed, distribution,
                                             self._codec.code_dtype, resampler)
        out = self._codec.decode(codes, np.random.default_rng(seed))
        if fixed is not None and self._codec.numeric:
            out = self._with_conditioned_values(out, fixed[0], conditions.values())
        return self._as_fitted_kind(out)

    def _column_dtypes(self):
        """The dtype of each column of a DataFrame ``fit`` was given, or None for an array."""
        return None if self._frame_dtypes is None else list(self._frame_dtypes.values())

    def _as_fitted_kind(self, out):
        """Labels ``(n, *sample_shape_)`` as ``fit`` was given them: an array, or a DataFrame
        of the same columns and dtypes (a polars one for polars)."""
        if self._frame_dtypes is None:
            return out
        frame = to_frame(out, self._frame_dtypes)
        schema = self._polars_schema()
        return frame if schema is None else to_polars(frame, schema)

    def _polars_schema(self):
        """The schema of a polars DataFrame ``fit`` was given, or None."""
        types = getattr(self, "_polars_types", None)  # absent from models pickled before
        return None if types is None else polars_schema(types, self._frame_dtypes)

    def _drawing_generator(self):
        """The generator that draws, in the arithmetic ``precision`` asks for on this device.

        A lowered copy is made once per fitted generator and dtype (``fit``
        forgets it), so small ``sample`` calls do not pay for the copy.
        """
        dtype = drawing_dtype(self.precision, self.device_)
        cached = self.__dict__.get("_lowered_generator")
        if cached is None or cached[0] != dtype:
            cached = self._lowered_generator = (dtype, lowered(self.generator_, dtype))
        return cached[1]

    # ---------------------------------------------------- conditioning on rows
    def impute(self, X, *, missing_values=np.nan, n_draws=None, random_state=None):
        """Fill each row's missing cells with draws from the model given its observed cells.

        Each row conditions on its own observed cells: a missing cell ``j`` is
        drawn from ``q(x_j | x_O)``, jointly with the row's other missing
        cells, by importance resampling of ``score_latents`` prior latents per
        chunk of rows (see the user guide, "Using the fitted model"). A row
        with nothing observed gets a draw from the model; a row with nothing
        missing comes back unchanged. Draws are random, not the most probable
        labels: repeated calls (or ``n_draws``) give multiple imputations.

        A column whose training data had missing values has a missing-value
        category; ``impute`` never draws it (it draws from the conditional
        given that the cell has a value). An observed label never seen in
        ``fit`` cannot inform the model: it is kept in the output, ignored
        when conditioning, and a warning names its column. A column that had
        only missing values in ``fit`` cannot be filled: its cells stay
        missing, with a warning.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, d1, d2, ...), \
or DataFrame
        missing_values : scalar, default=np.nan
            The placeholder of a missing cell; with ``np.nan``, NaN, None,
            NaT and pd.NA are all missing.
        n_draws : int or None, default=None
            None returns one completed ``X``; an int returns a list of that
            many independent completions.
        random_state : int, RandomState instance or None, default=None
            Seed of this call's draws.

        Returns
        -------
        X_completed : ndarray or DataFrame like ``X``, or a list of them
            (a polars DataFrame for a polars ``X``, of its schema). A column
            of nothing but missing values (and an array that is all gaps)
            comes back in the fitted dtype, as its own says nothing of the
            labels.
        """
        check_is_fitted(self)
        given, X = X, from_polars(X)
        if n_draws is not None and (not is_integer(n_draws) or n_draws < 1):
            raise ValueError(f"n_draws={n_draws!r} must be None or a positive integer.")
        missing = missing_cells(X, missing_values)
        empty = [j for j in np.flatnonzero(missing.any(axis=0))
                 if len(self._codec.present[j]) == 0]
        if empty:
            names = ", ".join(self._column_name(j) for j in empty)
            warnings.warn(f"{names[0].upper()}{names[1:]} had only missing values in fit: the "
                          "model has no value to fill them with, so their missing cells stay "
                          "missing.", UserWarning, stacklevel=2)
        codes, observed = self._partial_rows(X, missing)
        column_dtypes = self._column_dtypes()
        fitted_schema = self._polars_schema() if is_polars(given) else None
        seed = _seed_from(random_state)
        rng = torch.Generator(device=self.device_).manual_seed(seed)
        value_rng = np.random.default_rng(seed)
        forbidden = _conditioning.excluded_logits(self.generator_.head,
                                                  self._codec.missing_codes())
        codes_t = torch.as_tensor(codes, device=self.device_)
        observed_t = torch.as_tensor(observed, device=self.device_)
        generator = self._drawing_generator()
        completions = []
        for _ in range(1 if n_draws is None else n_draws):
            with torch.inference_mode():
                drawn = _conditioning.complete_rows(generator, codes_t, observed_t,
                                                    self.score_latents, rng, forbidden)
            labels = self._codec.decode(drawn.cpu().numpy(), value_rng).reshape(len(missing), -1)
            completed = fill_cells(X, missing, labels, self._codec.dtype, column_dtypes)
            if is_polars(given):  # a column of nulls only is filled: it takes a type
                schema = typed_nulls(given.schema, fitted_schema, completed)
                completed = to_polars(completed, widened_enums(schema, completed))
            completions.append(completed)
        return completions[0] if n_draws is None else completions

    def predict_proba(self, X, target=None):
        """Probability of each label of ``target`` given each row's other cells.

        ``q(x_target | x_O)``: the model's conditional given the row's cells
        ``O`` other than the target (whose value is ignored, and which a
        DataFrame may leave out), estimated with the ``score_latents``
        latents that ``score_samples`` uses, so equal input gives equal
        output. A DataFrame's missing value is conditioned on as the missing
        category where the column had one in ``fit``, and left out of ``O``
        where it had none; a label never seen in ``fit`` is left out with a
        warning.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, d1, d2, ...), \
or DataFrame
        target : str, int, tuple or None, default=None
            The column to predict: a name (DataFrames), a flat column index or
            a position tuple (n-d samples). None predicts every column from
            the row's other cells.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_labels)
            Rows sum to one; columns follow ``categories_[target]`` (a
            missing-value category, if the column had one, is left out: the
            probabilities are given that the cell has a value). With
            ``target=None``, every column's block side by side, in column
            order, each summing to one.
        """
        check_is_fitted(self)
        X = from_polars(X)
        targets = self._targets(target)
        if target is not None and hasattr(X, "iloc") and hasattr(self, "feature_names_in_"):
            name = self.feature_names_in_[targets[0]]
            if name not in X.columns:
                X = X.assign(**{name: None})[list(self.feature_names_in_)]
        missing = missing_cells(X) if hasattr(X, "iloc") else None
        if missing is not None:
            missing[:, [j for j, has in enumerate(self._codec.has_missing) if has]] = False
        codes, observed = self._partial_rows(X, missing, None if target is None else targets[0])
        generator = self.generator_
        rng = torch.Generator(device=self.device_).manual_seed(self.score_seed_)
        forbidden = _conditioning.excluded_logits(generator.head, self._codec.missing_codes())
        with torch.inference_mode():
            z = torch.randn(self.score_latents, generator.latent_dim, generator=rng,
                            device=self.device_)
            blocks = _conditioning.conditional_proba(
                generator, torch.as_tensor(codes, device=self.device_),
                torch.as_tensor(observed, device=self.device_), targets, z, forbidden,
            )
        # Each block renormalised in float64, so rows sum to one to float64 precision.
        blocks = [b[:, : len(self._codec.present[j])].cpu().numpy().astype(np.float64)
                  for b, j in zip(blocks, targets)]
        return np.hstack([b / b.sum(axis=1, keepdims=True) for b in blocks])

    def predict(self, X, target=None):
        """Most probable label of ``target`` given each row's other cells.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, d1, d2, ...), \
or DataFrame
        target : str, int, tuple or None, default=None
            The column to predict, as in :meth:`predict_proba`. None predicts
            every cell from its row's other cells.

        Returns
        -------
        labels : ndarray of shape (n_samples,), or like ``X`` when ``target=None``
            Labels in the fitted dtype (a DataFrame's target column: as a
            NumPy array of that column's dtype, object for string and
            categorical columns); with ``target=None`` an array of the fitted
            sample shape, or a DataFrame when fitted on one.
        """
        proba = self.predict_proba(X, target)
        targets = self._targets(target)
        present = [self._codec.point_labels(j) for j in targets]
        ends = np.cumsum([len(p) for p in present])
        labels = np.column_stack([p[block.argmax(axis=1)] for p, block
                                  in zip(present, np.split(proba, ends[:-1], axis=1))])
        if target is not None and self._frame_dtypes is not None:  # the column's own dtype
            dtype = self._column_dtypes()[targets[0]]
            return np.asarray(as_column(labels[:, 0], dtype))
        if target is not None:
            return labels[:, 0].astype(self._codec.dtype)
        out = labels.astype(self._codec.dtype).reshape(len(labels), *self.sample_shape_)
        return self._as_fitted_kind(out)

    def _partial_rows(self, X, missing, ignored=None):
        """Codes of rows with gaps and the cells to condition on (see :func:`partial_rows`)."""
        return partial_rows(X, missing, self._codec, lambda X: self._check_X(X, reset=False),
                            getattr(self, "feature_names_in_", None), ignored)

    def _targets(self, target):
        """Flat column indices that ``predict_proba`` predicts."""
        if target is None:
            return list(range(len(self.categories_)))
        names = getattr(self, "feature_names_in_", None)
        return [column_index(target, names, self.sample_shape_, role="Target")]

    # ------------------------------------------------------------------ score
    def score_samples(self, X):
        """Estimated log-likelihood ``log q(x)`` of each sample, in nats.

        ``q(x) = E_z g(x | z)`` is estimated by ``log mean_k g(x | z_k)`` over
        ``score_latents`` latents drawn from the prior. With the encoder
        proposal (``likelihood_proposal_ == "encoder"``), 64 latents per
        sample drawn from the encoder join them, every latent weighted by
        ``h(z) / r(z)`` with ``r`` the mixture of prior and encoder that drew
        them (the balance heuristic): far tighter for sharp models such as
        images, and never much looser than the prior alone. Either way the
        estimate inside the log is unbiased for ``q(x)``, so the log is
        biased *downwards* (Jensen): it under-estimates ``log q(x)``, by more
        when ``score_latents`` is small or the data high-dimensional. The
        latents are fixed by the fitted model, so the same input always gets
        the same score.

        A label never seen in ``fit`` has probability zero under the model;
        to keep scores finite (e.g. in cross-validation on rare categories)
        each such value instead contributes ``-log(n_samples_fit_ + 1)``, the
        add-one estimate of an unseen category's frequency.

        A numeric column contributes the probability of the value's bin (a
        value outside the training range counts in the end bin): a
        probability mass on the discretised scale, not a density; subtract
        the log of the bin's width to compare with a density model.

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
            noise = encoder_noise(generator, rng)
            seen = torch.as_tensor(~unseen, device=self.device_)
            known = torch.as_tensor(np.where(unseen, 0, codes), device=self.device_)
            scores = log_likelihood(generator, known, z, seen, noise)
            scores = scores.cpu().numpy().astype(np.float64)
        return scores - unseen.sum(axis=1) * np.log(self.n_samples_fit_ + 1)

    def score(self, X, y=None, sample_weight=None):
        """Mean estimated log-likelihood of ``X`` (higher is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, d1, d2, ...)
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative row weights: the weighted mean, rows of weight 0 left out.

        Returns
        -------
        score : float
        """
        scores = self.score_samples(X)
        if sample_weight is None:
            return float(np.mean(scores))
        weights = check_sample_weight(sample_weight, len(scores))
        positive = weights > 0
        return float(np.average(scores[positive], weights=weights[positive]))

    # ------------------------------------------------------------ persistence
    def save(self, path):
        """Write the fitted model to ``path`` in skbgan's safe format.

        The file holds only tensors and JSON metadata; :func:`skbgan.load`
        reads it without running any code from it, unlike a pickle.

        Parameters
        ----------
        path : str or path-like

        Raises
        ------
        FileNotFoundError
            If the directory that would hold ``path`` does not exist.
        IsADirectoryError
            If ``path`` is a directory.
        """
        check_is_fitted(self)
        _persistence.save(self, path)

    def __getstate__(self):
        # BaseEstimator returns the live __dict__ on Python 3.11+: copy it.
        state = dict(super().__getstate__())
        state.pop("_lowered_generator", None)  # made again on the first draw
        for name in _MODULES:
            if name in state:
                module = state[name]
                state[name] = {"config": module.config, "state_dict": cpu_state_dict(module)}
        if "_trainer" in state:
            trainer = state["_trainer"]
            state["_trainer"] = {"state": trainer.state_dict(), "config": trainer.config}
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
            trainer = state["_trainer"]
            self._trainer = BGANTrainer.from_state_dict(
                trainer["state"], DIVERGENCES[self.divergence], trainer["config"], World(),
                self.device_,
            )
