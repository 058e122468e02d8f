"""Generator and critic modules for rows of categorical codes.

Columns are handled together, never one at a time: the generator emits one
flat logit vector for all columns, which is gathered into a few padded blocks
of columns with similar numbers of categories (``CategoricalHead``); the critic
reads category indices through one embedding-sum over all columns.
"""

import functools

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.parametrizations import spectral_norm

from ._embedding_sum import embedding_sum
from ._encoder import Encoder
from ._encoding import category_offsets
from ._mixture import LatentMixture


def column_groups(cardinalities):
    """Group columns whose numbers of categories round up to the same power of two.

    Each group is padded to its largest number of categories, so no column is
    padded to more than twice its own, and columns of equal size not at all.

    Parameters
    ----------
    cardinalities : sequence of int
        Number of categories of each column.

    Returns
    -------
    groups : list of ndarray of int
        Column indices of each group, groups ordered by width.
    widths : list of int
        Padded width (the largest number of categories) of each group.
    """
    cardinalities = np.asarray(cardinalities, dtype=np.int64)
    buckets = np.ceil(np.log2(cardinalities)).astype(np.int64)
    groups = [np.flatnonzero(buckets == b) for b in np.unique(buckets)]
    return groups, [int(cardinalities[columns].max()) for columns in groups]


def _mlp(sizes, activation, spectral=False):
    """Linear layers of ``sizes``, each followed by ``activation(inplace=True)``.

    A linear layer's backward never reads its output, so the activation
    overwrites it: one buffer fewer per layer (on CPU, fewer page faults).
    """
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        linear = nn.Linear(n_in, n_out)
        layers += [spectral_norm(linear) if spectral else linear, activation(inplace=True)]
    return nn.Sequential(*layers)


SAMPLE_CHUNK_ELEMENTS = {"cpu": 2**20, "other": 2**23}
"""Logits per sampling chunk, by device: bounds the memory of sampling whatever the number of rows."""
SAMPLE_CHUNK_ROWS_CPU = 2048
"""Most rows per sampling chunk on CPU, where chunks that stay in cache draw fastest."""
ROW_CHUNK_ELEMENTS = 2**22
"""Entries of a chunk's (rows, latents, ...) work array when rows are compared with latents."""
PADDING_LOGIT = -1e9
"""Logit of padded slots: probability exactly zero, and finite so ``0 * logit == 0``."""
MAX_LOGIT_GAP = 40.0
"""No logit lies further than this below its column's largest: every category keeps
probability above about ``exp(-40)``.

A generator trained on images grows extremely confident (background pixels with
logit gaps of 100 and more), and the softmax's tails and their gradients then fall
into float32's subnormal range, where CPU arithmetic is about a hundred times
slower: floored (with :func:`~skbgan._likelihood.trimmed_logsumexp`), an MLP's training
epoch on 28x28 binarised digits took half the time.
The floor is part of the model (its samples and its likelihood alike), and it
moves no probability that a sample could show.
"""


NARROW_WIDTH = 16
"""On CPU, blocks of fewer categories than this are normalised along a transposed copy.

PyTorch's CPU (log-)softmax vectorises along the dimension it normalises,
which for a few categories leaves most of each vector idle: on 2 CPU cores,
512 rows of 784 binary columns take 6.6 ms forward and backward along the
last dimension, 1.9 ms transposed; at 16 categories the last dimension wins.
"""


def floored(block, padding):
    """Logits raised to at most ``MAX_LOGIT_GAP`` below their column's largest, then padded.

    Straight-through: a floored logit's gradient passes to the logit as if
    it were not floored, so a category that the model wrongly deems
    impossible is still pulled up by the rows that show it.

    Parameters
    ----------
    block : Tensor of shape (batch, n_columns, width)
    padding : Tensor of shape (n_columns, width) or None
        Added after flooring (``PADDING_LOGIT`` in padded slots); None for none.
    """
    padded = block if padding is None else block + padding
    floor = padded.detach().amax(dim=-1, keepdim=True) - MAX_LOGIT_GAP
    raised = torch.maximum(padded.detach(), floor if padding is None else floor + padding)
    if not padded.requires_grad:  # sampling and scoring: no gradient to pass
        return raised
    return raised + (padded - padded.detach())  # the same values, padded's gradient


