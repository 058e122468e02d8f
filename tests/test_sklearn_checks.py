"""scikit-learn's own estimator checks."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skbgan import BGANImputer, DiscreteBGAN

from .conftest import TINY

# Every check that is expected to fail, with the reason.
EXPECTED_FAILED_CHECKS = {
    "DiscreteBGAN": {
        "check_sample_weight_equivalence_on_dense_data": (
            "training is stochastic: integer weights and repeated rows draw the same "
            "batches in distribution, not bit for bit (tests/test_sample_weight.py "
            "checks the distribution)"
        ),
    },
    "BGANImputer": {},
}


@parametrize_with_checks(
    [DiscreteBGAN(**TINY, random_state=0),
     BGANImputer(DiscreteBGAN(**TINY, random_state=0), random_state=0)],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS[type(est).__name__],
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
