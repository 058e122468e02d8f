"""An autoregressive head: each column's logits also read the columns before it.

The factorised head (:class:`~skbgan._networks.CategoricalHead`) draws the
columns independently given the latent, ``g(x | z) = prod_j g_j(x_j | z)``, so
any dependence between columns must pass through ``z``. Constraints over many
columns at once (on a game board, as many pieces of each player) then hold
only loosely. This head adds to the logits of column ``j`` a linear function
of the one-hot codes of the columns before it,

    logits_j(z, x_<j) = logits_j(z) + sum_{i < j} D[x_i, j],

one matrix ``D`` over pairs of categories (zero at the start: the fit starts
from the factorised model; stored as blocks of rows that leave out most
pairs that never count, :func:`dependence_blocks`), and, with
``context_units``, a masked network of one hidden layer over those codes
(MADE; Germain et al., 2015), which can say what no sum over single columns
can (a game's result as a function of the whole board):

    logits_j(z, x_<j) = logits_j(z) + sum_{i < j} D[x_i, j] + V_j relu(b + sum_{i < j} U[x_i]),

where each hidden unit reads the columns up to its own and column ``j``
reads only units before ``j`` (``V`` zero at the start). Neither term reads
``z``, so each row's corrections are computed once, whatever its number of
latents. ``g(x | z) = prod_j softmax(logits_j(z, x_<j))[x_j]`` stays a
normalised distribution with an exact log-probability; drawing takes one
pass per column.

For strings, whose positions share an alphabet and whose dependence on the
characters before is the same wherever they stand, :class:`SequenceHead`
learns ``D`` as one array of ``lags * k * k`` entries shared along the row,
a table over the pairs of characters just before each column (a
trigram's), and, with ``context_units``, one hidden layer over the
characters before each column, shared along the row as well.

Conditioning on cells that come after free ones has no closed form here: the
model's conditionals are estimated by sequential importance sampling (free
cells drawn in column order, observed cells weighted by their probability
given what came before; :meth:`AutoregressiveHead.sample_given`).
"""

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ._embedding_sum import embedding_sum
from ._encoding import category_offsets
from ._networks import MAX_LOGIT_GAP, CategoricalHead, floored, row_chunks

MAX_CATEGORIES = 4096
"""Most categories over all columns (per column for :class:`SequenceHead`): every drawn row's
corrections span them all, and a sequence head's matrix per lag is their square."""

OWN_BLOCK_MIN_CATEGORIES = 256
"""Fewest categories of a column whose rows of the dependence matrix ``D`` are a block of
their own (see :func:`dependence_blocks`)."""

WIDE_MIN_CATEGORIES = 32
"""Fewest categories of a column that a draw treats as wide: its codes found by a binary search
of each row's cumulative probabilities, and its rows of ``D`` added to the later columns'
logits as gathered columns, not as a product with the one-hot codes.

1,024 rows on 2 CPU cores (the Xeon, 2026-12-08). Codes, counting against searching: 16
categories 0.09 against 0.06 ms, 256 2.3 against 0.4 ms, 3,024 32 against 5.8 ms; 5 categories
0.02 against 0.08 ms. Adding rows of ``D`` to 3,124 later categories' logits, gathered
against the product: a column of 5 categories 1.36 against 0.76 ms, of 32 1.23 against 1.11
ms; 500 later categories, 64 categories 0.22 against 0.36 ms, 256 categories 0.06 against
0.38 ms.
"""

SEQUENCE_LAGS = 8
"""Columns before it that each column of a :class:`SequenceHead` reads.

Measured on 32-character pieces of running text (``benchmarks/text.py``,
snippets, seed 0, 2 CPU cores): 8 lags and all 31 gave the same samples
(real words 9.8% and 9.7%, detection AUC 0.532 and 0.526, held-out
log-likelihood -66.2 and -66.0 nats) in 365 and 471 s; with the table of
pairs, 4 lags gave -56.2 nats against 8 lags' -55.2 (real words 20.7% and
20.6%).
"""

