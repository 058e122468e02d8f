"""
Impute, then classify, in one pipeline
======================================

A table with gaps: :class:`~skbgan.BGANImputer` fills each row's missing cells
with draws from a :class:`~skbgan.DiscreteBGAN` given the row's observed
cells, and a classifier learns from the completed rows. We compare it with
scikit-learn's most-frequent imputer on how often a removed cell comes back
right, and on the downstream classifier's accuracy; then we read the
model's own prediction of the label, :meth:`~skbgan.DiscreteBGAN.predict_proba`.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skbgan import BGANImputer, DiscreteBGAN

# %%
# Data with structure: three groups, each with its own typical answers to
# eight questions; the label is the group. A fifth of the answers is missing.
rng = np.random.default_rng(0)
n, group = 2000, rng.integers(0, 3, size=2000)
typical = rng.integers(0, 4, size=(3, 8))
X = np.where(rng.random((n, 8)) < 0.75, typical[group], rng.integers(0, 4, size=(n, 8)))
X = X.astype(float)
removed = rng.random(X.shape) < 0.2
X_gaps = np.where(removed, np.nan, X)
train, test = train_test_split(np.arange(n), test_size=0.3, random_state=0)

# %%
# Fill the gaps of the test rows with each imputer, fitted on the training rows.
model = DiscreteBGAN(epochs=10, generator_layers=(128, 128), random_state=0)
imputers = {"BGANImputer": BGANImputer(model, random_state=0),
            "most frequent": SimpleImputer(strategy="most_frequent")}
for name, imputer in imputers.items():
    filled = imputer.fit(X_gaps[train]).transform(X_gaps[test])
    right = (filled == X[test])[removed[test]].mean()
    print(f"{name:>13}: {right:.0%} of removed cells filled with the true answer")

# %%
# The same imputers inside a classification pipeline.
accuracy = {}
for name, imputer in imputers.items():
    pipe = make_pipeline(imputer, HistGradientBoostingClassifier(random_state=0))
    accuracy[name] = pipe.fit(X_gaps[train], group[train]).score(X_gaps[test], group[test])
    print(f"{name:>13} + gradient boosting: accuracy {accuracy[name]:.3f}")

# %%
# The fitted model predicts any column from the others, here a question's
# answer, without a classifier trained for it: ``predict_proba`` gives the
# model's conditional distribution of the answer given the row's other cells.
bgan = imputers["BGANImputer"].estimator_
proba = bgan.predict_proba(X[test][:200], target=0)
hit = (bgan.predict(X[test][:200], target=0) == X[test][:200, 0]).mean()
print(f"question 0 predicted from the other seven: {hit:.0%} right")

fig, ax = plt.subplots(figsize=(5, 3))
ax.bar(list(accuracy), list(accuracy.values()), color=["tab:blue", "tab:gray"])
ax.set_ylim(0.5, 1)
ax.set_ylabel("test accuracy")
ax.set_title("Gradient boosting after imputation")
fig.tight_layout()
plt.show()
