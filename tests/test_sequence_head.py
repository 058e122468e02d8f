"""The sequence head (autoregressive="sequence"): one dependence shared along a string."""

import copy
import itertools

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone

import skbgan
from skbgan import DiscreteBGAN
from skbgan._autoregressive import (
    MAX_CATEGORIES,
    SEQUENCE_PAIR_MAX_CATEGORIES,
    AutoregressiveHead,
    SequenceHead,
    sequence_pairs,
)
from skbgan._networks import SEQUENCE_UNITS, Generator
from skbgan.cli import main
from skbgan.text import from_characters, to_characters

LENGTH, ALPHABET, LAGS = 5, 3, 2
TINY = {"epochs": 2, "generator_layers": (16,), "critic_layers": (8,), "latent_dim": 4,
        "score_latents": 64, "random_state": 0}


@pytest.fixture
def heads():
    """A sequence head with a strong dependence, and the full head holding the same matrix."""
    torch.manual_seed(0)
    sequence = SequenceHead(6, [ALPHABET] * LENGTH, LAGS)
    with torch.no_grad():
        sequence.dependence.normal_(std=1.5)
    full = AutoregressiveHead(6, [ALPHABET] * LENGTH)
    state = {k: v for k, v in sequence.state_dict().items() if k != "dependence"}
    full.load_state_dict(state, strict=False)
    k = ALPHABET
    with torch.no_grad():
        full.dependence[0].zero_()
        for i, j in itertools.combinations(range(LENGTH), 2):
            if j - i <= LAGS:  # column j reads column i through S[j - i]
                full.dependence[0][i * k:(i + 1) * k, j * k:(j + 1) * k] = (
                    sequence.dependence[j - i - 1])
    return sequence, full


@pytest.fixture
def all_rows():
    return torch.tensor(list(itertools.product(range(ALPHABET), repeat=LENGTH)))


def test_it_is_the_full_head_with_a_matrix_shared_along_the_row(heads, all_rows):
    sequence, full = heads
    codes = all_rows[::17]
    included = torch.rand(codes.shape, generator=torch.Generator().manual_seed(0)) < 0.7
    for seen in (None, included):
        torch.testing.assert_close(sequence.corrections(codes, seen)[0],
                                   full.corrections(codes, seen)[0])
    blocks = sequence.logits(torch.randn(3, 6))
    torch.testing.assert_close(sequence.cross_log_prob(blocks, all_rows),
                               full.cross_log_prob(blocks, all_rows))
    draws = [head.sample(blocks, 50, torch.Generator().manual_seed(1), temperature=0.8)
             for head in heads]
    torch.testing.assert_close(*draws)
    given = [head.sample_given(blocks, codes[:3], included[:3], torch.Generator().manual_seed(1))
             for head in heads]
    torch.testing.assert_close(given[0], given[1])


def test_each_latents_distribution_sums_to_one_and_draws_follow_it(heads, all_rows):
    sequence, _ = heads
    blocks = [b[:1] for b in sequence.logits(torch.randn(1, 6))]
    exact = sequence.cross_log_prob(blocks, all_rows)[:, 0].exp()
    assert exact.sum().item() == pytest.approx(1.0, abs=1e-5)
    drawn = sequence.sample(blocks, 100_000, torch.Generator().manual_seed(0))[0]
    index = np.ravel_multi_index(drawn.T.numpy(), [ALPHABET] * LENGTH)
    frequencies = np.bincount(index, minlength=len(all_rows)) / len(drawn)
    np.testing.assert_allclose(frequencies, exact.detach().numpy(), atol=0.006)


def test_its_parameters_are_lags_by_categories_squared_and_all_learn(heads, all_rows):
    sequence, _ = heads
    assert sequence.dependence.shape == (LAGS, ALPHABET, ALPHABET)
    blocks = sequence(torch.randn(2, 6))
    sequence.log_prob(blocks, all_rows[None, :40].expand(2, -1, -1)).sum().backward()
    assert (sequence.dependence.grad.abs().sum(dim=(1, 2)) > 0).all()


