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
# # Diagnosing a training run
#
# This notebook accompanies the *Troubleshooting training* guide. It runs the guide's checks on
# one model: replace the model, the data, the loss and the optimizer in the first cell with
# your own (keep the data small enough to fit in memory, or pass a representative batch) and
# run everything again. Each check prints what it measured and what would be a warning sign.
#
# The checks, in order:
#
# 1. per-layer activation statistics at initialisation: dead and saturated units;
# 2. per-parameter gradient norms: vanishing or exploding with depth;
# 3. the sharpness $\lambda_{\max}$ against the stability limit $2/\gamma$;
# 4. the Hessian spectrum and index (Lanczos; exact for small models);
# 5. a short training run that records all of these over time, with a validation loss;
# 6. the gradient noise scale, to judge the batch size;
# 7. the loss along a filter-normalised random direction, and the linear regions of a ReLU
#    network along a line through input space.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from refimpl import diagnostics
from refimpl.optim import SGD
from refimpl.train import HessianCallback, LayerStatsCallback, NoiseScaleCallback, train

torch.set_num_threads(1)  # small models run fastest on one thread; remove for large ones
torch.manual_seed(0)

# --- your model, data, loss and optimizer -------------------------------------------------
x = 4 * torch.rand(256, 1) - 2
y = torch.sin(3 * x) + 0.1 * torch.randn(256, 1)
x_val = 4 * torch.rand(256, 1) - 2
y_val = torch.sin(3 * x_val) + 0.1 * torch.randn(256, 1)
model = nn.Sequential(nn.Linear(1, 12), nn.ReLU(), nn.Linear(12, 12), nn.ReLU(), nn.Linear(12, 1))
loss_fn = nn.functional.mse_loss
lr = 0.05
optimizer = SGD(model.parameters(), lr=lr, momentum=0.9)
# -------------------------------------------------------------------------------------------

params = [p for p in model.parameters() if p.requires_grad]
print(f"{sum(p.numel() for p in params)} parameters, {len(x)} training examples")

# %% [markdown]
# ## 1. Dead and saturated units
#
# A unit is *dead* when its nonlinearity is saturated (zero derivative) on every example. A
# layer with many dead units passes little gradient to the layers below it.

# %%
for name, s in diagnostics.activation_statistics(model, x).items():
    flag = "  <-- many dead units" if s.dead_fraction > 0.5 else ""
    print(
        f"layer {name:>3}: dead {s.dead_fraction:5.1%}  saturated {s.saturated_fraction:5.1%}"
        f"  mean {s.mean:+.3f}  std {s.std:.3f}{flag}"
    )

# %% [markdown]
# ## 2. Gradient norms per parameter
#
# Norms that shrink by orders of magnitude towards the input suggest vanishing gradients;
# norms that grow suggest exploding ones. The ratio $\lVert\nabla\theta\rVert/\lVert\theta\rVert$
# times the learning rate is the relative change of each tensor in one step.

# %%
model.zero_grad()
loss_fn(model(x), y).backward()
for name, g in diagnostics.gradient_statistics(model).items():
    print(f"{name:>10}: |w| {g.weight_norm:7.3f}  |grad| {g.grad_norm:9.2e}  lr*ratio {lr * g.ratio:8.2e}")
model.zero_grad()

# %% [markdown]
# ## 3. Sharpness against the step size
#
# Gradient descent is stable near a point only if $\gamma\lambda_{\max} < 2$. With momentum
# $\mu$ the limit for heavy-ball is $\gamma\lambda_{\max} < 2(1 + \mu)$.

# %%
op = diagnostics.HessianOperator(loss_fn(model(x), y), params)
lam_max, _ = diagnostics.top_hessian_eigenvalue(op, iters=50)
print(f"sharpness λ_max = {lam_max:.3f};  γ·λ_max = {lr * lam_max:.3f}  (plain GD needs < 2)")

# %% [markdown]
# ## 4. Spectrum and index
#
# For a model with up to a few hundred parameters, Lanczos with as many steps as parameters
# gives the exact spectrum; for larger ones, 50–100 steps give the extreme eigenvalues. The
# index is the fraction of eigenvalues below a small negative tolerance.

