"""Text benchmark: the boundary-seeking GAN paper's character-level experiment, on words.

Run by hand (not in CI); the peers are installed as for ``fidelity.py``, whose
TabularARGN and CART samplers it uses::

    python benchmarks/text.py                       # three seeds, writes docs/benchmarks.md
    python benchmarks/text.py --seeds 0 --systems DiscreteBGAN trigram --no-docs

Data that ships with scikit-learn: the distinct lower-case words of 3 to 8 letters in
the docstrings of its estimators (about 2,300), a fifth of them held out (another fifth
for each seed). A word is a row of 8 characters padded with spaces
(:func:`skbgan.text.to_characters`), every position a categorical column whose
categories are every character of the training words.

Systems: ``DiscreteBGAN`` with its defaults and with ``autoregressive=True``;
TabularARGN (``mostlyai-engine``) and sequential CART (``synthpop``), one column per
position; a character trigram language model written here (position-independent
counts, interpolated with bigram and unigram estimates whose weights are chosen on a
fifth of the training words, the padding its end of word), which has an exact
likelihood over the same 8-character rows; independent positions; and the training
words themselves, the floor of detection AUC and pairwise TV.

Measures: of 10,000 generated rows, the share that are not training words (novelty)
and the share of those that are held-out words (real words the system composed
itself); detection AUC and pairwise TV of 1,000 generated rows against the held-out
words; the held-out log-likelihood in nats per word (``score`` for ``DiscreteBGAN``,
``log_prob`` for TabularARGN, exact for the trigram and independent positions, none for
CART); and fit time. Results go to ``benchmarks/results/text.json`` and between markers
in ``docs/benchmarks.md``.
"""

import argparse
import inspect
import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from fidelity import cart_sampler, fit_sample_tabularargn, machine, write_section
from sklearn.utils.discovery import all_estimators

from skbgan import DiscreteBGAN
from skbgan.metrics import detection_auc, pairwise_tv
from skbgan.text import from_characters, to_characters

ROOT = Path(__file__).resolve().parent.parent
LENGTH = 8
N_GENERATED = 10_000
N_COMPARED = 1_000
PAD = " "


def words(seed):
    """Training and held-out words: a random fifth of the distinct docstring words held out."""
    text = " ".join(inspect.getdoc(cls) or "" for _, cls in all_estimators())
    distinct = sorted(set(re.findall(rf"\b[a-z]{{3,{LENGTH}}}\b", text)))
    order = np.random.default_rng(seed).permutation(len(distinct))
    n_held = len(distinct) // 5
    held = [distinct[i] for i in order[:n_held]]
    train = [distinct[i] for i in order[n_held:]]
    alphabet = set("".join(train))
    return train, [w for w in held if set(w) <= alphabet]  # letters a model can emit


def alphabet_of(rows):
    """Every character of the character rows ``rows``, the padding included."""
    return sorted(set(rows.ravel().tolist()) | {PAD})


