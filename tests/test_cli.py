"""The command line: fit, sample, impute, evaluate, demo, and its errors."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import skbgan
from skbgan.cli import _parser, main


@pytest.fixture
def csv(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "colour": rng.choice(["red", "blue", ""], size=120),
        "size": rng.choice(["S", "M", "L"], size=120),
        "n": rng.integers(0, 3, size=120),
    })
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path


def test_fit_sample_evaluate(csv, tmp_path, capsys):
    model, out = tmp_path / "model.skbgan", tmp_path / "synthetic.csv"
    assert main(["fit", str(csv), "-o", str(model), "--epochs", "2", "--seed", "0",
                 "--quiet", "--device", "cpu"]) == 0
    assert main(["sample", str(model), "-n", "50", "-o", str(out), "--seed", "1"]) == 0
    synthetic = pd.read_csv(out, dtype=str)
    real = pd.read_csv(csv, dtype=str)
    assert list(synthetic.columns) == ["colour", "size", "n"] and len(synthetic) == 50
    assert set(synthetic["size"]) <= {"S", "M", "L"}
    assert set(synthetic["colour"].dropna()) <= set(real["colour"].dropna())
    resampled = tmp_path / "resampled.csv"
    assert main(["sample", str(model), "-n", "50", "-o", str(resampled), "--seed", "1",
                 "--candidates", "4"]) == 0
    assert set(pd.read_csv(resampled, dtype=str)["size"]) <= {"S", "M", "L"}
    capsys.readouterr()
    assert main(["evaluate", str(csv), str(out), "--train", str(csv)]) == 0
    printed = capsys.readouterr().out
    for metric in ("marginal_tv", "pairwise_tv", "detection_auc", "novelty"):
        assert metric in printed
    assert main(["evaluate", str(csv), str(out), "--train", str(csv), "--privacy"]) == 0
    printed = capsys.readouterr().out
    for figure in ("exact_copies", "dcr_closer_to_train", "membership_auc_distance"):
        assert figure in printed
    assert main(["evaluate", str(csv), str(out), "--privacy"]) == 1
    assert "--privacy needs --train" in capsys.readouterr().err


def test_evaluate_reports_machine_learning_efficacy(tmp_path, capsys):
    rng = np.random.default_rng(0)
    a, b = rng.choice(["x", "y"], size=(2, 400))
    label = np.where(rng.random(400) < 0.9, np.where(a == b, "same", "other"), "other")
    frame = pd.DataFrame({"a": a, "b": b, "label": label})
    train, test, wrong = tmp_path / "train.csv", tmp_path / "test.csv", tmp_path / "wrong.csv"
    frame[:300].to_csv(train, index=False)
    frame[300:].to_csv(test, index=False)
    flipped = np.where(label[:300] == "same", "other", "same")  # the rule turned round
    frame[:300].assign(label=flipped).to_csv(wrong, index=False)
    for synthetic, good in ((train, True), (wrong, False)):
        assert main(["evaluate", str(test), str(synthetic), "--train", str(train),
                     "--target", "label"]) == 0
        report = dict(line.split() for line in capsys.readouterr().out.splitlines())
        assert float(report["efficacy_real_auc"]) > 0.8
        assert (float(report["efficacy_gap"]) < 0.05) == good
    # --weights: the --train file's column weighs the training rows; weight only on the
    # rows whose rule is turned round, and the classifier trained on them learns it so
    turned = rng.random(300) < 0.3
    mixed = frame[:300].assign(label=np.where(turned, flipped, label[:300]))
    weighted_train, weighted_test = tmp_path / "weighted_train.csv", tmp_path / "weighted_test.csv"
    frame[300:].assign(w=1.0).to_csv(weighted_test, index=False)
    for weights, learns_the_rule in ((np.ones(300), True), (turned.astype(float), False)):
        mixed.assign(w=weights).to_csv(weighted_train, index=False)
        assert main(["evaluate", str(weighted_test), str(train), "--train", str(weighted_train),
                     "--weights", "w", "--target", "label"]) == 0
        report = dict(line.split() for line in capsys.readouterr().out.splitlines())
        assert (float(report["efficacy_real_auc"]) > 0.8) == learns_the_rule
    assert main(["evaluate", str(test), str(train), "--target", "label"]) == 1
    assert "--target needs --train" in capsys.readouterr().err
    assert main(["evaluate", str(test), str(train), "--train", str(train),
                 "--target", "nope"]) == 1
    assert "target='nope' is not a column" in capsys.readouterr().err


def test_fit_with_early_stopping(csv, tmp_path, capsys):
    model = tmp_path / "model.skbgan"
    assert main(["fit", str(csv), "-o", str(model), "--epochs", "40", "--seed", "0", "--quiet",
                 "--device", "cpu", "--validation-fraction", "0.25",
                 "--n-iter-no-change", "1"]) == 0
    est = skbgan.load(model)
    assert est.validation_fraction == 0.25 and est.n_iter_no_change == 1
    assert 1 <= est.best_epoch_ < est.n_iter_ < 40  # one epoch without a rise stops it
    assert "validation_log_likelihood" in est.history_[-1]
    assert f"in {est.n_iter_} epochs, keeping epoch {est.best_epoch_};" in capsys.readouterr().out


def test_early_stopping_needs_a_validation_fraction(csv, tmp_path, capsys):
    assert main(["fit", str(csv), "-o", str(tmp_path / "m.skbgan"), "--epochs", "2",
                 "--quiet", "--n-iter-no-change", "3"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("skbgan fit: error:") and "validation_fraction" in err


def test_fit_with_differential_privacy(csv, tmp_path, capsys):
    codebook = tmp_path / "categories.json"
    codebook.write_text('{"colour": ["red", "blue", "green", null], "size": ["S", "M", "L"], '
                        '"n": [0, 1, 2]}')
    model, out = tmp_path / "model.skbgan", tmp_path / "synthetic.csv"
    base = ["fit", str(csv), "-o", str(model), "--epochs", "2", "--seed", "0", "--quiet",
            "--device", "cpu", "--dp-epsilon", "2"]
    assert main(base) == 1
    assert "--dp-epsilon needs --categories" in capsys.readouterr().err
    assert main([*base, "--categories", str(codebook)]) == 0
    printed = capsys.readouterr().out
    assert "differential privacy: epsilon=" in printed and "delta=6.94e-05" in printed
    assert main(["sample", str(model), "-n", "30", "-o", str(out), "--seed", "1"]) == 0
    assert set(pd.read_csv(out, dtype=str)["size"]) <= {"S", "M", "L"}
    codebook.write_text('{"colour": ["red", "blue", null], "size": ["S", "M", "L"]}')
    assert main([*base, "--categories", str(codebook)]) == 1
    assert "missing ['n']" in capsys.readouterr().err


def test_impute_fills_empty_cells_only(csv, tmp_path):
    model, gaps, out = tmp_path / "model.skbgan", tmp_path / "gaps.csv", tmp_path / "filled.csv"
    assert main(["fit", str(csv), "-o", str(model), "--epochs", "2", "--seed", "0",
                 "--quiet", "--device", "cpu"]) == 0
    real = pd.read_csv(csv, dtype=str)
    holed = real.copy()
    holed.loc[::4, "size"] = None
    holed.to_csv(gaps, index=False)
    assert main(["impute", str(model), str(gaps), "-o", str(out), "--seed", "0"]) == 0
    filled = pd.read_csv(out, dtype=str)
    assert list(filled.columns) == list(real.columns) and len(filled) == len(real)
    assert filled["size"].notna().all() and set(filled["size"]) <= {"S", "M", "L"}
    kept = holed["size"].notna()
    assert (filled.loc[kept, "size"] == real.loc[kept, "size"]).all()


def test_sample_and_impute_write_to_standard_output_for_a_dash(csv, tmp_path, capsys):
    import io

    model = tmp_path / "model.skbgan"
    assert main(["fit", str(csv), "-o", str(model), "--epochs", "1", "--seed", "0",
                 "--quiet", "--device", "cpu"]) == 0
    capsys.readouterr()
    assert main(["sample", str(model), "-n", "7", "-o", "-", "--seed", "1"]) == 0
    printed = capsys.readouterr()
    rows = pd.read_csv(io.StringIO(printed.out), dtype=str)
    assert list(rows.columns) == ["colour", "size", "n"] and len(rows) == 7
    assert "7 rows written to standard output" in printed.err
    assert not (tmp_path / "-").exists()
    assert main(["impute", str(model), str(csv), "-o", "-", "--seed", "0"]) == 0
    printed = capsys.readouterr()
    assert len(pd.read_csv(io.StringIO(printed.out))) == 120
    assert "120 rows with their empty cells filled written to standard output" in printed.err


def test_a_reader_that_stops_early_is_not_an_error(csv, tmp_path):
    model = tmp_path / "model.skbgan"
    assert main(["fit", str(csv), "-o", str(model), "--epochs", "1", "--seed", "0",
                 "--quiet", "--device", "cpu"]) == 0
    command = [sys.executable, "-m", "skbgan", "sample", str(model), "-n", "200000", "-o", "-"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline().decode().strip() == "colour,size,n"
    process.stdout.close()  # as `| head -1` does
    assert process.wait(timeout=120) == 0
    assert process.stderr.read() == b""


def test_impute_with_a_model_fitted_on_an_array(tmp_path):
    from skbgan import DiscreteBGAN

    X = np.random.default_rng(0).integers(0, 3, size=(200, 3))
    model, gaps, out = tmp_path / "m.skbgan", tmp_path / "gaps.csv", tmp_path / "out.csv"
    DiscreteBGAN(epochs=2, device="cpu", random_state=0).fit(X).save(model)
    holed = pd.DataFrame(X[:20].astype(float))
    holed.iloc[::3, 1] = np.nan
    holed.to_csv(gaps, index=False)
    assert main(["impute", str(model), str(gaps), "-o", str(out), "--seed", "0"]) == 0
    filled = pd.read_csv(out)
    assert filled.notna().all().all() and len(filled) == 20


@pytest.mark.parametrize(
    "argv, message",
    [
        (["fit", "missing.csv", "-o", "m.skbgan"], "No such file"),
        (["sample", "missing.skbgan", "-n", "5", "-o", "x.csv"], "No such file"),
        (["evaluate", "missing.csv", "other.csv"], "No such file"),
        (["impute", "missing.skbgan", "gaps.csv", "-o", "x.csv"], "No such file"),
        # checked before the data is read, so before any training
        (["fit", "missing.csv", "-o", "no/such/dir/m.skbgan"], "no directory"),
        (["fit", "missing.csv", "-o", "."], "it is a directory"),
    ],
)
def test_bad_input_gives_one_line_and_non_zero_exit(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"skbgan {argv[0]}: error:") and message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("text, message", [
    ("colour;size\nred;S\nblue;M\n", "looks separated by something other than commas"),
    ("colour\tsize\nred\tS\n", "looks separated by something other than commas"),
    ("colour,size\n", "a header but no rows"),
    ("", "data.csv: an empty file, not even a header"),
    ("colour,size\nred,S\nblue,M,L\n", "data.csv: not a table of equal rows: Error tokenizing"),
])
def test_a_file_that_is_not_a_comma_separated_table_is_an_error(text, message, tmp_path,
                                                                 capsys):
    data = tmp_path / "data.csv"
    data.write_text(text)
    assert main(["fit", str(data), "-o", str(tmp_path / "m.skbgan"), "--quiet"]) == 1
    assert message in capsys.readouterr().err


def test_a_repeated_column_name_is_an_error(tmp_path, capsys):
    data = tmp_path / "twice.csv"
    data.write_text("colour,size,colour\nred,S,blue\nblue,M,red\n")
    assert main(["fit", str(data), "-o", str(tmp_path / "m.skbgan"), "--quiet"]) == 1
    assert "repeats the column names ['colour']" in capsys.readouterr().err


def test_fit_reads_a_csv_piped_to_standard_input(csv, tmp_path):
    model = tmp_path / "model.skbgan"
    done = subprocess.run(  # a pipe, not a file: it can be read only once
        [sys.executable, "-m", "skbgan", "fit", "/dev/stdin", "-o", str(model),
         "--epochs", "1", "--quiet", "--device", "cpu"],
        check=False, input=csv.read_text(), capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert list(skbgan.load(model).feature_names_in_) == ["colour", "size", "n"]


def test_a_blank_header_cell_names_its_column_as_pandas_does(tmp_path):
    data = tmp_path / "blank.csv"
    data.write_text("colour,,size\nred,1,S\nblue,2,M\nred,1,M\n")
    model, out = tmp_path / "m.skbgan", tmp_path / "out.csv"
    assert main(["fit", str(data), "-o", str(model), "--epochs", "1", "--quiet",
                 "--device", "cpu"]) == 0
    assert main(["sample", str(model), "-n", "5", "-o", str(out)]) == 0
    assert list(pd.read_csv(out).columns) == list(pd.read_csv(data).columns)


def test_fit_rejects_epochs_that_are_not_a_number(csv, capsys):
    with pytest.raises(SystemExit):
        main(["fit", str(csv), "-o", "m.skbgan", "--epochs", "many"])
    assert "argument --epochs: 'many' is neither 'auto' nor an integer" in capsys.readouterr().err


def test_fit_rejects_a_dependence_rate_that_is_not_a_number(csv, capsys):
    with pytest.raises(SystemExit):
        main(["fit", str(csv), "-o", "m.skbgan", "--dependence-lr-factor", "fast"])
    assert "'fast' is neither 'auto' nor a number" in capsys.readouterr().err


def test_sample_rejects_non_positive_n(csv, tmp_path, capsys):
    model = tmp_path / "model.skbgan"
    main(["fit", str(csv), "-o", str(model), "--epochs", "1", "--quiet", "--device", "cpu"])
    assert main(["sample", str(model), "-n", "0", "-o", str(tmp_path / "x.csv")]) == 1
    assert "-n must be a positive integer" in capsys.readouterr().err


def test_sample_and_impute_take_a_precision(csv, tmp_path, capsys):
    model = tmp_path / "model.skbgan"
    main(["fit", str(csv), "-o", str(model), "--epochs", "1", "--quiet", "--device", "cpu"])
    drawn = {}
    for precision in ("float32", "bfloat16", "float32"):
        out = tmp_path / f"{precision}.csv"
        assert main(["sample", str(model), "-n", "300", "-o", str(out), "--seed", "0",
                     "--precision", precision]) == 0
        drawn.setdefault(precision, []).append(out.read_text())
    assert drawn["float32"][0] == drawn["float32"][1]
    assert drawn["bfloat16"][0].splitlines()[0] == drawn["float32"][0].splitlines()[0]
    filled = tmp_path / "filled.csv"
    assert main(["impute", str(model), str(csv), "-o", str(filled), "--seed", "0",
                 "--precision", "bfloat16"]) == 0
    assert not pd.read_csv(filled)["colour"].isna().any()
    with pytest.raises(SystemExit):
        main(["sample", str(model), "-n", "5", "-o", str(filled), "--precision", "half"])
    assert "invalid choice: 'half'" in capsys.readouterr().err


def test_evaluate_rejects_different_columns(csv, tmp_path, capsys):
    other = tmp_path / "other.csv"
    pd.DataFrame({"a": [1]}).to_csv(other, index=False)
    assert main(["evaluate", str(csv), str(other)]) == 1
    assert "different columns" in capsys.readouterr().err


def test_module_entry_point_help():
    result = subprocess.run([sys.executable, "-m", "skbgan", "--help"],
                            capture_output=True, text=True, check=True)
    for command in ("fit", "sample", "evaluate", "demo"):
        assert command in result.stdout


def test_demo_writes_png_and_reports(tmp_path, capsys):
    png = tmp_path / "digits.png"
    assert main(["demo", "-o", str(png), "--epochs", "1", "--device", "cpu"]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    printed = capsys.readouterr().out
    assert "detection_auc" in printed and "independent columns" in printed


def test_demo_fits_the_estimators_default_epochs(monkeypatch, capsys):
    epochs = []
    monkeypatch.setattr("skbgan._demo.run_demo", lambda *args, **kw: epochs.append(kw["epochs"]))
    main(["demo"])
    main(["demo", "--epochs", "3"])
    assert epochs == ["auto", 3]
    with pytest.raises(SystemExit):
        main(["demo", "--epochs", "many"])
    assert "'many' is neither 'auto' nor an integer" in capsys.readouterr().err


def test_sample_with_conditions(csv, tmp_path, capsys):
    model, out = tmp_path / "model.skbgan", tmp_path / "synthetic.csv"
    main(["fit", str(csv), "-o", str(model), "--epochs", "1", "--quiet", "--device", "cpu"])
    assert main(["sample", str(model), "-n", "40", "-o", str(out), "--condition", "size=M",
                 "--condition", "colour=", "--condition", "n=2"]) == 0
    synthetic = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert (synthetic["size"] == "M").all() and (synthetic["colour"] == "").all()
    assert (synthetic["n"] == "2").all()
    capsys.readouterr()
    for condition, message in [("size=XL", "size' = 'XL' is impossible"),
                               ("weight=3", "'weight': no such column"),
                               ("size", "must look like column=value")]:
        assert main(["sample", str(model), "-n", "5", "-o", str(out),
                     "--condition", condition]) == 1
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1


def test_sample_array_model_with_index_condition(tmp_path, tiny):
    from skbgan import DiscreteBGAN

    X = np.random.default_rng(0).integers(-2, 3, size=(100, 3))
    model, out = tmp_path / "model.skbgan", tmp_path / "synthetic.csv"
    DiscreteBGAN(**tiny).fit(X).save(model)
    assert main(["sample", str(model), "-n", "20", "-o", str(out), "--condition", "1=-2"]) == 0
    synthetic = pd.read_csv(out)
    assert synthetic.shape == (20, 3) and (synthetic["1"] == -2).all()


def test_numeric_columns_from_a_csv(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"age": rng.integers(18, 90, 200),
                          "income": np.round(rng.lognormal(10, 1, 200), 2),
                          "tenure": rng.choice(["rent", "own"], 200)})
    frame.loc[:9, "income"] = np.nan
    data, model, out = tmp_path / "data.csv", tmp_path / "model.skbgan", tmp_path / "out.csv"
    frame.to_csv(data, index=False)
    assert main(["fit", str(data), "-o", str(model), "--numeric", "age", "income",
                 "--n-bins", "5", "--epochs", "2", "--seed", "0", "--quiet",
                 "--device", "cpu", "--likelihood-proposal", "encoder",
                 "--autoregressive", "on", "--autoregressive-units", "8",
                 "--dependence-lr-factor", "3"]) == 0
    assert skbgan.load(model).likelihood_proposal_ == "encoder"
    assert skbgan.load(model).autoregressive_
    assert skbgan.load(model).autoregressive_units_ == 8
    assert skbgan.load(model).dependence_lr_factor == 3
    assert main(["sample", str(model), "-n", "40", "-o", str(out), "--seed", "1",
                 "--condition", "age=33", "--condition", "income=1234.5"]) == 0
    synthetic = pd.read_csv(out)
    assert (synthetic["age"] == 33).all() and (synthetic["income"] == 1234.5).all()
    main(["sample", str(model), "-n", "300", "-o", str(out), "--seed", "1"])
    synthetic = pd.read_csv(out)
    assert synthetic["age"].between(18, 89).all() and synthetic["income"].isna().any()
    gaps = tmp_path / "gaps.csv"
    frame.head(20).assign(age=None).to_csv(gaps, index=False)
    assert main(["impute", str(model), str(gaps), "-o", str(out), "--seed", "0"]) == 0
    assert pd.read_csv(out)["age"].between(18, 89).all()
    capsys.readouterr()
    assert main(["evaluate", str(data), str(out), "--numeric", "age", "income"]) == 0
    assert "pairwise_tv" in capsys.readouterr().out
    frame.astype({"age": object}).assign(age=lambda f: f["age"].where(f.index != 3, "old")).to_csv(
        data, index=False)
    assert main(["fit", str(data), "-o", str(model), "--numeric", "age"]) == 1
    assert "Column 'age' is numeric but holds 'old' (row 4)" in capsys.readouterr().err


def test_columns_of_numbers_read_as_labels_are_named_with_the_option(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"age of head": rng.integers(18, 90, 200),  # > 50 whole numbers
                          "income": np.round(rng.lognormal(10, 1, 200), 2),  # fractions
                          "kids": rng.integers(0, 4, 200),  # few whole numbers: labels
                          "tenure": rng.choice(["rent", "own"], 200)})
    frame.loc[:9, "income"] = np.nan  # empty cells are no obstacle
    data, model = tmp_path / "data.csv", tmp_path / "model.skbgan"
    frame.to_csv(data, index=False)
    fit = ["fit", str(data), "-o", str(model), "--epochs", "1", "--quiet", "--device", "cpu"]
    assert main(fit) == 0
    note = capsys.readouterr().err
    assert note.startswith("note: columns 'age of head', 'income' hold nothing but numbers")
    assert "each distinct value is learned as a category of its own" in note
    assert note.rstrip().endswith("--numeric 'age of head' income reads them as numbers.")
    assert main(fit + ["--numeric", "income"]) == 0
    assert capsys.readouterr().err.startswith("note: column 'age of head' holds")
    assert main(fit + ["--numeric", "age of head", "income"]) == 0
    assert "note" not in capsys.readouterr().err
    assert main(["evaluate", str(data), str(data)]) == 0
    assert "the metrics compare them value by value" in capsys.readouterr().err


def test_fit_with_a_column_of_weights(tmp_path, capsys):
    rng = np.random.default_rng(0)
    size = rng.choice(["S", "L"], size=600)
    frame = pd.DataFrame({"size": size, "colour": rng.choice(["red", "blue"], size=600),
                          "weight": np.where(size == "S", 9.0, 1.0)})
    data, model, out = tmp_path / "data.csv", tmp_path / "model.skbgan", tmp_path / "out.csv"
    frame.to_csv(data, index=False)
    assert main(["fit", str(data), "-o", str(model), "--weights", "weight", "--epochs", "10",
                 "--seed", "0", "--quiet", "--device", "cpu"]) == 0
    assert "600 rows x 2 columns weighted by weight" in capsys.readouterr().out
    assert main(["sample", str(model), "-n", "2000", "-o", str(out), "--seed", "1"]) == 0
    synthetic = pd.read_csv(out, dtype=str)
    assert list(synthetic.columns) == ["size", "colour"]
    assert (synthetic["size"] == "S").mean() > 0.75  # 0.9 of the weight, 0.5 of the rows
    capsys.readouterr()
    assert main(["evaluate", str(data), str(out), "--weights", "weight", "--train",
                 str(data)]) == 0
    weighted = dict(line.split() for line in capsys.readouterr().out.splitlines())
    unweighted = tmp_path / "unweighted.csv"
    frame.drop(columns="weight").to_csv(unweighted, index=False)
    assert main(["evaluate", str(unweighted), str(out)]) == 0
    plain = dict(line.split() for line in capsys.readouterr().out.splitlines())
    assert float(weighted["marginal_tv"]) < float(plain["marginal_tv"])
    assert main(["evaluate", str(data), str(out), "--weights", "weight", "--train",
                 str(data), "--target", "colour"]) == 0  # the training rows weighted too
    assert "efficacy_gap" in capsys.readouterr().out
    for weights, message in (["nope", "--weights nope: no such column"],
                             ["colour", "--weights colour: row 1 holds 'blue', not a number"]):
        assert main(["fit", str(data), "-o", str(model), "--weights", weights]) == 1
        assert message in capsys.readouterr().err
    assert main(["fit", str(data), "-o", str(model), "--weights", "weight",
                 "--numeric", "weight"]) == 1
    assert "--weights weight is also a --numeric column" in capsys.readouterr().err


def test_the_api_reference_lists_every_option_of_every_command():
    api = (Path(__file__).resolve().parent.parent / "docs" / "api.rst").read_text()
    synopsis = api[api.index("``python -m skbgan``"):api.index("``skbgan COMMAND --help``")]
    commands = next(action for action in _parser()._actions if action.choices)
    for name, command in commands.choices.items():
        # the command's lines: from its own to the next command's
        block = synopsis.split(f"skbgan {name} ", 1)[1].split("\n   skbgan ", 1)[0]
        for action in command._actions:
            if not action.option_strings or action.option_strings == ["-h", "--help"]:
                continue
            # a whole option, not part of another: "-n" is in "--numeric"
            assert any(re.search(rf"(?<![\w-]){option}(?![\w-])", block)
                       for option in action.option_strings), (
                f"docs/api.rst: 'skbgan {name}' lacks {action.option_strings[-1]}")
            if action.choices:
                assert "|".join(action.choices) in block, (
                    f"docs/api.rst: 'skbgan {name} {action.option_strings[-1]}' lacks choices")
