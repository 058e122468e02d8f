"""scikit-learn's own estimator checks."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skbgan import BGANImputer, DiscreteBGAN

from .conftest import TINY

# Every check that is expected to fail, with the reason.
EXPECTED_FAILED_CHECKS = {
    "DiscreteBGAN": {},
    "BGANImputer": {
        "check_positive_only_tag_during_fit": (
            "for estimators tagged categorical and allow_nan the check feeds float-coded "
            "categories minus their mean, i.e. non-integral labels, which a categorical "
            "model rejects with a ValueError by design"
        ),
    },
}


@parametrize_with_checks(
    [DiscreteBGAN(**TINY, random_state=0),
     BGANImputer(DiscreteBGAN(**TINY, random_state=0), random_state=0)],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS[type(est).__name__],
)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