@pytest.fixture
def paired():
    """A sequence head that also reads the two columns before each column together."""
    torch.manual_seed(1)
    head = SequenceHead(6, [ALPHABET] * LENGTH, LAGS, pairs=True)
    with torch.no_grad():
        head.dependence.normal_(std=1.0)
        head.pair_dependence.normal_(std=1.5)
    return head


def test_pairs_add_the_table_row_of_the_two_columns_before(paired, all_rows):
    included = torch.rand(all_rows.shape, generator=torch.Generator().manual_seed(0)) < 0.7
    without = SequenceHead(6, [ALPHABET] * LENGTH, LAGS)
    without.dependence = paired.dependence
    for seen in (None, included):
        expected = without.corrections(all_rows, seen)[0].clone()
        for j in range(2, LENGTH):
            row = all_rows[:, j - 2] * ALPHABET + all_rows[:, j - 1]
            counts = (torch.ones(len(all_rows), dtype=torch.bool) if seen is None
                      else seen[:, j - 2] & seen[:, j - 1])
            expected[:, j] += paired.pair_dependence[row] * counts[:, None]
        torch.testing.assert_close(paired.corrections(all_rows, seen)[0], expected)


def test_with_pairs_each_latents_distribution_sums_to_one_and_draws_follow_it(paired, all_rows):
    blocks = [b[:1] for b in paired.logits(torch.randn(1, 6))]
    exact = paired.cross_log_prob(blocks, all_rows)[:, 0].exp()
    assert exact.sum().item() == pytest.approx(1.0, abs=1e-5)
    torch.testing.assert_close(paired.log_prob(blocks, all_rows[None])[0].exp(), exact)
    drawn = paired.sample(blocks, 100_000, torch.Generator().manual_seed(0))[0]
    index = np.ravel_multi_index(drawn.T.numpy(), [ALPHABET] * LENGTH)
    frequencies = np.bincount(index, minlength=len(all_rows)) / len(drawn)
    np.testing.assert_allclose(frequencies, exact.detach().numpy(), atol=0.006)
    # a row observed in full keeps its codes and is weighted by its probability
    rows = all_rows[::9]
    kept, log_weight = paired.sample_given([b.expand(len(rows), -1, -1) for b in blocks], rows,
                                           torch.ones_like(rows, dtype=torch.bool))
    torch.testing.assert_close(kept, rows)
    torch.testing.assert_close(log_weight.exp(), exact[::9])


def test_the_table_of_pairs_is_learned_for_rows_of_three_columns_of_few_categories():
    assert sequence_pairs([40] * 32) and sequence_pairs([SEQUENCE_PAIR_MAX_CATEGORIES] * 3)
    assert not sequence_pairs([SEQUENCE_PAIR_MAX_CATEGORIES + 1] * 32)  # k ** 3 entries
    assert not sequence_pairs([40] * 2)  # no column has two columns before it


def test_the_table_of_pairs_learns_beside_the_lags(paired, all_rows):
    assert paired.pair_dependence.shape == (ALPHABET ** 2, ALPHABET)
    blocks = paired(torch.randn(2, 6))
    paired.log_prob(blocks, all_rows[None, :40].expand(2, -1, -1)).sum().backward()
    assert paired.pair_dependence.grad.abs().sum() > 0
    assert (paired.dependence.grad.abs().sum(dim=(1, 2)) > 0).all()


@pytest.fixture
def networked():
    """A sequence head with the table of pairs and a hidden layer shared along the row."""
    torch.manual_seed(2)
    head = SequenceHead(6, [ALPHABET] * LENGTH, LAGS, pairs=True, context_units=8)
    with torch.no_grad():
        for parameter in (head.dependence, head.pair_dependence, head.context_bias,
                          head.context_out):
            parameter.normal_(std=1.0)
    return head


