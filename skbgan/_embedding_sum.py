"""Sums of per-category embeddings: a linear map of one-hot rows, in its fastest form.

The critic's first layer, the encoder's and the likelihood's cross-scores all
compute ``one_hot(codes) @ table``. Without gradients an embedding bag
(gather and sum) is always cheapest. With gradients, the embedding bag's
backward on CPU sorts the indices and scatters into the table one entry at a
time, while the one-hot product's backward is a single matrix product: for
few categories per column the product is far faster, for many the one-hot
itself is the larger cost. Over many rows of columns of many categories (the
BGAN term's samples read by an autoregressive head's dependence, a sequence
head's hidden layer with one row per position of every sample) the
embedding bag forward with one ``index_add_`` per column backward beats
both. Measured on CPU only, the rule applies there; other devices keep the
embedding bag.
"""

import torch
from torch.nn import functional as F

DENSE_MAX_CATEGORIES_PER_COLUMN = 32
"""Most table rows per column for which a sum carrying gradients is a one-hot product.

Forward and backward on 2 CPU cores, 128 rows, 256 wide: 784 binary columns
9.8 ms as an embedding bag, 0.9 ms as a product; 40 columns of 32 categories
0.8 against 0.6 ms; 40 columns of 64 categories 0.8 against 1.2 ms.
"""


GATHERED_MIN_ROWS = 512
"""Fewest rows for which a sum carrying gradients on CPU of columns of at least
:data:`GATHERED_MIN_CATEGORIES_PER_COLUMN` table rows each (on average) is an embedding bag
whose backward adds each column's gradient rows with one ``index_add_``.

Forward and backward, 31,744 rows of 8 columns of 27 categories, 256 wide (a
sequence head's hidden layer over 1,024 strings of 32 characters), one
thread: 178 ms as a one-hot product, 119 ms as an embedding bag, 65–77 ms
gathered. Fewer rows, 2 CPU cores, a one-hot product against gathered: 1,024
rows (the BGAN term's samples) of 30 columns of 20 categories into a square
table (the autoregressive head's dependence) 9.5 against 1.8 ms, 128 wide
1.7 against 0.6 ms, of 15 columns of 12 categories 0.6 against
0.3 ms; 512 rows of 20 columns of 8 categories 0.3 ms both. Below 512 rows
(a critic's batch) the other two stay: 256 rows of 20 columns of 8
categories, 128 wide, 0.16 as a product against 0.25 ms gathered.
"""

GATHERED_MIN_CATEGORIES_PER_COLUMN = 8
"""Fewest table rows per column (on average) for which a sum over at least
:data:`GATHERED_MIN_ROWS` rows is gathered: the one-hot product's cost grows with the
table, the gathered backward's with the columns.

Forward and backward on 2 CPU cores, 128 wide, a one-hot product against gathered:
4,096 rows of 257 columns of 2 categories 9.0 against 29.2 ms, of 4 categories 16.3
against 31.0 ms, of 8 categories 39.7 against 32.8 ms, of 27 categories 124.7 against
35.3 ms; 16,384 rows of 37 columns of 4 categories 11.8 against 13.9 ms, of 8
categories 20.0 against 15.1 ms.
"""


class _GatheredSum(torch.autograd.Function):
    """An embedding bag forward; backward, each column's gradient rows added into the table."""

    @staticmethod
    def forward(ctx, codes, table, per_sample_weights):
        ctx.save_for_backward(codes, per_sample_weights)
        ctx.n_entries = len(table)
        return F.embedding_bag(codes, table, mode="sum", per_sample_weights=per_sample_weights)

    @staticmethod
    def backward(ctx, grad):
        codes, weights = ctx.saved_tensors
        grad = grad.contiguous()  # index_add_ of strided rows scatters one element at a time
        grad_table = grad.new_zeros(ctx.n_entries, grad.shape[1])
        codes = codes.T.contiguous()
        if weights is not None:
            weights = weights.T.contiguous()[..., None]
        for j, column in enumerate(codes):
            grad_table.index_add_(0, column, grad if weights is None else grad * weights[j])
        return None, grad_table, None


def embedding_sum(codes, table, per_sample_weights=None):
    """``sum_j w_ij * table[codes[i, j]]`` for every row ``i``.

    Parameters
    ----------
    codes : Tensor of shape (n_rows, n_columns), int64
        Indices into ``table``, distinct within a row (each column has its own
        range of rows of the table).
    table : Tensor of shape (n_entries, width)
    per_sample_weights : Tensor of shape (n_rows, n_columns), optional
        The ``w_ij``; all ones by default.

    Returns
    -------
    sums : Tensor of shape (n_rows, width)
    """
    n_rows, n_columns = codes.shape
    on_cpu_with_grad = torch.is_grad_enabled() and table.device.type == "cpu"
    many_categories = len(table) >= GATHERED_MIN_CATEGORIES_PER_COLUMN * n_columns
    if on_cpu_with_grad and table.requires_grad and n_rows >= GATHERED_MIN_ROWS and many_categories:
        return _GatheredSum.apply(codes, table, per_sample_weights)
    dense = on_cpu_with_grad and len(table) <= DENSE_MAX_CATEGORIES_PER_COLUMN * n_columns
    if dense:
        one_hot = table.new_zeros(n_rows, len(table))
        if per_sample_weights is None:
            one_hot.scatter_(1, codes, 1.0)
        else:
            one_hot.scatter_(1, codes, per_sample_weights.to(table.dtype))
        return one_hot @ table
    return F.embedding_bag(codes, table.contiguous(), mode="sum",
                           per_sample_weights=per_sample_weights)
