"""Fixed-length character strings as arrays of categorical columns, and back.

A list of words becomes an ``(n, length)`` array with one character per cell,
which :class:`~skbgan.DiscreteBGAN` learns like any table (each position is a
column, each character a category), as in the boundary-seeking GAN paper's
character-level text experiments.
"""

import reprlib

import numpy as np

from ._arguments import check_integer

__all__ = ["from_characters", "to_characters"]


def to_characters(strings, length=None, pad=" "):
    """Strings as an array of single characters, padded at the end to one length.

    Parameters
    ----------
    strings : sequence of str
    length : int or None, default=None
        Characters per row; None uses the longest string's length.
    pad : str, default=" "
        The one character that fills rows past the end of a string.

    Returns
    -------
    characters : ndarray of shape (n_strings, length), dtype ``<U1``

    Raises
    ------
    TypeError
        If ``strings`` is one string, or an item is not a string.
    ValueError
        If ``pad`` is not one character, ``length`` not a positive integer,
        a string is longer than ``length``, or ends with ``pad`` (it would
        not come back unchanged).

    Examples
    --------
    >>> from skbgan.text import from_characters, to_characters
    >>> chars = to_characters(["cat", "horse"])
    >>> chars.shape
    (2, 5)
    >>> from_characters(chars)
    ['cat', 'horse']
    """
    if not isinstance(pad, str) or len(pad) != 1:
        raise ValueError(f"pad={pad!r} must be a single character.")
    if isinstance(strings, str):
        raise TypeError(f"strings must be a sequence of strings, not one string: use "
                        f"[{reprlib.repr(strings)}].")
    if length is not None:
        check_integer("length", length, 1)
    strings = list(strings)
    for i, s in enumerate(strings):
        if not isinstance(s, str):
            raise TypeError(f"Item {i} is not a string but {type(s).__name__} {s!r}.")
        if s.endswith(pad):
            raise ValueError(
                f"Item {i} ({s!r}) ends with the padding character {pad!r}; choose another pad."
            )
    longest = max((len(s) for s in strings), default=0)
    length = longest if length is None else length
    if longest > length:
        i = next(i for i, s in enumerate(strings) if len(s) > length)
        raise ValueError(
            f"Item {i} ({strings[i]!r}) has {len(strings[i])} characters, more than "
            f"length={length}."
        )
    out = np.full((len(strings), length), pad, dtype="<U1")
    for row, s in zip(out, strings):
        row[: len(s)] = list(s)
    return out


def from_characters(characters, pad=" "):
    """Rows of single characters back to strings, trailing ``pad`` removed.

    Parameters
    ----------
    characters : array-like of shape (n_strings, length)
        E.g. ``DiscreteBGAN.sample`` of a model fitted on :func:`to_characters`.
    pad : str, default=" "

    Returns
    -------
    strings : list of str

    Raises
    ------
    ValueError
        If ``characters`` is not 2-dimensional.
    TypeError
        If it holds anything but strings (numbers, say: a model fitted on
        codes rather than on :func:`to_characters`' output).
    """
    characters = np.asarray(characters)
    if characters.ndim != 2:
        raise ValueError(
            f"Expected characters of shape (n_strings, length), got {characters.shape}."
        )
    if characters.dtype.kind == "O":
        odd = next((type(c).__name__ for c in characters.flat if not isinstance(c, str)), None)
    else:
        odd = None if characters.dtype.kind == "U" else characters.dtype
    if odd is not None:
        raise TypeError(f"Expected characters (strings), got values of type {odd}.")
    return ["".join(row).rstrip(pad) for row in characters.astype(str)]