COMPARED_MAX_WIDTH = 8
"""Groups of at most this many categories are drawn by comparisons, not a binary search.

Counting the cumulative probabilities at or below a draw gives the index that
``torch.searchsorted(side="right")`` finds, exactly, without its per-element
search: on 2 CPU cores, 64 rows x 16 samples of 784 binary columns 2.9 against
0.5 ms, of 100 columns of 8 categories 0.9 against 0.5 ms, 4,096 rows of 30
columns of 5 1.0 against 0.3 ms; at 16 categories they tie, at 32 the search wins.
"""


def inverse_cdf(cdf, u):
    """Inverse-CDF draws: the first category whose cumulative share exceeds ``u``.

    Parameters
    ----------
    cdf : Tensor of shape (batch, n_columns, width)
        Cumulative sums of each column's (unnormalised) probabilities.
    u : Tensor of shape (batch, n_columns, n_draws)
        Uniform draws in ``[0, 1)``.

    Returns
    -------
    Tensor of shape (batch, n_columns, n_draws), int64
        Never a category of probability zero; a draw rounded up to the total
        gives ``width`` or ``width - 1``: clip to the column's last category.
    """
    target = u * cdf[..., -1:]
    if cdf.shape[-1] <= COMPARED_MAX_WIDTH:
        return (cdf[:, :, None, :-1] <= target[..., None]).sum(dim=-1)
    return torch.searchsorted(cdf, target, right=True)


def per_column(function, block):
    """``function(block, dim=-1)`` (a softmax or log-softmax) of a ``(batch, n_columns, width)`` block."""
    if block.shape[-1] < NARROW_WIDTH and block.device.type == "cpu":
        columns_last = block.transpose(1, 2).contiguous()
        return function(columns_last, dim=1).transpose(1, 2).contiguous()
    return function(block, dim=-1)


