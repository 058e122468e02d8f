"""
Survey weights
==============

A survey often samples some groups more than others on purpose (a rare group
oversampled so that it has enough rows), and gives each row a weight: the
number of people it stands for. Synthetic rows should follow the population,
not the sample. ``fit(X, sample_weight=w)`` learns the weighted
distribution: each row counts in proportion to its weight.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from skbgan import DiscreteBGAN
from skbgan.metrics import marginal_tv

rng = np.random.default_rng(0)
# A population where 10% live in the country and farm far more often.
n_people = 200_000
rural = rng.random(n_people) < 0.10
farmer = np.where(rural, rng.random(n_people) < 0.40, rng.random(n_people) < 0.02)
owns_car = np.where(rural, rng.random(n_people) < 0.90, rng.random(n_people) < 0.50)
population = pd.DataFrame({
    "area": np.where(rural, "rural", "urban"),
    "job": np.where(farmer, "farming", rng.choice(["office", "trade", "care"], n_people)),
    "car": np.where(owns_car, "yes", "no"),
})

# The survey: 1,500 rural and 1,500 urban people, each weighted by how many
# people of their area they stand for.
rural_rows = rng.choice(np.flatnonzero(rural), 1500, replace=False)
urban_rows = rng.choice(np.flatnonzero(~rural), 1500, replace=False)
survey = population.iloc[np.r_[rural_rows, urban_rows]].reset_index(drop=True)
weight = np.where(survey["area"] == "rural", rural.sum() / 1500, (~rural).sum() / 1500)
print(survey["area"].value_counts(normalize=True))

# %%
# Fitted without the weights, the model learns the survey: half rural. With
# them, it learns the population.
unweighted = DiscreteBGAN(epochs=20, random_state=0).fit(survey)
weighted = DiscreteBGAN(epochs=20, random_state=0).fit(survey, sample_weight=weight)
samples = {"unweighted fit": unweighted.sample(5000, random_state=0),
           "weighted fit": weighted.sample(5000, random_state=0)}


def shares_of(rows):
    """The share of rural people, of farmers and of car owners among ``rows``."""
    return pd.Series({"rural": np.mean(rows["area"] == "rural"),
                      "farming": np.mean(rows["job"] == "farming"),
                      "owns a car": np.mean(rows["car"] == "yes")})


shares = pd.DataFrame({"population": shares_of(population), "survey rows": shares_of(survey),
                       **{name: shares_of(rows) for name, rows in samples.items()}}).T
print(shares.round(3))

# %%
# The weighted metrics of :mod:`skbgan.metrics` compare synthetic rows with the
# population the survey stands for: the real rows are weighted.
for name, rows in samples.items():
    print(f"{name}: marginal TV against the weighted survey "
          f"{marginal_tv(survey, rows, sample_weight=weight):.3f}")

shares.plot.bar(rot=0, ylabel="share of rows")
plt.tight_layout()
plt.show()