# ------------------------------------------------------------------ systems
class Trigram:
    """Character trigram language model with the padding as its end of word.

    Position-independent counts of each character after the two before it
    (two start symbols before a word), interpolated with bigram and unigram
    estimates; after the first padding character the rest of a row is
    padding. A proper distribution over the rows of ``LENGTH`` characters.
    """

    GRID = tuple((a, b) for a in (0.5, 0.6, 0.7, 0.8, 0.9) for b in (0.05, 0.1, 0.2, 0.3)
                 if a + b < 1)  # the trigram's and the bigram's weights

    def __init__(self, alphabet):
        self.alphabet = np.array(alphabet)
        self.pad = alphabet.index(PAD)
        self.start = len(alphabet)  # the two context slots before a word

    def _codes(self, rows):
        """Contexts and characters, ``(n, LENGTH + 2)``, and which characters are read."""
        codes = np.searchsorted(self.alphabet, rows)
        ended = np.cumsum(codes == self.pad, axis=1)
        read = (ended == 0) | ((ended == 1) & (codes == self.pad))  # up to the first pad
        return np.hstack([np.full((len(rows), 2), self.start), codes]), read

    def _fit_weights(self, rows, weights):
        v = len(self.alphabet)
        codes, read = self._codes(rows)
        tri = np.zeros((v + 1, v + 1, v))
        np.add.at(tri, (codes[:, :-2][read], codes[:, 1:-1][read], codes[:, 2:][read]), 1)
        bi = tri.sum(axis=0)
        uni = (bi.sum(axis=0) + 1) / (bi.sum() + v)  # add-one: every character possible
        with np.errstate(invalid="ignore"):
            p3 = np.nan_to_num(tri / tri.sum(axis=2, keepdims=True))
            p2 = np.nan_to_num(bi / bi.sum(axis=1, keepdims=True))
        w3 = np.where(tri.sum(axis=2, keepdims=True) > 0, weights[0], 0.0)
        w2 = np.where(bi.sum(axis=1, keepdims=True)[None] > 0, weights[1], 0.0)
        self.probs = w3 * p3 + w2 * p2[None] + (1 - w3 - w2) * uni
        return self

    def fit(self, rows, seed):
        """Counts of ``rows``, with the interpolation weights that best predict a fifth of them."""
        order = np.random.default_rng(seed).permutation(len(rows))
        valid, rest = rows[order[: len(rows) // 5]], rows[order[len(rows) // 5:]]
        scores = [self._fit_weights(rest, w).log_likelihood(valid).mean() for w in self.GRID]
        return self._fit_weights(rows, self.GRID[int(np.argmax(scores))])

    def log_likelihood(self, rows):
        codes, read = self._codes(rows)
        p = self.probs[codes[:, :-2], codes[:, 1:-1], codes[:, 2:]]
        return np.where(read, np.log(p), 0.0).sum(axis=1)

    def sample(self, n, seed):
        rng = np.random.default_rng(seed)
        codes = np.full((n, LENGTH + 2), self.start)
        for t in range(2, LENGTH + 2):
            cdf = np.cumsum(self.probs[codes[:, t - 2], codes[:, t - 1]], axis=1)
            u = rng.random(n)[:, None] * cdf[:, -1:]
            drawn = np.minimum((cdf <= u).sum(axis=1), len(self.alphabet) - 1)
            ended = codes[:, t - 1] == self.pad
            codes[:, t] = np.where(ended, self.pad, drawn)
        return self.alphabet[codes[:, 2:]]


def bgan(train, heldout, seed, **params):
    categories = [alphabet_of(train)] * LENGTH
    est = DiscreteBGAN(categories=categories, random_state=seed, **params).fit(train)
    return est.sample(N_GENERATED, random_state=seed), est.score(heldout)


def frame_of(rows):
    """Character rows as a DataFrame of one string column per position."""
    return pd.DataFrame(rows, columns=[f"c{j}" for j in range(LENGTH)])


def cart(train, heldout, seed):
    return cart_sampler(frame_of(train), seed)(N_GENERATED).to_numpy().astype("<U1"), None


def tabular_argn(train, heldout, seed):
    synthetic, log_prob = fit_sample_tabularargn(frame_of(train), N_GENERATED)
    return synthetic.to_numpy().astype("<U1"), float(np.mean(log_prob(frame_of(heldout))))


def trigram(train, heldout, seed):
    model = Trigram(alphabet_of(train)).fit(train, seed)
    return model.sample(N_GENERATED, seed), model.log_likelihood(heldout).mean()


def independent(train, heldout, seed):
    alphabet = np.array(alphabet_of(train))
    counts = (train[:, :, None] == alphabet).sum(axis=0) + 0.5  # (positions, characters)
    probs = counts / counts.sum(axis=1, keepdims=True)
    rng = np.random.default_rng(seed)
    rows = np.column_stack([rng.choice(alphabet, N_GENERATED, p=p) for p in probs])
    positions = np.arange(LENGTH)
    codes = np.searchsorted(alphabet, heldout)
    return rows, np.log(probs[positions, codes]).sum(axis=1).mean()


def training_words(train, heldout, seed):
    """The training words themselves, drawn with replacement: the floor of AUC and pairwise TV."""
    rng = np.random.default_rng(seed)
    return train[rng.integers(len(train), size=N_GENERATED)], None


SYSTEMS = {
    "DiscreteBGAN": bgan,
    "DiscreteBGAN(autoregressive=True)": lambda *a: bgan(*a, autoregressive=True),
    "TabularARGN": tabular_argn,
    "CART": cart,
    "trigram": trigram,
    "independent": independent,
    "training words": training_words,
}


# -------------------------------------------------------------------- runs
def evaluate(name, seed):
    train_words, held_words = words(seed)
    train, heldout = to_characters(train_words, LENGTH), to_characters(held_words, LENGTH)
    start = time.perf_counter()
    generated, heldout_ll = SYSTEMS[name](train, heldout, seed)
    fit_s = time.perf_counter() - start
    strings = from_characters(generated)
    seen, held = set(train_words), set(held_words)
    novel = [s for s in strings if s not in seen]
    real = [s for s in novel if s in held]
    row = {
        "system": name, "seed": seed, "fit_s": fit_s,
        "novelty": len(novel) / len(strings),
        "real_words": len(real) / max(len(novel), 1),
        "distinct_real_words": len(set(real)),
        "detection_auc": detection_auc(heldout, generated[:N_COMPARED], random_state=seed),
        "pairwise_tv": pairwise_tv(heldout, generated[:N_COMPARED]),
        "heldout_ll": None if heldout_ll is None else float(heldout_ll),
        "examples": strings[:12],
        "n_train": len(train_words), "n_heldout": len(held_words),
    }
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}),
          flush=True)
    return row


