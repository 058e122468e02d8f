"""Arithmetic of the generator when it draws: float32, or bfloat16 where the hardware is fast at it.

Drawing rows is dominated by the generator's matrix products. On hardware with
native bfloat16 arithmetic (CPUs with AMX or AVX512-BF16, CUDA GPUs of compute
capability 8 and up) a bfloat16 product is several times faster than a float32
one; elsewhere bfloat16 is emulated and slower. The layers' *outputs* are
turned back to float32 before anything is normalised: the softmax, the
cumulative distribution and the uniform draws compared with it stay float32,
so only the rounding of weights, activations and logits to bfloat16 (about 3
significant digits) differs from float32. Training is always float32.
"""

import copy

import torch

PRECISIONS = ("auto", "float32", "bfloat16")


def has_fast_bfloat16(device):
    """Whether ``device`` computes bfloat16 matrix products natively.

    Parameters
    ----------
    device : torch.device

    Returns
    -------
    bool
    """
    if device.type == "cuda":
        return torch.cuda.get_device_capability(device)[0] >= 8
    if device.type == "cpu":
        # Private probes of torch.cpu: a torch without them counts as "no".
        probes = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
        return any(getattr(torch.cpu, name, lambda: False)() for name in probes)
    return False


def drawing_dtype(precision, device):
    """The dtype of the generator's layers when drawing: ``precision`` resolved on ``device``.

    Parameters
    ----------
    precision : {"auto", "float32", "bfloat16"}
    device : torch.device

    Returns
    -------
    torch.dtype
    """
    if precision == "auto":
        return torch.bfloat16 if has_fast_bfloat16(device) else torch.float32
    return torch.bfloat16 if precision == "bfloat16" else torch.float32


def lowered(generator, dtype):
    """``generator`` with its body's and head's weights in ``dtype``; its logits stay float32.

    Parameters
    ----------
    generator : Generator
    dtype : torch.dtype

    Returns
    -------
    Generator
        ``generator`` itself for float32, otherwise a copy (the fitted
        generator is never changed).
    """
    if dtype == torch.float32:
        return generator
    low = copy.deepcopy(generator)
    # the body and head only: the mixture's weights stay exact, the encoder is unused
    for parameter in [*low.body.parameters(), *low.head.parameters()]:
        parameter.data = parameter.data.to(dtype)
    return low
