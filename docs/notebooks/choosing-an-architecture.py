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
# # Choosing an architecture for your data
#
# This notebook accompanies the *Choosing an architecture* guide. Its rule: write down what
# should not change the answer, and prefer a model for which it cannot change. The notebook
# puts candidate architectures side by side on your data, at matched parameter counts (so
# that the bias, not the size, is compared), with the same optimizer and budget:
#
# 1. it picks each candidate's width so that its parameter count is closest to a target;
# 2. it trains every candidate and plots its validation curve;
# 3. it checks whether each trained model respects the symmetry you expect;
# 4. it repeats the training with fewer examples (learning curves), where the gap between a
#    matched and a generic bias is largest.
#
# **To use it on your data**, edit the first code cell only: the data, the loss, `symmetry`
# (a transformation of a batch of inputs that should leave the targets unchanged), and
# `candidates`, a function of a width for each architecture. The default is panel (b) of the
# guide: sets of eight numbers stored in an arbitrary order, and a target that does not
# depend on the order.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from refimpl.experiments.choosing_architecture import SumPool, set_task
from refimpl.nn import MLP
from refimpl.train import train

torch.set_num_threads(1)  # small models run fastest on one thread; remove for large ones


class Sorted(nn.Module):
    """Sorts each set before a model sees it: a canonical order, hence invariance."""

    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x.sort(dim=-1).values)


# --- your data, loss, symmetry and candidate architectures --------------------------------
x, y = set_task(256, seed=0)  # (n, 8) sets and (n,) targets
x_val, y_val = set_task(300, seed=1)
loss_fn = nn.functional.mse_loss


def symmetry(x: torch.Tensor) -> torch.Tensor:
    """What should not change the answer: here, reordering the elements of every set."""
    return x[:, torch.randperm(x.shape[1], generator=torch.Generator().manual_seed(0))]


candidates = {  # width -> a fresh model
    "MLP on concatenation": lambda w: nn.Sequential(
        MLP([8, w, w, 1], "tanh"), nn.Flatten(0)
    ),
    "MLP on sorted elements": lambda w: Sorted(
        nn.Sequential(MLP([8, w, w, 1], "tanh"), nn.Flatten(0))
    ),
    "sum-pooled (Deep Sets)": lambda w: SumPool(w),
}
target_parameters = 2000
widths = range(2, 129)
steps, lr = 150, 0.01  # the same Adam budget for every candidate
train_sizes = (32, 64, 128, 256)  # for the learning curves (at most len(x))
# -------------------------------------------------------------------------------------------


def count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


# %% [markdown]
# ## 1. Matched parameter counts
#
# A larger model of the same family usually fits better, so a comparison at different sizes
# mixes the architecture's bias with its size. Each candidate gets the width whose parameter
# count is closest to `target_parameters`.

# %%
width = {}
for name, make in candidates.items():
    width[name] = min(
        widths, key=lambda w, make=make: abs(count(make(w)) - target_parameters)
    )
    print(f"{name:<26} width {width[name]:>4}   {count(make(width[name])):>6} parameters")


# %% [markdown]
# ## 2. Validation curves
#
# Every candidate is trained with Adam on the full training set from the same seed, and
# evaluated on the validation set every 10 steps. The losses are divided by the variance of
# the validation targets: 1 (dotted) is what predicting the mean achieves.


# %%
def fit(name: str, n: int | None = None, eval_every: int = 10):
    torch.manual_seed(0)
    model = candidates[name](width[name])
    xs, ys = (x, y) if n is None else (x[:n], y[:n])
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = train(
        model,
        optimizer,
        loss_fn,
        xs,
        ys,
        steps=steps,
        val=(x_val, y_val),
        eval_every=eval_every,
    )
    return model, history


scale = float(y_val.var())
models, histories = {}, {}
fig, ax = plt.subplots(figsize=(7, 3.8))
for i, name in enumerate(candidates):
    models[name], histories[name] = fit(name)
    h = histories[name]
    ax.semilogy(
        h.eval_steps,
        np.array(h.val_loss) / scale,
        color=f"C{i}",
        label=f"{name} (validation)",
    )
    ax.semilogy(h.eval_steps, np.array(h.train_loss) / scale, ":", color=f"C{i}", lw=1)
ax.axhline(1.0, ls=":", color="gray")
ax.set(
    xlabel="step",
    ylabel="loss / Var(y_val)",
    title=f"{len(x)} training examples (dotted: training loss)",
)
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 3. Does the trained model respect the symmetry?
#
# The relative change of the predictions when the inputs are transformed by `symmetry`. A model
# that is invariant by construction shows zero (up to rounding); a generic model shows how far
# it still is from having learnt the symmetry from the data. A large change in a model you
# expected to be invariant means the symmetry is not built in the way you think.

# %%
with torch.no_grad():
    for name, model in models.items():
        before, after = model(x_val), model(symmetry(x_val))
        change = float((after - before).norm() / before.norm())
        print(f"{name:<26} relative change under the symmetry: {change:.2e}")

# %% [markdown]
# ## 4. Learning curves
#
# The final validation loss after training on the first $n$ examples only, for each $n$ in
# `train_sizes`. A bias that matches the data pays off most with few examples; with many, a
# generic model catches up part of the way.


# %%
def final_val(name: str, n: int) -> float:
    if n == len(x):
        return histories[name].val_loss[-1] / scale  # trained on everything in section 2
    h = fit(name, n, eval_every=steps)[1]
    return h.val_loss[-1] / scale


curves = {name: [final_val(name, n) for n in train_sizes] for name in candidates}
fig, ax = plt.subplots(figsize=(7, 3.8))
for i, (name, values) in enumerate(curves.items()):
    ax.loglog(train_sizes, values, "o-", color=f"C{i}", label=name)
ax.axhline(1.0, ls=":", color="gray")
ax.set(
    xlabel="training examples",
    ylabel="validation loss / Var(y_val)",
    title="learning curves",
)
ax.set_xticks(train_sizes, [str(n) for n in train_sizes], minor=False)
ax.set_xticks([], minor=True)
ax.legend()
plt.tight_layout()
plt.show()

print(
    "validation loss / Var(y_val)".ljust(30) + "".join(f"n = {n:<8}" for n in train_sizes)
)
for name, values in curves.items():
    print(name.ljust(30) + "".join(f"{v:<12.3f}" for v in values))
