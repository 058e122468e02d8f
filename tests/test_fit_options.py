"""Training comfort: validation history, early stopping, warm start, verbose levels."""

import joblib
import numpy as np
import pytest
import torch

import skbgan
from skbgan import DiscreteBGAN
from skbgan._estimator import generator_layers


def test_validation_fraction_adds_fidelity_proxies_to_history(labels, tiny):
    est = DiscreteBGAN(**tiny, validation_fraction=0.2, random_state=0).fit(labels)
    assert est.n_samples_fit_ == len(labels)
    for record in est.history_:
        assert np.isfinite(record["validation_log_likelihood"])
        assert record["validation_log_likelihood"] < 0
        assert 0 <= record["validation_marginal_tv"] <= 1
    assert "validation_log_likelihood" not in DiscreteBGAN(**tiny).fit(labels).history_[0]


def test_validation_proxy_improves_with_training():
    X = np.random.default_rng(0).choice(4, size=(600, 6), p=[0.7, 0.2, 0.05, 0.05])
    est = DiscreteBGAN(epochs=15, batch_size=32, latent_dim=8, generator_layers=(32,),
                       critic_layers=(16,), validation_fraction=0.25, device="cpu",
                       random_state=0).fit(X)
    first, last = est.history_[0], est.history_[-1]
    assert last["validation_log_likelihood"] > first["validation_log_likelihood"] + 0.5
    assert last["validation_marginal_tv"] < first["validation_marginal_tv"]


def test_early_stopping_stops_and_keeps_best_epoch(labels, tiny):
    est = DiscreteBGAN(**{**tiny, "epochs": 200}, validation_fraction=0.3,
                       n_iter_no_change=2, tol=0.5, random_state=0).fit(labels)
    assert est.n_iter_ < 200
    assert est.n_iter_ - est.best_epoch_ == 2
    scores = [h["validation_log_likelihood"] for h in est.history_]
    assert scores[est.best_epoch_ - 1] == max(scores[: est.best_epoch_])
    # The kept generator is a snapshot of the best epoch's, not the last one's.
    kept, last = est.generator_.state_dict(), est._trainer.average.state_dict()
    assert any(not torch.equal(kept[name], last[name]) for name in kept)


def test_early_stopping_needs_validation_rows(labels, tiny):
    with pytest.raises(ValueError, match="n_iter_no_change=3 needs rows.*validation_fraction"):
        DiscreteBGAN(**tiny, n_iter_no_change=3).fit(labels)
    with pytest.raises(ValueError, match="validation_fraction=0.5 of 1 rows leaves none"):
        DiscreteBGAN(**tiny, validation_fraction=0.5).fit(labels[:1])


def test_warm_start_continues_exactly_where_fit_stopped(labels, tiny):
    full = DiscreteBGAN(**{**tiny, "epochs": 4}, random_state=0).fit(labels)
    warm = DiscreteBGAN(**tiny, warm_start=True, random_state=0).fit(labels)
    assert warm.n_iter_ == 2
    warm.fit(labels)
    assert warm.n_iter_ == 4 and warm.history_ == full.history_
    np.testing.assert_array_equal(warm.sample(200, random_state=1),
                                  full.sample(200, random_state=1))


def test_warm_start_survives_pickling(labels, tiny, tmp_path):
    full = DiscreteBGAN(**{**tiny, "epochs": 4}, random_state=0).fit(labels)
    warm = DiscreteBGAN(**tiny, warm_start=True, random_state=0).fit(labels)
    joblib.dump(warm, tmp_path / "warm.joblib")
    resumed = joblib.load(tmp_path / "warm.joblib").fit(labels)
    np.testing.assert_array_equal(resumed.sample(200, random_state=1),
                                  full.sample(200, random_state=1))


