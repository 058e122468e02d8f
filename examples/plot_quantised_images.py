"""
16-level quantised images
=========================

The boundary-seeking GAN paper (Hjelm et al., 2018) trained on images
quantised to 16 grey levels, a setting where the pixels are categories, not
numbers. Here scikit-learn's 8x8 digits are quantised to 16 levels (4 bits) and
the model learns them as 64 categorical columns, given as image-shaped data
``(n, 8, 8)``. We compare generated and real images, their mean images and the
frequencies of grey levels.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

from skbgan import DiscreteBGAN
from skbgan.plotting import plot_sample_grid

images = load_digits().images  # values 0..16
levels = np.minimum(images * 16 // 17, 15).astype(np.uint8)  # 16 levels: 0..15
print(levels.shape, np.unique(levels))

est = DiscreteBGAN(epochs=30, random_state=0).fit(levels)
samples = est.sample(500, random_state=0)
print(samples.shape, samples.dtype)

fig, axes = plt.subplots(1, 2, figsize=(10, 3))
plot_sample_grid(levels[:40], ax=axes[0])
axes[0].set_title("real, 16 levels")
plot_sample_grid(samples[:40], ax=axes[1])
axes[1].set_title("generated")

# %%
# Mean image and grey-level frequencies over all pixels.
fig, axes = plt.subplots(1, 3, figsize=(10, 3))
axes[0].imshow(levels.mean(axis=0), cmap="gray_r")
axes[0].set_title("mean, real")
axes[1].imshow(samples.mean(axis=0), cmap="gray_r")
axes[1].set_title("mean, generated")
for data, label in [(levels, "real"), (samples, "generated")]:
    axes[2].plot(np.bincount(data.ravel(), minlength=16) / data.size, "o-", label=label)
axes[2].set_yscale("log")
axes[2].set_xlabel("grey level")
axes[2].legend()
for ax in axes[:2]:
    ax.set_axis_off()
plt.tight_layout()
plt.show()
