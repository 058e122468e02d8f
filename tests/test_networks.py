"""Generator head sampling and log-probabilities, critic embedding-sum."""

import numpy as np
import pytest
import torch

from skbgan._embedding_sum import (
    GATHERED_MIN_CATEGORIES_PER_COLUMN,
    GATHERED_MIN_ROWS,
    _GatheredSum,
    embedding_sum,
)
from skbgan._networks import (
    COMPARED_MAX_WIDTH,
    MAX_LOGIT_GAP,
    CategoricalHead,
    Critic,
    Generator,
    column_groups,
    inverse_cdf,
)


def test_columns_are_grouped_by_power_of_two_and_padded_to_their_largest():
    groups, widths = column_groups([2, 3, 4, 1, 17, 2])
    assert widths == [1, 2, 4, 17]
    assert [g.tolist() for g in groups] == [[3], [0, 5], [1, 2], [4]]


def test_head_log_probs_normalise_per_column_and_padding_is_impossible():
    head = CategoricalHead(5, [3, 4, 2, 7, 1])
    blocks = head(torch.randn(4, 5))
    for block, width in zip(blocks, [1, 2, 4, 7]):
        assert block.shape[-1] == width
        np.testing.assert_allclose(block.exp().sum(-1).detach().numpy(), 1.0, rtol=1e-6)
    # the 3-category column is padded to 4: its last slot has probability zero
    assert (blocks[2][:, 0, 3].exp() == 0).all()
    assert torch.isfinite(blocks[2]).all()


def test_head_floors_logits_far_below_their_columns_largest_and_keeps_padding_impossible():
    torch.manual_seed(0)
    head = CategoricalHead(5, [3, 4, 2])
    with torch.no_grad():
        for linear in head.linears:
            linear.weight.mul_(1e3)  # logit gaps in the thousands
    hidden = torch.randn(8, 5, requires_grad=True)
    blocks = head.logits(hidden)
    for block, padding in zip(blocks, head.paddings()):
        real = padding == 0
        gap = (block.amax(dim=-1, keepdim=True) - block)[:, real]
        assert (gap <= MAX_LOGIT_GAP + 1e-3).all()
        assert (gap > MAX_LOGIT_GAP - 1e-3).any()  # the floor was reached
        assert (block[:, ~real] < -1e8).all()  # padded slots: still probability zero
    log_probs = head.normalized(blocks)
    assert (log_probs[1][:, 0, 3].exp() == 0).all()
    assert (log_probs[0] > -MAX_LOGIT_GAP - np.log(2) - 1e-3).all()
    # straight-through: a floored logit's gradient is the unfloored logit's
    block, padding = blocks[1], head.paddings()[1]
    floored = (padding == 0) & (block.amax(dim=-1, keepdim=True) - block > MAX_LOGIT_GAP - 1e-3)
    assert floored.any()
    unfloored = head.linears[1](hidden).view(8, *padding.shape) + padding
    grad, = torch.autograd.grad((block * floored).sum(), [hidden])
    expected, = torch.autograd.grad((unfloored * floored).sum(), [hidden])
    assert grad.abs().sum() > 0
    torch.testing.assert_close(grad, expected)


def test_head_logits_are_each_groups_linear_map_with_its_gradient():
    # the groups' layers are applied as one product; it must equal each layer on its own
    torch.manual_seed(0)
    head = CategoricalHead(5, [3, 4, 2, 7, 1])
    hidden = torch.randn(6, 5, requires_grad=True)
    blocks = head.logits(hidden)
    by_group = [(linear(hidden).view(6, *padding.shape) + padding)
                for linear, padding in zip(head.linears, head.paddings())]
    for block, expected in zip(blocks, by_group):
        torch.testing.assert_close(block, expected)
    grads = torch.autograd.grad(sum(b.sum() for b in blocks), [hidden, head.linears[2].weight])
    expected = torch.autograd.grad(sum(b.sum() for b in by_group),
                                   [hidden, head.linears[2].weight])
    for grad, want in zip(grads, expected):
        torch.testing.assert_close(grad, want)


