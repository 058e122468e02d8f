"""The demo: learn handwritten digits and draw new ones."""

import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from ._estimator import DiscreteBGAN
from .metrics import fidelity_report


def independent_columns(X, n_samples, random_state):
    """Baseline: each column drawn from its own empirical distribution."""
    rng = np.random.default_rng(random_state)
    flat = X.reshape(len(X), -1)
    columns = [rng.choice(flat[:, j], n_samples) for j in range(flat.shape[1])]
    return np.column_stack(columns).reshape(n_samples, *X.shape[1:])


def run_demo(output="digits.png", epochs="auto", device="auto", random_state=0, verbose=1):
    """Fit ``DiscreteBGAN`` on 8x8 digits (17 grey levels), save a grid, report fidelity.

    Parameters
    ----------
    output : str or path
        PNG file for the grid of generated digits.
    epochs : int or "auto"
        Passes over the 1,347 training digits; ``"auto"`` (the estimator's
        default) gives 48.
    device : str
    random_state : int
    verbose : int

    Returns
    -------
    reports : dict
        Fidelity report (see :func:`skbgan.metrics.fidelity_report`) against
        held-out digits, for the model and for the independent-columns baseline.
    """
    from .plotting import _pyplot, plot_sample_grid

    images = load_digits().images.astype(np.int64)  # values 0..16
    train, test = train_test_split(images, test_size=0.25, random_state=random_state)
    start = time.perf_counter()
    est = DiscreteBGAN(epochs=epochs, device=device, random_state=random_state,
                       verbose=verbose).fit(train)
    fit_seconds = time.perf_counter() - start
    samples = est.sample(len(test), random_state=random_state)

    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(12, 6.4))
    plot_sample_grid(test[:100], ax=axes[0])
    axes[0].set_title("real (held out)")
    plot_sample_grid(samples[:100], ax=axes[1])
    axes[1].set_title(f"DiscreteBGAN, {est.n_iter_} epochs")
    fig.tight_layout()
    fig.savefig(output, dpi=80)
    plt.close(fig)

    reports = {
        "DiscreteBGAN": fidelity_report(test, samples, train=train),
        "independent columns": fidelity_report(
            test, independent_columns(train, len(test), random_state), train=train
        ),
        "training data": fidelity_report(test, train[: len(test)], train=train),
    }
    print(f"fit: {fit_seconds:.1f} s on {est.device_}; samples written to {output}")
    print(f"held-out log-likelihood estimate: {est.score(test):.2f} nats per digit")
    names = list(reports["DiscreteBGAN"])
    print(f"{'':22}" + "".join(f"{n:>15}" for n in names))
    for system, report in reports.items():
        print(f"{system:22}" + "".join(f"{report[n]:>15.3f}" for n in names))
    return reports
