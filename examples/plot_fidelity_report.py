"""
A synthetic copy of a DataFrame, with a fidelity report
=======================================================

Build a table of named string columns with known structure, fit
:class:`~skbgan.DiscreteBGAN` on the DataFrame, and compare its samples with
held-out rows and with the baseline that samples every column independently.
A tenth of the training rows is held out during training to draw the training
curves and to stop early once the held-out log-likelihood stops rising.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from skbgan import DiscreteBGAN
from skbgan.datasets import LatentClassModel
from skbgan.metrics import fidelity_report
from skbgan.plotting import plot_frequencies, plot_history

truth = LatentClassModel(n_features=6, n_categories=(2, 5), n_components=4, random_state=0)
codes = truth.sample(4000, random_state=1)
names = ["region", "channel", "product", "size", "payment", "segment"]
# string labels, as read from a CSV file
table = pd.DataFrame({name: [f"{name[:3]}{c}" for c in codes[:, j]]
                      for j, name in enumerate(names)})
train, test = train_test_split(table, test_size=0.5, random_state=0)

est = DiscreteBGAN(epochs=40, validation_fraction=0.1, n_iter_no_change=5,
                   random_state=0).fit(train)
print(f"stopped after {est.n_iter_} epochs, kept epoch {est.best_epoch_}")
synthetic = est.sample(len(test), random_state=0)
print(synthetic.head())

# %%
# Fidelity against held-out rows: marginal and pairwise total variation,
# classifier two-sample AUC (0.5 = indistinguishable) and the share of
# generated rows that are not copies of training rows.
rng = np.random.default_rng(0)
independent = pd.DataFrame({name: rng.choice(train[name], len(test)) for name in names})
for label, rows in [("DiscreteBGAN", synthetic), ("independent columns", independent)]:
    report = fidelity_report(test, rows, train=train)
    print(f"{label:20}", {k: round(v, 3) for k, v in report.items()})

# %%
# Training curves: the losses, the effective sample size of the importance
# weights, and the two validation measures recorded after every epoch.
plot_history(est.history_)
plt.tight_layout()

# %%
# Category frequencies per column, real against synthetic.
plot_frequencies(test, synthetic, columns=names[:3])
plt.show()
