"""The autoregressive head (autoregressive=True, or "auto" on tables of many binary columns
or with numeric columns)."""

import copy
import itertools
import pickle

import joblib
import numpy as np
import pandas as pd
import pytest
import torch

import skbgan
from skbgan import DiscreteBGAN
from skbgan._autoregressive import (
    MAX_CATEGORIES,
    AutoregressiveHead,
    dependence_blocks,
)
from skbgan._conditioning import conditional_proba
from skbgan._estimator import AUTO_MAX_DEPENDENCE_ENTRIES, context_units, dependence_schedule
from skbgan._networks import (
    PADDING_LOGIT,
    SEQUENCE_UNITS,
    CategoricalHead,
    Generator,
    rebuild,
    resolved_context_units,
)
from skbgan._training import generator_param_groups

CARDINALITIES = [3, 2, 5, 2]
TINY = {"epochs": 2, "generator_layers": (16,), "critic_layers": (8,), "latent_dim": 4,
        "score_latents": 64, "random_state": 0}


@pytest.fixture(params=[(0, False), (8, False), (0, True)],
                ids=["matrix", "matrix and network", "matrix in blocks"])
def head(request, monkeypatch):
    units, in_blocks = request.param
    if in_blocks:  # the column of 5 categories as one of many: a block of its own
        monkeypatch.setattr(skbgan._autoregressive, "OWN_BLOCK_MIN_CATEGORIES", 5)
        # and columns of 3 or more drawn as wide ones: searched, their rows gathered
        monkeypatch.setattr(skbgan._autoregressive, "WIDE_MIN_CATEGORIES", 3)
    torch.manual_seed(0)
    head = AutoregressiveHead(6, CARDINALITIES, context_units=units)
    assert len(head.dependence) == (2 if in_blocks else 1)  # the last column: none
    with torch.no_grad():
        for block in head.dependence:
            block.normal_(std=1.5)  # strong dependence between columns
        if head.context_units:
            head.context_bias.normal_()
            head.context_out.normal_(std=1.5)
    return head


@pytest.fixture
def all_rows():
    return torch.tensor(list(itertools.product(*(range(k) for k in CARDINALITIES))))


def _exact_marginal(head, blocks, all_rows, observed_columns, values):
    """``g(x_O | z)`` of one latent by summing ``g(x | z)`` over every row."""
    probability = head.cross_log_prob(blocks, all_rows)[:, 0].exp()
    keep = (all_rows[:, observed_columns] == torch.as_tensor(values)).all(dim=1)
    return probability[keep].sum()


def _frequencies(drawn):
    """Share of each row of ``all_rows`` (in product order) among ``drawn``."""
    index = np.ravel_multi_index(drawn.T.numpy(), CARDINALITIES)
    return np.bincount(index, minlength=int(np.prod(CARDINALITIES))) / len(drawn)


def test_a_latents_distribution_sums_to_one_and_starts_factorised(head, all_rows):
    blocks = head.logits(torch.randn(3, 6))
    total = head.cross_log_prob(blocks, all_rows).exp().sum(dim=0)
    torch.testing.assert_close(total, torch.ones(3))
    # a new head's dependence and network output are zero: the factorised head
    independent = AutoregressiveHead(6, CARDINALITIES, head.context_units)
    independent.load_state_dict({k: v for k, v in head.state_dict().items()
                                 if k.startswith("linears")}, strict=False)
    factorised = super(AutoregressiveHead, independent).cross_log_prob(
        independent.normalized(blocks), all_rows)
    torch.testing.assert_close(independent.cross_log_prob(blocks, all_rows), factorised)


