"""Command line: ``python -m skbgan`` or ``skbgan``.

CSV files are read with every column as text labels (empty cells are missing
values, learned as a category of their own) and written back the same way,
except the columns that ``fit --numeric`` names, which are read as numbers and
learned through quantile bins; ``fit`` and ``evaluate`` name in a note the other
columns that look numeric.
"""

import argparse
import os
import sys

from ._precision import PRECISIONS


def _read_csv(path, numeric=()):
    """A CSV file's columns as text, except the ``numeric`` ones, read as numbers.

    The file is read once, so a pipe (``/dev/stdin``) works; a blank header cell, or
    one pandas reads as missing (``NA``), names its column ``"Unnamed: j"``.
    """
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is in the test extra
        raise ImportError("Reading CSV files needs pandas: pip install pandas.") from None
    try:
        rows = pd.read_csv(path, header=None, dtype=str)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{path}: an empty file, not even a header.") from None
    except pd.errors.ParserError as error:  # rows of more cells than the first
        raise ValueError(f"{path}: not a table of equal rows: "
                         f"{str(error).splitlines()[0]}") from None
    header = [f"Unnamed: {j}" if pd.isna(name) else name
              for j, name in enumerate(rows.iloc[0])]
    data = rows.iloc[1:].reset_index(drop=True)
    data.columns = header
    if len(header) == 1 and any(sep in str(header[0]) for sep in ";\t|"):
        raise ValueError(f"{path}: one column named {header[0]!r}; the file looks separated by "
                         "something other than commas. skbgan reads comma-separated files: "
                         "convert it (e.g. pandas.read_csv(path, sep=';').to_csv(...)).")
    if data.empty:
        raise ValueError(f"{path}: a header but no rows.")
    repeated = sorted({name for name in header if header.count(name) > 1}, key=str)
    if repeated:  # pandas would rename them "a.1", ..., and the output would not match
        raise ValueError(f"{path}: the header repeats the column names {repeated}; "
                         "give every column its own name.")
    for column in numeric:
        if column not in data.columns:
            raise ValueError(f"--numeric {column}: no such column; columns are "
                             f"{list(data.columns)}.")
        values = pd.to_numeric(data[column], errors="coerce")
        bad = values.isna() & data[column].notna()
        if bad.any():
            raise ValueError(f"Column {column!r} is numeric but holds "
                             f"{data[column][bad].iloc[0]!r} (row {bad.idxmax() + 1}).")
        data[column] = values
    return data


def _note_numbers_read_as_labels(data, numeric, learned):
    """Name on stderr the columns read as text labels that the estimator's
    ``numeric_columns="auto"`` rule would take as numbers (every cell a number, some with
    a fraction or more than 50 distinct ones): each of their values is a label of its own.

    ``learned`` says in the note what reading them as labels does to them.
    """
    import shlex

    import pandas as pd

    from ._numeric import looks_numeric

    columns = []
    for column in data.columns.difference(numeric, sort=False):
        cells = data[column].dropna()
        values = pd.to_numeric(cells, errors="coerce")
        if len(cells) and values.notna().all() and looks_numeric(values.to_numpy(float)):
            columns.append(column)
    if columns:
        options = " ".join(shlex.quote(str(c)) for c in columns)
        names = ", ".join(repr(c) for c in columns)
        names, verb = (f"column {names}", "holds") if len(columns) == 1 else (
            f"columns {names}", "hold")
        print(f"note: {names} {verb} nothing but numbers (with fractions, or more than 50 "
              f"distinct ones), read as text labels: {learned}; --numeric {options} reads "
              "them as numbers.", file=sys.stderr)


def _take_weights(data, column, numeric):
    """``data`` without its ``column`` of row weights, and the weights as numbers.

    ``numeric`` (the ``--numeric`` columns) must not name the weights' column.
    Without a column (None), ``data`` as it is and no weights.
    """
    import pandas as pd

    if column is None:
        return data, None
    if column in numeric:
        raise ValueError(f"--weights {column} is also a --numeric column; a column is either "
                         "data or the rows' weights.")
    if column not in data.columns:
        raise ValueError(f"--weights {column}: no such column; columns are {list(data.columns)}.")
    values = pd.to_numeric(data[column], errors="coerce")
    bad = values.isna()
    if bad.any():
        raise ValueError(f"--weights {column}: row {bad.idxmax() + 1} holds "
                         f"{data[column][bad].iloc[0]!r}, not a number.")
    return data.drop(columns=column), values.to_numpy(dtype=float)


