"""skbgan: boundary-seeking GANs for categorical data, with a scikit-learn API."""

from ._estimator import DiscreteBGAN
from ._persistence import load

__all__ = ["DiscreteBGAN", "load"]
__version__ = "0.1.0"