def test_log_prob_agrees_with_cross_log_prob_and_has_gradients(head, all_rows):
    hidden = torch.randn(2, 6)
    blocks = head(hidden)
    codes = all_rows[[0, 7, 33]]
    per_row = head.log_prob(blocks, codes.expand(2, -1, -1))
    torch.testing.assert_close(per_row, head.cross_log_prob(blocks, codes).T)
    included = torch.tensor([[True, False, True, True], [False, True, True, False],
                             [True, True, False, True]])
    torch.testing.assert_close(head.log_prob(blocks, codes.expand(2, -1, -1),
                                             included.expand(2, -1, -1)),
                               head.cross_log_prob(blocks, codes, included).T)
    per_row.sum().backward()
    assert all(block.grad.abs().sum() > 0 for block in head.dependence[:-1])
    # only earlier columns inform later ones: the mask keeps the matrix's used part
    if head.blocks[-1][1] == len(CARDINALITIES):  # the last column informs nothing:
        assert head.dependence[-1].grad[-2:].abs().sum() == 0  # (in blocks it has no rows)
    if head.context_units:
        assert head.context_in.grad.abs().sum() > 0 and head.context_out.grad.abs().sum() > 0
        assert head.context_in.grad[-2:].abs().sum() == 0
        assert head.context_out.grad[:, :3].abs().sum() == 0  # nothing comes before column 0


def test_each_columns_corrections_read_only_the_columns_before_it(head, all_rows):
    flat = head._flat_logits(head.corrections(all_rows)).detach()
    starts = np.cumsum([0, *CARDINALITIES])
    assert flat[:, :starts[1]].abs().max() == 0  # nothing comes before column 0
    for j in range(1, len(CARDINALITIES)):
        block = flat[:, starts[j]:starts[j + 1]]
        _, prefix = torch.unique(all_rows[:, :j], dim=0, return_inverse=True)
        for p in range(int(prefix.max()) + 1):
            same = block[prefix == p]
            assert (same - same[0]).abs().max() < 1e-5  # equal prefixes, equal corrections
        assert block.std(dim=0).sum() > 0  # different prefixes, different corrections


@pytest.mark.parametrize("cardinalities, expected", [
    ([3, 2, 5, 2], [(0, 4, 0)]),  # small columns: one block, the whole square
    ([3, 300, 2], [(0, 1, 0), (1, 2, 303)]),  # the last alone informs nothing: no block
    ([300, 2, 3, 400, 500, 4], [(0, 1, 300), (1, 3, 300), (3, 4, 705), (4, 5, 1205)]),
    ([300], []), ([3], []), ([3, 300], [(0, 1, 0)]),
])
def test_columns_of_many_categories_are_blocks_of_their_own(cardinalities, expected):
    assert dependence_blocks(cardinalities) == expected


def test_a_matrix_saved_whole_loads_as_its_blocks():
    cardinalities = [3, 300, 2, 4]
    head = AutoregressiveHead(6, cardinalities)
    assert [tuple(b.shape) for b in head.dependence] == [(3, 309), (300, 6), (6, 6)]
    whole = torch.randn(309, 309)  # a model saved before the blocks stored every pair
    state = {k: v for k, v in head.state_dict().items() if not k.startswith("dependence")}
    head.load_state_dict(state | {"dependence": whole})
    codes = torch.stack([torch.randint(0, k, (50,)) for k in cardinalities], dim=1)
    column = torch.repeat_interleave(torch.arange(4), torch.tensor(cardinalities))
    categories = codes + torch.tensor([0, 3, 303, 305])
    earlier = (column[:, None] < column[None, :]).float()
    expected = (whole * earlier)[categories].sum(dim=1)  # sum_{i < j} D[x_i, j]
    torch.testing.assert_close(head._flat_logits(head.corrections(codes)), expected)


@pytest.mark.parametrize("factorised", [False, True])
def test_tiled_log_prob_pairs_each_row_with_its_own_latents(head, all_rows, factorised):
    if factorised:
        head = CategoricalHead(6, CARDINALITIES)
    codes = all_rows[[0, 7, 33]]
    included = torch.rand(codes.shape, generator=torch.Generator().manual_seed(0)) < 0.7
    blocks = head(torch.randn(2 * len(codes), 6))  # latent t * 3 + i belongs to row i
    tiled = head.tiled_log_prob(blocks, codes, included)
    expected = head.log_prob(blocks, codes.repeat(2, 1)[:, None], included.repeat(2, 1)[:, None])
    torch.testing.assert_close(tiled, expected.reshape(2, len(codes)))


def test_draws_follow_the_joint_distribution(head, all_rows):
    blocks = [b[:1] for b in head.logits(torch.randn(1, 6))]
    drawn = head.sample(blocks, 100_000, torch.Generator().manual_seed(0))[0]
    exact = head.cross_log_prob(blocks, all_rows)[:, 0].exp().detach().numpy()
    np.testing.assert_allclose(_frequencies(drawn), exact, atol=0.006)


