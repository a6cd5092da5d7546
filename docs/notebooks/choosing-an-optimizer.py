# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Choosing an optimizer for your model
#
# This notebook accompanies the *Choosing an optimizer* guide and applies its procedure to one
# model: every optimizer is run with every learning rate of a small grid, its best run is kept
# (so tuned methods are compared, not default settings), and the two measurements the guide
# relies on are taken along the best runs: the sharpness $\lambda_{\max}$ against each method's
# stability limit ($2/\gamma$ for gradient descent, $2(1+\mu)/\gamma$ with heavy-ball momentum
# $\mu$), and the Hessian index (the fraction of negative eigenvalues) where the loss
# plateaus, which says whether a plateau is a saddle (a better optimizer helps) or a minimum
# (none will).
#
# **To use it on your model**, edit the first code cell only: `make_model` must return a fresh,
# identically initialised model on every call; `x, y` (and the validation data) are tensors
# in memory, or a representative subset; `optimizers` maps a label to a function of the
# parameters and the learning rate. The default is a small tanh network started from weights
# three times smaller than usual, which puts it next to a saddle, as in panel (b) of the guide.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from refimpl import diagnostics
from refimpl.optim import SGD
from refimpl.train import Callback, HessianCallback, train

torch.set_num_threads(1)  # small models run fastest on one thread; remove for large ones


# --- your model, data, loss and optimizers -------------------------------------------------
def make_model() -> nn.Module:
    """A fresh model, initialised identically on every call."""
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1)
    )
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(0.3)  # a small initialisation: training starts next to a saddle
    return model.double()


g = torch.Generator().manual_seed(0)
x = 4 * torch.rand(128, 1, generator=g, dtype=torch.float64) - 2
y = torch.sin(2 * x) + 0.1 * torch.randn(128, 1, generator=g, dtype=torch.float64)
x_val = 4 * torch.rand(256, 1, generator=g, dtype=torch.float64) - 2
y_val = torch.sin(2 * x_val) + 0.1 * torch.randn(256, 1, generator=g, dtype=torch.float64)
loss_fn = nn.functional.mse_loss
steps = 200
batch_size = None  # None: full-batch; e.g. 16 for minibatch SGD
lr_grid = (0.3, 0.1, 0.03, 0.01)
momentum = 0.9
optimizers = {
    "GD": lambda params, lr: SGD(params, lr=lr),
    f"momentum {momentum}": lambda params, lr: SGD(params, lr=lr, momentum=momentum),
    "Adam": lambda params, lr: torch.optim.Adam(params, lr=lr),
}
# the largest stable sharpness at step size lr, where the method has one (a quadratic's limit)
stability_limit = {
    "GD": lambda lr: 2 / lr,
    f"momentum {momentum}": lambda lr: 2 * (1 + momentum) / lr,
}
# -------------------------------------------------------------------------------------------

n_params = sum(p.numel() for p in make_model().parameters())
print(f"{n_params} parameters, {len(x)} training and {len(x_val)} validation examples")

# %% [markdown]
# ## 1. A learning-rate grid per optimizer
#
# Each run starts from the same initialisation and sees the same batches (`train` seeds the
# batch order). A run whose loss becomes infinite or NaN, or ends above where it started,
# counts as diverged. The
# best learning rate of each optimizer is the one with the lowest final training loss; if it
# sits at an end of the grid, extend the grid in that direction and run again.


# %%
def run(name: str, lr: float, callbacks=()):
    model = make_model()
    history = train(
        model,
        optimizers[name](model.parameters(), lr),
        loss_fn,
        x,
        y,
        steps=steps,
        batch_size=batch_size,
        val=(x_val, y_val),
        eval_every=5,
        callbacks=callbacks,
    )
    return model, history


def final_loss(history) -> float:
    """The final training loss; infinite for a run that diverged (or ended above its start)."""
    last = history.train_loss[-1]
    diverged = (
        history.stopped is not None
        or not math.isfinite(last)
        or last > history.train_loss[0]
    )
    return math.inf if diverged else last


