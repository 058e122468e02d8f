"""Text benchmark: the boundary-seeking GAN paper's character-level experiment.

Run by hand (not in CI); the peers are installed as for ``fidelity.py``, whose
TabularARGN and CART samplers it uses::

    python benchmarks/text.py                       # both sets, three seeds, writes the docs
    python benchmarks/text.py --sets words --seeds 0 --systems DiscreteBGAN trigram --no-docs

Two sets, both cut from text that ships with scikit-learn, the docstrings of its
estimators, every character a category of its position's column:

- ``words``: the distinct lower-case words of 3 to 8 letters (about 2,300), a fifth of
  them held out (another fifth for each seed), each a row of 8 characters padded with
  spaces (:func:`skbgan.text.to_characters`).
- ``snippets``: the paper's setting, 32-character pieces of running text (the
  docstrings in lower case, every run of other characters one space): 10,000 to train
  on and 2,000 held out, drawn anew for each seed.

Systems: ``DiscreteBGAN`` with its defaults, with ``autoregressive=True`` and with
``autoregressive="sequence"`` (one dependence on the 8 characters before, one on the two
just before together and a hidden layer over the 8 characters before, all shared along the
string; also with ``samples_per_latent=8``, the faster setting, and with
``autoregressive_units=0``, without the hidden layer);
TabularARGN (``mostlyai-engine``) and sequential CART (``synthpop``), one column per
position; a character trigram language model written here (position-independent
counts, interpolated with bigram and unigram estimates whose weights are chosen on a
fifth of the training rows; for words the padding is its end of word), which has an
exact likelihood over the same rows; independent positions; and the training rows
themselves, the floor of detection AUC and pairwise TV.

Measures: of 10,000 generated rows, the share that are not training rows (novelty) and
``real_words``: for ``words`` the share of the new rows that are held-out words (real
words the system composed itself), for ``snippets`` the share of the whole words of 3
letters or more inside a row (not cut by its ends) that are words of the docstrings; ``distinct_real_words``, how
many different ones; detection AUC and pairwise TV of 1,000 generated rows against the
held-out rows; the held-out log-likelihood in nats per row (``score`` for
``DiscreteBGAN``, ``log_prob`` for TabularARGN, exact for the trigram and independent
positions, none for CART); and fit time. Results go to ``benchmarks/results/text.json``
and between markers in ``docs/benchmarks.md``.
"""

import argparse
import functools
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
N_GENERATED = 10_000
N_COMPARED = 1_000
PAD = " "


@functools.cache
def docstrings():
    """The docstrings of scikit-learn's estimators, joined (read once: every set and seed cuts them)."""
    return " ".join(inspect.getdoc(cls) or "" for _, cls in all_estimators())


def words(seed, length=8):
    """Training and held-out rows of words, and the held-out words: a random fifth held out."""
    distinct = sorted(set(re.findall(rf"\b[a-z]{{3,{length}}}\b", docstrings())))
    order = np.random.default_rng(seed).permutation(len(distinct))
    n_held = len(distinct) // 5
    held = [distinct[i] for i in order[:n_held]]
    train = [distinct[i] for i in order[n_held:]]
    alphabet = set("".join(train))
    held = [w for w in held if set(w) <= alphabet]  # letters a model can emit
    return to_characters(train, length), to_characters(held, length), set(held)


def snippets(seed, length=32, n_train=10_000, n_heldout=2_000):
    """Training and held-out pieces of running text, and the docstrings' words of 3+ letters."""
    text = re.sub(r"[^a-z]+", " ", docstrings().lower()).strip()
    pieces = np.array([list(text[i:i + length])
                       for i in range(0, len(text) - length + 1, length)])
    order = np.random.default_rng(seed).permutation(len(pieces))
    held = pieces[order[n_train:n_train + n_heldout]]
    return pieces[order[:n_train]], held, {w for w in text.split() if len(w) >= 3}


SETS = {"words": words, "snippets": snippets}


def strings_of(set_name, rows):
    """Rows as strings: a word without its padding, or the piece of text."""
    if set_name == "words":
        return from_characters(rows)
    return ["".join(row) for row in rows]