def test_draws_follow_the_tempered_and_the_masked_joint(head, all_rows):
    blocks = [b[:1] for b in head.logits(torch.randn(1, 6))]
    # temperature divides each column's logits given the columns before it
    cold = copy.deepcopy(head)
    with torch.no_grad():
        for block in cold.dependence:
            block /= 0.7
        if cold.context_units:
            cold.context_out /= 0.7
    exact = cold.cross_log_prob([b / 0.7 for b in blocks], all_rows)[:, 0].exp()
    drawn = head.sample(blocks, 100_000, torch.Generator().manual_seed(0), temperature=0.7)[0]
    np.testing.assert_allclose(_frequencies(drawn), exact.detach().numpy(), atol=0.006)
    # a forbidden code (column 2's first category) is never drawn; the rest renormalise
    masks = [torch.zeros_like(b[0]) for b in blocks]
    for g, mask in enumerate(masks):
        columns = head.group_columns(g).tolist()
        if 2 in columns:
            mask[columns.index(2), 0] = PADDING_LOGIT
    n = 100_000
    drawn, _ = head.sample_given([b.expand(n, -1, -1) for b in blocks],
                                 torch.zeros(n, 4, dtype=torch.long),
                                 torch.zeros(n, 4, dtype=torch.bool),
                                 torch.Generator().manual_seed(0), forbidden=masks)
    assert (drawn[:, 2] != 0).all()
    exact = head.cross_log_prob([b + m for b, m in zip(blocks, masks)], all_rows)[:, 0].exp()
    np.testing.assert_allclose(_frequencies(drawn), exact.detach().numpy(), atol=0.006)


def test_sample_given_keeps_observed_cells_and_weights_them_without_bias(head, all_rows):
    blocks = [b[:1] for b in head.logits(torch.randn(1, 6))]
    n = 100_000
    codes = torch.zeros(n, 4, dtype=torch.long)
    codes[:, 1], codes[:, 3] = 1, 0
    observed = torch.zeros(n, 4, dtype=torch.bool)
    observed[:, [1, 3]] = True
    drawn, log_weight = head.sample_given([b.expand(n, -1, -1) for b in blocks], codes,
                                          observed, torch.Generator().manual_seed(0))
    assert (drawn[:, 1] == 1).all() and (drawn[:, 3] == 0).all()
    exact = _exact_marginal(head, blocks, all_rows, [1, 3], [1, 0]).item()
    assert log_weight.exp().mean().item() == pytest.approx(exact, rel=0.01)


def _dependent_generator(all_rows, n_latents):
    """A small autoregressive generator with a strong dependence, a latent pool, and every
    row's probability under the pool."""
    torch.manual_seed(0)
    generator = Generator(CARDINALITIES, latent_dim=2, hidden_layer_sizes=(8,),
                          autoregressive=True, context_units=8).eval()
    with torch.no_grad():
        generator.head.dependence[0].normal_(std=1.5)
        generator.head.context_out.normal_()
        z = torch.randn(n_latents, 2)
        joint = generator.head.cross_log_prob(generator(z), all_rows).exp().mean(dim=1)
    return generator, z, joint


def test_conditional_proba_matches_the_exact_conditional(all_rows):
    generator, z, joint = _dependent_generator(all_rows, 1024)
    with torch.no_grad():
        row = torch.tensor([[0, 1, 0, 0]])
        observed = torch.tensor([[False, True, False, True]])  # x_1 = 1, x_3 = 0
        proba = conditional_proba(generator, row, observed, [0, 3], z)
    keep = (all_rows[:, 1] == 1) & (all_rows[:, 3] == 0)
    exact = torch.bincount(all_rows[keep, 0], joint[keep], minlength=3)
    torch.testing.assert_close(proba[0][0], exact / exact.sum(), atol=0.02, rtol=0)
    keep = all_rows[:, 1] == 1  # the target's own cell does not count
    exact = torch.bincount(all_rows[keep, 3], joint[keep], minlength=2)
    torch.testing.assert_close(proba[1][0], exact / exact.sum(), atol=0.02, rtol=0)


