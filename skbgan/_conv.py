"""Convolutional generator body, per-pixel head and critic body for image-shaped samples.

Images are samples of shape ``(H, W)`` or ``(H, W, C)`` whose every value (a
pixel's palette index, or a channel's level) is a categorical column, flattened
in that order. The generator upsamples a latent with transposed convolutions
and emits one categorical distribution per pixel and channel with a 1x1
convolution; the critic embeds each pixel's categories (never a dense one-hot
wider than the embedding) and reads them with strided convolutions (Radford
et al., 2016, as in the boundary-seeking GAN paper's image experiments).
"""

import itertools

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.nn.utils.parametrizations import spectral_norm

from ._networks import CategoricalHead, floored

MIN_SIDE = 4
"""Side of the smallest feature map: images are upsampled from about this size."""

CONV_CHANNELS = 32
"""Channels at the smallest resolution; each doubling of resolution halves them."""

MIN_CHANNELS = 8
"""Fewest channels of any feature map."""

CRITIC_CHANNELS = 16
"""Most channels of any critic feature map.

The critic mirrors the generator's channels up to this many. Measured with
the defaults on binarised MNIST (2 CPU cores), against the 32 channels at
7x7 of the generator's first map: the critic's updates and its pass over
the BGAN term's samples about 30% shorter, a tenth of a training step;
detection AUC 0.722 and 0.733 against 0.729 and 0.747 (seeds 0 and 1),
Wasserstein estimates 0.82 and 1.40 against 1.15 and 1.22.
"""


def image_dims(image_shape):
    """``(H, W, C)`` of a sample shape ``(H, W)`` or ``(H, W, C)``."""
    height, width, *channels = image_shape
    return int(height), int(width), int(channels[0]) if channels else 1


