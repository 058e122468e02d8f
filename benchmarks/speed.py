"""Speed and memory benchmark: DiscreteBGAN against CTGAN.

Run by hand (not in CI)::

    pip install ".[bench]"
    python benchmarks/speed.py            # writes docs/benchmarks.md tables and docs/_static/speed.png

Every configuration runs in a fresh process so its peak resident memory
(RSS) is its own. Sampling is timed with the default ``precision="auto"``
(bfloat16 layers where the device has native bfloat16) and with float32.
``--device cuda`` runs the same on a GPU (CTGAN with ``cuda=True``) and
reports peak GPU memory. The run ends with each system's default fit on the fidelity
benchmark's latent-class set: its time, its fidelity, and how long training
took to first meet the fidelity targets. Epoch time is measured over ``--steps`` training steps and
scaled to a full epoch (rows / batch_size steps); sampling and scoring rates
are the median of three timed calls after a warm-up call.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

# (rows, columns, categories per column, one wide column of this many categories or 0)
GRID = [
    (10_000, 30, 2, 0), (10_000, 30, 20, 0),
    (100_000, 30, 20, 0), (1_000_000, 30, 20, 0),
    (10_000, 10, 20, 0), (10_000, 100, 20, 0), (10_000, 784, 20, 0),
    (10_000, 30, 1_000, 0), (10_000, 30, 20, 50_000),
    (1_000_000, 100, 20, 0),
]


def make_data(rows, columns, categories, wide):
    rng = np.random.default_rng(0)
    X = rng.integers(0, categories, size=(rows, columns), dtype=np.int32)
    if wide:
        X[:, 0] = rng.integers(0, wide, size=rows)
    return X


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_seconds(call, repeats=3):
    """Median wall time of ``repeats`` calls, after one untimed warm-up call."""
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def peak_gpu_mb(device):
    import torch

    if not device.startswith("cuda"):
        return None
    return torch.cuda.max_memory_allocated(device) / 2**20


def run_ours(rows, columns, categories, wide, steps, threads, device):
    import torch

    from skbgan import DiscreteBGAN

    torch.set_num_threads(threads)
    X = make_data(rows, columns, categories, wide)
    batch_size = DiscreteBGAN().batch_size
    # time `steps` steps: one "epoch" of `steps` batches on a slice, then scale
    # every column categorical: "auto" would learn the wide ones (> 50 integers) as numeric bins
    est = DiscreteBGAN(epochs=1, numeric_columns=[], random_state=0, device=device)
    n_fit = min(rows, steps * batch_size)
    start = time.perf_counter()
    est.fit(X[:n_fit] if n_fit < rows else X)
    step_s = (time.perf_counter() - start) / (max(n_fit // batch_size, 1))
    epoch_s = step_s * max(rows // batch_size, 1)
    if n_fit < rows:  # also encode the full data once, for an honest peak RSS
        est._codec.encode(est._check_X(X, reset=False))
    n_sample = min(200_000, 20_000_000 // columns) * (50 if device.startswith("cuda") else 1)
    rates = {}
    for precision in ("auto", "float32"):
        est.set_params(precision=precision)
        rates[precision] = n_sample / median_seconds(
            lambda: est.sample(n_sample, random_state=0))
    n_score = 2_000
    score_rate = n_score / median_seconds(lambda: est.score_samples(X[:n_score]))
    return {"step_ms": 1000 * step_s, "epoch_s": epoch_s, "sample_rows_per_s": rates["auto"],
            "sample_f32_rows_per_s": rates["float32"], "score_rows_per_s": score_rate,
            "peak_rss_mb": peak_rss_mb(), "peak_gpu_mb": peak_gpu_mb(device)}


def run_ctgan(rows, columns, categories, wide, steps, threads, device):
    import pandas as pd
    import torch
    from ctgan import CTGAN

    torch.set_num_threads(threads)
    X = make_data(rows, columns, categories, wide)
    frame = pd.DataFrame(X.astype(str), columns=[f"c{j}" for j in range(columns)])
    model = CTGAN(epochs=1, cuda=device.startswith("cuda"))
    start = time.perf_counter()
    model.fit(frame, discrete_columns=list(frame.columns))
    epoch_s = time.perf_counter() - start
    n_sample = 50_000
    sample_rate = n_sample / median_seconds(lambda: model.sample(n_sample))
    return {"epoch_s": epoch_s, "sample_rows_per_s": sample_rate, "peak_rss_mb": peak_rss_mb(),
            "peak_gpu_mb": peak_gpu_mb(device)}


# The fidelity issue's targets for the latent-class set (the truth log-likelihood gap is
# reported beside them: no system here meets its 2-nat target).
TARGETS = {"marginal_tv": 0.03, "pairwise_tv": 0.06, "detection_auc": 0.75}
MIN_NOVELTY = 0.95


def meets_target(report):
    return bool(all(report[k] <= v for k, v in TARGETS.items())
                and report["novelty"] >= MIN_NOVELTY)


def run_to_target(system, threads, device):
    """Default fit on the latent-class set: its time, fidelity, and when it first meets the targets.

    DiscreteBGAN trains one epoch per ``fit`` with ``warm_start`` (exactly the
    default fit, epoch by epoch) and is evaluated after each; only training time
    counts. CTGAN is timed over its whole default fit and evaluated at the end.
    """
    import torch

    from fidelity import N_SYNTHETIC, evaluate, fit_sample_ctgan, load, truth_ll_gap

    from skbgan import DiscreteBGAN
    from skbgan._epochs import epoch_plan
    from skbgan.metrics import fidelity_report

    torch.set_num_threads(threads)
    train, test, truth = load("latent_class")
    if system == "CTGAN":
        row = evaluate(system, fit_sample_ctgan, train, test, truth)
        row["meets_target"] = meets_target(row)
        row["target_s"] = row["fit_s"] if row["meets_target"] else None
        return row
    est = DiscreteBGAN(random_state=0, epochs=1, warm_start=True, device=device)
    n_epochs = epoch_plan("auto", len(train), est.batch_size).count
    trained, row = 0.0, {"system": system, "target_s": None, "target_epoch": None}
    for epoch in range(1, n_epochs + 1):
        start = time.perf_counter()
        est.fit(train)
        trained += time.perf_counter() - start
        synthetic = est.sample(N_SYNTHETIC, random_state=0)
        row.update(fidelity_report(test, synthetic, train=train), fit_s=trained)
        if row["target_s"] is None and meets_target(row):
            row.update(target_s=trained, target_epoch=epoch)
    row["truth_ll_gap"] = truth_ll_gap(truth, test, synthetic)
    row["meets_target"] = meets_target(row)
    return row


def run_in_child(system, config, steps, threads, timeout, device):
    command = [sys.executable, __file__, "--child", json.dumps([system, *config]),
               "--steps", str(steps), "--threads", str(threads), "--device", device]
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout} s"}
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1][:120]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def table(rows, gpu):
    head = ("| system | rows | columns | categories | wide column | epoch s | "
            "sample rows/s | float32 sample rows/s | score rows/s | peak RSS MB |"
            + (" peak GPU MB |" if gpu else "") + "\n|" + "---|" * (11 if gpu else 10) + "\n")
    body = ""
    for r in rows:
        def cell(key, fmt, r=r):
            if r.get(key) is not None:
                return fmt.format(r[key])
            return r.get("error", "-") if key == "epoch_s" else "-"
        body += (f"| {r['system']} | {r['rows']:,} | {r['columns']} | {r['categories']} | "
                 f"{r['wide'] or '-'} | {cell('epoch_s', '{:.1f}')} | "
                 f"{cell('sample_rows_per_s', '{:,.0f}')} | "
                 f"{cell('sample_f32_rows_per_s', '{:,.0f}')} | "
                 f"{cell('score_rows_per_s', '{:,.0f}')} | {cell('peak_rss_mb', '{:,.0f}')} |"
                 + (f" {cell('peak_gpu_mb', '{:,.0f}')} |" if gpu else "") + "\n")
    return head + body


def ratio_table(rows):
    """Ours divided by CTGAN for the configurations both ran."""
    head = "| rows × columns × categories | epoch time, ours ÷ CTGAN | sampling rate, ours ÷ CTGAN |\n|---|---|---|\n"
    body = ""
    for ctgan in (r for r in rows if r["system"] == "CTGAN" and "epoch_s" in r):
        key = (ctgan["rows"], ctgan["columns"], ctgan["categories"], ctgan["wide"])
        ours = [r for r in rows if r["system"] == "DiscreteBGAN" and "epoch_s" in r
                and (r["rows"], r["columns"], r["categories"], r["wide"]) == key]
        if ours:
            body += (f"| {key[0]:,} × {key[1]} × {key[2]} | "
                     f"{ours[0]['epoch_s'] / ctgan['epoch_s']:.2f} | "
                     f"{ours[0]['sample_rows_per_s'] / ctgan['sample_rows_per_s']:.1f} |\n")
    return head + body


def target_table(rows):
    head = ("| system (defaults) | fit s | time to target s | marginal TV | pairwise TV "
            "| detection AUC | novelty | truth LL gap | meets target |\n|" + "---|" * 9 + "\n")
    body = ""
    for r in (r for r in rows if "fit_s" in r):
        reached = (f"{r['target_s']:.0f} (epoch {r['target_epoch']})" if r.get("target_epoch")
                   else f"{r['target_s']:.0f}" if r["target_s"] is not None
                   else f"not reached in {r['fit_s']:.0f}")
        body += (f"| {r['system']} | {r['fit_s']:.0f} | {reached} | {r['marginal_tv']:.3f} | "
                 f"{r['pairwise_tv']:.3f} | {r['detection_auc']:.3f} | {r['novelty']:.3f} | "
                 f"{r['truth_ll_gap']:.1f} | {'yes' if r['meets_target'] else 'no'} |\n")
    return head + body


def plot(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ours = [r for r in rows if r["system"] == "DiscreteBGAN" and "epoch_s" in r]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    by_rows = sorted((r["rows"], r["epoch_s"]) for r in ours
                     if (r["columns"], r["categories"], r["wide"]) == (30, 20, 0))
    by_cols = sorted((r["columns"], r["epoch_s"]) for r in ours
                     if (r["rows"], r["categories"], r["wide"]) == (10_000, 20, 0))
    for ax, points, label in [(axes[0], by_rows, "rows (30 columns)"),
                              (axes[1], by_cols, "columns (10k rows)")]:
        ax.loglog(*zip(*points), "o-")
        ax.set_xlabel(label)
        ax.set_ylabel("seconds per epoch")
        ax.grid(True, which="both", alpha=0.3)
    fig.suptitle("DiscreteBGAN epoch time, 20 categories per column")
    fig.tight_layout()
    path.parent.mkdir(exist_ok=True)
    fig.savefig(path, dpi=90)


def machine(device, threads):
    """The fidelity benchmark's description of the run, its GPU, and the arithmetic
    ``precision="auto"`` drew in."""
    import torch
    from fidelity import machine as host

    from skbgan._precision import drawing_dtype

    torch.set_num_threads(threads)  # as the measuring children did
    dtype = drawing_dtype("auto", torch.device(device))
    gpu = f"{torch.cuda.get_device_name(device)}, " if device.startswith("cuda") else ""
    return (f"{gpu}{host()}, {time.strftime('%Y-%m-%d')}; "
            f"precision=\"auto\" draws in {str(dtype)[6:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, default=100, help="training steps timed (100)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (2)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per configuration")
    parser.add_argument("--no-ctgan", action="store_true")
    parser.add_argument("--no-target", action="store_true",
                        help="skip the default fits on the latent-class set (about 11 minutes)")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--configs", nargs="+", type=int, metavar="INDEX",
                        help="re-measure only these rows of GRID (0-based) and keep the others, "
                             "CTGAN's and the time to target from the last run's results file")
    parser.add_argument("--device", default="cpu",
                        help="cpu or cuda[:N]; a GPU run writes its tables to the GPU section")
    args = parser.parse_args()
    if args.child:
        system, *config = json.loads(args.child)
        if config == ["target"]:
            print(json.dumps(run_to_target(system, args.threads, args.device)))
            return
        run = run_ours if system == "DiscreteBGAN" else run_ctgan
        print(json.dumps(run(*config, args.steps, args.threads, args.device)))
        return

    gpu = args.device.startswith("cuda")
    out = ROOT / "benchmarks" / "results"
    path = out / ("speed_gpu.json" if gpu else "speed.json")
    if args.configs:
        previous = json.loads(path.read_text())
        results, targets = previous["grid"], previous["to_target"]
        for index in args.configs:
            row = dict(zip(("rows", "columns", "categories", "wide"), GRID[index]),
                       system="DiscreteBGAN")
            row.update(run_in_child("DiscreteBGAN", GRID[index], args.steps, args.threads,
                                    args.timeout, args.device))
            print(json.dumps(row), flush=True)
            results[index] = row
        write_results(results, targets, path, args)
        return
    results = []
    for config in GRID:
        row = dict(zip(("rows", "columns", "categories", "wide"), config), system="DiscreteBGAN")
        row.update(run_in_child("DiscreteBGAN", config, args.steps, args.threads, args.timeout,
                                args.device))
        print(json.dumps(row), flush=True)
        results.append(row)
    if not args.no_ctgan:
        for config in [(10_000, 30, 20, 0), (10_000, 30, 2, 0)]:
            row = dict(zip(("rows", "columns", "categories", "wide"), config), system="CTGAN")
            row.update(run_in_child("CTGAN", config, args.steps, args.threads, args.timeout,
                                    args.device))
            print(json.dumps(row), flush=True)
            results.append(row)
    targets = []
    if not args.no_target:
        for system in ["DiscreteBGAN"] + ([] if args.no_ctgan else ["CTGAN"]):
            row = {"system": system, **run_in_child(system, ["target"], args.steps, args.threads,
                                                     3 * args.timeout, args.device)}
            print(json.dumps(row), flush=True)
            targets.append(row)
    out.mkdir(exist_ok=True)
    write_results(results, targets, path, args)


def write_results(results, targets, path, args):
    """The results file, and unless ``--no-docs`` the tables and plot in docs/benchmarks.md."""
    gpu = args.device.startswith("cuda")
    path.write_text(json.dumps({"grid": results, "to_target": targets}, indent=1))
    if not args.no_docs:
        from fidelity import write_section

        # --configs re-measures our grid rows only: the others come from the last full run
        earlier = "last full run" if args.configs else "same run"
        text = f"Measured on {machine(args.device, args.threads)}.\n\n" + table(results, gpu)
        if any(r["system"] == "CTGAN" for r in results):
            ratios = "CTGAN's rows from the last full run" if args.configs else "same run"
            text += f"\nRatios ({ratios}):\n\n" + ratio_table(results)
        if targets:
            text += ("\nTime to the fidelity target (latent-class set, 10k rows × 30 columns, "
                     f"default settings, {earlier}):\n\n" + target_table(targets))
        if gpu:
            write_section(text, "speed-results-gpu")
            return
        plot(results, ROOT / "docs" / "_static" / "speed.png")
        write_section(text + "\n![epoch time versus rows and columns](_static/speed.png)\n",
                      "speed-results")


if __name__ == "__main__":
    main()