def test_conditional_proba_of_complete_rows_is_the_exact_ratio_of_joints(all_rows):
    # every cell but the target observed: nothing to draw, one product per category
    generator, z, joint = _dependent_generator(all_rows, 64)
    with torch.no_grad():
        rows = torch.tensor([[2, 1, 0, 1], [0, 0, 0, 0]])
        observed = torch.tensor([[True] * 4, [False, True, False, True]])
        proba = conditional_proba(generator, rows, observed, [0], z)[0]
        alone = conditional_proba(generator, rows[:1], observed[:1], [0], z)[0]
    keep = (all_rows[:, 1:] == rows[0, 1:]).all(dim=1)
    exact = torch.bincount(all_rows[keep, 0], joint[keep], minlength=3)
    torch.testing.assert_close(proba[0], exact / exact.sum(), atol=1e-5, rtol=0)
    torch.testing.assert_close(alone[0], proba[0])  # a partial row beside it changes nothing
    torch.testing.assert_close(proba.sum(dim=1), torch.ones(2))


@pytest.fixture(scope="module")
def table():
    rng = np.random.default_rng(0)
    first = rng.integers(0, 3, 400)
    return np.c_[first, (first + rng.integers(0, 2, 400)) % 3, rng.integers(-1, 1, 400),
                 10 * (first % 2)]


@pytest.fixture(scope="module")
def fitted(table):
    return DiscreteBGAN(autoregressive=True, autoregressive_units=8, **TINY).fit(table)


def test_fit_sample_and_score_in_the_users_labels(fitted, table):
    samples = fitted.sample(50, random_state=0)
    assert samples.shape == (50, 4) and samples.dtype == table.dtype
    for j in range(4):
        assert set(samples[:, j]) <= set(table[:, j])
    np.testing.assert_array_equal(samples, fitted.sample(50, random_state=0))
    every_row = np.array(list(itertools.product([0, 1, 2], [0, 1, 2], [-1, 0], [0, 10])))
    assert np.exp(fitted.score_samples(every_row)).sum() == pytest.approx(1.0, abs=1e-5)


def test_conditions_imputation_and_prediction(fitted, table):
    conditioned = fitted.sample(30, random_state=0, conditions={3: 10})
    assert (conditioned[:, 3] == 10).all()
    cold = fitted.sample(30, random_state=0, temperature=0.5, candidates=2)
    assert cold.shape == (30, 4)
    gaps = table[:20].astype(float)
    gaps[::2, 1] = np.nan
    filled = fitted.impute(gaps, random_state=0)
    np.testing.assert_array_equal(filled[1::2], table[1:20:2])
    assert set(filled[::2, 1]) <= {0, 1, 2}
    proba = fitted.predict_proba(table[:5], target=0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(proba, fitted.predict_proba(table[:5], target=0))
    assert set(fitted.predict(table[:5], target=3)) <= {0, 10}


def test_draws_in_bfloat16(table):
    low = DiscreteBGAN(autoregressive=True, precision="bfloat16", **TINY).fit(table)
    samples = low.sample(200, random_state=0)
    assert samples.dtype == table.dtype
    for j in range(4):
        assert set(samples[:, j]) <= set(table[:, j])
    np.testing.assert_array_equal(samples, low.sample(200, random_state=0))
    assert (low.sample(20, random_state=0, conditions={3: 10})[:, 3] == 10).all()
    gaps = table[:10].astype(float)
    gaps[:, 1] = np.nan
    assert set(low.impute(gaps, random_state=0)[:, 1]) <= {0, 1, 2}


def test_saved_pickled_and_warm_started(fitted, tmp_path):
    expected = fitted.sample(20, random_state=3)
    fitted.save(tmp_path / "model.skbgan")
    np.testing.assert_array_equal(skbgan.load(tmp_path / "model.skbgan").sample(20, random_state=3),
                                  expected)
    joblib.dump(fitted, tmp_path / "model.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "model.joblib").sample(
        20, random_state=3), expected)
    restarted = joblib.load(tmp_path / "model.joblib").set_params(warm_start=True,
                                                                  autoregressive=False)
    with pytest.raises(ValueError, match=r"\['autoregressive', 'autoregressive_units'\] changed"):
        restarted.fit(np.zeros((10, 4), dtype=int))  # the head, and with it its network
    restarted.set_params(autoregressive=True, autoregressive_units=16)
    with pytest.raises(ValueError, match=r"\['autoregressive_units'\] changed"):
        restarted.fit(np.zeros((10, 4), dtype=int))