def test_warm_start_errors(labels, tiny, tmp_path):
    est = DiscreteBGAN(**tiny, warm_start=True).fit(labels)
    other = labels.copy()
    other[5, 1] = 999
    with pytest.raises(ValueError, match="column 1 holds 999, a label the first fit never saw"):
        est.fit(other)
    with pytest.raises(ValueError, match=r"\['generator_layers', 'critic_layers'\] changed"):
        est.set_params(generator_layers=(8,), critic_layers=(8,)).fit(labels)
    DiscreteBGAN(**tiny).fit(labels).save(tmp_path / "model.skbgan")
    loaded = skbgan.load(tmp_path / "model.skbgan").set_params(warm_start=True)
    with pytest.raises(ValueError, match="does not keep"):
        loaded.fit(labels)


def test_warm_start_takes_new_training_settings(labels, tiny):
    est = DiscreteBGAN(**tiny, warm_start=True, random_state=0).fit(labels)
    est.set_params(critic_lr=1e-5, generator_lr=1e-5, divergence="kl", epochs=1).fit(labels)
    assert est.n_iter_ == 3
    assert est._trainer.critic_opt.param_groups[0]["lr"] == 1e-5
    assert est._trainer.divergence.name == "kl"


def test_warm_start_on_unfitted_estimator_is_a_plain_fit(labels, tiny):
    a = DiscreteBGAN(**tiny, warm_start=True, random_state=0).fit(labels)
    b = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    assert a.history_ == b.history_


def test_verbose_two_prints_one_line_per_epoch(labels, tiny, capsys):
    DiscreteBGAN(**tiny, verbose=2, validation_fraction=0.2).fit(labels)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == tiny["epochs"]
    assert lines[0].startswith("[DiscreteBGAN] epoch 1/2: critic_loss=")
    assert "validation_log_likelihood=" in lines[0]


def test_verbose_zero_is_silent(labels, tiny, capsys):
    DiscreteBGAN(**tiny, verbose=0).fit(labels)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_auto_epochs_scale_with_the_rows():
    from skbgan._epochs import epoch_plan
    from skbgan._training import steps_per_epoch

    def passes(*args):
        plan = epoch_plan(*args)
        assert plan.steps == steps_per_epoch(*args[1:3])  # every epoch here is one whole pass
        return plan.count

    assert passes(7, 10_000, 64) == 7
    assert passes("auto", 3_500, 64) == 37  # small: 2,000 steps, more passes
    assert passes("auto", 2_392, 64) == 40  # smaller: 40 passes, 1,480 steps
    assert passes("auto", 1_347, 64) == 48  # smaller still: 1,000 steps
    assert passes("auto", 400, 64) == 167  # 1,000 steps in 167 passes
    assert passes("auto", 111, 64) == 250  # tiny: 250 passes at most
    assert passes("auto", 10, 64) == 250
    assert passes("auto", 10_000, 64) == 30  # 30 passes in 4,710 steps
    assert passes("auto", 100_000, 64) == 3  # large: 5,000 steps at most
    # convolutional networks with prior latents: at least 4,000 steps
    assert passes("auto", 5_000, 64, "images") == 51  # 16-colour patches
    assert passes("auto", 100_000, 64, "images") == 3
    # the encoder proposal: 60 passes within 4,000 to 10,000 steps
    assert passes("auto", 4_000, 64, "encoder") == 65
    assert passes("auto", 4_000, 64, "encoder images") == 81  # binarised MNIST
    assert passes("auto", 10_000, 64, "encoder") == 60  # connect-4: 9,360 steps
    assert passes("auto", 100_000, 64, "encoder") == 6


def test_auto_epochs_of_a_huge_table_are_part_of_a_pass():
    from skbgan._epochs import EpochPlan, epoch_plan

    # a million rows: one epoch of 5,000 steps, not the pass's 15,625
    assert epoch_plan("auto", 1_000_000, 64) == EpochPlan(count=1, steps=5_000)
    assert epoch_plan("auto", 1_000_000, 64, "encoder") == EpochPlan(1, 10_000)
    assert epoch_plan("auto", 100_000, 64) == EpochPlan(3, 1_562)  # whole passes
    assert epoch_plan(2, 1_000_000, 64) == EpochPlan(2, 15_625)  # given epochs are whole passes
    assert epoch_plan("auto", 100_000, 64).total_steps == 4_686