COLUMNS = ["fit_s", "novelty", "real_words", "distinct_real_words", "detection_auc",
           "pairwise_tv", "heldout_ll"]


def summary(rows):
    """One line per system: each measure's mean over the seeds, ± its standard deviation."""
    lines = ["| system | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for name in dict.fromkeys(r["system"] for r in rows):
        cells = []
        for column in COLUMNS:
            values = [r[column] for r in rows if r["system"] == name and r[column] is not None]
            if not values:
                cells.append("")
            elif column in ("fit_s", "distinct_real_words"):
                cells.append(f"{np.mean(values):.0f}")
            elif column == "real_words":  # a few in a thousand: in percent
                spread = f" ± {100 * np.std(values):.2f}" if len(values) > 1 else ""
                cells.append(f"{100 * np.mean(values):.2f}%{spread}")
            else:
                spread = f" ± {np.std(values):.3f}" if len(values) > 1 else ""
                cells.append(f"{np.mean(values):.3f}{spread}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_docs(results):
    rows = results["rows"]
    seeds = sorted({r["seed"] for r in rows})
    first = rows[0]
    examples = "\n".join(
        f"| {r['system']} | " + ", ".join(f"`{s}`" if s else "(empty)" for s in r["examples"])
        + " |" for r in rows if r["seed"] == seeds[0])
    text = (f"Measured on {results['machine']}, {results['date']}: seeds "
            f"{', '.join(map(str, seeds))} (mean ± standard deviation), "
            f"{first['n_train']:,} training and {first['n_heldout']:,} held-out words each.\n\n"
            f"{summary(rows)}\n\nThe first twelve generated rows of seed {seeds[0]}:\n\n"
            f"| system | generated |\n|---|---|\n{examples}\n")
    write_section(text, "text-results")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = ROOT / "benchmarks" / "results" / "text.json"
    results = json.loads(out.read_text()) if out.exists() else {"rows": []}
    new = [evaluate(name, seed) for name in args.systems for seed in args.seeds]
    measured = {(r["system"], r["seed"]) for r in new}
    kept = [r for r in results["rows"] if (r["system"], r["seed"]) not in measured]
    order = list(SYSTEMS)
    results["rows"] = sorted(kept + new, key=lambda r: (order.index(r["system"]), r["seed"]))
    results.update(machine=machine(), date=time.strftime("%Y-%m-%d"))
    out.write_text(json.dumps(results, indent=1))
    if not args.no_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
