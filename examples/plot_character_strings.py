"""
Character strings
=================

The boundary-seeking GAN paper (Hjelm et al., 2018) also generated text one
character at a time: every position of a fixed-length string is a categorical
column, every character a category. Here the model learns English words of 3
to 8 letters taken from the docstrings of scikit-learn's estimators (text that
ships with scikit-learn). A fifth of the distinct words is held out: a
generated word that is not a training word but is a held-out word is a real
word the model composed itself.
"""

import inspect
import re

import matplotlib.pyplot as plt
import numpy as np
from sklearn.utils.discovery import all_estimators

from skbgan import DiscreteBGAN
from skbgan.text import from_characters, to_characters

text = " ".join(inspect.getdoc(cls) or "" for _, cls in all_estimators())
words = sorted(set(re.findall(r"\b[a-z]{3,8}\b", text)))
rng = np.random.default_rng(0)
rng.shuffle(words)
held_out, train = set(words[: len(words) // 5]), words[len(words) // 5 :]
print(f"{len(train)} training words, {len(held_out)} held out, e.g. {train[:8]}")

# %%
# ``autoregressive="sequence"`` makes each position read the characters before
# it through weights shared along the string, among them a hidden layer over
# the 8 characters before each position (``autoregressive_units``, 256), so the
# model can learn which letter follows "ment" or "tio" wherever they stand.
# Over three seeds it composed about twice the real words of the default
# model (Benchmarks, "Text"); a fit takes about a minute on 2 CPU cores.
chars = to_characters(train, length=8)  # (n, 8) array of single characters, " " pads
est = DiscreteBGAN(autoregressive="sequence", random_state=0)
est.fit(chars)
generated = from_characters(est.sample(2000, random_state=0))

# %%
# Novelty is the share of generated words that are not training words; of
# those, some are real words the model never saw.
training = set(train)


def report(generated):
    """Print the share of new words, and of real words among them."""
    novel = [w for w in generated if w not in training]
    real_novel = [w for w in novel if w in held_out]
    print(f"novel: {len(novel) / len(generated):.0%} of generated words; "
          f"{len(real_novel) / max(len(novel), 1):.1%} of the novel ones are held-out words "
          f"(e.g. {sorted(set(real_novel))[:10]})")


report(generated)
print("generated:", generated[:24])

# %%
# Sampling sharper (``temperature`` below 1 divides each position's logits
# before drawing) trades a little novelty for more real words. Benchmarks,
# "Text", compares the model on these words with TabularARGN, sequential CART
# and a character trigram model, and on 32-character pieces of running text,
# where the same setting composes the most real words of all of them.
report(from_characters(est.sample(2000, random_state=0, temperature=0.7)))

# %%
# Word lengths and first letters follow the training words.
fig, axes = plt.subplots(1, 2, figsize=(10, 3))
for data, label in [(train, "training words"), (generated, "generated")]:
    lengths = np.bincount([len(w) for w in data], minlength=9)[3:9]
    axes[0].plot(range(3, 9), lengths / lengths.sum(), "o-", label=label)
    letters = np.array([ord(w[0]) - ord("a") for w in data if w])
    axes[1].plot(np.bincount(letters, minlength=26) / len(letters), "o-", label=label)
axes[0].set_xlabel("word length")
axes[1].set_xticks(range(26), [chr(ord("a") + i) for i in range(26)])
axes[1].set_xlabel("first letter")
axes[0].legend()
plt.tight_layout()
plt.show()