SEQUENCE_PAIR_MAX_CATEGORIES = 128
"""Most categories per column for which a :class:`SequenceHead` learns its table of pairs."""


class AutoregressiveHead(CategoricalHead):
    """The factorised head plus a linear dependence of each column on the columns before it.

    Parameters
    ----------
    in_features : int
    cardinalities : sequence of int
    context_units : int, default=0
        Hidden units of the masked network over the earlier columns; 0 for
        none (and none for a single column).
    """

    def __init__(self, in_features, cardinalities, context_units=0):
        super().__init__(in_features, cardinalities)
        offsets = category_offsets(self.cardinalities)
        n_categories = sum(self.cardinalities)
        self._init_dependence()
        self.context_units = int(context_units) if self.n_features > 1 else 0
        if self.context_units:
            self._init_context()
        self.register_buffer("offsets", torch.as_tensor(offsets), persistent=False)
        self.column_starts = [int(start) for start in offsets]  # on the host: no device read
        # where each category's logit sits in the groups' blocks laid end to end, and
        # where each block slot's correction sits among the categories (padding: one past)
        block_start, flat_of_slot = 0, []
        flat_slot = torch.empty(n_categories, dtype=torch.long)
        for g, padding in enumerate(self.paddings()):
            columns = self.group_columns(g).tolist()
            width = padding.shape[1]
            slots = torch.full((len(columns), width), n_categories, dtype=torch.long)
            for position, j in enumerate(columns):
                k = self.cardinalities[j]
                slots[position, :k] = torch.arange(offsets[j], offsets[j] + k)
                flat_slot[offsets[j]:offsets[j] + k] = (
                    block_start + position * width + torch.arange(k))
            flat_of_slot.append(slots)
            block_start += len(columns) * width
        self.register_buffer("flat_slot", flat_slot, persistent=False)
        for g, slots in enumerate(flat_of_slot):
            self.register_buffer(f"slot_category_{g}", slots, persistent=False)

    def _init_dependence(self):
        """The matrix ``D`` over pairs of categories, zero, as the blocks of
        :func:`dependence_blocks`, and the masks of their pairs that count."""
        column = torch.repeat_interleave(torch.arange(self.n_features),
                                         torch.as_tensor(self.cardinalities))
        bounds = _category_bounds(self.cardinalities)
        self.blocks = dependence_blocks(self.cardinalities)
        self.dependence = nn.ParameterList()
        for b, (first, last, start) in enumerate(self.blocks):
            rows = column[bounds[first]:bounds[last]]
            self.dependence.append(nn.Parameter(torch.zeros(len(rows), bounds[-1] - start)))
            self.register_buffer(f"earlier_{b}", (rows[:, None] < column[start:]).float(),
                                 persistent=False)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        """Read a matrix saved whole (by a version that did not store it as blocks) as its
        blocks."""
        whole = state_dict.get(prefix + "dependence")
        if whole is not None and whole.dim() == 2:  # a sequence head's has one more
            del state_dict[prefix + "dependence"]
            bounds = _category_bounds(self.cardinalities)
            for b, (first, last, start) in enumerate(self.blocks):
                state_dict[f"{prefix}dependence.{b}"] = whole[bounds[first]:bounds[last], start:]
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def _init_context(self):
        """The masked network's weights: ``U`` random, ``b`` and ``V`` zero, and their masks.

        Unit ``h`` has degree ``h * (n_features - 1) // context_units``: it
        reads the columns up to its degree, and column ``j`` reads the units
        of a lower degree than ``j``. Units of one degree are contiguous, so
        drawing reads each degree's units as one slice.
        """
        n_categories = sum(self.cardinalities)
        column = torch.repeat_interleave(torch.arange(self.n_features),
                                         torch.as_tensor(self.cardinalities))
        degree = torch.arange(self.context_units) * (self.n_features - 1) // self.context_units
        self.context_in = nn.Parameter(
            torch.randn(n_categories, self.context_units) / self.n_features ** 0.5)
        self.context_bias = nn.Parameter(torch.zeros(self.context_units))
        self.context_out = nn.Parameter(torch.zeros(self.context_units, n_categories))
        self.register_buffer("context_in_mask", (column[:, None] <= degree).float(),
                             persistent=False)
        self.register_buffer("context_out_mask", (degree[:, None] < column).float(),
                             persistent=False)
        # the first unit of each degree, and one past the last: on the host
        self.degree_starts = torch.searchsorted(
            degree, torch.arange(self.n_features)).tolist()

    def _masked(self):
        """The blocks of ``D`` with their masks applied, float32."""
        return [block.float() * getattr(self, f"earlier_{b}")
                for b, block in enumerate(self.dependence)]

    def _masked_context(self):
        """``U`` and ``V`` with their masks applied, float32."""
        return (self.context_in.float() * self.context_in_mask,
                self.context_out.float() * self.context_out_mask)

    def corrections(self, codes, included=None):
        """``sum_{i < j} D[x_i, j]`` of each row, plus the masked network's output, laid out as the
        logit blocks.

        Parameters
        ----------
        codes : Tensor of shape (rows, n_features), int64
        included : Tensor of shape (rows, n_features), bool, optional
            Cells that count; an excluded cell informs no later column.

        Returns
        -------
        list of Tensor of shape (rows, n_columns_in_group, width)
        """
        weights = None if included is None else included.float()
        categories = codes + self.offsets
        flat = None
        for block, (first, last, start) in zip(self._masked(), self.blocks):
            sums = embedding_sum(categories[:, first:last] - self.column_starts[first], block,
                                 None if weights is None else weights[:, first:last])
            sums = F.pad(sums, (start, 0)) if start else sums
            flat = sums if flat is None else flat + sums
        if flat is None:  # a single column: nothing before it
            flat = categories.new_zeros(len(codes), len(self.flat_slot), dtype=torch.float32)
        if self.context_units:
            into, out_of = self._masked_context()
            hidden = embedding_sum(categories, into, weights)
            flat = flat + torch.relu(hidden + self.context_bias.float()) @ out_of
        flat = torch.cat([flat, flat.new_zeros(len(flat), 1)], dim=1)
        # index_select, not flat[:, slots]: its backward adds columns where indexing's
        # accumulates element by element (wdbc's 1,024 x 602: 0.4 against 2.7 ms)
        slots = [getattr(self, f"slot_category_{g}") for g in range(len(self.linears))]
        return [flat.index_select(1, s.flatten()).reshape(len(flat), *s.shape) for s in slots]

    def log_prob(self, log_probs, codes, included=None):
        """Log-probability of codes under each row's distribution (see the factorised head)."""
        batch, m, n_features = codes.shape
        flat_codes = codes.reshape(batch * m, n_features)
        flat_included = None if included is None else included.reshape(batch * m, n_features)
        corrections = self.corrections(flat_codes, flat_included)
        blocks = [self._normalized(block.repeat_interleave(m, dim=0) + c, g)
                  for g, (block, c) in enumerate(zip(log_probs, corrections))]
        mask = None if flat_included is None else flat_included[:, None]
        return super().log_prob(blocks, flat_codes[:, None], mask).reshape(batch, m)

    def tiled_log_prob(self, log_probs, codes, included=None):
        """Each row under each of its own latents (see the factorised head), corrected once per row."""
        n_tiles = log_probs[0].shape[0] // len(codes)
        corrections = self.corrections(codes, included)
        blocks = [self._normalized(block + c.repeat(n_tiles, 1, 1), g)
                  for g, (block, c) in enumerate(zip(log_probs, corrections))]
        return self._tiled_factorised_log_prob(blocks, codes, included)

    def cross_log_prob(self, log_probs, codes, included=None):
        """Log-probability of every data row under every latent's distribution, ``(rows, latents)``.

        Column ``j``'s normaliser, ``logsumexp_k(l_jk(z) + c_jk(x))``, is the
        log of a product of ``exp(l_j(z))`` and ``exp(c_j(x))`` summed over
        categories: one batched matrix product per column group, so no
        ``(rows, latents, categories)`` array is formed (about 5 times faster
        than normalising each pair on splice's 289 categories). Unlike
        :meth:`log_prob` and :meth:`sample`, it does not floor the corrected
        logits again: where that floor would bind, a category more than
        ``MAX_LOGIT_GAP`` below its column's most likely one, this gives its
        lower, unfloored log-probability.
        """
        n_latents = log_probs[0].shape[0]
        log_probs = [block.float() for block in log_probs]
        parts = []
        for rows in row_chunks(len(codes), n_latents * self.n_features):
            seen = None if included is None else included[rows]
            corrections = self.corrections(codes[rows], seen)
            own = super().log_prob(corrections, codes[rows, None],
                                   None if seen is None else seen[:, None])
            total = super().cross_log_prob(log_probs, codes[rows], seen) + own
            for g, (block, c) in enumerate(zip(log_probs, corrections)):
                top_l = block.detach().amax(dim=-1, keepdim=True)  # (latents, columns, 1)
                top_c = c.detach().amax(dim=-1, keepdim=True)  # (rows, columns, 1)
                sums = torch.bmm((c - top_c).exp().transpose(0, 1),
                                 (block - top_l).exp().permute(1, 2, 0))
                # the shifts are constants: added once per row and per latent, not per pair
                log_sums = (sums + torch.finfo(sums.dtype).tiny).log()  # (columns, rows, latents)
                top_c, top_l = top_c[..., 0], top_l[..., 0]  # (rows, columns), (latents, columns)
                if seen is None:
                    shifts = top_c.sum(dim=1, keepdim=True) + top_l.sum(dim=1)
                else:
                    weights = seen[:, self.column_index(g)].float()
                    log_sums = log_sums * weights.T[:, :, None]
                    shifts = (top_c * weights).sum(dim=1, keepdim=True) + weights @ top_l.T
                total = total - log_sums.sum(dim=0) - shifts
            parts.append(total)
        return torch.cat(parts)

    def _normalized(self, block, g):
        """Group ``g``'s corrected logits, floored again, as per-column log-probabilities."""
        padding = getattr(self, f"padding_{g}") if self.padded[g] else None
        return self.normalized([floored(block, padding)])[0]

    def _flat_logits(self, blocks):
        """Blocks to ``(batch, n_categories)``: each column's logits end to end, padding dropped."""
        return torch.cat([b.flatten(1) for b in blocks], dim=1)[:, self.flat_slot]

    def sample(self, log_probs, n_per_row, generator=None, temperature=1.0):
        """Draw codes column by column, several per row of logits: ``(batch, n_per_row, n_features)``."""
        codes, _ = self._sequential(log_probs, n_per_row, generator, temperature)
        return codes

    def sample_given(self, log_probs, codes, observed, generator=None, temperature=1.0,
                     forbidden=None):
        """Free cells drawn in column order, observed cells kept and weighted.

        Sequential importance sampling: ``exp(log_weight)`` has expectation
        ``g(x_O | z)``, the probability of the observed cells under the row's
        latent, so resampling rows of many latents by their weights draws from
        the model's conditional given the observed cells. The weights use the
        model's own logits; ``temperature`` divides those of the free cells.

        Parameters
        ----------
        log_probs : list of Tensor
            Logit blocks (or log-probabilities) for ``batch`` rows.
        codes : Tensor of shape (batch, n_features), int64
            The observed cells' codes; the others are ignored.
        observed : Tensor of shape (batch, n_features), bool
        generator : torch.Generator, optional
        temperature : float, default=1.0
        forbidden : list of Tensor of shape (n_columns_in_group, width), optional
            Added to the free cells' logits (``PADDING_LOGIT`` where a code
            must never be drawn); the weights do not read it.

        Returns
        -------
        codes : Tensor of shape (batch, n_features), int64
        log_weight : Tensor of shape (batch,)
        """
        drawn, log_weight = self._sequential(log_probs, 1, generator, temperature,
                                             codes, observed, forbidden)
        return drawn[:, 0], log_weight

    def _sequential(self, log_probs, n_per_row, generator, temperature, given=None,
                    observed=None, forbidden=None):
        """One pass per column; see :meth:`sample` and :meth:`sample_given`.

        The logits are held categories by rows, so that each column's block
        is contiguous and its softmax runs across the rows (on CPU, a softmax
        along a row of 2 or 3 categories is about 6 times slower), and each
        drawn code adds its row of the dependence matrix, read from a
        contiguous block, to every later column at once.
        """
        batch = log_probs[0].shape[0]
        running = self._flat_logits([b.float() for b in log_probs])
        running = running.repeat_interleave(n_per_row, dim=0).T.contiguous()
        size = running.shape[1]
        device = running.device
        table = self._sampling_table(size)
        codes = torch.empty(self.n_features, size, dtype=torch.long, device=device)
        log_weight = torch.zeros(size, device=device)
        u = torch.rand(size, self.n_features, generator=generator, device=device)
        masks = 0.0 if forbidden is None else self._flat_logits([f[None] for f in forbidden]).T
        for j, (start, k) in enumerate(zip(self.column_starts, self.cardinalities)):
            end = start + k
            logits = running[start:end]
            logits = torch.maximum(logits, logits.amax(dim=0) - MAX_LOGIT_GAP)
            scaled = logits if temperature == 1.0 else logits / temperature
            if forbidden is not None:
                scaled = scaled + masks[start:end]
            drawn = _inverse_cdf(scaled, u[:, j])
            if given is not None:
                kept = observed[:, j]
                drawn = torch.where(kept, given[:, j], drawn)
                own = torch.log_softmax(logits, dim=0).gather(0, drawn[None])[0]
                log_weight += own * kept
            codes[j] = drawn
            self._spread(running, table, codes, j)
        return codes.T.reshape(batch, n_per_row, self.n_features), log_weight

    def _sampling_table(self, size):
        """The dependence as :meth:`_spread` reads it while drawing ``size`` rows: each column's
        rows of ``D`` over the categories after it, transposed (None for the last column), and
        the masked network's ``U``, ``V`` transposed and its hidden units' inputs so far,
        ``(size, context_units)`` (None without the network)."""
        n_categories = len(self.flat_slot)
        later = [None] * self.n_features
        for block, (first, last, start) in zip(self._masked(), self.blocks):
            block, first_row = block.detach(), self.column_starts[first]
            for j in range(first, last):
                top, end = self.column_starts[j], self.column_starts[j] + self.cardinalities[j]
                if end < n_categories:  # the rows of D are zero up to here: keep what follows
                    later[j] = block[top - first_row:end - first_row, end - start:].T.contiguous()
        if not self.context_units:
            return later, None
        into, out_of = (w.detach() for w in self._masked_context())
        hidden = self.context_bias.detach().float().repeat(size, 1)
        return later, (into, out_of.T.contiguous(), hidden)

    def _spread(self, running, table, codes, j):
        """Add the rows of ``D`` of column ``j``'s drawn codes to the later columns' logits, and
        the output of the masked network's units of degree ``j`` too.

        ``codes`` holds the codes drawn so far, columns by rows. Column ``j``
        is the last input of the units of degree ``j``: they are complete
        now, and every later column reads them. The hidden units are held
        rows by units, so that adding ``U``'s rows is a gather of rows.
        """
        later, context = table
        start = self.column_starts[j]
        end = start + self.cardinalities[j]
        rows = later[j]
        if rows is not None and end - start < WIDE_MIN_CATEGORIES:  # in place: no copy
            one_hot = running.new_zeros(end - start, running.shape[1])
            running[end:].addmm_(rows, one_hot.scatter_(0, codes[j][None], 1.0))
        elif rows is not None:
            running[end:] += rows.index_select(1, codes[j])
        if context is not None and end < len(running):
            into, out_of, hidden = context
            first, last = self.degree_starts[j], self.degree_starts[j + 1]
            hidden[:, first:] += F.embedding(codes[j], into[start:end, first:])
            if last > first:
                running[end:] += out_of[end:, first:last] @ torch.relu(hidden[:, first:last]).T