def test_head_samples_follow_the_column_probabilities():
    torch.manual_seed(0)
    head = CategoricalHead(3, [3, 5])
    blocks = head(torch.randn(1, 3))
    codes = head.sample([b.detach() for b in blocks], 40_000, torch.Generator().manual_seed(0))
    assert codes.shape == (1, 40_000, 2)
    for column, k in enumerate([3, 5]):
        freq = np.bincount(codes[0, :, column].numpy(), minlength=k) / 40_000
        group = 0 if k == 3 else 1
        expected = blocks[group][0, 0, :k].exp().detach().numpy()
        np.testing.assert_allclose(freq, expected, atol=0.01)
        assert codes[0, :, column].max() < k


@pytest.mark.parametrize("width", [2, 3, 5, COMPARED_MAX_WIDTH, COMPARED_MAX_WIDTH + 1, 20])
def test_inverse_cdf_draws_what_a_binary_search_draws(width):
    gen = torch.Generator().manual_seed(width)
    probs = torch.rand(50, 7, width, generator=gen)
    probs[:, :3, width // 2:] = 0.0  # zero-probability categories, as padding gives
    probs[:, 3, :-1] = 0.0  # all the probability on the last category
    cdf = probs.cumsum(dim=-1)
    u = torch.rand(50, 7, 40, generator=gen)
    u[0, :, 0] = 1.0 - 2.0**-24  # the largest draw, rounded up to the total
    u[1, :, 0] = 0.0
    drawn = inverse_cdf(cdf, u)
    expected = torch.searchsorted(cdf, u * cdf[..., -1:], right=True)
    torch.testing.assert_close(drawn.clamp(max=width - 1), expected.clamp(max=width - 1))
    assert drawn.dtype == torch.int64
    # never a category of probability zero, but for a draw rounded up to the total
    below_total = u * cdf[..., -1:] < cdf[..., -1:]
    chosen = probs.gather(-1, drawn.clamp(max=width - 1))
    assert (chosen[below_total] > 0).all()


def test_consecutive_columns_are_indexed_by_a_slice():
    head = CategoricalHead(3, [2, 5, 2, 2])  # groups: columns 0, 2, 3 of 2; column 1 of 5
    assert [head.group_columns(g).tolist() for g in range(2)] == [[0, 2, 3], [1]]
    assert torch.equal(head.column_index(0), torch.tensor([0, 2, 3]))
    assert head.column_index(1) == slice(1, 2)
    assert CategoricalHead(3, [2] * 6).column_index(0) == slice(0, 6)


def test_head_log_prob_matches_cross_log_prob():
    # 300 categories: a group wide enough for the gather path, beside one-hot groups
    head = CategoricalHead(4, [2, 3, 9, 300])
    blocks = head(torch.randn(6, 4))
    codes = head.sample(blocks, 5, torch.Generator().manual_seed(1))  # (6, 5, 4)
    direct = head.log_prob(blocks, codes)  # (6, 5)
    rows = codes.reshape(30, 4)
    cross = head.cross_log_prob(blocks, rows)  # (30, 6)
    for n in range(6):
        for m in range(5):
            assert torch.isclose(direct[n, m], cross[n * 5 + m, n], atol=1e-5)


@pytest.mark.parametrize("cardinalities, group", [([2, 3], 0), ([300, 3], 1)],
                         ids=["one-hot", "gather"])
def test_cross_log_prob_skips_excluded_entries(cardinalities, group):
    head = CategoricalHead(4, cardinalities)
    blocks = head(torch.randn(3, 4))
    rows = torch.tensor([[1, 2]])
    only_first = head.cross_log_prob(blocks, rows, torch.tensor([[True, False]]))
    # column 0 is the first column of its group (groups are ordered by width)
    assert torch.allclose(only_first[0], blocks[group][:, 0, 1], atol=1e-6)


def test_critic_is_linear_in_the_one_hot_encoding_at_its_first_layer():
    critic = Critic([2, 3, 4], (8, 8), lipschitz=None)
    codes = torch.tensor([[1, 2, 3], [0, 0, 0]])
    one_hot = torch.zeros(2, 9)
    one_hot[torch.arange(2)[:, None], codes + torch.tensor([0, 2, 5])] = 1
    expected = one_hot @ critic.embedding.weight + critic.bias
    got = critic.embedding(codes + critic.offsets) + critic.bias
    assert torch.allclose(got, expected, atol=1e-6)
    assert critic(codes).shape == (2,)


def test_generator_maps_latents_to_blocks():
    generator = Generator([2, 5], latent_dim=3, hidden_layer_sizes=(4,))
    blocks = generator(torch.randn(7, 3))
    assert [tuple(b.shape) for b in blocks] == [(7, 1, 2), (7, 1, 5)]


@pytest.mark.parametrize("n_categories, n_rows", [  # one-hot product, embedding bag, gathered
    (2, 7), (40, 7), (40, GATHERED_MIN_ROWS), (2, GATHERED_MIN_ROWS)])
@pytest.mark.parametrize("weighted", [False, True])
def test_embedding_sum_equals_the_one_hot_product_with_its_gradient(n_categories, n_rows,
                                                                   weighted):
    rng = torch.Generator().manual_seed(0)
    n_columns = 5
    codes = torch.randint(n_categories, (n_rows, n_columns), generator=rng)
    codes = codes + torch.arange(n_columns) * n_categories
    table = torch.randn(n_columns * n_categories, 3, generator=rng, requires_grad=True)
    weights = torch.rand(n_rows, n_columns, generator=rng) if weighted else None
    one_hot = torch.zeros(n_rows, len(table)).scatter_(
        1, codes, 1.0 if weights is None else weights)
    expected = one_hot @ table
    (expected_grad,) = torch.autograd.grad(expected.square().sum(), table)

    sums = embedding_sum(codes, table, weights)
    (grad,) = torch.autograd.grad(sums.square().sum(), table)
    with torch.no_grad():
        no_grad_sums = embedding_sum(codes, table, weights)
    torch.testing.assert_close(sums, expected)
    torch.testing.assert_close(grad, expected_grad)
    torch.testing.assert_close(no_grad_sums, expected)


def test_gathered_sum_takes_a_strided_gradient():
    rng = torch.Generator().manual_seed(0)
    codes = torch.randint(8, (GATHERED_MIN_ROWS, 4), generator=rng) + torch.arange(4) * 8
    table = torch.randn(32, 5, generator=rng, requires_grad=True)
    upstream = torch.randn(5, GATHERED_MIN_ROWS, generator=rng).T  # not contiguous
    (grad,) = torch.autograd.grad(_GatheredSum.apply(codes, table, None), table, upstream)
    one_hot = torch.zeros(GATHERED_MIN_ROWS, 32).scatter_(1, codes, 1.0)
    torch.testing.assert_close(grad, one_hot.T @ upstream)


@pytest.mark.parametrize("n_categories, n_rows, gathered", [
    (GATHERED_MIN_CATEGORIES_PER_COLUMN, GATHERED_MIN_ROWS, True),
    (GATHERED_MIN_CATEGORIES_PER_COLUMN - 1, GATHERED_MIN_ROWS, False),  # a one-hot product
    (GATHERED_MIN_CATEGORIES_PER_COLUMN, GATHERED_MIN_ROWS - 1, False),
])
def test_embedding_sum_gathers_many_rows_of_columns_of_many_categories(
        n_categories, n_rows, gathered, monkeypatch):
    calls = []
    monkeypatch.setattr(_GatheredSum, "apply", lambda *args: calls.append(args) or args[1][:1])
    codes = torch.randint(n_categories, (n_rows, 3)) + torch.arange(3) * n_categories
    embedding_sum(codes, torch.randn(3 * n_categories, 2, requires_grad=True))
    assert bool(calls) == gathered