runs = {(name, lr): run(name, lr)[1] for name in optimizers for lr in lr_grid}
best_lr = {
    name: min(lr_grid, key=lambda lr, n=name: final_loss(runs[n, lr]))
    for name in optimizers
}

print("final training loss".ljust(22) + "".join(f"lr = {lr:<9g}" for lr in lr_grid))
for name in optimizers:
    cells = []
    for lr in lr_grid:
        value = final_loss(runs[name, lr])
        text = "diverged" if math.isinf(value) else f"{value:.2e}"
        cells.append((text + (" *" if lr == best_lr[name] else "")).ljust(14))
    print(name.ljust(22) + "".join(cells))
print("* the best learning rate of each optimizer")

# %% [markdown]
# ## 2. The best runs
#
# Left: the final training loss against the learning rate, which shows how much each method
# depends on tuning. Right: the training (solid) and validation (dashed) losses of each
# optimizer's best run. The method that reaches the lowest training loss is not necessarily
# the one with the lowest validation loss.

# %%
colors = dict(zip(optimizers, ["C1", "C0", "C2", "C3", "C4"], strict=False))
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
for name in optimizers:
    finals = [final_loss(runs[name, lr]) for lr in lr_grid]
    axes[0].loglog(
        lr_grid,
        [v if math.isfinite(v) else np.nan for v in finals],
        "o-",
        color=colors[name],
        label=name,
    )
    h = runs[name, best_lr[name]]
    axes[1].semilogy(
        h.eval_steps,
        h.train_loss,
        color=colors[name],
        label=f"{name}, lr {best_lr[name]:g}",
    )
    axes[1].semilogy(h.eval_steps, h.val_loss, "--", color=colors[name])
axes[0].set(
    xlabel="learning rate", ylabel="final training loss", title="the learning-rate grid"
)
axes[1].set(xlabel="step", ylabel="loss", title="best run of each optimizer")
axes[0].legend()
axes[1].legend()
plt.tight_layout()
plt.show()

print("best run".ljust(22) + "lr".ljust(8) + "train loss".ljust(13) + "val loss")
for name in optimizers:
    h = runs[name, best_lr[name]]
    print(f"{name:<22}{best_lr[name]:<8g}{h.train_loss[-1]:<13.3e}{h.val_loss[-1]:.3e}")

# %% [markdown]
# ## 3. Sharpness against the stability limit, and the index along the best runs
#
# The best runs are repeated (identically) with two callbacks on the full training loss:
# `HessianCallback` records the sharpness $\lambda_{\max}$ by power iteration every 25 steps,
# and the `Spectrum` callback below computes the Hessian spectrum every 50 steps with
# `refimpl.diagnostics.hessian_spectrum`: exactly for a model with up to 500 parameters, and
# otherwise by 100 Lanczos steps, whose extreme Ritz values are still accurate. It records
# $\lambda_{\min}$ and (exact spectrum only) the index: the fraction of eigenvalues below
# $-10^{-3}\lambda_{\max}$, a tolerance that ignores the tiny negative eigenvalues of the many
# nearly flat directions.
#
# A sharpness that climbs to the stability limit and stays there, or is pushed back down with
# a spike in the loss, is the edge of stability: the step size, not the problem, caps the
# curvature the method can sit in. Adam has no limit of this form (its steps are about
# $\gamma$ per coordinate).