def test_auto_epochs_stop_at_the_schedules_most_steps(labels, tiny, monkeypatch):
    from skbgan import _epochs

    # a schedule whose bound (3 steps) is shorter than a pass over the 300 rows (9 steps)
    monkeypatch.setitem(_epochs.AUTO_SCHEDULES, "tables", _epochs.Schedule(30, 2, 3))
    tiny.update(epochs="auto", batch_size=32)
    est = DiscreteBGAN(**tiny, random_state=0).fit(labels)
    assert est._trainer.step == 3 and len(est.history_) == 1
    est.set_params(epochs=1).fit(labels)  # a given epoch is a whole pass
    assert est._trainer.step == 9


def test_schedule_for_names_the_auto_schedule():
    from skbgan._epochs import AUTO_SCHEDULES, schedule_for

    assert schedule_for("prior", "mlp") == "tables"
    assert schedule_for("prior", "conv") == "images"
    assert schedule_for("encoder", "mlp") == "encoder"
    assert schedule_for("encoder", "conv") == "encoder images"
    assert schedule_for("encoder", "mlp", masked_network=True) == "encoder network"
    assert schedule_for("prior", "mlp", masked_network=True) == "tables"
    assert {schedule_for(p, a, n) for p in ("prior", "encoder") for a in ("mlp", "conv")
            for n in (False, True)} == set(AUTO_SCHEDULES)
    # half the encoder's passes with the network, on as many steps at least
    assert AUTO_SCHEDULES["encoder network"] == AUTO_SCHEDULES["encoder"]._replace(passes=30)


@pytest.mark.parametrize("params, schedule", [
    ({"likelihood_proposal": "prior"}, "tables"),
    ({"likelihood_proposal": "encoder"}, "encoder"),
    ({"likelihood_proposal": "encoder", "autoregressive": True, "autoregressive_units": 8},
     "encoder network"),
    ({"likelihood_proposal": "prior", "autoregressive": True, "autoregressive_units": 8},
     "tables"),
])
def test_auto_epochs_follow_the_proposal_and_the_masked_network(tiny, params, schedule,
                                                                monkeypatch):
    from skbgan import _epochs

    # one step an epoch: the schedules' fewest steps are their epochs
    schedules = {"tables": _epochs.Schedule(1, 2, 2), "images": _epochs.Schedule(1, 3, 3),
                 "encoder": _epochs.Schedule(1, 4, 4),
                 "encoder network": _epochs.Schedule(1, 5, 5)}
    monkeypatch.setattr(_epochs, "AUTO_SCHEDULES", schedules)
    X = np.random.default_rng(0).integers(0, 2, size=(40, 6))
    est = DiscreteBGAN(**{**tiny, "epochs": "auto", "batch_size": 64}, **params).fit(X)
    assert len(est.history_) == schedules[schedule].fewest_steps


@pytest.mark.parametrize("layers, n_rows, expected", [
    ("auto", 999, (256, 256)),  # a table of a few hundred rows: the narrower generator
    ("auto", 1_000, (512, 512)),
    ([64, 32], 10, (64, 32)),  # widths given are kept on any table
])
def test_auto_generator_layers_are_narrower_under_a_thousand_rows(layers, n_rows, expected):
    assert generator_layers(layers, n_rows) == expected


def test_auto_generator_layers_are_recorded_kept_by_a_warm_start_and_saved(labels, tiny,
                                                                          tmp_path):
    settings = tiny | {"generator_layers": "auto", "epochs": 1}
    est = DiscreteBGAN(**settings, random_state=0).fit(labels)  # 300 rows
    assert est.generator_layers_ == (256, 256)
    assert est.generator_.body[0].out_features == 256
    more = np.concatenate([labels] * 4)  # 1,200 rows: the first fit's widths all the same
    assert est.set_params(warm_start=True).fit(more).generator_layers_ == (256, 256)
    est.save(tmp_path / "model.skbgan")
    loaded = skbgan.load(tmp_path / "model.skbgan")
    assert loaded.generator_layers_ == (256, 256) and loaded.generator_layers == "auto"
    fresh = DiscreteBGAN(**settings, random_state=0).fit(more)
    assert fresh.generator_layers_ == (512, 512)
