"""Training checkpoints: a fit that stops (crash, kill, Ctrl-C) resumes where it was.

A checkpoint holds the whole training state (networks, averaged generator,
optimisers, epoch count), the history so far and what identifies the fit
(its parameters and a fingerprint of the data), written atomically and read
with ``torch.load(..., weights_only=True)`` so that it runs no code.
"""

import hashlib
import json
import os

import numpy as np
import torch

FORMAT = "skbgan.checkpoint"
FORMAT_VERSION = 1


def fingerprint(codes, weights=None):
    """SHA-256 of the codes, their shape and row weights: which data a checkpoint was trained on."""
    digest = hashlib.sha256(repr(codes.shape).encode())
    digest.update(codes.tobytes())
    if weights is not None:
        digest.update(np.ascontiguousarray(weights, dtype=np.float64).tobytes())
    return digest.hexdigest()


def identity(params, codes, n_processes, weights=None):
    """What a checkpoint must match to be resumed: parameters that shape training, data, processes.

    Parameters
    ----------
    params : dict
        The estimator's ``get_params()``; settings that do not change what is
        trained (epochs, verbosity, device, checkpoint file) are left out.
    codes : ndarray of shape (n_samples, n_features)
    n_processes : int
    weights : ndarray of shape (n_samples,), optional
        Row weights of a weighted fit.
    """
    ignored = {"epochs", "verbose", "device", "checkpoint_path", "checkpoint_interval"}
    kept = {name: _comparable(value) for name, value in params.items() if name not in ignored}
    return {"params": kept, "data": fingerprint(codes, weights), "processes": n_processes}


def _comparable(value):
    """A JSON stand-in for a parameter value, equal for equal values: a scalar, or a repr."""
    if isinstance(value, (int, float, str, bool, type(None))):
        return value
    if isinstance(value, (tuple, list)):  # layer sizes, or categories
        return repr([np.asarray(v).tolist() if np.ndim(v) else v for v in value])
    return type(value).__name__  # a RandomState: its seed is in the trainer state


def write(path, trainer_state, identity, progress, best_generator=None):
    """Atomically write a checkpoint to ``path``.

    Parameters
    ----------
    path : str or path-like
    trainer_state : dict
        ``BGANTrainer.state_dict()``.
    identity : dict
        JSON-able parameters and data fingerprint that a resuming fit must match.
    progress : dict
        JSON-able ``history`` and ``end_epoch`` of the interrupted fit.
    best_generator : dict of Tensor, optional
        Weights of the best averaged generator so far (early stopping).
    """
    temporary = f"{path}.partial"
    torch.save(
        {
            "format": json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION}),
            "identity": json.dumps(identity, sort_keys=True),
            "progress": json.dumps(progress),
            "trainer": trainer_state,
            "best_generator": best_generator,
        },
        temporary,
    )
    os.replace(temporary, path)


def read(path, identity):
    """Read the checkpoint at ``path``, checking it belongs to the fit ``identity``.

    Returns
    -------
    trainer_state : dict
    progress : dict
    best_generator : dict of Tensor or None

    Raises
    ------
    ValueError
        If the file is not a checkpoint, holds anything but tensors and plain
        values, or was written by a fit with other parameters or data.
    """
    try:
        content = torch.load(path, map_location="cpu", weights_only=True)
        header = json.loads(content["format"])
    except OSError:
        raise
    except Exception as error:  # any failure to parse: not a checkpoint
        raise ValueError(
            f"checkpoint_path={str(path)!r} exists but is not a safe skbgan checkpoint: "
            f"{str(error).splitlines()[0] if str(error) else type(error).__name__}. "
            "Delete it or choose another checkpoint_path."
        ) from None
    if header.get("format") != FORMAT or header.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"checkpoint_path={str(path)!r} holds {header}, not a checkpoint this skbgan "
            "can resume. Delete it or choose another checkpoint_path."
        )
    stored = json.loads(content["identity"])
    identity = json.loads(json.dumps(identity, sort_keys=True))
    if stored != identity:
        changed = sorted(
            key for key in set(stored) | set(identity) if stored.get(key) != identity.get(key)
        )
        raise ValueError(
            f"checkpoint_path={str(path)!r} was written by a fit with different {changed}; "
            "resume with the same data and parameters, or delete the checkpoint to start over."
        )
    return content["trainer"], json.loads(content["progress"]), content["best_generator"]