def sample_chunk_rows(n_outputs, device):
    """Rows per chunk when drawing from a head of ``n_outputs`` logits on ``device``.

    On CPU a chunk's logits and hidden layers stay in cache (about twice the
    rows per second of chunks ten times larger); a GPU is fed large chunks.
    """
    if device.type == "cpu":
        return max(1, min(SAMPLE_CHUNK_ROWS_CPU, SAMPLE_CHUNK_ELEMENTS["cpu"] // n_outputs))
    return max(1, SAMPLE_CHUNK_ELEMENTS["other"] // n_outputs)


def row_chunks(n_rows, elements_per_row):
    """Row slices whose work arrays hold at most ``ROW_CHUNK_ELEMENTS`` entries.

    Parameters
    ----------
    n_rows : int
    elements_per_row : int
        Entries one row adds, e.g. its number of latents times their logits.

    Yields
    ------
    slice
    """
    size = max(1, ROW_CHUNK_ELEMENTS // elements_per_row)
    yield from (slice(start, min(start + size, n_rows)) for start in range(0, n_rows, size))


class CategoricalHead(nn.Module):
    """Linear layers to one categorical distribution per column.

    Columns are grouped by padded width (see :func:`column_groups`); each group
    has one ``Linear`` that emits a block ``(batch, n_columns_in_group, width)``
    whose padded slots are pinned to ``PADDING_LOGIT``. The groups' layers are
    applied as one matrix product: one gradient of the hidden layer instead of
    one per group, summed.

    Parameters
    ----------
    in_features : int
    cardinalities : sequence of int
    """

    def __init__(self, in_features, cardinalities):
        super().__init__()
        groups, widths = column_groups(cardinalities)
        self._set_groups(cardinalities, groups, widths)
        self.linears = nn.ModuleList(
            nn.Linear(in_features, len(columns) * width)
            for columns, width in zip(groups, widths)
        )

    def _set_groups(self, cardinalities, groups, widths):
        """Record the columns of each group and register their padding buffers."""
        cardinalities = np.asarray(cardinalities)
        self.n_features = len(cardinalities)
        self.cardinalities = [int(k) for k in cardinalities]
        self._locations = {int(column): (g, position) for g, columns in enumerate(groups)
                           for position, column in enumerate(columns)}
        for g, (columns, width) in enumerate(zip(groups, widths)):
            k = cardinalities[columns]
            padding = np.where(np.arange(width)[None, :] < k[:, None], 0.0, PADDING_LOGIT)
            self.register_buffer(f"columns_{g}", torch.as_tensor(columns), persistent=False)
            self.register_buffer(
                f"padding_{g}", torch.as_tensor(padding, dtype=torch.float32), persistent=False
            )
            self.register_buffer(f"last_{g}", torch.as_tensor(k - 1)[:, None], persistent=False)
        self.padded = [bool((cardinalities[columns] < width).any())
                       for columns, width in zip(groups, widths)]
        self._consecutive = [slice(int(columns[0]), int(columns[-1]) + 1)
                             if np.array_equal(columns, np.arange(columns[0], columns[-1] + 1))
                             else None for columns in groups]

    @property
    def n_outputs(self):
        """Number of logits per row, padding included."""
        return sum(linear.out_features for linear in self.linears)

    def group_columns(self, g):
        """Flat column indices of group ``g``, in block order."""
        return getattr(self, f"columns_{g}")

    def column_index(self, g):
        """Group ``g``'s columns as an index of the last dimension of codes.

        A slice where they are consecutive (every pixel of an image, a table
        whose columns all fall in one group): a view of the codes, where an
        index tensor copies them (0.7 ms for 64 x 16 samples of 784 pixels).
        """
        consecutive = self._consecutive[g]
        return self.group_columns(g) if consecutive is None else consecutive

    def paddings(self):
        """The padding block of each group, ``(n_columns_in_group, width)``."""
        return [getattr(self, f"padding_{g}") for g in range(len(self.linears))]

    def locate(self, column):
        """Group and position within the group's block of a flat column."""
        return self._locations[column]

    def logits(self, hidden):
        """Per-column logits, unnormalised.

        Parameters
        ----------
        hidden : Tensor of shape (batch, in_features)

        Returns
        -------
        logits : list of Tensor of shape (batch, n_columns_in_group, width)
            One block per column group, floored (:func:`floored`); padded slots
            hold ``PADDING_LOGIT``.
        """
        linears = self.linears
        hidden = hidden.to(linears[0].weight.dtype)
        if len(linears) == 1:
            outputs = [linears[0](hidden)]
        else:
            # one product for all groups: one gradient of ``hidden`` in the backward
            # instead of one per group, summed
            weight = torch.cat([linear.weight for linear in linears])
            bias = torch.cat([linear.bias for linear in linears])
            outputs = F.linear(hidden, weight, bias).split(
                [linear.out_features for linear in linears], dim=1)
        blocks = []
        for g, out in enumerate(outputs):
            padding = getattr(self, f"padding_{g}")
            # Float32 logits whatever the weights' dtype (see skbgan._precision).
            block = out.float().reshape(len(hidden), *padding.shape)
            blocks.append(floored(block, padding if self.padded[g] else None))
        return blocks

    def forward(self, hidden):
        """Per-column log-probabilities: :meth:`logits` normalised per column."""
        return self.normalized(self.logits(hidden))

    @staticmethod
    def normalized(blocks):
        """Logit blocks as per-column log-probabilities."""
        return [per_column(torch.log_softmax, block) for block in blocks]

    def sample(self, log_probs, n_per_row, generator=None, temperature=1.0):
        """Draw codes by inverse-CDF sampling, several per row of logits.

        Parameters
        ----------
        log_probs : list of Tensor
            Output of ``forward`` (or, equally, of ``logits``) for ``batch`` rows.
        n_per_row : int
            Samples drawn from each row's distribution.
        generator : torch.Generator, optional
        temperature : float, default=1.0
            Divides the logits before drawing.

        Returns
        -------
        codes : Tensor of shape (batch, n_per_row, n_features), int64
        """
        batch = log_probs[0].shape[0]
        device = log_probs[0].device
        codes = torch.empty(batch, n_per_row, self.n_features, dtype=torch.long, device=device)
        if temperature != 1.0:  # skipped, not divided by one: temperature 1 is plain sampling
            log_probs = [block / temperature for block in log_probs]
        for g, block in enumerate(log_probs):
            cdf = per_column(torch.softmax, block).cumsum_(dim=-1)
            u = torch.rand(
                batch, block.shape[1], n_per_row, generator=generator, device=device,
                dtype=cdf.dtype,
            )
            drawn = inverse_cdf(cdf, u)
            last = getattr(self, f"last_{g}")
            codes[:, :, self.column_index(g)] = torch.minimum(drawn, last).transpose(1, 2)
        return codes

    def log_prob(self, log_probs, codes, included=None):
        """Log-probability of codes under each row's distribution.

        Parameters
        ----------
        log_probs : list of Tensor
            Output of ``forward`` for ``batch`` rows.
        codes : Tensor of shape (batch, m, n_features), int64
        included : Tensor of shape (batch, m, n_features), bool, optional
            Entries that count; the others contribute zero. All by default.

        Returns
        -------
        log_prob : Tensor of shape (batch, m)
            Sum over columns of each column's log-probability.
        """
        total = 0.0
        for g, block in enumerate(log_probs):
            columns = self.column_index(g)
            terms = torch.gather(block, 2, codes[:, :, columns].transpose(1, 2))
            if included is not None:
                terms = terms * included[:, :, columns].transpose(1, 2)
            total = total + terms.sum(dim=1)
        return total

    def tiled_log_prob(self, log_probs, codes, included=None):
        """Log-probability of each data row under each of its own latents.

        Parameters
        ----------
        log_probs : list of Tensor
            Output of ``forward`` for ``n_tiles * n_rows`` latents, tiled over
            the rows: latent ``t * n_rows + i`` belongs to row ``i``.
        codes : Tensor of shape (n_rows, n_features), int64
        included : Tensor of shape (n_rows, n_features), bool, optional
            Entries that count; the others contribute zero. All by default.

        Returns
        -------
        log_prob : Tensor of shape (n_tiles, n_rows)
        """
        return self._tiled_factorised_log_prob(log_probs, codes, included)

    def _tiled_factorised_log_prob(self, log_probs, codes, included):
        """:meth:`tiled_log_prob` of blocks read as independent columns.

        Calls this class's :meth:`log_prob` whatever the subclass, so a head
        that corrects its blocks first can reuse the tiling.
        """
        n_tiles = log_probs[0].shape[0] // len(codes)
        mask = None if included is None else included.repeat(n_tiles, 1)[:, None]
        return CategoricalHead.log_prob(self, log_probs, codes.repeat(n_tiles, 1)[:, None],
                                        mask).reshape(n_tiles, len(codes))

    def cross_log_prob(self, log_probs, codes, included=None):
        """Log-probability of every data row under every latent's distribution.

        Each group's log-probabilities, laid out one row per (column,
        category), are summed over each data row's entries
        (:func:`~skbgan._embedding_sum.embedding_sum`): without gradients the
        cost is ``n_features * n_latents`` additions per row, whatever the
        number of categories.

        Parameters
        ----------
        log_probs : list of Tensor
            Output of ``forward`` for ``n_latents`` rows.
        codes : Tensor of shape (n_rows, n_features), int64
        included : Tensor of shape (n_rows, n_features), bool, optional
            Entries that count; the others contribute zero. All by default.

        Returns
        -------
        log_prob : Tensor of shape (n_rows, n_latents)
        """
        total = None
        for g, block in enumerate(log_probs):
            columns = self.column_index(g)
            n_latents, n_columns, width = block.shape
            offsets = torch.arange(n_columns, device=codes.device) * width
            weights = None if included is None else included[:, columns].to(block.dtype)
            table = block.reshape(n_latents, n_columns * width).T
            part = embedding_sum(codes[:, columns] + offsets, table, weights)
            total = part if total is None else total + part
        return total


SEQUENCE_UNITS = 256
"""Hidden units that ``autoregressive_units="auto"`` gives the ``"sequence"`` head.

Measured on running text (``benchmarks/text.py``, 32-character snippets, seeds 0-2,
2 CPU cores): 56.5% real words and -40.7 nats held out against 20.8% and -55.5 with
none, at about 2.1 times the epoch; 128 units on words: 0.64% real words against 256's 1.00%
(seed 0)."""


def resolved_context_units(autoregressive, n_columns, units):
    """Hidden units of the network over earlier columns that the autoregressive heads build.

    ``units`` for the ``True`` and ``"sequence"`` heads of at least two columns, 0
    otherwise (the factorised head has none, and one column has no column before it to
    read); ``"auto"`` is :data:`SEQUENCE_UNITS` for the ``"sequence"`` head, 0 for ``True``.
    """
    if units == "auto":
        units = SEQUENCE_UNITS if autoregressive == "sequence" else 0
    has_head = autoregressive is True or autoregressive == "sequence"
    return int(units) if has_head and n_columns > 1 else 0


class Generator(nn.Module):
    """Latent vector to one categorical distribution per column.

    Parameters
    ----------
    cardinalities : list of int
        Number of categories of each column.
    latent_dim : int
    hidden_layer_sizes : tuple of int
        Hidden widths of the MLP (unused with ``image_shape``).
    image_shape : tuple of int or None, default=None
        ``(H, W)`` or ``(H, W, C)``: a transposed-convolution body and a
        per-pixel head (see :mod:`skbgan._conv`) instead of the MLP.
    encoder : bool, default=False
        Also hold an :class:`~skbgan._encoder.Encoder`, the proposal of the
        likelihood's latents, trained and averaged with the generator.
    latent_components : int, default=0
        Components of the latent's discrete part (a
        :class:`~skbgan._mixture.LatentMixture`); 0 for a plain Gaussian latent.
    autoregressive : bool or "sequence", default=False
        An :class:`~skbgan._autoregressive.AutoregressiveHead` (MLP only):
        each column's logits also read the columns before it; ``"sequence"``,
        a :class:`~skbgan._autoregressive.SequenceHead`, reading them through
        one dependence shared along the row (every column the same categories).
    sequence_lags : int or None, default=None
        Columns before it that each column of the ``"sequence"`` head reads;
        None for :data:`~skbgan._autoregressive.SEQUENCE_LAGS` (fewer if the
        row is shorter). Unused by the other heads.
    sequence_pairs : bool, default=False
        Whether the ``"sequence"`` head also reads the two columns before each
        column together (see :func:`~skbgan._autoregressive.sequence_pairs`).
        Unused by the other heads.
    context_units : int, default=0
        Hidden units of the autoregressive heads' network over the columns
        before each column (0: none): the ``True`` head's masked network, the
        ``"sequence"`` head's layer shared along the row; unused by the
        factorised head and for a single column.
    """

    def __init__(self, cardinalities, latent_dim, hidden_layer_sizes, image_shape=None,
                 encoder=False, latent_components=0, autoregressive=False, sequence_lags=None,
                 sequence_pairs=False, context_units=0):
        super().__init__()
        context_units = resolved_context_units(autoregressive, len(cardinalities),
                                               context_units)
        if autoregressive != "sequence":
            autoregressive, sequence_lags, sequence_pairs = bool(autoregressive), None, False
        elif sequence_lags is None:
            from ._autoregressive import SEQUENCE_LAGS

            sequence_lags = max(1, min(SEQUENCE_LAGS, len(cardinalities) - 1))
        self.config = dict(
            cardinalities=list(cardinalities),
            latent_dim=latent_dim,
            hidden_layer_sizes=tuple(hidden_layer_sizes),
            image_shape=None if image_shape is None else [int(s) for s in image_shape],
            encoder=bool(encoder),
            latent_components=int(latent_components),
            autoregressive=autoregressive,
            sequence_lags=sequence_lags,
            sequence_pairs=bool(sequence_pairs),
            context_units=context_units,
        )
        self.latent_dim = latent_dim
        if image_shape is not None:
            from ._conv import PixelHead, UpsamplingBody

            self.body = UpsamplingBody(latent_dim, image_shape)
            self.head = PixelHead(self.body.out_channels, cardinalities, image_shape)
        else:
            sizes = (latent_dim, *hidden_layer_sizes)
            self.body = _mlp(sizes, nn.ReLU)
            if autoregressive == "sequence":
                from ._autoregressive import SequenceHead

                self.head = SequenceHead(sizes[-1], cardinalities, sequence_lags,
                                         sequence_pairs, context_units)
            elif autoregressive:
                from ._autoregressive import AutoregressiveHead

                self.head = AutoregressiveHead(sizes[-1], cardinalities, context_units)
            else:
                self.head = CategoricalHead(sizes[-1], cardinalities)
        self.encoder = Encoder(cardinalities, latent_dim) if encoder else None
        self.mixture = (LatentMixture(latent_components, latent_dim) if latent_components
                        else None)

    def forward(self, z, components=None):
        """``(batch, latent_dim)`` to a list of per-group log-probability blocks.

        ``components`` (int64, ``(batch,)``), with a latent mixture, gives each
        latent's component instead of reading it off ``z``.
        """
        return self.head(self.hidden(z, components))

    def hidden(self, z, components=None):
        """The body's output for float32 latents, computed in the dtype of its weights."""
        if self.mixture is not None:
            z = self.mixture.shift(z, components)
        return self.body(z.to(next(self.body.parameters()).dtype))

    def draw(self, z, generator=None):
        """One row of codes per latent, ``(batch, n_features)`` int64, from the raw logits."""
        return self.head.sample(self.head.logits(self.hidden(z)), 1, generator)[:, 0]


class Critic(nn.Module):
    """Rows of category codes to one real number each.

    The first layer is a linear map of the rows' one-hot encoding, computed as
    a sum of per-category embeddings (:func:`~skbgan._embedding_sum.embedding_sum`:
    a one-hot product only where that is faster).

    Parameters
    ----------
    cardinalities : list of int
    hidden_layer_sizes : tuple of int
        Width of the embedding, then of each further hidden layer.
    lipschitz : float or None
        Bound on the critic's Lipschitz constant with respect to the one-hot
        encoding: every layer is spectrally normalised and the output scaled
        by ``lipschitz``. None leaves the critic unconstrained.
    image_shape : tuple of int or None, default=None
        ``(H, W)`` or ``(H, W, C)``: per-pixel embeddings read by strided
        convolutions (see :mod:`skbgan._conv`), then dense layers of
        ``hidden_layer_sizes``, instead of the embedding-sum.
    """

    def __init__(self, cardinalities, hidden_layer_sizes, lipschitz, image_shape=None):
        super().__init__()
        self.config = dict(
            cardinalities=list(cardinalities),
            hidden_layer_sizes=tuple(hidden_layer_sizes),
            lipschitz=lipschitz,
            image_shape=None if image_shape is None else [int(s) for s in image_shape],
        )
        spectral = lipschitz is not None
        self.scale = 1.0 if lipschitz is None else float(lipschitz)
        activation = functools.partial(nn.LeakyReLU, 0.2)
        if image_shape is not None:
            from ._conv import DownsamplingBody

            self.reader = DownsamplingBody(cardinalities, image_shape, spectral)
            self.body = _mlp((self.reader.out_features, *hidden_layer_sizes), activation,
                             spectral)
            out = nn.Linear(hidden_layer_sizes[-1], 1)
            self.out = spectral_norm(out) if spectral else out
            return
        width = hidden_layer_sizes[0]
        self.register_buffer("offsets", torch.as_tensor(category_offsets(cardinalities)),
                             persistent=False)
        embedding = nn.EmbeddingBag(int(np.sum(cardinalities)), width, mode="sum")
        nn.init.normal_(embedding.weight, std=1.0 / np.sqrt(len(cardinalities)))
        self.embedding = spectral_norm(embedding) if spectral else embedding
        self.bias = nn.Parameter(torch.zeros(width))
        self.body = nn.Sequential(
            activation(inplace=True), _mlp(hidden_layer_sizes, activation, spectral)
        )
        out = nn.Linear(hidden_layer_sizes[-1], 1)
        self.out = spectral_norm(out) if spectral else out

    def forward(self, codes, gather=False):
        """``(batch, n_features)`` int64 codes to ``(batch,)`` critic outputs.

        ``gather=True`` computes the same by an embedding lookup and a sum,
        which ``torch.func.vmap`` can batch (per-row gradients), at the cost
        of a ``(batch, n_features, width)`` intermediate.
        """
        if hasattr(self, "reader"):  # images: embeddings gathered per pixel, then convolutions
            return self.scale * self.out(self.body(self.reader(codes))).squeeze(-1)
        if gather:
            rows = F.embedding(codes + self.offsets, self.embedding.weight).sum(dim=-2)
        else:
            rows = embedding_sum(codes + self.offsets, self.embedding.weight)
        hidden = rows + self.bias
        return self.scale * self.out(self.body(hidden)).squeeze(-1)


def cpu_state_dict(module):
    """A copy of a module's tensors on the CPU: a snapshot that loads anywhere."""
    return {name: tensor.detach().to("cpu", copy=True)
            for name, tensor in module.state_dict().items()}


def rebuild(cls, config, state_dict, device):
    """A ``Generator`` or ``Critic`` from its ``config`` and tensors, on ``device``, in eval mode."""
    module = cls(**config)
    module.load_state_dict(state_dict)
    return module.to(device).eval()