def test_the_fit_builds_the_masked_network_and_trains_it_at_the_generators_rate(fitted, table):
    generator = fitted._trainer.generator
    assert fitted.autoregressive_units_ == generator.head.context_units == 8
    groups = generator_param_groups(generator, 1e-3, 0.1)
    assert any(p is generator.head.context_out for p in groups[0]["params"])
    assert not any(p is generator.head.context_out for p in groups[1]["params"])
    assert generator.head.context_out.abs().sum() > 0  # trained
    # "auto" (off on this table) and False build no network, whatever the units
    for autoregressive in ("auto", False):
        other = DiscreteBGAN(**(TINY | {"epochs": 1}), autoregressive=autoregressive,
                             autoregressive_units=8).fit(table)
        assert other.autoregressive_units_ == 0


def test_auto_units_build_no_network_for_the_matrix_head(table):
    est = DiscreteBGAN(**(TINY | {"epochs": 1}), autoregressive=True).fit(table)
    assert est.autoregressive_units == "auto"
    assert est.autoregressive_units_ == est.generator_.head.context_units == 0


@pytest.mark.parametrize("autoregressive, n_columns, units, expected", [
    (True, 3, "auto", 0), ("sequence", 3, "auto", SEQUENCE_UNITS), (True, 3, 8, 8),
    ("sequence", 3, 0, 0), ("sequence", 1, "auto", 0), (False, 3, 8, 0), (False, 3, "auto", 0),
])
def test_resolved_units(autoregressive, n_columns, units, expected):
    assert resolved_context_units(autoregressive, n_columns, units) == expected


@pytest.mark.parametrize("units, autoregressive, cardinalities, n_rows, expected", [
    ("auto", True, [2] * 37, 2_000, 256),  # game positions of 2,000 rows: the network
    ("auto", True, [2] * 36 + [3], 10_000, 256),
    ("auto", True, [2] * 37, 1_999, 0),  # fewer rows
    ("auto", True, [2] * 31, 2_000, 0),  # fewer columns
    ("auto", True, [2] * 65, 2_000, 0),  # wider rows (flattened images)
    ("auto", True, [2] * 36 + [4], 2_000, 0),  # a column of more categories
    (8, True, [2] * 3, 10, 8),  # a number is kept on any table
    ("auto", "sequence", [2] * 3, 10, SEQUENCE_UNITS),
    ("auto", False, [2] * 37, 2_000, 0),
])
def test_auto_units_build_the_network_on_large_tables_of_few_categories(
        units, autoregressive, cardinalities, n_rows, expected):
    assert context_units(units, autoregressive, cardinalities, n_rows) == expected


def test_auto_builds_the_network_on_a_board_table_and_a_warm_start_keeps_it():
    board = np.random.default_rng(0).integers(0, 2, (2_000, 32))
    fitted = DiscreteBGAN(**(TINY | {"epochs": 1, "batch_size": 500})).fit(board)
    assert fitted.autoregressive_ is True
    assert fitted.autoregressive_units_ == fitted.generator_.head.context_units == 256
    fitted.set_params(warm_start=True).fit(board[:100])  # fewer rows: still the first fit's
    assert fitted.autoregressive_units_ == 256 and fitted.n_iter_ == 2


def test_a_single_column_builds_no_network_and_warm_starts(table):
    one = DiscreteBGAN(**(TINY | {"epochs": 1}), autoregressive=True,
                       autoregressive_units=8).fit(table[:, :1])
    assert one.autoregressive_units_ == one.generator_.head.context_units == 0
    one.set_params(warm_start=True).fit(table[:, :1])  # the same networks: no error
    assert one.n_iter_ == 2


