"""Convolutional networks for image-shaped samples (architecture="conv")."""

import itertools
import pickle

import numpy as np
import pytest
from sklearn.base import clone

import skbgan
from skbgan import DiscreteBGAN
from skbgan._conv import is_image

CONV = {"epochs": 2, "batch_size": 16, "samples_per_latent": 4, "latent_dim": 4,
        "critic_layers": (8,), "score_latents": 32, "likelihood_latents": 16, "device": "cpu",
        "architecture": "conv"}


@pytest.fixture
def strokes():
    """60 binary 8x8 images of a horizontal or a vertical bar."""
    rng = np.random.default_rng(0)
    images = np.zeros((60, 8, 8), dtype=np.int64)
    for image, row, vertical in zip(images, rng.integers(0, 8, 60), rng.random(60) < 0.5):
        if vertical:
            image[:, row] = 1
        else:
            image[row] = 1
    return images


def test_conv_networks_sample_images_in_the_users_labels(strokes):
    palette = np.array([-5, 7])[strokes]
    est = DiscreteBGAN(**CONV, random_state=0).fit(palette)
    assert est.architecture_ == "conv"
    S = est.sample(10, random_state=0)
    assert S.shape == (10, 8, 8) and S.dtype == palette.dtype
    assert np.isin(S, [-5, 7]).all()
    np.testing.assert_array_equal(S, est.sample(10, random_state=0))
    resampled = est.sample(10, random_state=0, candidates=3)  # read by the conv critic
    assert resampled.shape == (10, 8, 8) and np.isin(resampled, [-5, 7]).all()


def test_channels_of_categories(strokes):
    rgb = np.stack([strokes, 1 - strokes, strokes * 2], axis=-1)  # (60, 8, 8, 3), 2-3 labels
    est = DiscreteBGAN(**CONV, random_state=0).fit(rgb)
    S = est.sample(4, random_state=0)
    assert S.shape == (4, 8, 8, 3)
    assert np.isin(S[..., 2], [0, 2]).all()


def test_scores_of_every_image_of_a_tiny_problem_sum_to_one():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(40, 3, 4))
    est = DiscreteBGAN(**CONV, likelihood_proposal="prior", random_state=0).fit(X)
    every = np.array(list(itertools.product([0, 1], repeat=12))).reshape(-1, 3, 4)
    # exact with prior latents alone; the encoder's estimate is tested in test_encoder.py
    np.testing.assert_allclose(np.exp(est.score_samples(every)).sum(), 1.0, rtol=1e-4)


def test_conditional_sampling_on_pixels(strokes):
    est = DiscreteBGAN(**CONV, random_state=0).fit(strokes)
    S = est.sample(20, conditions={(0, 0): 1, (7, 7): 0}, random_state=0)
    assert (S[:, 0, 0] == 1).all() and (S[:, 7, 7] == 0).all()
    proba = est.predict_proba(strokes[:3], target=(3, 3))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_save_load_pickle_and_clone_keep_the_conv_networks(strokes, tmp_path):
    est = DiscreteBGAN(**CONV, random_state=0).fit(strokes)
    est.save(tmp_path / "model.skbgan")
    for copy in [skbgan.load(tmp_path / "model.skbgan"), pickle.loads(pickle.dumps(est))]:
        assert copy.architecture_ == "conv" and copy.likelihood_proposal_ == "encoder"
        np.testing.assert_array_equal(copy.sample(5, random_state=1), est.sample(5, random_state=1))
        np.testing.assert_allclose(copy.score_samples(strokes[:5]), est.score_samples(strokes[:5]))
    assert clone(est).get_params()["architecture"] == "conv"


def test_auto_likelihood_latents_are_fewer_for_binarised_images_only(strokes, tmp_path):
    params = {**CONV, "likelihood_latents": "auto", "epochs": 1}
    conv = DiscreteBGAN(**params, random_state=0).fit(strokes)
    assert conv.likelihood_proposal_ == "encoder"
    mlp = DiscreteBGAN(**{**params, "architecture": "mlp"}, random_state=0).fit(strokes)
    prior = DiscreteBGAN(**params, likelihood_proposal="prior", random_state=0).fit(strokes)
    assert [e.likelihood_latents_ for e in (conv, mlp, prior)] == [128, 512, 512]
    assert conv._trainer.config.likelihood_latents == 128
    assert DiscreteBGAN(**CONV, random_state=0).fit(strokes).likelihood_latents_ == 16
    conv.save(tmp_path / "model.skbgan")
    assert skbgan.load(tmp_path / "model.skbgan").likelihood_latents_ == 128