def test_the_hidden_layer_reads_the_lags_before_each_column(networked, all_rows):
    included = torch.rand(all_rows.shape, generator=torch.Generator().manual_seed(0)) < 0.7
    without = SequenceHead(6, [ALPHABET] * LENGTH, LAGS, pairs=True)
    without.dependence, without.pair_dependence = (networked.dependence,
                                                   networked.pair_dependence)
    into = networked.context_in.reshape(LAGS, ALPHABET, -1)
    for seen in (None, included):
        expected = without.corrections(all_rows, seen)[0].clone()
        counts = torch.ones(all_rows.shape) if seen is None else seen.float()
        for j in range(1, LENGTH):  # the first column reads nothing, not even the bias
            hidden = networked.context_bias.expand(len(all_rows), -1)
            for lag in range(1, min(LAGS, j) + 1):
                hidden = hidden + into[lag - 1, all_rows[:, j - lag]] * counts[:, j - lag, None]
            expected[:, j] += torch.relu(hidden) @ networked.context_out
        torch.testing.assert_close(networked.corrections(all_rows, seen)[0], expected)


def test_the_hidden_layer_over_rows_in_chunks_is_the_same(networked, all_rows, monkeypatch):
    whole = networked.corrections(all_rows)[0]
    (grad,) = torch.autograd.grad(whole.square().sum(), networked.context_in)
    monkeypatch.setattr(skbgan._networks, "ROW_CHUNK_ELEMENTS", 7 * (LENGTH - 1) * 8)
    chunked = networked.corrections(all_rows)[0]  # chunks of 7 rows
    torch.testing.assert_close(chunked, whole)
    torch.testing.assert_close(  # summed in another order
        torch.autograd.grad(chunked.square().sum(), networked.context_in)[0], grad, rtol=1e-5,
        atol=0)


def test_with_the_hidden_layer_each_latents_distribution_sums_to_one_and_draws_follow_it(
        networked, all_rows):
    blocks = [b[:1] for b in networked.logits(torch.randn(1, 6))]
    exact = networked.cross_log_prob(blocks, all_rows)[:, 0].exp()
    assert exact.sum().item() == pytest.approx(1.0, abs=1e-5)
    torch.testing.assert_close(networked.log_prob(blocks, all_rows[None])[0].exp(), exact)
    cold = copy.deepcopy(networked)  # temperature divides each column's corrected logits
    with torch.no_grad():
        for parameter in (cold.dependence, cold.pair_dependence, cold.context_out):
            parameter /= 0.5
    for temperature, model in ((1.0, networked), (0.5, cold)):
        drawn = networked.sample(blocks, 100_000, torch.Generator().manual_seed(0),
                                 temperature=temperature)[0]
        index = np.ravel_multi_index(drawn.T.numpy(), [ALPHABET] * LENGTH)
        frequencies = np.bincount(index, minlength=len(all_rows)) / len(drawn)
        tempered = model.cross_log_prob([b / temperature for b in blocks], all_rows)
        np.testing.assert_allclose(frequencies, tempered[:, 0].exp().detach().numpy(),
                                   atol=0.006)
    rows = all_rows[::9]
    kept, log_weight = networked.sample_given([b.expand(len(rows), -1, -1) for b in blocks],
                                              rows, torch.ones_like(rows, dtype=torch.bool))
    torch.testing.assert_close(kept, rows)
    torch.testing.assert_close(log_weight.exp(), exact[::9])


def test_the_hidden_layer_learns_and_starts_adding_nothing(all_rows):
    head = SequenceHead(6, [ALPHABET] * LENGTH, LAGS, context_units=8)
    assert head.context_in.shape == (LAGS * ALPHABET, 8)
    assert head.context_out.shape == (8, ALPHABET)
    torch.testing.assert_close(head.corrections(all_rows)[0],
                               torch.zeros(len(all_rows), LENGTH, ALPHABET))
    blocks = head(torch.randn(2, 6))
    head.log_prob(blocks, all_rows[None, :40].expand(2, -1, -1)).sum().backward()
    assert head.context_out.grad.abs().sum() > 0 and head.context_bias.grad is not None


