"""scikit-learn's own estimator checks."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skbgan import DiscreteBGAN

from .conftest import TINY

# Every check that is expected to fail, with the reason. Empty: all pass.
EXPECTED_FAILED_CHECKS = {}


@parametrize_with_checks(
    [DiscreteBGAN(**TINY, random_state=0)],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS,
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