# %%
class Spectrum(Callback):
    """Logs the smallest eigenvalue and (for small models) the index every `every` steps."""

    def __init__(self, every: int) -> None:
        self.every = every

    def on_train_begin(self, state) -> None:
        self.record(state)

    def on_step_end(self, state) -> None:
        if state.step % self.every == 0:
            self.record(state)

    def record(self, state) -> None:
        params = [p for p in state.model.parameters() if p.requires_grad]
        loss = state.loss_fn(state.model(state.x), state.y)
        if not torch.isfinite(loss):
            return
        op = diagnostics.HessianOperator(loss, params)
        exact = op.dim <= 500
        gen = torch.Generator().manual_seed(0)
        spectrum = diagnostics.hessian_spectrum(
            op, steps=None if exact else 100, generator=gen
        )
        lam_min, lam_max = float(spectrum[0]), float(spectrum[-1])
        state.history.log("lambda_min", state.step, lam_min)
        state.history.log("lambda_min/lambda_max", state.step, lam_min / lam_max)
        if exact:
            index = diagnostics.hessian_index(spectrum, tol=1e-3 * abs(lam_max))
            state.history.log("index", state.step, index)


callbacks = [HessianCallback(every=25, iters=20), Spectrum(every=50)]
traced = {name: run(name, best_lr[name], callbacks=callbacks)[1] for name in optimizers}

fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
for name, h in traced.items():
    axes[0].semilogy(*h.series("sharpness"), "o-", ms=3, color=colors[name], label=name)
    if name in stability_limit:
        axes[0].axhline(stability_limit[name](best_lr[name]), ls=":", color=colors[name])
    if "index" in h.records:
        axes[1].plot(*h.series("index"), "o-", ms=3, color=colors[name], label=name)
    else:
        axes[1].plot(*h.series("lambda_min/lambda_max"), "o-", ms=3, color=colors[name])
        axes[1].set_title(r"$\lambda_{\min}/\lambda_{\max}$")
axes[0].set(xlabel="step", title=r"sharpness $\lambda_{\max}$ (dotted: stability limits)")
axes[1].set(xlabel="step")
if not axes[1].get_title():
    axes[1].set_title("Hessian index (fraction of negative eigenvalues)")
axes[0].legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4. Is a plateau a saddle or a minimum?
#
# A plateau is a stretch where the training loss hardly changes while it is still far above
# the best loss reached: here, the first stretch where it changed by less than 2 % over every
# 25 steps while more than twice the best run's final loss. The spectrum recorded nearest to
# the middle of the stretch tells what the plateau is. At a
# saddle $\lambda_{\min} < 0$ (the index is positive) and the gradient is small; momentum or
# Adam escape faster than gradient descent. At a minimum (index 0) no optimizer will help:
# change the model, the data or the objective.

# %%
best_final = min(final_loss(runs[name, best_lr[name]]) for name in optimizers)
for name, h in traced.items():
    loss = dict(zip(h.eval_steps, h.train_loss, strict=True))
    lam_min = dict(zip(*h.series("lambda_min"), strict=True))
    ratio = dict(zip(*h.series("lambda_min/lambda_max"), strict=True))
    index = dict(zip(*h.series("index"), strict=True))
    flat = [  # evaluation steps where the loss changed by < 2 % over the last 25 steps
        t
        for t in h.eval_steps
        if t >= 25
        and loss[t] > 2 * best_final
        and abs(loss[t] - loss[t - 25]) < 0.02 * loss[t - 25]
    ]
    if not flat:
        print(f"{name}: no plateau (final training loss {h.train_loss[-1]:.2e})")
        continue
    start = end = flat[0]  # the first plateau: a run of consecutive evaluations
    while end + 5 in flat:
        end += 5
    start -= 25  # the loss was already flat over the 25 steps before it was flagged
    s = min(lam_min, key=lambda t, mid=(start + end) / 2: abs(t - mid))  # nearest spectrum
    saddle = ratio[s] < -1e-3
    verdict = (
        "a saddle: momentum, Adam or a larger initialisation escape it"
        if saddle
        else "a minimum"
    )
    print(
        f"{name}: plateau over steps {start}-{end} at loss {loss[s]:.3f}; at step {s}: "
        f"gradient norm {h.grad_norm[s]:.1e}, lambda_min {lam_min[s]:+.3f}, "
        f"index {index.get(s, float('nan')):.3f} -> {verdict}"
    )