# %%
steps = op.dim if op.dim <= 500 else 100
spectrum = diagnostics.hessian_spectrum(op, steps=steps)
index = diagnostics.hessian_index(spectrum, tol=1e-3 * float(spectrum[-1]))
print(f"λ_min = {spectrum[0]:.4f}, λ_max = {spectrum[-1]:.4f}, index = {index:.3f}")
plt.figure(figsize=(6, 3))
plt.plot(spectrum.numpy(), ".", ms=3)
plt.yscale("symlog", linthresh=1e-3)
plt.xlabel("rank")
plt.ylabel("eigenvalue (symlog)")
plt.title("Hessian spectrum at initialisation")
plt.show()

# %% [markdown]
# ## 5. A short run that records the diagnostics
#
# `refimpl.train.train` records the minibatch loss and gradient norm every step, the full
# training and validation losses every `eval_every` steps, and whatever the callbacks log.

# %%
history = train(
    model,
    optimizer,
    loss_fn,
    x,
    y,
    steps=300,
    batch_size=32,
    val=(x_val, y_val),
    eval_every=10,
    callbacks=[HessianCallback(every=50, iters=20), LayerStatsCallback(50), NoiseScaleCallback(50)],
)
print("stopped early:", history.stopped)

fig, axes = plt.subplots(1, 3, figsize=(12, 3.2))
axes[0].semilogy(history.eval_steps, history.train_loss, label="train")
axes[0].semilogy(history.eval_steps, history.val_loss, label="validation")
axes[0].set(xlabel="step", title="loss")
axes[0].legend()
s, sharp = history.series("sharpness")
axes[1].semilogy(s, sharp, "o-", label=r"$\lambda_{\max}$")
axes[1].axhline(2 * (1 + 0.9) / lr, ls="--", color="gray", label=r"$2(1+\mu)/\gamma$")
axes[1].set(xlabel="step", title="sharpness")
axes[1].legend()
for name in [k for k in history.records if k.startswith("dead/")]:
    axes[2].plot(*history.series(name), "o-", label=name)
axes[2].set(xlabel="step", title="dead-unit fraction", ylim=(0, 1))
axes[2].legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 6. The gradient noise scale
#
# $B_{\text{simple}} = \operatorname{tr}\Sigma/\lVert G\rVert^2$. A batch much smaller than
# this is noise-dominated; much larger, and extra examples per step buy little.

# %%
for step, value in zip(*history.series("noise_scale"), strict=True):
    print(f"step {step:4d}: B_simple ≈ {value:8.1f}")
print("batch size used: 32")

# %% [markdown]
# ## 7. The loss along a direction, and linear regions
#
# A filter-normalised random direction makes slices of different networks comparable. For a
# ReLU network, the number of linear pieces along a line through input space measures how
# finely the trained network has cut the input up.

# %%
d = diagnostics.random_direction(params, generator=torch.Generator().manual_seed(0))
alphas = torch.linspace(-1, 1, 41)
slice_ = diagnostics.loss_along_line(lambda: loss_fn(model(x), y), params, d, alphas)
regions = diagnostics.count_regions_along_line(model, torch.tensor([-2.0]), torch.tensor([2.0]))
print(f"linear pieces of the trained network on [-2, 2]: {regions.count}")

fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
axes[0].plot(alphas.numpy(), slice_.numpy())
axes[0].set(xlabel=r"$\alpha$", ylabel=r"$L(\theta + \alpha d)$", title="loss along a random direction")
grid = torch.linspace(-2, 2, 400).reshape(-1, 1)
with torch.no_grad():
    axes[1].plot(grid.numpy(), model(grid).numpy(), label="network")
axes[1].plot(x.numpy(), y.numpy(), ".", ms=2, alpha=0.5, label="data")
for t in regions.breakpoints.numpy():
    axes[1].axvline(-2 + 4 * t, lw=0.3, color="gray")
axes[1].set(xlabel="$x$", title=f"the fit and its {regions.count} linear pieces")
axes[1].legend()
plt.tight_layout()
plt.show()