WORDS = ["cat", "horse", "dog", "mouse", "cow", "hen", "goat", "sheep"]


@pytest.fixture(scope="module")
def strings():
    return to_characters(WORDS * 30)


@pytest.fixture(scope="module")
def fitted(strings):
    return DiscreteBGAN(autoregressive="sequence", **TINY).fit(strings)


def test_strings_fit_with_one_alphabet_for_every_position(fitted, strings):
    assert fitted.autoregressive_ == "sequence"
    assert isinstance(fitted.generator_.head, SequenceHead)
    # autoregressive_units="auto": the hidden layer over the characters before
    assert fitted.autoregressive_units_ == fitted.generator_.head.context_units == SEQUENCE_UNITS
    alphabet = sorted(set("".join(WORDS)) | {" "})
    for categories in fitted.categories_:  # positions that never saw a letter learn it too
        assert list(categories) == alphabet
    assert fitted.generator_.head.lags == strings.shape[1] - 1  # rows shorter than 8 lags
    assert fitted.generator_.head.pairs  # a small alphabet: the table of pairs too
    slow = fitted._trainer.generator_opt.param_groups[1]["params"]  # at the dependence's rate
    assert any(p is fitted._trainer.generator.head.pair_dependence for p in slow)
    samples = fitted.sample(40, random_state=0)
    assert samples.shape == (40, strings.shape[1])
    assert samples.dtype == strings.dtype and set(samples.ravel()) <= set(alphabet)
    assert len(from_characters(samples)) == 40
    np.testing.assert_array_equal(samples, fitted.sample(40, random_state=0))


def test_the_fit_builds_the_hidden_layer_and_trains_it_at_the_generators_rate(strings,
                                                                               tmp_path):
    est = DiscreteBGAN(autoregressive="sequence", autoregressive_units=8, **TINY).fit(strings)
    head = est._trainer.generator.head
    assert est.autoregressive_units_ == head.context_units == 8
    assert head.context_in.shape == (head.lags * len(est.categories_[0]), 8)
    groups = est._trainer.generator_opt.param_groups
    assert any(p is head.context_out for p in groups[0]["params"])
    assert not any(p is head.context_out for p in groups[1]["params"])
    assert head.context_out.abs().sum() > 0  # trained
    expected = est.sample(20, random_state=3)
    est.save(tmp_path / "model.skbgan")
    loaded = skbgan.load(tmp_path / "model.skbgan")
    assert loaded.autoregressive_units_ == 8
    np.testing.assert_array_equal(loaded.sample(20, random_state=3), expected)
    np.testing.assert_allclose(loaded.score_samples(strings[:8]), est.score_samples(strings[:8]))
    est.set_params(warm_start=True, epochs=1, autoregressive_units=16)
    with pytest.raises(ValueError, match=r"\['autoregressive_units'\] changed"):
        est.fit(strings)


def test_no_units_build_the_head_without_its_hidden_layer(strings):
    est = DiscreteBGAN(autoregressive="sequence", autoregressive_units=0,
                       **(TINY | {"epochs": 1})).fit(strings)
    assert est.autoregressive_units_ == est.generator_.head.context_units == 0
    assert not hasattr(est.generator_.head, "context_in")


def test_a_gap_in_one_column_is_a_category_of_every_column():
    frame = pd.DataFrame({"a": ["x", None] * 20, "b": ["y", "z"] * 20})
    est = DiscreteBGAN(autoregressive="sequence", **(TINY | {"epochs": 1})).fit(frame)
    for categories in est.categories_:
        assert list(categories) == ["x", "y", "z", None]
    assert not est.generator_.head.pairs  # two columns: nothing to read in pairs


