"""Character strings as categorical columns."""

import numpy as np
import pytest

from skbgan import DiscreteBGAN
from skbgan.text import from_characters, to_characters


def test_round_trip_pads_at_the_end():
    words = ["a", "tree", "", "naïve"]
    chars = to_characters(words, length=6, pad="_")
    assert chars.shape == (4, 6) and chars.dtype == np.dtype("<U1")
    assert "".join(chars[1]) == "tree__"
    assert from_characters(chars, pad="_") == words


@pytest.mark.parametrize("call, error, match", [
    (lambda: to_characters(["ok", 3]), TypeError, r"Item 1 is not a string but int 3\."),
    (lambda: to_characters(["long"], length=3), ValueError, r"Item 0 \('long'\) has 4 characters"),
    (lambda: to_characters(["ab"], pad="--"), ValueError, r"pad='--' must be a single character"),
    (lambda: to_characters(["ab "]), ValueError, r"ends with the padding character ' '"),
    (lambda: to_characters("word"), TypeError, r"not one string: use \['word'\]"),
    (lambda: to_characters(["ab"], length=0), ValueError, r"length=0 must be an integer >= 1"),
    (lambda: to_characters(["a"], length=True), ValueError, r"length=True must be an integer"),
    (lambda: from_characters(np.array(["abc"])), ValueError, r"shape \(n_strings, length\)"),
    (lambda: from_characters(np.zeros((2, 3), dtype=int)), TypeError, r"values of type int64"),
    (lambda: from_characters(np.array([["a", None]], dtype=object)), TypeError,
     r"values of type NoneType"),
])
def test_bad_strings_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_model_of_words_samples_words(tiny):
    words = ["cat", "cart", "care", "core", "bore", "bare", "bat"] * 20
    est = DiscreteBGAN(**tiny, random_state=0).fit(to_characters(words))
    generated = from_characters(est.sample(30, random_state=0))
    assert len(generated) == 30
    assert all(len(w) <= 4 and set(w) <= set("catrebo ") for w in generated)
