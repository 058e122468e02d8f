"""
Generating handwritten digits
=============================

Fit :class:`~skbgan.DiscreteBGAN` on scikit-learn's 8x8 digits, treating each
pixel as a categorical column with 17 grey levels, and draw new digits. The
model is given image-shaped data ``(n, 8, 8)`` and samples come back in that
shape.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

from skbgan import DiscreteBGAN
from skbgan.plotting import plot_sample_grid

images = load_digits().images.astype(np.int64)  # (1797, 8, 8), values 0..16
est = DiscreteBGAN(epochs=30, random_state=0).fit(images)
samples = est.sample(50, random_state=0)
print(samples.shape, samples.dtype)

fig, axes = plt.subplots(1, 2, figsize=(10, 3))
plot_sample_grid(images[:50], ax=axes[0])
axes[0].set_title("real digits")
plot_sample_grid(samples, ax=axes[1])
axes[1].set_title("generated digits")
plt.show()