def test_a_config_saved_before_the_network_rebuilds_without_it():
    generator = Generator(CARDINALITIES, 2, (8,), autoregressive=True, context_units=8)
    config = {k: v for k, v in generator.config.items() if k != "context_units"}
    state = {k: v for k, v in generator.state_dict().items() if "context" not in k}
    assert rebuild(Generator, config, state, "cpu").head.context_units == 0
    assert Generator(CARDINALITIES, 2, (8,), context_units=8).config["context_units"] == 0


def test_the_dependence_learns_at_its_factor_of_the_rate_also_after_a_warm_start(fitted, table,
                                                                             tmp_path):
    def rates(estimator):
        return [(len(g["params"]), g["lr"]) for g in estimator._trainer.generator_opt.param_groups]

    n_others = len(list(fitted.generator_.parameters())) - 1
    # "auto" on a table of fewer than 2,000 rows: 0.1 throughout
    assert rates(fitted) == [(n_others, 1e-3), (1, pytest.approx(1e-4))]
    joblib.dump(fitted, tmp_path / "model.joblib")
    restarted = joblib.load(tmp_path / "model.joblib").set_params(
        warm_start=True, generator_lr=5e-4, epochs=1).fit(table)
    assert rates(restarted) == [(n_others, 5e-4), (1, pytest.approx(5e-5))]
    restarted.set_params(dependence_lr_factor=3.0).fit(table)  # a new factor applies at once
    assert rates(restarted) == [(n_others, 5e-4), (1, pytest.approx(1.5e-3))]


def test_auto_rate_is_slow_then_fast_on_large_tables_and_slow_on_small_ones():
    assert dependence_schedule(0.5, 10_000, 4_000) == (0.5, 0)  # a number: throughout
    assert dependence_schedule("auto", 1_999, 4_000) == (0.1, 0)
    assert dependence_schedule("auto", 2_000, 4_001) == (3.0, 2_000)


def test_the_dependence_learns_slowly_during_its_warm_up_and_a_warm_start_keeps_it():
    rows = np.random.default_rng(0).integers(0, 2, (2_000, 6))
    fitted = DiscreteBGAN(**{**TINY, "batch_size": 500}, autoregressive=True).fit(rows)
    trainer = fitted._trainer
    assert (trainer.step, trainer.config.dependence_warmup_steps) == (8, 4)
    for step, rate in [(0, 1e-4), (3, 1e-4), (4, 3e-3), (8, 3e-3)]:
        trainer.step = step
        trainer._set_dependence_rate()
        assert trainer.generator_opt.param_groups[1]["lr"] == pytest.approx(rate)
    trainer.step = 8
    fitted.set_params(warm_start=True, epochs=6).fit(rows)  # a longer fit: the warm-up stays
    assert fitted._trainer.config.dependence_warmup_steps == 4
    constant = DiscreteBGAN(**TINY, autoregressive=True, dependence_lr_factor=3.0).fit(rows)
    assert constant._trainer.config.dependence_warmup_steps == 0  # a number: no warm-up


def test_a_faster_dependence_moves_further_and_is_unused_without_the_head(table):
    slow, fast = (DiscreteBGAN(**TINY, autoregressive=True, dependence_lr_factor=f).fit(table)
                  for f in (0.1, 3.0))
    assert (fast.generator_.head.dependence[0].abs().max()
            > 5 * slow.generator_.head.dependence[0].abs().max())
    independent = [DiscreteBGAN(**TINY, autoregressive=False, dependence_lr_factor=f).fit(table)
                   for f in (0.1, 3.0)]
    np.testing.assert_array_equal(*(e.sample(50, random_state=0) for e in independent))


@pytest.mark.parametrize("params, message", [
    ({"architecture": "conv"}, "needs the MLP generator"),
    ({"dp_epsilon": 1.0, "categories": [[0, 1]] * 64}, "not available with dp_epsilon"),
])
def test_settings_it_cannot_serve_are_refused(params, message):
    images = np.random.default_rng(0).integers(0, 2, (20, 8, 8))
    with pytest.raises(ValueError, match=message):
        DiscreteBGAN(autoregressive=True, **params).fit(images.reshape(20, 64)
                                                         if "dp_epsilon" in params else images)


