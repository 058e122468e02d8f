"""
Tuning with GridSearchCV
========================

``DiscreteBGAN.score`` is the held-out log-likelihood estimate, so
:class:`~sklearn.model_selection.GridSearchCV` tunes it with no custom scorer.
To tune for the fidelity of generated rows instead, pass a scorer from
:mod:`skbgan.metrics`.
"""

import matplotlib.pyplot as plt
from sklearn.model_selection import GridSearchCV

from skbgan import DiscreteBGAN
from skbgan.datasets import LatentClassModel
from skbgan.metrics import neg_pairwise_tv_scorer

X = LatentClassModel(n_features=10, n_components=5, random_state=0).sample(1500, random_state=1)
grid = {"likelihood_weight": [0.0, 0.3, 1.0]}
base = DiscreteBGAN(epochs=10, random_state=0)

by_likelihood = GridSearchCV(base, grid, cv=3).fit(X)
by_fidelity = GridSearchCV(base, grid, cv=3, scoring=neg_pairwise_tv_scorer).fit(X)
print("best by held-out log-likelihood:", by_likelihood.best_params_)
print("best by pairwise TV of samples: ", by_fidelity.best_params_)

fig, axes = plt.subplots(1, 2, figsize=(9, 3))
for ax, search, label in [(axes[0], by_likelihood, "mean log-likelihood"),
                          (axes[1], by_fidelity, "- pairwise TV")]:
    ax.plot(grid["likelihood_weight"], search.cv_results_["mean_test_score"], "o-")
    ax.set_xlabel("likelihood_weight")
    ax.set_ylabel(label)
fig.tight_layout()
plt.show()