def test_categorical_columns_take_every_positions_labels_in_samples_and_imputations():
    frame = pd.DataFrame(to_characters(["ab", "ba", "cab", "b"] * 10)).astype("category")
    assert list(frame[1].cat.categories) == [" ", "a", "b"]  # no "c" at the second position
    est = DiscreteBGAN(autoregressive="sequence", **(TINY | {"epochs": 1})).fit(frame)
    samples = est.sample(500, random_state=0)
    assert (samples[1] == "c").any()  # drawn where the column never had it, and kept
    assert not samples.isna().any().any()
    for column in samples:  # its own categories first, then the alphabet's others
        own = list(frame[column].cat.categories)
        assert list(samples[column].cat.categories) == own + [
            label for label in [" ", "a", "b", "c"] if label not in own]
    gaps = frame.copy()
    gaps.iloc[::2, 1] = None
    filled = est.impute(gaps, random_state=0)
    assert not filled.isna().any().any()
    assert (filled[1] == "c").any() and list(filled[1].cat.categories) == [" ", "a", "b", "c"]


def test_polars_enums_take_every_positions_labels_in_samples_and_imputations():
    pl = pytest.importorskip("polars")
    strings = to_characters(["ab", "ba", "cab", "b"] * 10)
    frame = pl.DataFrame({f"p{j}": pl.Series(strings[:, j], dtype=pl.Enum(sorted(set(strings[:, j]))))
                          for j in range(strings.shape[1])})
    est = DiscreteBGAN(autoregressive="sequence", **(TINY | {"epochs": 1})).fit(frame)
    expected = {name: pl.Enum(list(kind.categories) + [
        label for label in [" ", "a", "b", "c"] if label not in kind.categories])
        for name, kind in frame.schema.items()}
    assert dict(est.sample(20, random_state=0).schema) == expected
    gaps = frame.with_columns(p1=pl.when(pl.int_range(pl.len()) % 2 == 0).then(None)
                              .otherwise(pl.col("p1")))
    filled = est.impute(gaps, random_state=0)  # fills "c" where the enum lacked it
    assert (filled["p1"] == "c").any() and filled["p1"].null_count() == 0
    assert filled.schema["p1"] == pl.Enum([" ", "a", "b", "c"])
    assert filled.schema["p0"] == frame.schema["p0"]


def test_a_generator_config_written_before_the_table_rebuilds_without_it(fitted):
    config = {k: v for k, v in fitted.generator_.config.items() if k != "sequence_pairs"}
    state = {k: v for k, v in fitted.generator_.state_dict().items()
             if k != "head.pair_dependence"}
    generator = Generator(**config)
    generator.load_state_dict(state)  # strict: no table expected
    assert not generator.head.pairs


def test_scores_sum_to_one_over_every_row_of_a_tiny_alphabet():
    rows = np.random.default_rng(0).integers(0, 2, (200, 3))
    rows[:, 2] = rows[:, 1]  # a dependence the head can learn
    est = DiscreteBGAN(autoregressive="sequence", **TINY).fit(rows)
    every_row = np.array(list(itertools.product([0, 1], repeat=3)))
    assert np.exp(est.score_samples(every_row)).sum() == pytest.approx(1.0, abs=1e-5)


def test_binary_strings_take_the_encoder_proposal_with_it():
    rows = np.random.default_rng(0).integers(0, 2, (100, 32))  # "auto": the encoder's kind
    est = DiscreteBGAN(autoregressive="sequence", **(TINY | {"epochs": 1})).fit(rows)
    assert est.likelihood_proposal_ == "encoder" and isinstance(est.generator_.head, SequenceHead)
    assert np.isfinite(est.score_samples(rows[:10])).all()


def test_conditions_imputation_and_prediction(fitted, strings):
    conditioned = fitted.sample(20, random_state=0, conditions={0: "h", 4: "e"})
    assert (conditioned[:, 0] == "h").all() and (conditioned[:, 4] == "e").all()
    gaps = pd.DataFrame(strings[:10]).astype(object)
    gaps.iloc[::2, 1] = None
    filled = fitted.impute(gaps.to_numpy(), random_state=0)
    np.testing.assert_array_equal(filled[1::2], strings[1:10:2])
    proba = fitted.predict_proba(strings[:5], target=1)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)