def test_warm_start_keeps_the_architecture(strokes):
    est = DiscreteBGAN(**{**CONV, "architecture": "auto"}, warm_start=True, random_state=0)
    est.fit(strokes)
    assert est.architecture_ == "mlp"  # 8x8 is below the auto rule's 16x16
    est.set_params(architecture="conv")
    with pytest.raises(ValueError, match=r"\['architecture'\] changed"):
        est.fit(strokes)


def test_auto_picks_conv_for_images_only():
    assert is_image((28, 28), [2] * 784)
    assert is_image((32, 32, 3), [3] * 3072)
    assert not is_image((32, 32), [16] * 1024)  # 16 colours: the MLP won there
    assert not is_image((8, 8), [17] * 64)  # too small to benefit
    assert not is_image((28, 28, 10), [2] * 7840)  # not colour channels
    assert not is_image((784,), [2] * 784)  # a table


def test_conv_on_a_table_is_a_clear_error():
    with pytest.raises(ValueError, match=r"architecture='conv' needs samples of shape \(H, W\)"):
        DiscreteBGAN(**CONV).fit(np.zeros((10, 5), dtype=int))


def test_private_training_of_conv_networks(strokes):
    est = DiscreteBGAN(**{**CONV, "epochs": 1}, categories=[[0, 1]] * 64, dp_epsilon=5.0,
                       random_state=0)
    est.fit(strokes[:32])
    assert est.epsilon_ <= 5.0 and est.sample(3).shape == (3, 8, 8)


@pytest.mark.parametrize("n_categories", [2, 5])
def test_folded_first_convolution_equals_the_embedded_maps_convolved(n_categories):
    torch = pytest.importorskip("torch")
    from skbgan._conv import DownsamplingBody

    torch.manual_seed(0)
    body = DownsamplingBody([n_categories] * 64, (8, 8), spectral=True).eval()  # fixed norms
    assert body.folded
    table = body.embedding.parametrizations.weight.original
    codes = torch.randint(n_categories, (6, 64))
    folded = body(codes)
    (folded_grad,) = torch.autograd.grad(folded.square().sum(), table)
    body.folded = False
    embedded = body(codes)
    (embedded_grad,) = torch.autograd.grad(embedded.square().sum(), table)
    torch.testing.assert_close(folded, embedded)
    torch.testing.assert_close(folded_grad, embedded_grad)


def test_the_embedding_is_folded_only_for_one_channel_of_few_categories():
    from skbgan._conv import DownsamplingBody

    assert not DownsamplingBody([16] * 256, (16, 16), spectral=False).folded
    assert not DownsamplingBody([2] * 192, (8, 8, 3), spectral=False).folded


@pytest.mark.parametrize("image_shape", [(6, 5), (6, 5, 3)])
def test_pixel_head_reads_each_pixel_of_the_image_in_the_flat_order(image_shape):
    torch = pytest.importorskip("torch")
    from skbgan._conv import PixelHead

    torch.manual_seed(0)
    n_flat = int(np.prod(image_shape))
    head = PixelHead(4, [3] * n_flat, image_shape)
    # maps larger than the image, channels-last as the generator body emits them
    hidden = torch.randn(2, 4, 8, 8).contiguous(memory_format=torch.channels_last)
    (block,) = head.logits(hidden)
    weight, bias = head.conv.weight.flatten(1), head.conv.bias
    height, width = image_shape[:2]
    expected = torch.einsum("nchw,kc->nhwk", hidden[:, :, :height, :width], weight) + bias
    assert block.shape == (2, n_flat, 3)
    torch.testing.assert_close(block, expected.reshape(2, n_flat, 3))