@pytest.mark.parametrize("shape, params, expected", [
    ((40, 32), {}, True),  # a table of 32 binary columns
    ((40, 31), {}, False),  # too few columns
    ((40, 8, 4), {}, False),  # image-shaped samples (MLP at this size)
    ((40, 32), {"dp_epsilon": 1.0, "categories": [[0, 1]] * 32}, False),
])
def test_auto_turns_it_on_for_tables_of_many_binary_columns(shape, params, expected):
    data = np.random.default_rng(0).integers(0, 2, shape)
    fitted = DiscreteBGAN(**(TINY | {"epochs": 1}), **params).fit(data)
    assert fitted.autoregressive_ is expected
    assert isinstance(fitted.generator_.head, AutoregressiveHead) is expected
    if not params:  # a warm start keeps what "auto" resolved to
        fitted.set_params(warm_start=True).fit(data)
        assert fitted.autoregressive_ is expected


@pytest.mark.parametrize("second, params, expected", [
    ("floats", {}, True),  # a numeric column: its bins are ordered categories others constrain
    ("wide integers", {}, True),  # over 50 distinct integers: numeric under "auto"
    ("wide integers", {"numeric_columns": []}, False),  # ... unless declared categorical
    ("few integers", {}, False),  # two categorical columns
])
def test_auto_turns_it_on_for_tables_with_numeric_columns(second, params, expected):
    rng = np.random.default_rng(0)
    column = {"floats": rng.normal(size=120), "wide integers": rng.integers(0, 200, 120),
              "few integers": rng.integers(0, 10, 120)}[second]
    data = np.column_stack([rng.integers(0, 5, 120), column])
    fitted = DiscreteBGAN(**(TINY | {"epochs": 1}), **params).fit(data)
    assert fitted.autoregressive_ is expected
    assert isinstance(fitted.generator_.head, AutoregressiveHead) is expected


def test_auto_leaves_it_off_beyond_its_limit_of_matrix_entries():
    rng = np.random.default_rng(0)
    amount = rng.normal(size=1_100)  # 20 bins
    for labels, expected in ((200, True), (201, False)):  # one block: the square of all
        table = pd.DataFrame({f"c{j}": [f"a{(k + 7 * j) % labels}" for k in range(1_100)]
                              for j in range(5)} | {"amount": amount})
        fitted = DiscreteBGAN(**(TINY | {"epochs": 1})).fit(table)
        total = sum(fitted._codec.cardinalities)
        assert total == 5 * labels + 20
        assert (total ** 2 <= AUTO_MAX_DEPENDENCE_ENTRIES) is expected
        assert fitted.autoregressive_ is expected  # the matrix is their square, as is its cost
    assert DiscreteBGAN(**(TINY | {"epochs": 1}), autoregressive=True).fit(table).autoregressive_


@pytest.mark.parametrize("limit, expected", [(MAX_CATEGORIES, True), (300, False)])
def test_auto_keeps_it_beside_a_column_of_many_labels_up_to_its_limit_of_categories(
        limit, expected, monkeypatch):
    monkeypatch.setattr(skbgan._estimator, "MAX_CATEGORIES", limit)
    rng = np.random.default_rng(0)
    n = 602  # 300 labels, not an identifier
    table = pd.DataFrame({"city": [f"c{k % 300}" for k in range(n)],
                          "kind": rng.integers(0, 3, n), "amount": rng.normal(size=n)})
    fitted = DiscreteBGAN(**(TINY | {"epochs": 1})).fit(table)
    assert fitted.autoregressive_ is expected  # 323 categories in all
    if expected:  # the city's rows of the matrix leave out the square of its labels
        assert sum(block.numel() for block in fitted.generator_.head.dependence) == (
            300 * 23 + 23 ** 2)
        drawn = fitted.sample(5, random_state=0)
        assert drawn["city"].str.startswith("c").all()
        restored = pickle.loads(pickle.dumps(fitted))  # the blocks and their optimiser state
        pd.testing.assert_frame_equal(restored.sample(5, random_state=0), drawn)
        restored.set_params(warm_start=True).fit(table)


def test_too_many_categories_are_refused():
    wide = np.tile(np.arange(MAX_CATEGORIES // 2 + 1), (2, 2)).T
    with pytest.raises(ValueError, match=f"{MAX_CATEGORIES + 2} categories"):
        DiscreteBGAN(autoregressive=True, numeric_columns=[]).fit(wide)