def _numeric_of(est):
    """The columns a model fitted on a CSV file learned as numbers."""
    return [str(c) for c in est.bin_edges_] if est._frame_dtypes is not None else []


def _read_categories(path, columns):
    """The labels of each column from a JSON file ``{"column": ["label", ..., null]}``.

    Labels are text, as the CSV's cells are read; ``null`` declares missing values.
    """
    import json

    with open(path) as file:
        mapping = json.load(file)
    if not isinstance(mapping, dict):
        raise ValueError(f"--categories {path}: expected a JSON object of column: [labels].")
    absent = [c for c in columns if c not in mapping]
    unknown = [c for c in mapping if c not in columns]
    if absent or unknown:
        raise ValueError(
            f"--categories {path} must list the labels of exactly the CSV's columns; "
            f"missing {absent}, unknown {unknown}."
        )
    return [[None if label is None else str(label) for label in mapping[c]] for c in columns]


def _fit(args):
    from ._estimator import DiscreteBGAN
    from ._persistence import unwritable
    from ._private_training import DP_RECIPE

    problem = unwritable(args.output)
    if problem is not None:  # found out now, not after the training
        error, reason = problem
        raise error(f"cannot write {args.output}: {reason}.")
    data = _read_csv(args.data, args.numeric)
    data, weights = _take_weights(data, args.weights, args.numeric)
    if args.dp_epsilon is not None and args.categories is None:
        raise ValueError(
            "--dp-epsilon needs --categories FILE.json: which labels occur is private, so "
            "they must come from you (see the Privacy page of the docs)."
        )
    if args.categories is None:
        _note_numbers_read_as_labels(data, args.numeric, "each distinct value is learned as a "
                                     "category of its own, where quantile bins would learn "
                                     "their distribution")
    categories = "auto" if args.categories is None else _read_categories(args.categories,
                                                                         list(data.columns))
    settings = {"epochs": args.epochs}
    if args.dp_epsilon is not None:  # the recipe's epochs unless --epochs says otherwise
        settings = {**DP_RECIPE, **({} if args.epochs == "auto" else settings)}
    est = DiscreteBGAN(**settings, device=args.device, random_state=args.seed,
                       categories=categories, numeric_columns=list(args.numeric),
                       n_bins=args.n_bins, likelihood_proposal=args.likelihood_proposal,
                       autoregressive={"on": True, "off": False}.get(args.autoregressive,
                                                                     args.autoregressive),
                       autoregressive_units=args.autoregressive_units,
                       dependence_lr_factor=args.dependence_lr_factor,
                       validation_fraction=args.validation_fraction,
                       n_iter_no_change=args.n_iter_no_change,
                       dp_epsilon=args.dp_epsilon,
                       dp_delta=args.dp_delta, distributed=args.distributed,
                       verbose=0 if args.quiet else 1).fit(data, sample_weight=weights)
    if not args.distributed or _is_first_process():  # the processes hold the same model
        est.save(args.output)
        kept = "" if est.best_epoch_ == est.n_iter_ else f", keeping epoch {est.best_epoch_}"
        weighted = "" if weights is None else f" weighted by {args.weights}"
        print(f"fitted on {len(data)} rows x {data.shape[1]} columns{weighted} in "
              f"{est.n_iter_} epochs{kept}; model written to {args.output}")
        if est.delta_ is not None:
            print(f"differential privacy: epsilon={est.epsilon_:.3f} at delta={est.delta_:.3g}")
    if args.distributed:
        import torch.distributed as dist

        dist.barrier()  # no process exits while another still uses the group
        dist.destroy_process_group()
        # After training, PyTorch's gloo can abort the interpreter's teardown ("terminate
        # called without an active exception": a plain torch training script with a gloo
        # group did in 9 of 30 runs on a loaded machine). The model is written and this
        # process has nothing left to do, so it leaves without that teardown.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _is_first_process():
    import torch.distributed as dist

    return dist.get_rank() == 0