def real_word_share(set_name, strings, seen, vocabulary):
    """``real_words`` and ``distinct_real_words`` of generated ``strings``: see the module."""
    if set_name == "words":
        candidates = [s for s in strings if s not in seen]  # the new rows
    else:  # the whole words of 3 letters or more inside a row, not cut by its ends
        candidates = [w for s in strings for w in s.split(PAD)[1:-1] if len(w) >= 3]
    real = [w for w in candidates if w in vocabulary]
    return len(real) / max(len(candidates), 1), len(set(real))


def alphabet_of(rows):
    """Every character of the character rows ``rows``, the padding included."""
    return sorted(set(rows.ravel().tolist()) | {PAD})


# ------------------------------------------------------------------ systems
class Trigram:
    """Character trigram language model over rows of characters.

    Position-independent counts of each character after the two before it
    (two start symbols before a row), interpolated with bigram and unigram
    estimates. Where the training rows are padded at their ends (words), the
    padding is the end of a word: after it the rest of a row is padding. A
    proper distribution over rows of the training rows' length.
    """

    GRID = tuple((a, b) for a in (0.5, 0.6, 0.7, 0.8, 0.9) for b in (0.05, 0.1, 0.2, 0.3)
                 if a + b < 1)  # the trigram's and the bigram's weights

    def __init__(self, alphabet):
        self.alphabet = np.array(alphabet)
        self.pad = alphabet.index(PAD)
        self.start = len(alphabet)  # the two context slots before a row

    def _codes(self, rows):
        """Contexts and characters, ``(n, length + 2)``, and which characters are read."""
        codes = np.searchsorted(self.alphabet, rows)
        read = np.ones(codes.shape, dtype=bool)
        if self.ends:
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
        padding = rows == PAD
        self.ends = bool((np.maximum.accumulate(padding, axis=1) <= padding).all())
        self.length = rows.shape[1]
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
        codes = np.full((n, self.length + 2), self.start)
        for t in range(2, self.length + 2):
            cdf = np.cumsum(self.probs[codes[:, t - 2], codes[:, t - 1]], axis=1)
            u = rng.random(n)[:, None] * cdf[:, -1:]
            drawn = np.minimum((cdf <= u).sum(axis=1), len(self.alphabet) - 1)
            ended = self.ends & (codes[:, t - 1] == self.pad)
            codes[:, t] = np.where(ended, self.pad, drawn)
        return self.alphabet[codes[:, 2:]]


def bgan(train, heldout, seed, **params):
    categories = [alphabet_of(train)] * train.shape[1]
    est = DiscreteBGAN(categories=categories, random_state=seed, **params).fit(train)
    return est.sample(N_GENERATED, random_state=seed), est.score(heldout)


def frame_of(rows):
    """Character rows as a DataFrame of one string column per position."""
    return pd.DataFrame(rows, columns=[f"c{j}" for j in range(rows.shape[1])])


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
    positions = np.arange(train.shape[1])
    codes = np.searchsorted(alphabet, heldout)
    return rows, np.log(probs[positions, codes]).sum(axis=1).mean()


def training_rows(train, heldout, seed):
    """The training rows themselves, drawn with replacement: the floor of AUC and pairwise TV."""
    rng = np.random.default_rng(seed)
    return train[rng.integers(len(train), size=N_GENERATED)], None


SYSTEMS = {
    "DiscreteBGAN": bgan,
    "DiscreteBGAN(autoregressive=True)": lambda *a: bgan(*a, autoregressive=True),
    "DiscreteBGAN(autoregressive='sequence')": lambda *a: bgan(*a, autoregressive="sequence"),
    "DiscreteBGAN(autoregressive='sequence', samples_per_latent=8)":
        lambda *a: bgan(*a, autoregressive="sequence", samples_per_latent=8),
    "DiscreteBGAN(autoregressive='sequence', autoregressive_units=0)":
        lambda *a: bgan(*a, autoregressive="sequence", autoregressive_units=0),
    "DiscreteBGAN(autoregressive='sequence', autoregressive_units=0, samples_per_latent=8)":
        lambda *a: bgan(*a, autoregressive="sequence", autoregressive_units=0,
                        samples_per_latent=8),
    "TabularARGN": tabular_argn,
    "CART": cart,
    "trigram": trigram,
    "independent": independent,
    "training rows": training_rows,
}
"""Each a function of the training rows, held-out rows and seed, returning 10,000 generated
rows and the held-out log-likelihood per row (None where the system has none)."""


