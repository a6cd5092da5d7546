"""The training loop: deterministic under a seed, equal to a hand-written loop, callbacks run."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from refimpl.diagnostics import hessian_index, hessian_spectrum
from refimpl.optim import SGD
from refimpl.train import (
    Callback,
    HessianCallback,
    LayerStatsCallback,
    NoiseScaleCallback,
    TrainState,
    kfold_indices,
    train,
)


def setup(seed: int = 0):
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)).double()
    x = torch.randn(40, 2, dtype=torch.float64)
    y = torch.sin(x[:, :1]) + 0.1 * torch.randn(40, 1, dtype=torch.float64)
    return model, x, y


def run(seed: int, **kw):
    model, x, y = setup()
    opt = SGD(model.parameters(), lr=0.1)
    return train(model, opt, nn.functional.mse_loss, x, y, steps=30, seed=seed, **kw), model


def test_same_seed_same_run_different_seed_different_run():
    (h1, m1), (h2, m2) = run(0, batch_size=8), run(0, batch_size=8)
    assert h1.loss == h2.loss and h1.train_loss == h2.train_loss
    for p, q in zip(m1.parameters(), m2.parameters(), strict=True):
        assert torch.equal(p, q)
    h3, _ = run(1, batch_size=8)
    assert h3.loss != h1.loss


def test_full_batch_equals_a_hand_written_gradient_descent_loop():
    hist, model = run(0)
    ref, x, y = setup()
    losses = []
    for _ in range(30):
        ref.zero_grad()
        loss = nn.functional.mse_loss(ref(x), y)
        losses.append(float(loss.detach()))
        loss.backward()
        with torch.no_grad():
            for p in ref.parameters():
                p -= 0.1 * p.grad
    assert hist.loss == pytest.approx(losses, rel=1e-12)
    for p, q in zip(model.parameters(), ref.parameters(), strict=True):
        torch.testing.assert_close(p, q)
    assert hist.eval_steps == list(range(31))
    assert hist.train_loss[:30] == pytest.approx(losses, rel=1e-12)


def test_minibatches_cover_each_epoch_once():
    model, x, y = setup()
    seen = []

    class Spy(nn.Module):
        def forward(self, inp):
            if inp.shape[0] == 10:
                seen.append(inp.detach().clone())
            return model(inp)

    spy = Spy()
    train(
        spy, SGD(model.parameters(), lr=0.01), nn.functional.mse_loss, x, y, steps=8, batch_size=10
    )
    epoch = torch.cat(seen[:4])  # the first four batches of ten are one epoch of forty
    assert torch.equal(torch.sort(epoch[:, 0]).values, torch.sort(x[:, 0]).values)


def test_callbacks_are_called_and_can_stop():
    calls = []

    class Recorder(Callback):
        def on_train_begin(self, state: TrainState) -> None:
            calls.append(("begin", state.step))

        def on_step_end(self, state: TrainState) -> None:
            calls.append(("step", state.step))
            state.history.log("twice", state.step, 2 * state.step)
            state.stop = state.step == 5

        def on_train_end(self, state: TrainState) -> None:
            calls.append(("end", state.step))

    hist, _ = run(0, callbacks=[Recorder()])
    assert calls == [("begin", 0)] + [("step", s) for s in range(1, 6)] + [("end", 5)]
    steps, values = hist.series("twice")
    assert steps.tolist() == [1, 2, 3, 4, 5] and values.tolist() == [2, 4, 6, 8, 10]
    assert hist.stopped == "stopped by a callback at step 5"


def test_non_finite_loss_stops_and_is_recorded():
    model, x, y = setup()
    hist = train(model, SGD(model.parameters(), lr=1e3), nn.functional.mse_loss, x, y, steps=200)
    assert hist.stopped is not None and hist.stopped.startswith("non-finite loss")
    assert not math.isfinite(hist.loss[-1])
    assert len(hist.loss) < 200


def test_diagnostic_callbacks_record_the_diagnostics():
    model, x, y = setup()
    cbs = [
        HessianCallback(every=5, iters=200, index=True),
        LayerStatsCallback(5),
        NoiseScaleCallback(5),
    ]
    hist = train(
        model,
        SGD(model.parameters(), lr=0.05),
        nn.functional.mse_loss,
        x,
        y,
        steps=10,
        val=(x, y),
        callbacks=cbs,
    )
    s, sharp = hist.series("sharpness")
    assert s.tolist() == [0, 5, 10]
    # at the end: compare with the exact spectrum
    spectrum = hessian_spectrum(nn.functional.mse_loss(model(x), y), list(model.parameters()))
    assert sharp[-1] == pytest.approx(float(spectrum[-1]), rel=1e-3)
    assert hist.series("index")[1][-1] == pytest.approx(hessian_index(spectrum, 1e-6))
    assert hist.series("dead/1")[0].tolist() == [0, 5, 10]  # Tanh has no dead units...
    assert set(hist.series("dead/1")[1]) == {0.0}
    assert "grad_norm/0.weight" in hist.records and "noise_scale" in hist.records
    assert hist.val_loss == hist.train_loss  # validation on the training set


def test_lr_schedule_and_clipping_are_applied():
    model, x, y = setup()
    opt = SGD(model.parameters(), lr=1.0)
    seen = []

    class LR(Callback):
        def on_step_end(self, state):
            seen.append(state.optimizer.param_groups[0]["lr"])

    train(
        model,
        opt,
        nn.functional.mse_loss,
        x,
        y,
        steps=3,
        lr_schedule=lambda t: 0.1 * (t + 1),
        callbacks=[LR()],
    )
    assert seen == pytest.approx([0.1, 0.2, 0.3])
    # with a tiny clip the parameters move by at most lr · clip per step
    model, x, y = setup()
    before = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    train(
        model,
        SGD(model.parameters(), lr=1.0),
        nn.functional.mse_loss,
        x,
        y,
        steps=1,
        clip_grad_norm=1e-3,
    )
    after = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    assert float((after - before).norm()) <= 1e-3 * (1 + 1e-6)


def test_progress_bar_only_when_interactive(capsys, monkeypatch):
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    run(0)
    assert capsys.readouterr().err == ""
    run(0, progress=True)
    assert "train" in capsys.readouterr().err


def test_early_stopping_restores_the_best_weights():
    from refimpl.train import EarlyStopping

    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)
    ).double()
    x = torch.linspace(-2, 2, 12, dtype=torch.float64).reshape(-1, 1)
    y = torch.sin(3 * x) + 0.5 * torch.randn(12, 1, dtype=torch.float64)
    xv = torch.linspace(-2, 2, 101, dtype=torch.float64).reshape(-1, 1)
    yv = torch.sin(3 * xv)
    stopper = EarlyStopping(patience=5)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    hist = train(
        model,
        opt,
        nn.functional.mse_loss,
        x,
        y,
        steps=2000,
        val=(xv, yv),
        eval_every=10,
        callbacks=[stopper],
    )
    best = int(torch.tensor(hist.val_loss).argmin())
    assert stopper.best_step == hist.eval_steps[best]
    assert stopper.best_loss == hist.val_loss[best] == min(hist.val_loss)
    # stopped five evaluations after the best one, and the model holds the best weights again
    assert hist.eval_steps[-1] == stopper.best_step + 50
    assert hist.stopped is not None
    with torch.no_grad():
        assert float(nn.functional.mse_loss(model(xv), yv)) == pytest.approx(
            stopper.best_loss, rel=1e-12
        )


def test_kfold_indices_partition_the_examples():
    n, k = 23, 5
    splits = kfold_indices(n, k, seed=3)
    assert len(splits) == k
    val_all = torch.cat([v for _, v in splits])
    assert sorted(val_all.tolist()) == list(range(n))  # every example validated exactly once
    sizes = [len(v) for _, v in splits]
    assert max(sizes) - min(sizes) <= 1
    for tr, va in splits:
        assert tr.dtype == va.dtype == torch.int64
        assert set(tr.tolist()).isdisjoint(va.tolist())
        assert sorted(tr.tolist() + va.tolist()) == list(range(n))
    again = kfold_indices(n, k, seed=3)
    assert all(
        torch.equal(a, c) and torch.equal(b, d)
        for (a, b), (c, d) in zip(splits, again, strict=True)
    )
    other = kfold_indices(n, k, seed=4)
    assert any(not torch.equal(a[1], b[1]) for a, b in zip(splits, other, strict=True))
    loo = kfold_indices(4, 4)
    assert sorted(v.item() for _, v in loo) == [0, 1, 2, 3]
    with pytest.raises(ValueError):
        kfold_indices(5, 1)
    with pytest.raises(ValueError):
        kfold_indices(3, 4)