def _parse_conditions(pairs, est):
    """``["colour=red", ...]`` as the ``conditions`` of ``est.sample``.

    Keys are column names, or indices for a model fitted on an array; values
    are labels as written in the CSV (empty for a missing value).
    """
    names = list(getattr(est, "feature_names_in_", []))
    conditions = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--condition {pair!r} must look like column=value.")
        if names:
            column = names.index(key) if key in names else None  # unknown: sample says so
        elif key.isdigit():
            key = column = int(key)
        else:
            raise ValueError(
                f"--condition {pair!r}: this model's columns are numbered; use index=value."
            )
        label = None if value == "" else value
        known = column is not None and column < len(est.categories_)
        if known and key in est.bin_edges_ and value != "":
            try:
                label = float(value)
            except ValueError:
                raise ValueError(f"--condition {pair!r}: column {key!r} is numeric.") from None
        elif known and est.categories_[column].dtype.kind in "iub" and (
                value.lstrip("-").isdigit()):
            label = int(value)
        conditions[key] = label
    return conditions


def _write_csv(frame, output, what):
    """Write ``frame`` to the CSV file ``output`` ("-": standard output), and say so.

    The message goes to standard error when the rows go to standard output.
    """
    if output == "-":
        frame.to_csv(sys.stdout, index=False)
        print(f"{what} written to standard output", file=sys.stderr)
    else:
        frame.to_csv(output, index=False)
        print(f"{what} written to {output}")


def _sample(args):
    from ._estimator import load

    if args.n_samples < 1:
        raise ValueError(f"-n must be a positive integer, got {args.n_samples}.")
    est = load(args.model, device=args.device).set_params(precision=args.precision)
    conditions = _parse_conditions(args.condition, est)
    rows = est.sample(args.n_samples, random_state=args.seed, conditions=conditions,
                      candidates=args.candidates)
    if not hasattr(rows, "to_csv"):
        import pandas as pd

        rows = pd.DataFrame(rows.reshape(len(rows), -1))
    _write_csv(rows, args.output, f"{args.n_samples} rows")


def _impute(args):
    from ._estimator import load

    est = load(args.model, device=args.device).set_params(precision=args.precision)
    if est._frame_dtypes is None:  # fitted on an array: numbers, columns by position
        import pandas as pd

        data = pd.read_csv(args.data).to_numpy()
    else:
        data = _read_csv(args.data, _numeric_of(est))
    filled = est.impute(data, random_state=args.seed)
    if not hasattr(filled, "to_csv"):
        import pandas as pd

        filled = pd.DataFrame(filled.reshape(len(filled), -1))
    _write_csv(filled, args.output, f"{len(filled)} rows with their empty cells filled")


def _evaluate(args):
    from .metrics import fidelity_report, ml_efficacy, privacy_report

    for option, wanted in (("--privacy", args.privacy), ("--target", args.target)):
        if wanted and not args.train:
            raise ValueError(f"{option} needs --train: the rows the model was fitted on.")
    real, synthetic = _read_csv(args.real, args.numeric), _read_csv(args.synthetic, args.numeric)
    real, weights = _take_weights(real, args.weights, args.numeric)
    _note_numbers_read_as_labels(real, args.numeric, "the metrics compare them value by "
                                 "value, where quantile bins would compare their distributions")
    if list(real.columns) != list(synthetic.columns):
        raise ValueError(
            f"{args.real} and {args.synthetic} have different columns: "
            f"{list(real.columns)} and {list(synthetic.columns)}."
        )
    train = _read_csv(args.train, args.numeric) if args.train else None
    train_weights = None
    if train is not None and args.weights in train.columns:  # the fit's weights
        train, train_weights = _take_weights(train, args.weights, args.numeric)
    report = fidelity_report(real, synthetic, train=train, sample_weight=weights)
    if args.target is not None:  # the real rows are the test rows
        efficacy = ml_efficacy(train, synthetic, real, args.target,
                               train_weight=train_weights, test_weight=weights)
        report.update({f"efficacy_{name}": value for name, value in efficacy.items()})
    if args.privacy:  # the real rows are held out of training: the holdout reference
        report.update(privacy_report(train, synthetic, real))
    width = max(map(len, report))
    for name, value in report.items():
        print(f"{name:<{width}}  {value:.4f}")