# -------------------------------------------------------------------- runs
def evaluate(set_name, name, seed):
    train, heldout, vocabulary = SETS[set_name](seed)
    start = time.perf_counter()
    generated, heldout_ll = SYSTEMS[name](train, heldout, seed)
    fit_s = time.perf_counter() - start
    strings = strings_of(set_name, generated)
    seen = set(strings_of(set_name, train))
    share, distinct = real_word_share(set_name, strings, seen, vocabulary)
    row = {
        "set": set_name, "system": name, "seed": seed, "fit_s": fit_s,
        "novelty": float(np.mean([s not in seen for s in strings])),
        "real_words": share, "distinct_real_words": distinct,
        "detection_auc": detection_auc(heldout, generated[:N_COMPARED], random_state=seed),
        "pairwise_tv": pairwise_tv(heldout, generated[:N_COMPARED]),
        "heldout_ll": None if heldout_ll is None else float(heldout_ll),
        "examples": strings[:12],
        "n_train": len(train), "n_heldout": len(heldout), "length": train.shape[1],
    }
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}),
          flush=True)
    return row


COLUMNS = ["fit_s", "novelty", "real_words", "distinct_real_words", "detection_auc",
           "pairwise_tv", "heldout_ll"]


def cell(column, values):
    """A measure's mean over the seeds, ± its standard deviation."""
    if not values:
        return ""
    if column in ("fit_s", "distinct_real_words"):
        return f"{np.mean(values):.0f}"
    scale, unit, digits = (100, "%", 2) if column == "real_words" else (1, "", 3)
    spread = f" ± {scale * np.std(values):.{digits}f}" if len(values) > 1 else ""
    return f"{scale * np.mean(values):.{digits}f}{unit}{spread}"


def table(rows):
    """One line per system of one set's ``rows``."""
    lines = ["| system | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for name in dict.fromkeys(r["system"] for r in rows):
        mine = [r for r in rows if r["system"] == name]
        cells = [cell(c, [r[c] for r in mine if r[c] is not None]) for c in COLUMNS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_docs(results):
    caption = (f"Measured on {results['machine']}, {results['date']}: mean ± standard "
               "deviation over the seeds.\n")
    parts = [caption]
    for set_name in SETS:
        rows = [r for r in results["rows"] if r["set"] == set_name]
        if not rows:
            continue
        seeds = sorted({r["seed"] for r in rows})
        shown = 12 if set_name == "words" else 4
        examples = "\n".join(
            f"| {r['system']} | " + ", ".join(f"`{s}`" if s.strip() else "(empty)"
                                              for s in r["examples"][:shown]) + " |"
            for r in rows if r["seed"] == seeds[0])
        parts.append(
            f"\n### {set_name}: {rows[0]['n_train']:,} training and "
            f"{rows[0]['n_heldout']:,} held-out rows of {rows[0]['length']} characters, seeds {', '.join(map(str, seeds))}\n\n{table(rows)}\n\n"
            f"The first generated rows of seed {seeds[0]}:\n\n"
            f"| system | generated |\n|---|---|\n{examples}\n")
    write_section("".join(parts), "text-results")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    out = ROOT / "benchmarks" / "results" / "text.json"
    results = json.loads(out.read_text()) if out.exists() else {"rows": []}
    new = [evaluate(set_name, name, seed)
           for set_name in args.sets for name in args.systems for seed in args.seeds]
    measured = {(r["set"], r["system"], r["seed"]) for r in new}
    kept = [r for r in results["rows"] if (r["set"], r["system"], r["seed"]) not in measured]
    order = list(SYSTEMS)
    results["rows"] = sorted(kept + new, key=lambda r: (list(SETS).index(r["set"]),
                                                       order.index(r["system"]), r["seed"]))
    results.update(machine=machine(), date=time.strftime("%Y-%m-%d"))
    out.write_text(json.dumps(results, indent=1))
    if not args.no_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
