"""
Conditional sampling
====================

Generate rows that all satisfy some fixed values, e.g. only customers of one
region. :meth:`~skbgan.DiscreteBGAN.sample` with ``conditions`` draws from the
model's own conditional distribution: latents are resampled by the probability
the generator gives the fixed values, then the other columns are drawn. No
rejection loop, so rare values cost no more than common ones.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from skbgan import DiscreteBGAN
from skbgan.plotting import plot_frequencies

rng = np.random.default_rng(0)
n = 4000
region = rng.choice(["north", "south", "east", "west"], size=n, p=[0.1, 0.3, 0.3, 0.3])
# the north buys mostly by mail and mostly boots; elsewhere it is mixed
channel = np.where(region == "north", rng.choice(["mail", "web"], n, p=[0.8, 0.2]),
                   rng.choice(["mail", "web", "store"], n, p=[0.1, 0.5, 0.4]))
product = np.where(region == "north", rng.choice(["boots", "hats", "shirts"], n, p=[0.7, 0.2, 0.1]),
                   rng.choice(["boots", "hats", "shirts"], n, p=[0.2, 0.3, 0.5]))
table = pd.DataFrame({"region": pd.Categorical(region), "channel": channel, "product": product})

est = DiscreteBGAN(epochs=30, random_state=0).fit(table)
north = est.sample(2000, conditions={"region": "north"}, random_state=0)
print(north.head())
print(north["region"].value_counts())

# %%
# The conditional frequencies of the other columns follow the real ones of the
# north, not the overall mix.
real_north = table[table["region"] == "north"]
for column in ["channel", "product"]:
    print(pd.DataFrame({
        "real, north": real_north[column].value_counts(normalize=True),
        "generated, north": north[column].value_counts(normalize=True),
        "real, all regions": table[column].value_counts(normalize=True),
    }).round(2))

plot_frequencies(real_north, north, columns=["channel", "product"])
plt.show()

# %%
# Several columns can be fixed at once, by name (DataFrames), flat index or
# position tuple (image-shaped data). A value never seen in ``fit`` has
# probability zero, and asking for it is an error:
try:
    est.sample(5, conditions={"region": "atlantis"})
except ValueError as error:
    print(error)