def _demo(args):
    from ._demo import run_demo

    run_demo(args.output, epochs=args.epochs, device=args.device, random_state=args.seed)


def _auto_or(convert, kind):
    """An argument type: 'auto', or a value that ``convert`` reads (named ``kind`` if not)."""

    def parse(value):
        if value == "auto":
            return value
        try:
            return convert(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{value!r} is neither 'auto' nor {kind}") from None

    return parse


def _parser():
    parser = argparse.ArgumentParser(
        prog="skbgan",
        description="Learn categorical data with a boundary-seeking GAN and generate more.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")

    fit = commands.add_parser("fit", help="fit a model on a CSV file of categorical columns")
    fit.add_argument("data", help="CSV file with a header row")
    fit.add_argument("-o", "--output", required=True, help="model file to write (safe format)")
    fit.add_argument("--epochs", default="auto", type=_auto_or(int, "an integer"),
                     help="training epochs, or 'auto' (default)")
    fit.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (auto)")
    fit.add_argument("--seed", type=int, default=None, help="random seed")
    fit.add_argument("--quiet", action="store_true", help="no progress bar")
    fit.add_argument("--numeric", nargs="+", default=[], metavar="COLUMN",
                     help="columns to read as numbers and learn through quantile bins "
                          "(the others are text labels)")
    fit.add_argument("--n-bins", type=int, default=20, help="quantile bins per numeric column")
    fit.add_argument("--weights", metavar="COLUMN",
                     help="a column of row weights (e.g. survey weights): not learned, but "
                          "each row counts in proportion to its weight")
    fit.add_argument("--likelihood-proposal", choices=["auto", "prior", "encoder"],
                     default="auto",
                     help="latents of the likelihood term (auto: encoder for rows of at least "
                          "32 values of at most 3 categories, else prior)")
    fit.add_argument("--autoregressive", choices=["auto", "on", "off", "sequence"],
                     default="auto",
                     help="each column also reads the columns before it, for rules that tie "
                          "many columns together, e.g. counts (auto: on for tables of at least "
                          "32 columns of at most 3 categories, and with --numeric columns); "
                          "sequence: the columns are positions of a string, every one with "
                          "the same categories, read through one dependence shared along it")
    fit.add_argument("--autoregressive-units", type=_auto_or(int, "an integer"),
                     default="auto", metavar="N",
                     help="hidden units of a network that the autoregressive head adds: "
                          "with --autoregressive on, a masked network for columns that are "
                          "rules over several others, e.g. a game's result (256 was "
                          "measured); with sequence, a layer over the characters before "
                          "each position, shared along the string (default: auto, 256 "
                          "for sequence and for tables of 32 to 64 columns of at most 3 "
                          "categories and at least 2,000 rows, none otherwise; 0 for none)")
    fit.add_argument("--dependence-lr-factor", type=_auto_or(float, "a number"), default="auto",
                     metavar="F",
                     help="learning rate of the autoregressive head's matrix over pairs of "
                          "categories, times the generator's, or 'auto' (default: 0.1 for the "
                          "first half of the steps, then 3, on tables of at least 2,000 rows; "
                          "0.1 on smaller ones); faster learns near-rules between two columns "
                          "sooner")
    fit.add_argument("--validation-fraction", type=float, default=None, metavar="F",
                     help="hold out this fraction of the rows to score every epoch (none)")
    fit.add_argument("--n-iter-no-change", type=int, default=None, metavar="N",
                     help="stop when the held-out log-likelihood has not risen for N epochs "
                          "and keep the best epoch's model (needs --validation-fraction; "
                          "advised on tables of a few hundred rows)")
    fit.add_argument("--categories", metavar="FILE.json",
                     help='labels of each column: {"column": ["label", ...]} (null: missing)')
    fit.add_argument("--dp-epsilon", type=float, default=None,
                     help="train with differential privacy at this epsilon, with the settings "
                          "of skbgan.DP_RECIPE (needs --categories)")
    fit.add_argument("--dp-delta", type=float, default=None,
                     help="delta of the guarantee (default 1/rows^2)")
    fit.add_argument("--distributed", action="store_true",
                     help="data-parallel over the processes of 'torchrun --nproc_per_node=N "
                          "-m skbgan fit ...'")
    fit.set_defaults(run=_fit)

    sample = commands.add_parser("sample", help="generate rows from a fitted model")
    sample.add_argument("model", help="model file written by 'skbgan fit'")
    sample.add_argument("-n", "--n-samples", type=int, required=True, help="rows to generate")
    sample.add_argument("-o", "--output", required=True,
                        help="CSV file to write ('-': standard output)")
    sample.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (auto)")
    sample.add_argument("--seed", type=int, default=None, help="random seed")
    sample.add_argument("--precision", choices=PRECISIONS, default="auto",
                        help="arithmetic of the generator's layers (auto: bfloat16 where fast)")
    sample.add_argument(
        "--condition", action="append", default=[], metavar="COLUMN=VALUE",
        help="fix a column's value in every row (repeatable; empty VALUE = missing)",
    )
    sample.add_argument("--candidates", type=int, default=1, metavar="K",
                        help="critic-guided resampling: keep one of K generator draws per row (1)")
    sample.set_defaults(run=_sample)

    impute = commands.add_parser(
        "impute", help="fill the empty cells of a CSV file with draws from a fitted model"
    )
    impute.add_argument("model", help="model file written by 'skbgan fit'")
    impute.add_argument("data", help="CSV file with the model's columns; empty cells are filled")
    impute.add_argument("-o", "--output", required=True,
                        help="CSV file to write ('-': standard output)")
    impute.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (auto)")
    impute.add_argument("--seed", type=int, default=None, help="random seed")
    impute.add_argument("--precision", choices=PRECISIONS, default="auto",
                        help="arithmetic of the generator's layers (auto: bfloat16 where fast)")
    impute.set_defaults(run=_impute)

    evaluate = commands.add_parser(
        "evaluate", help="print fidelity metrics of synthetic rows against real rows"
    )
    evaluate.add_argument("real", help="CSV file of real (held-out) rows")
    evaluate.add_argument("synthetic", help="CSV file of generated rows, same columns")
    evaluate.add_argument("--train", help="CSV file of training rows, to report novelty")
    evaluate.add_argument("--numeric", nargs="+", default=[], metavar="COLUMN",
                          help="columns to compare as numbers (over quantile bins)")
    evaluate.add_argument("--weights", metavar="COLUMN",
                          help="a column of the real rows' weights (e.g. survey weights): the "
                               "metrics compare with the weighted real rows (a --train file's "
                               "column of that name is left out too, and weighs its rows for "
                               "--target)")
    evaluate.add_argument("--target", metavar="COLUMN",
                          help="also report machine-learning efficacy: the test AUC, on the "
                               "real rows, of a classifier of COLUMN trained on the synthetic "
                               "rows, and of one trained on --train")
    evaluate.add_argument("--privacy", action="store_true",
                          help="also report what the synthetic rows leak about --train, with "
                               "the real (held-out) rows as reference")
    evaluate.set_defaults(run=_evaluate)

    demo = commands.add_parser(
        "demo", help="train on scikit-learn's digits, save a PNG of new digits, print fidelity"
    )
    demo.add_argument("-o", "--output", default="digits.png", help="PNG to write (digits.png)")
    demo.add_argument("--epochs", default="auto", type=_auto_or(int, "an integer"),
                      help="training epochs, or 'auto' (default)")
    demo.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (auto)")
    demo.add_argument("--seed", type=int, default=0, help="random seed (0)")
    demo.set_defaults(run=_demo)
    return parser


def main(argv=None):
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        args.run(args)
    except BrokenPipeError:  # the reader of "-o -" stopped early (e.g. head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error at exit
        return 0
    except (ValueError, TypeError, ImportError, OSError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"skbgan {args.command}: error: {message}", file=sys.stderr)
        return 1
    return 0