def _inverse_cdf(logits, u):
    """One code per row of ``logits`` held categories by rows, ``(k, rows)``, drawn at the
    uniform ``u``: the first category whose cumulative probability exceeds it (never one of
    zero probability).

    Counting the categories at or below ``u`` is fastest for a few, a binary
    search along each row for :data:`WIDE_MIN_CATEGORIES` or more.
    """
    k = len(logits)
    if k < WIDE_MIN_CATEGORIES:
        cdf = torch.cumsum(torch.softmax(logits, dim=0), dim=0)
        return (cdf <= u * cdf[-1]).sum(dim=0).clamp_(max=k - 1)
    cdf = torch.cumsum(torch.softmax(logits.T, dim=1), dim=1)
    return torch.searchsorted(cdf, (u * cdf[:, -1])[:, None], right=True)[:, 0].clamp_(max=k - 1)


class SequenceHead(AutoregressiveHead):
    """The autoregressive head with one dependence shared along the row, for sequences.

    Every column has the same categories (a string's characters), and the
    dependence of column ``j`` on column ``i`` depends only on their lag:
    ``D[x_i, j] = S[j - i, x_i, x_j]`` for ``1 <= j - i <= lags``, zero beyond.
    What the head learns of one position's neighbours holds at every
    position, as a character n-gram's counts do, and its parameters number
    ``lags * k * k`` rather than the square of all categories. The
    corrections are a causal one-dimensional convolution of the one-hot row.

    With ``pairs``, column ``j`` also reads the two columns before it
    together, ``P[x_{j-2}, x_{j-1}, x_j]``, one table of ``k ** 3`` entries
    shared along the row: what a character trigram knows and a sum over
    single earlier characters cannot say (which letter follows "th" is not
    what follows "t" plus what follows "h").

    With ``context_units``, column ``j`` also reads a hidden layer over the
    ``lags`` columns before it, shared along the row as ``S`` is,
    ``V relu(b + sum_{1 <= l <= lags} U[l, x_{j-l}])`` (``V`` zero at the
    start): a small neural language model over the characters before each
    position (Bengio et al., 2003), which can say what neither a sum over
    single characters nor the table of pairs can.

    Parameters
    ----------
    in_features : int
    cardinalities : sequence of int
        All equal.
    lags : int
        How many columns before it each column reads (see :data:`SEQUENCE_LAGS`).
    pairs : bool, default=False
        Also learn ``P`` (see :func:`sequence_pairs`).
    context_units : int, default=0
        Hidden units of the shared layer over the ``lags`` columns before
        each column; 0 for none.
    """

    def __init__(self, in_features, cardinalities, lags, pairs=False, context_units=0):
        self.lags = int(lags)
        self.pairs = bool(pairs)
        super().__init__(in_features, cardinalities, context_units)

    def _init_dependence(self):
        """``S``, one zero ``k x k`` matrix for each lag, and ``P`` (``k * k`` rows of ``k``, the
        row of ``x_{j-2} * k + x_{j-1}``), zero: no mask, as every entry counts."""
        k = self.cardinalities[0]
        self.dependence = nn.Parameter(torch.zeros(self.lags, k, k))
        if self.pairs:
            self.pair_dependence = nn.Parameter(torch.zeros(k * k, k))

    def _init_context(self):
        """``U`` as ``lags * k`` rows (the row of ``(l - 1) * k + x_{j-l}``), random; ``b`` and
        ``V`` (``context_units x k``) zero. No masks: a column reads only the lags before it."""
        k = self.cardinalities[0]
        self.context_in = nn.Parameter(
            torch.randn(self.lags * k, self.context_units) / self.lags ** 0.5)
        self.context_bias = nn.Parameter(torch.zeros(self.context_units))
        self.context_out = nn.Parameter(torch.zeros(self.context_units, k))

    def _context_codes(self, codes, included):
        """The rows of ``U`` that each column after the first reads, ``(rows, n_features - 1,
        lags)``: ``lags * k`` (a row of zeros appended to ``U``) before the row's start and for
        excluded cells. Weights of 0 would cost a product per lag in the backward pass."""
        n_features = codes.shape[1]
        lag = torch.arange(1, self.lags + 1, device=codes.device)
        earlier = torch.arange(1, n_features, device=codes.device)[:, None] - lag
        valid = earlier >= 0
        earlier = earlier.clamp(min=0)
        context = codes[:, earlier] + (lag - 1) * self.cardinalities[0]
        counts = valid if included is None else valid & included[:, earlier]
        return torch.where(counts, context, self.lags * self.cardinalities[0])

    def corrections(self, codes, included=None):
        """``sum_{j - lags <= i < j} S[j - i, x_i]`` for every column ``j`` of each row, plus
        ``P[x_{j-2}, x_{j-1}]`` with ``pairs``, as the one logit block ``(rows, n_features, k)``
        (see :meth:`AutoregressiveHead.corrections`; a pair with an excluded cell adds nothing)."""
        k = self.cardinalities[0]
        # a scatter, not F.one_hot, which reads the codes' range back to the host
        weights = 1.0 if included is None else included[..., None].float()
        one_hot = torch.zeros(*codes.shape, k, device=codes.device).scatter_(
            -1, codes[..., None], weights)
        # tap t of the filters reads the column lags - t before
        filters = self.dependence.float().flip(0).permute(2, 1, 0)
        past = F.pad(one_hot.transpose(1, 2), (self.lags, 0))
        corrections = F.conv1d(past, filters)[:, :, :self.n_features].transpose(1, 2)
        if self.pairs and self.n_features > 2:
            pair = F.embedding(codes[:, :-2] * k + codes[:, 1:-1], self.pair_dependence.float())
            if included is not None:
                pair = pair * (included[:, :-2] & included[:, 1:-1])[..., None]
            corrections = corrections + F.pad(pair, (0, 0, 2, 0))
        if self.context_units:  # the first column has no column before it to read
            rows, later = len(codes), self.n_features - 1
            context = self._context_codes(codes, included)
            into = self.context_in.float()
            # the appended zero row may repeat within a row: it adds nothing wherever it is
            into = torch.cat([into, into.new_zeros(1, into.shape[1])])
            bias, out = self.context_bias.float(), self.context_out.float()
            # in chunks of rows: on CPU, work arrays above 32 MB are fresh pages at every step
            output = torch.cat([
                torch.relu(embedding_sum(context[part].reshape(-1, self.lags), into) + bias) @ out
                for part in row_chunks(rows, later * self.context_units)])
            corrections = corrections + F.pad(output.reshape(rows, later, k), (0, 0, 1, 0))
        return [corrections]

    def _sampling_table(self, size):
        """``S`` as rows ``(lag, later category)`` by columns ``earlier category``, ``P``
        transposed (None without ``pairs``), and the hidden layer's ``U``, ``b``, ``V``
        transposed and the first row of each lag's block of ``U`` (None without it), whatever
        the number of rows drawn."""
        k = self.cardinalities[0]
        lags = self.dependence.detach().float().permute(0, 2, 1).reshape(-1, k).contiguous()
        pairs = self.pair_dependence.detach().float().T.contiguous() if self.pairs else None
        context = None
        if self.context_units:
            context = (self.context_in.detach().float(), self.context_bias.detach().float(),
                       self.context_out.detach().float().T.contiguous(),
                       torch.arange(self.lags, device=lags.device) * k)
        return lags, pairs, context

    def _spread(self, running, table, codes, j):
        """Add ``S[lag, x_j]`` to the logits of each of the next ``lags`` columns,
        ``P[x_{j-1}, x_j]`` to the next column's, and the next column's hidden layer, now that
        the last of its inputs is drawn."""
        lags, pairs, context = table
        k = self.cardinalities[0]
        end = (j + 1) * k
        after = min(self.lags * k, len(running) - end)
        running[end:end + after] += lags[:after].index_select(1, codes[j])
        if pairs is not None and 1 <= j < self.n_features - 1:
            running[end:end + k] += pairs.index_select(1, codes[j - 1] * k + codes[j])
        if context is not None and j < self.n_features - 1:
            into, bias, out_of, offsets = context
            n_lags = min(self.lags, j + 1)
            inputs = codes[j - n_lags + 1:j + 1].flip(0).T + offsets[:n_lags]  # lag 1 first
            hidden = torch.relu(F.embedding_bag(inputs, into, mode="sum") + bias)
            running[end:end + k] += out_of @ hidden.T


