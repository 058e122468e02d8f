"""skbgan: boundary-seeking GANs for categorical data, with a scikit-learn API."""

from ._estimator import DiscreteBGAN

__all__ = ["DiscreteBGAN"]
__version__ = "0.1.0"
