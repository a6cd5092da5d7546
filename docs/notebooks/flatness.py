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
# # Measuring flatness, and seeing it change without the function changing
#
# This notebook accompanies the *Flat and sharp minima* guide. It trains a small ReLU network,
# measures the sharpness $\lambda_{\max}$ of its training loss with power iteration, compares
# it with the stability limit $2/\gamma$ of the step size used, and then applies the rescaling
# $(W_1, b_1, W_2) \mapsto (\alpha W_1, \alpha b_1, W_2/\alpha)$ of Dinh et al. (2017), which
# leaves the function unchanged and the sharpness not. Replace the model and data in the first
# cell with your own (for the rescaling part, keep a `Linear, ReLU, Linear` network).

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from refimpl.diagnostics import loss_along_line, random_direction, top_hessian_eigenvalue
from refimpl.experiments.flatness import rescale
from refimpl.optim import SGD
from refimpl.train import HessianCallback, train

torch.set_num_threads(1)  # small models run fastest on one thread
torch.manual_seed(0)

# --- your model, data and step size -------------------------------------------------------
x = 4 * torch.rand(64, 1, dtype=torch.float64) - 2
y = torch.sin(3 * x) + 0.1 * torch.randn(64, 1, dtype=torch.float64)
model = nn.Sequential(nn.Linear(1, 32), nn.ReLU(), nn.Linear(32, 1)).double()
lr = 0.05
loss_fn = nn.functional.mse_loss
# -------------------------------------------------------------------------------------------

# %% [markdown]
# ## Sharpness along full-batch gradient descent
#
# `HessianCallback` records $\lambda_{\max}$ of the full training loss every few steps. With
# full-batch gradient descent it typically rises until it reaches $2/\gamma$ and then stays
# close to it (the edge of stability).

# %%
history = train(
    model,
    SGD(model.parameters(), lr=lr),
    loss_fn,
    x,
    y,
    steps=600,
    callbacks=[HessianCallback(every=50, iters=30)],
)
steps, sharpness = history.series("sharpness")
plt.figure(figsize=(6, 3.2))
plt.plot(steps, sharpness, "o-", label=r"$\lambda_{\max}$")
plt.axhline(2 / lr, ls="--", color="gray", label=r"$2/\gamma$")
plt.xlabel("step")
plt.legend()
plt.title(f"final training loss {history.train_loss[-1]:.4f}")
plt.show()

# %% [markdown]
# ## The same function at many sharpnesses
#
# `rescale(net, alpha)` returns a copy with the first layer multiplied by $\alpha$ and the
# second layer's weights divided by it. The predictions agree to rounding error; the sharpness
# scales like $\alpha^{-2}$ for small $\alpha$ and like $\alpha^{2}$ for large $\alpha$.

# %%
alphas = np.logspace(-1.5, 1.5, 7)
for a in alphas:
    scaled = rescale(model, float(a))
    same = torch.allclose(scaled(x), model(x), atol=1e-12)
    loss = loss_fn(scaled(x), y)
    lam, _ = top_hessian_eigenvalue(loss, list(scaled.parameters()), iters=200, tol=1e-8)
    print(f"alpha {a:7.3f}: same predictions {same}, loss {loss.item():.5f}, sharpness {lam:12.2f}")

# %% [markdown]
# ## Slices that do not care
#
# Along a filter-normalised random direction, the loss slice is the same for every $\alpha$;
# along a direction of fixed length it is not.

# %%
t = torch.linspace(-1, 1, 41, dtype=torch.float64)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), sharey=True)
for a in (0.1, 1.0, 10.0):
    scaled = rescale(model, a)
    params = list(scaled.parameters())
    d = random_direction(params, filter_normalize=False, generator=torch.Generator().manual_seed(1))
    norm = torch.sqrt(sum((di * di).sum() for di in d))
    d = [di / norm for di in d]
    f = random_direction(params, generator=torch.Generator().manual_seed(1))
    closure = lambda m=scaled: loss_fn(m(x), y)  # noqa: E731
    axes[0].semilogy(t, loss_along_line(closure, params, d, t), label=f"alpha = {a:g}")
    axes[1].semilogy(t, loss_along_line(closure, params, f, t), label=f"alpha = {a:g}")
axes[0].set(title="unit-length direction", xlabel="t")
axes[1].set(title="filter-normalised direction", xlabel="t")
axes[0].legend()
plt.tight_layout()
plt.show()