def resolutions(height, width):
    """Number of doublings and the starting ``(h, w)`` that reach at least ``(height, width)``."""
    doublings = max(0, int(np.floor(np.log2(min(height, width) / MIN_SIDE))))
    scale = 2**doublings
    return doublings, (-(-height // scale), -(-width // scale))


def channel_plan(doublings):
    """Channels of each feature map, from the smallest resolution to the largest."""
    return [max(MIN_CHANNELS, CONV_CHANNELS // 2**i) for i in range(doublings + 1)]


class UpsamplingBody(nn.Module):
    """Latent to a feature map at least as large as the image, by transposed convolutions.

    Parameters
    ----------
    latent_dim : int
    image_shape : tuple of int
        ``(H, W)`` or ``(H, W, C)``.
    """

    def __init__(self, latent_dim, image_shape):
        super().__init__()
        height, width, _ = image_dims(image_shape)
        doublings, self.start = resolutions(height, width)
        channels = channel_plan(doublings)
        self.channels = channels[0]
        self.project = nn.Sequential(
            nn.Linear(latent_dim, channels[0] * self.start[0] * self.start[1]),
            nn.ReLU(inplace=True),
        )
        layers = []
        for c_in, c_out in itertools.pairwise(channels):
            layers += [nn.ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1),
                       nn.ReLU(inplace=True)]
        # channels-last maps and weights: oneDNN's fast layout on CPU (1.26x per training
        # step); activations in place: a convolution's backward never reads its output, and
        # every fresh map is page faults on CPU
        self.upsample = nn.Sequential(*layers).to(memory_format=torch.channels_last)
        self.out_channels = channels[-1]

    def forward(self, z):
        """``(batch, latent_dim)`` to ``(batch, out_channels, >= H, >= W)``."""
        hidden = self.project(z).view(len(z), self.channels, *self.start)
        return self.upsample(hidden.contiguous(memory_format=torch.channels_last))


class PixelHead(CategoricalHead):
    """A 1x1 convolution to one categorical distribution per pixel and channel.

    Every column is in one group, padded to the largest number of categories,
    so the same filters read every position; the blocks it emits are those of
    :class:`~skbgan._networks.CategoricalHead`, and so are its sampling and
    scoring.

    Parameters
    ----------
    in_channels : int
    cardinalities : sequence of int
        Number of categories of each flat column (pixel, then channel).
    image_shape : tuple of int
    """

    def __init__(self, in_channels, cardinalities, image_shape):
        nn.Module.__init__(self)
        self.image_dims = image_dims(image_shape)
        self._set_groups(cardinalities, [np.arange(len(cardinalities))], [max(cardinalities)])
        self.conv = nn.Conv2d(in_channels, self.image_dims[2] * max(cardinalities), 1)

    @property
    def n_outputs(self):
        return self.padding_0.numel()

    def paddings(self):
        return [self.padding_0]

    def logits(self, hidden):
        """Per-pixel logits of a feature map ``(batch, channels, >= H, >= W)``: one block."""
        height, width, channels = self.image_dims
        out = self.conv(hidden[:, :, :height, :width].to(self.conv.weight.dtype))
        # channels-last maps: each pixel's outputs side by side, the block's layout
        pixels = out.permute(0, 2, 3, 1)
        block = pixels.float().reshape(len(out), height * width * channels, -1)
        return [floored(block, self.padding_0 if self.padded[0] else None)]


class DownsamplingBody(nn.Module):
    """Per-pixel category embeddings read by strided convolutions, to a feature vector.

    Parameters
    ----------
    cardinalities : sequence of int
    image_shape : tuple of int
    spectral : bool
        Spectrally normalise every layer (a Lipschitz bound on the critic).
    """

    def __init__(self, cardinalities, image_shape, spectral):
        super().__init__()
        self.image_dims = height, width, channels = image_dims(image_shape)
        widest = max(cardinalities)
        # channel c of a pixel reads rows c * widest ... of the embedding table
        offsets = np.tile(np.arange(channels) * widest, height * width)
        self.register_buffer("offsets", torch.as_tensor(offsets), persistent=False)
        doublings, _ = resolutions(height, width)
        # embeddings as wide as the generator's last map
        plan = [min(c, CRITIC_CHANNELS) for c in channel_plan(doublings)[::-1]]
        # one channel of few categories: the embedding is folded into the first convolution
        self.folded = channels == 1 and widest <= plan[0] and len(plan) > 1
        embedding = nn.Embedding(channels * widest, plan[0])
        nn.init.normal_(embedding.weight, std=1.0 / np.sqrt(channels))
        norm = spectral_norm if spectral else (lambda module: module)
        self.embedding = norm(embedding)
        layers = []
        for c_in, c_out in itertools.pairwise(plan):
            layers += [norm(nn.Conv2d(c_in, c_out, 4, stride=2, padding=1)),
                       nn.LeakyReLU(0.2, inplace=True)]
        # the embedded maps, permuted below, are channels-last already; the first
        # activation (of the embedding table when folded) makes a new tensor
        self.convs = nn.Sequential(nn.LeakyReLU(0.2), *layers).to(
            memory_format=torch.channels_last)
        side = [height, width]
        for _ in plan[1:]:
            side = [s // 2 for s in side]
        self.out_features = plan[-1] * side[0] * side[1]

    def forward(self, codes):
        """``(batch, n_features)`` codes to ``(batch, out_features)``."""
        if self.folded:
            return self.convs[2:](self._first_convolution(codes)).flatten(1)
        height, width, channels = self.image_dims
        embedded = F.embedding(codes + self.offsets, self.embedding.weight)
        maps = embedded.view(len(codes), height, width, channels, -1).sum(dim=3)
        return self.convs(maps.permute(0, 3, 1, 2)).flatten(1)

    def _first_convolution(self, codes):
        """The first convolution of the embedded maps, as a convolution of the one-hot pixels.

        With one channel, the activated embedding of a pixel is a row of the
        table ``A = leaky_relu(embedding)``, so convolving the embedded map
        with filters ``W`` is convolving its one-hot with the filters
        ``W @ A.T``. Inside the image the one-hot channels sum to one, so
        category 0's channel is the constant map less the others: its
        filters act once on a map of ones, and the other categories' on
        ``k - 1`` channels rather than the embedding's width.
        """
        height, width, _ = self.image_dims
        activation, conv = self.convs[0], self.convs[1]
        table = activation(self.embedding.weight)
        filters = torch.einsum("ochw,kc->okhw", conv.weight, table)
        geometry = {"stride": conv.stride, "padding": conv.padding}
        inside = filters.new_ones(1, 1, height, width)
        base = F.conv2d(inside, filters[:, :1], conv.bias, **geometry)
        levels = torch.arange(1, len(table), device=codes.device).view(-1, 1, 1)
        one_hot = (codes.view(-1, 1, height, width) == levels).to(filters.dtype)
        return F.conv2d(one_hot, filters[:, 1:] - filters[:, :1], **geometry).add_(base)


CONV_MAX_CATEGORIES = 3
"""Most categories per value of the images that ``architecture="auto"`` gives the conv networks.

Measured with the defaults on 2 CPU cores: on binarised MNIST the conv
networks reached detection AUC 0.71 to 0.74 where the MLP stayed at 0.94; on
16-colour 32x32 photo patches the MLP reached 0.78 (pixel-pair TV 0.22,
Wasserstein 8.0, 711 s) where the conv networks stayed at 0.93 (0.22, 8.3,
1,177 s).
"""


def is_image(sample_shape, cardinalities):
    """The ``architecture="auto"`` rule: samples ``(H, W)`` or ``(H, W, C)``, with H, W >= 16
    and C <= 4, of at most :data:`CONV_MAX_CATEGORIES` categories per value."""
    shape = tuple(sample_shape)
    return (len(shape) in (2, 3) and min(shape[:2]) >= 16
            and (len(shape) == 2 or shape[2] <= 4)
            and max(cardinalities) <= CONV_MAX_CATEGORIES)

