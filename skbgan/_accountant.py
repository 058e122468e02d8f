"""Privacy accounting of DP-SGD: Rényi DP of the Poisson-subsampled Gaussian mechanism.

Each private update adds Gaussian noise of standard deviation
``noise_multiplier * max_grad_norm`` to a sum of per-row gradients clipped to
``max_grad_norm``, over a batch in which every row takes part independently
with probability ``rate`` (Poisson sampling). Its Rényi DP at order ``alpha``
is ``log A_alpha / (alpha - 1)`` with the binomial expansion of ``A_alpha``
of Mironov, Talwar and Zhang (2019), "Rényi Differential Privacy of the
Sampled Gaussian Mechanism", Section 3.3; updates compose by adding RDP, and
``(epsilon, delta)`` follows from the conversion of Balle et al. (2020),
"Hypothesis testing interpretations and Rényi differential privacy",
Theorem 21. This is the accountant of Opacus and TensorFlow Privacy
(``RDPAccountant``), restricted to integer orders, which only makes
``epsilon`` slightly larger (safer).
"""

import numpy as np
from scipy.special import gammaln, logsumexp

ORDERS = np.arange(2, 257)
"""Rényi orders over which the smallest ``epsilon`` is taken."""


def renyi_dp(rate, noise_multiplier):
    """RDP of one Poisson-subsampled Gaussian update, at each of ``ORDERS``.

    Parameters
    ----------
    rate : float
        Probability that a row takes part in the update, in (0, 1].
    noise_multiplier : float
        Noise standard deviation over the clipping norm.

    Returns
    -------
    rdp : ndarray of float, one per order of ``ORDERS``
    """
    if rate == 1.0:
        return ORDERS / (2.0 * noise_multiplier**2)
    rdp = np.empty(len(ORDERS))
    for n, alpha in enumerate(ORDERS):
        i = np.arange(alpha + 1)
        log_binomial = gammaln(alpha + 1) - gammaln(i + 1) - gammaln(alpha - i + 1)
        terms = (log_binomial + i * np.log(rate) + (alpha - i) * np.log1p(-rate)
                 + (i * i - i) / (2.0 * noise_multiplier**2))
        rdp[n] = logsumexp(terms) / (alpha - 1)
    return rdp


def epsilon_from_rdp(rdp, delta):
    """The ``epsilon`` at ``delta`` of a composed RDP curve over ``ORDERS``; 0 for a zero curve."""
    if not np.any(rdp):
        return 0.0
    orders = ORDERS.astype(float)
    eps = rdp + np.log1p(-1.0 / orders) - (np.log(delta) + np.log(orders)) / (orders - 1)
    return float(max(np.min(eps), 0.0))


def epsilon(rate, noise_multiplier, updates, delta, spent=0.0):
    """The ``epsilon`` at ``delta`` of ``updates`` Poisson-subsampled Gaussian updates.

    ``spent`` is the RDP curve (over ``ORDERS``) of earlier updates, composed with them.
    """
    return epsilon_from_rdp(spent + updates * renyi_dp(rate, noise_multiplier), delta)


def noise_multiplier(target_epsilon, delta, rate, updates, spent=0.0, tolerance=1e-3):
    """The smallest noise multiplier whose ``updates`` updates spend at most ``target_epsilon``.

    Found by bisection on the logarithm of the multiplier (``epsilon``
    decreases as the noise grows), to a relative ``tolerance``; ``spent`` is
    the RDP curve of earlier updates (a warm start), which the budget includes.

    Raises
    ------
    ValueError
        If even a noise multiplier of 10,000 spends more than ``target_epsilon``.
    """
    low, high = 1e-2, 1e4
    if epsilon(rate, high, updates, delta, spent) > target_epsilon:
        raise ValueError(
            f"epsilon={target_epsilon} cannot be reached in {updates} more private updates "
            f"at delta={delta} (already spent: {epsilon_from_rdp(spent, delta):.3g}): raise "
            "epsilon or train fewer epochs."
        )
    if epsilon(rate, low, updates, delta, spent) <= target_epsilon:
        return low
    while high / low > 1.0 + tolerance:
        middle = np.sqrt(low * high)
        if epsilon(rate, middle, updates, delta, spent) > target_epsilon:
            low = middle
        else:
            high = middle
    return float(high)
