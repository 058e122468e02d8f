"""A safe model file: tensors plus JSON metadata, loaded without running code.

Pickle files (``joblib.dump``) can run arbitrary code when loaded. The format
written by :meth:`DiscreteBGAN.save` holds only tensors and a JSON string, and
:func:`load` reads it with ``torch.load(..., weights_only=True)``, which
refuses any other object.
"""

import base64
import json
import os
import pickle
import warnings
from decimal import Decimal
from fractions import Fraction

import numpy as np
import torch

from ._device import available, resolve_device
from ._encoding import CategoricalCodec
from ._networks import Critic, Generator, cpu_state_dict, rebuild
from ._numeric import BinnedColumn
from ._version import __version__

FORMAT = "skbgan.DiscreteBGAN"
FORMAT_VERSION = 3
"""2: output groups padded to their largest column, not a power of two; 3: conv
critics of at most 16 channels (:data:`~skbgan._conv.CRITIC_CHANNELS`)."""


_TAGGED_LABELS = {"decimal": (Decimal, str, Decimal),
                  "fraction": (Fraction, str, Fraction),
                  "bytes": (bytes, lambda b: base64.b64encode(b).decode("ascii"),
                            base64.b64decode)}
"""Labels that JSON has no type for, written as ``{tag: text}``: type, to text, from text."""


def _label_to_json(label):
    """One label as JSON: text, numbers, booleans and None as they are, the types of
    :data:`_TAGGED_LABELS` tagged so that they are read back as themselves."""
    if isinstance(label, np.generic):
        label = label.item()
    if label is None or isinstance(label, (str, bool, int, float)):
        return label
    for tag, (kind, to_text, _) in _TAGGED_LABELS.items():
        if isinstance(label, kind):
            return {tag: to_text(label)}
    raise TypeError(f"Cannot write the label {label!r} of type {type(label).__name__} to a "
                    "model file; joblib.dump keeps any label (and runs code when loaded).")


def _label_from_json(value):
    """A label written by :func:`_label_to_json`."""
    if isinstance(value, dict):
        (tag, text), = value.items()
        return _TAGGED_LABELS[tag][2](text)
    return value


def _labels_to_json(labels):
    return [_label_to_json(label) for label in labels]


def _labels_from_json(values):
    return [_label_from_json(value) for value in values]


def _dtype_to_json(dtype):
    """A pandas or numpy dtype as JSON: a string, or the categories of a categorical."""
    if getattr(dtype, "name", None) == "category":
        return {"categories": _labels_to_json(dtype.categories), "ordered": bool(dtype.ordered)}
    return str(dtype)


def _key(key):
    """A column key read back from JSON: a tuple (a position, or a DataFrame column's
    name) was written as a list."""
    return tuple(key) if isinstance(key, list) else key


def _dtype_from_json(spec):
    import pandas as pd

    if isinstance(spec, dict):
        return pd.CategoricalDtype(_labels_from_json(spec["categories"]),
                                   ordered=spec["ordered"])
    return pd.api.types.pandas_dtype(spec)


def unwritable(path):
    """Why ``path`` cannot be written as a file: ``(error class, reason)``, or None.

    ``path`` may also be a writable file object (``torch.save`` takes both):
    then None.
    """
    if not isinstance(path, (str, os.PathLike)):
        return None
    if os.path.isdir(path):
        return IsADirectoryError, "it is a directory; name a file in it"
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        return FileNotFoundError, f"no directory {directory} to write it in"
    return None


def save(estimator, path):
    """Write a fitted ``DiscreteBGAN`` to ``path`` in the safe format."""
    problem = unwritable(path)
    if problem is not None:
        error, reason = problem
        raise error(f"Cannot write {os.fspath(path)}: {reason}.")
    codec = estimator._codec
    params = estimator.get_params()
    if not isinstance(params["random_state"], (int, type(None))):
        params["random_state"] = None  # a RandomState instance is not data
    params["device"] = str(params["device"])  # a torch.device as its name
    if not isinstance(params["categories"], str):
        params["categories"] = [_labels_to_json(labels) for labels in params["categories"]]
    if isinstance(params["n_bins"], dict):  # JSON objects only have text keys
        params["n_bins"] = [[key, count] for key, count in params["n_bins"].items()]
    frame = estimator._frame_dtypes
    metadata = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skbgan_version": __version__,
        "params": params,
        "present": [_labels_to_json(p) for p in codec.present],
        "has_missing": codec.has_missing,
        "numeric": [[j, column.to_json()] for j, column in codec.numeric.items()],
        "dtype": codec.dtype.str,
        "sample_shape": list(estimator.sample_shape_),
        "feature_names_in": (
            list(estimator.feature_names_in_) if hasattr(estimator, "feature_names_in_") else None
        ),
        "frame_dtypes": (
            None if frame is None else [[name, _dtype_to_json(d)] for name, d in frame.items()]
        ),
        "polars_types": getattr(estimator, "_polars_types", None),
        "n_samples_fit": estimator.n_samples_fit_,
        "likelihood_latents": estimator.likelihood_latents_,
        "score_seed": estimator.score_seed_,
        "history": estimator.history_,
        "best_epoch": estimator.best_epoch_,
        "privacy": (None if estimator.delta_ is None else
                    {"epsilon": estimator.epsilon_, "delta": estimator.delta_,
                     "noise_multiplier": estimator.noise_multiplier_}),
        "device": str(estimator.device_),
        "generator_config": estimator.generator_.config,
        "critic_config": estimator.critic_.config,
    }
    torch.save(
        {
            "metadata": json.dumps(metadata),
            "generator": cpu_state_dict(estimator.generator_),
            "critic": cpu_state_dict(estimator.critic_),
        },
        path,
    )