def test_saved_pickled_cloned_and_warm_started(fitted, strings, tmp_path):
    expected = fitted.sample(20, random_state=3)
    fitted.save(tmp_path / "model.skbgan")
    loaded = skbgan.load(tmp_path / "model.skbgan")
    assert loaded.autoregressive_ == "sequence"
    np.testing.assert_array_equal(loaded.sample(20, random_state=3), expected)
    joblib.dump(fitted, tmp_path / "model.joblib")
    restarted = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(restarted.sample(20, random_state=3), expected)
    assert clone(fitted).get_params()["autoregressive"] == "sequence"
    restarted.set_params(warm_start=True, epochs=1).fit(strings)
    assert isinstance(restarted.generator_.head, SequenceHead)
    restarted.set_params(autoregressive=True)  # "auto" units: a warm start keeps the first's
    with pytest.raises(ValueError, match=r"\['autoregressive'\] changed"):
        restarted.fit(strings)


def test_the_command_line_fits_strings_with_it(tmp_path):
    data, model = tmp_path / "words.csv", tmp_path / "model.skbgan"
    pd.DataFrame(to_characters(WORDS * 5)).to_csv(data, index=False)
    assert main(["fit", str(data), "-o", str(model), "--epochs", "1", "--seed", "0",
                 "--quiet", "--device", "cpu", "--autoregressive", "sequence"]) == 0
    assert skbgan.load(model).autoregressive_ == "sequence"
    assert skbgan.load(model).autoregressive_units_ == SEQUENCE_UNITS
    assert main(["fit", str(data), "-o", str(model), "--epochs", "1", "--seed", "0",
                 "--quiet", "--device", "cpu", "--autoregressive", "sequence",
                 "--autoregressive-units", "0"]) == 0
    assert skbgan.load(model).autoregressive_units_ == 0


@pytest.mark.parametrize("X, params, message", [
    (pd.DataFrame({"a": ["x", "y"] * 20, "b": [1, 2] * 20}), {},
     r"column 'b' has \[1, 2\] where column 'a' has \['x', 'y'\]"),
    (np.array([["x", "y"], ["y", "z"]] * 20), {"categories": [["x", "y"], ["y", "z"]]},
     r"column 1 has \['y', 'z'\] where column 0 has \['x', 'y'\]"),
    (pd.DataFrame({"a": ["x", "y"] * 20, "b": np.linspace(0, 1, 40)}), {},
     "column 'b' is numeric"),
    (np.random.default_rng(0).integers(0, 300, (400, 6)), {},  # many symbols: numbers
     r"column 0 is numeric \(learned as bins\)\. Pass numeric_columns=\[\]"),
    (np.zeros((20, 16, 16), dtype=int), {"architecture": "conv"}, "needs the MLP generator"),
    (np.zeros((20, 4), dtype=int), {"dp_epsilon": 1.0, "categories": [[0, 1]] * 4},
     "not available with dp_epsilon"),
])
def test_tables_it_cannot_serve_are_refused(X, params, message):
    with pytest.raises(ValueError, match=message):
        DiscreteBGAN(autoregressive="sequence", **(TINY | params)).fit(X)


def test_an_alphabet_of_many_integer_symbols_fits_as_categories():
    symbols = np.random.default_rng(0).integers(0, 300, (400, 6))
    est = DiscreteBGAN(autoregressive="sequence", numeric_columns=[],
                       **(TINY | {"epochs": 1})).fit(symbols)
    assert len(est.categories_[0]) == len(np.unique(symbols))
    assert np.isin(est.sample(20, random_state=0), symbols).all()


@pytest.mark.filterwarnings("ignore:Column . has 4097 distinct labels")
def test_too_many_categories_per_column_are_refused():
    wide = np.tile(np.arange(MAX_CATEGORIES + 1), (2, 1)).T
    with pytest.raises(ValueError, match=f"columns have {MAX_CATEGORIES + 1}"):
        DiscreteBGAN(autoregressive="sequence", numeric_columns=[]).fit(wide)