def dependence_blocks(cardinalities):
    """How the dependence matrix ``D`` is stored: blocks of rows over the categories they inform.

    Only a category of an earlier column informs one of a later column, so
    ``D`` needs only its pairs ``i < j`` of columns. Runs of columns of fewer
    than :data:`OWN_BLOCK_MIN_CATEGORIES` categories share one block, its
    rows their categories, its columns every category from the run's own on
    (a table of such columns: the whole square, masked). A column of more
    categories is a block of its own over the categories after it, so that
    the square of its categories, which it never informs, is not stored: a
    table of small columns and one of 3,601 labels needs about a thirtieth
    of the square of all its categories.

    Parameters
    ----------
    cardinalities : sequence of int

    Returns
    -------
    list of tuple of int
        ``(first, last, start)`` of each block: its rows are the categories of
        columns ``first`` to ``last - 1``, its columns the categories from
        ``start`` on. A block of the last column alone would inform no
        category and is left out.
    """
    bounds = _category_bounds(cardinalities)
    blocks = []
    for j, k in enumerate(cardinalities):
        if k >= OWN_BLOCK_MIN_CATEGORIES:
            blocks.append((j, j + 1, bounds[j + 1]))
        elif blocks and blocks[-1][1] == j and cardinalities[j - 1] < OWN_BLOCK_MIN_CATEGORIES:
            blocks[-1] = (blocks[-1][0], j + 1, blocks[-1][2])
        else:
            blocks.append((j, j + 1, bounds[j]))
    return [block for block in blocks if bounds[block[0] + 1] < bounds[-1]]


def dependence_entries(cardinalities):
    """Entries of the dependence matrix ``D`` over these columns, as :func:`dependence_blocks`
    stores it."""
    bounds = _category_bounds(cardinalities)
    return sum((bounds[last] - bounds[first]) * (bounds[-1] - start)
               for first, last, start in dependence_blocks(cardinalities))


def _category_bounds(cardinalities):
    """Where each column's categories start when laid end to end, and one past the last."""
    return category_offsets(cardinalities).tolist() + [int(np.sum(cardinalities))]


def sequence_pairs(cardinalities):
    """Whether a :class:`SequenceHead` over these columns learns its table of pairs ``P``.

    Rows of at least 3 columns of at most :data:`SEQUENCE_PAIR_MAX_CATEGORIES`
    categories each (``P`` has ``k ** 3`` entries: about 2 million at 128).
    """
    return len(cardinalities) >= 3 and cardinalities[0] <= SEQUENCE_PAIR_MAX_CATEGORIES
