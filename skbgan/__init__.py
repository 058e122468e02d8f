"""skbgan: boundary-seeking GANs for categorical data, with a scikit-learn API."""

from ._estimator import DiscreteBGAN, load
from ._imputer import BGANImputer
from ._private_training import DP_RECIPE
from ._version import __version__

__all__ = ["BGANImputer", "DP_RECIPE", "DiscreteBGAN", "load", "__version__"]