def read(path, device="auto"):
    """Read a model file written by :func:`save`, running no code from it.

    ``path`` and ``device`` are those of :func:`skbgan.load`.

    Returns
    -------
    params : dict
        The estimator's parameters.
    fitted : dict
        Its fitted attributes, private ones included, by name.

    Raises
    ------
    ValueError
        If the file is not a model file of this format, holds anything but
        tensors and metadata, or was written by an incompatible version.
    """
    try:
        with warnings.catch_warnings():  # torch's notes on pickle protocols of foreign files
            warnings.simplefilter("ignore", UserWarning)
            content = torch.load(path, map_location="cpu", weights_only=True)
    except OSError:
        raise
    except pickle.UnpicklingError:  # not torch's advice, weights_only=False: it runs code
        raise ValueError(
            f"{path} is not a safe skbgan model file: it is not tensors and metadata alone "
            "(a damaged file, a file of another kind, or one holding objects that could run "
            "code). A file written by joblib.dump or pickle is read with joblib.load, only "
            "from a source you trust."
        ) from None
    except Exception as error:  # any other failure to parse: not a file of this format
        raise ValueError(
            f"{path} is not a safe skbgan model file (it may be damaged, or of another "
            f"kind): {str(error).splitlines()[0]}"
        ) from None
    if not isinstance(content, dict) or "metadata" not in content:
        raise ValueError(f"{path} is not a skbgan model file.")
    meta = json.loads(content["metadata"])
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path} is not a skbgan model file.")
    if meta["format_version"] != FORMAT_VERSION:
        advice = "Upgrade skbgan." if meta["format_version"] > FORMAT_VERSION else (
            "Its networks are laid out differently; refit the model with this skbgan."
        )
        raise ValueError(
            f"{path} was written by skbgan {meta['skbgan_version']} in format version "
            f"{meta['format_version']}; this skbgan reads version {FORMAT_VERSION}. {advice}"
        )

    params = meta["params"]
    for name in ("generator_layers", "critic_layers"):
        if not isinstance(params[name], str):  # "auto"
            params[name] = tuple(params[name])
    if isinstance(params["n_bins"], list):
        params["n_bins"] = {_key(key): count for key, count in params["n_bins"]}
    if isinstance(params["numeric_columns"], list):
        params["numeric_columns"] = [_key(key) for key in params["numeric_columns"]]
    if not isinstance(params["categories"], str):  # "auto"
        params["categories"] = [_labels_from_json(labels) for labels in params["categories"]]
    dtype = np.dtype(meta["dtype"])
    present = []
    for labels in meta["present"]:
        # np.empty then fill keeps object columns 1-d whatever the labels are
        column = np.empty(len(labels), dtype=dtype)
        column[:] = _labels_from_json(labels)
        present.append(column)
    numeric = {j: BinnedColumn.from_json(column) for j, column in meta.get("numeric", [])}
    codec = CategoricalCodec.from_categories(
        present, meta["has_missing"], meta["sample_shape"], dtype, numeric
    )
    device = available(meta["device"]) if device == "auto" else resolve_device(device)
    privacy = meta.get("privacy")  # files written before differential privacy have none
    fitted = {
        "_codec": codec,
        "categories_": codec.categories,
        "sample_shape_": tuple(meta["sample_shape"]),
        "n_features_in_": len(codec.categories),
        "_frame_dtypes": (
            None if meta["frame_dtypes"] is None
            else {_key(name): _dtype_from_json(spec) for name, spec in meta["frame_dtypes"]}
        ),
        "_polars_types": meta.get("polars_types"),  # files before polars input have none
        "n_samples_fit_": meta["n_samples_fit"],
        "score_seed_": meta["score_seed"],
        "history_": meta["history"],
        "n_iter_": len(meta["history"]),
        "best_epoch_": meta["best_epoch"],
        "epsilon_": float("inf") if privacy is None else privacy["epsilon"],
        "delta_": None if privacy is None else privacy["delta"],
        "noise_multiplier_": None if privacy is None else privacy["noise_multiplier"],
        "device_": device,
        "architecture_": "conv" if meta["generator_config"].get("image_shape") else "mlp",
        "likelihood_proposal_": "encoder" if meta["generator_config"].get("encoder") else "prior",
        "latent_components_": meta["generator_config"].get("latent_components", 0),
        # files before likelihood_latents="auto" hold the number in their parameters
        "likelihood_latents_": meta.get("likelihood_latents", params["likelihood_latents"]),
        "autoregressive_": meta["generator_config"].get("autoregressive", False),
        "autoregressive_units_": meta["generator_config"].get("context_units", 0),
        "generator_layers_": tuple(meta["generator_config"]["hidden_layer_sizes"]),
        "generator_": rebuild(Generator, meta["generator_config"], content["generator"], device),
        "critic_": rebuild(Critic, meta["critic_config"], content["critic"], device),
    }
    if meta["feature_names_in"] is not None:
        fitted["feature_names_in_"] = np.array(meta["feature_names_in"], dtype=object)
    return params, fitted
