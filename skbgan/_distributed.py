"""Data-parallel training over several processes with ``torch.distributed``.

Launched with ``torchrun``, every process fits the same estimator on the same
data. The networks start from the same weights (same seed), each process
draws its own batches and latents, and after every backward pass the
gradients are averaged over the processes (the all-reduce that
``DistributedDataParallel`` performs), so the weights stay identical
everywhere and every process ends with the same fitted estimator.
"""

import os

import torch
import torch.distributed as dist

_TORCHRUN_VARIABLES = ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT")


class World:
    """The processes training together: one process unless ``distributed``."""

    rank = 0
    size = 1

    def average_gradients(self, module):
        """Average ``module``'s gradients over the processes (nothing for one)."""

    def mean(self, tensor):
        """``tensor`` averaged over the processes (itself for one)."""
        return tensor

    def share(self, value):
        """Process 0's ``value``, on every process (picklable values)."""
        return value


class DistributedWorld(World):
    """The processes of the default ``torch.distributed`` process group."""

    def __init__(self):
        self.rank = dist.get_rank()
        self.size = dist.get_world_size()

    def average_gradients(self, module):
        grads = [p.grad for p in module.parameters() if p.grad is not None]
        flat = torch.cat([g.reshape(-1) for g in grads])
        dist.all_reduce(flat)
        flat /= self.size
        for g, chunk in zip(grads, flat.split([g.numel() for g in grads])):
            g.copy_(chunk.view_as(g))

    def mean(self, tensor):
        tensor = tensor.clone()
        dist.all_reduce(tensor)
        return tensor / self.size

    def share(self, value):
        shared = [value]
        dist.broadcast_object_list(shared, src=0)
        return shared[0]


def join(device):
    """The :class:`World` of this process under ``torchrun``, and its device.

    Starts the default process group from torchrun's environment variables
    when the program has not (``nccl`` on CUDA, ``gloo`` on the CPU).

    Parameters
    ----------
    device : torch.device
        The device the estimator asked for; on CUDA each process takes the
        GPU of its ``LOCAL_RANK``.

    Returns
    -------
    world : DistributedWorld
    device : torch.device
    """
    if not dist.is_available():
        raise ValueError("distributed=True but this PyTorch has no torch.distributed.")
    if not dist.is_initialized():
        missing = [name for name in _TORCHRUN_VARIABLES if name not in os.environ]
        if missing:
            raise ValueError(
                "distributed=True needs a process group: launch the script with "
                "'torchrun --nproc_per_node=N script.py' (missing environment "
                f"variables {missing}) or call torch.distributed.init_process_group first."
            )
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    if device.type == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0)))
        torch.cuda.set_device(device)
    return DistributedWorld(), device
