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
# # Choosing regularisation and validation for your model
#
# This notebook accompanies the *Choosing regularisation and validation* guide. It compares
# regularisers on your model and data, and compares two ways of estimating how well each one
# generalises:
#
# 1. a **hold-out** split: train on most of the data, validate on the rest; early stopping
#    keeps the weights with the lowest validation loss;
# 2. **$k$-fold cross-validation**: $k$ such splits, each example validated on once, and the
#    $k$ validation losses averaged;
# 3. how much the hold-out estimate would have changed with another split, and how optimistic
#    the validation loss of the variant that wins becomes;
# 4. a test set used for no decision at all, the number to report.
#
# **To use it on your model**, edit the first code cell only: `make_model(dropout)` must return
# a fresh, identically initialised model (with dropout layers at that rate, or none for 0);
# `x, y` are all the labelled examples you train and validate on; `x_test, y_test` are data kept
# for the final number (set them to `None` if you have none yet); `variants` maps a label to a
# dropout rate and an L2 penalty. The default is the guide's problem: a ReLU network with
# 4,353 parameters and 40 noisy points of $\sin(3x)$ (noise variance 0.25, the best any
# predictor can reach).

# %%
import copy

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

from refimpl.experiments.troubleshooting import regression_data
from refimpl.train import Callback, EarlyStopping, kfold_indices, train

torch.set_num_threads(1)  # small models run fastest on one thread; remove for large ones


# --- your model, data, loss and variants ---------------------------------------------------
def make_model(dropout: float = 0.0) -> nn.Module:
    """A fresh model, initialised identically on every call; dropout after each hidden layer."""
    torch.manual_seed(4)
    drop = [nn.Dropout(dropout)] if dropout else []
    layers = [nn.Linear(1, 64), nn.ReLU(), *drop, nn.Linear(64, 64), nn.ReLU(), *drop]
    return nn.Sequential(*layers, nn.Linear(64, 1)).double()


x, y = regression_data(40, noise=0.5, seed=5)  # everything you train and validate on
x_test, y_test = regression_data(1000, noise=0.5, seed=7)  # or None, None
loss_fn = nn.functional.mse_loss
steps, lr = 250, 1e-2  # Adam
variants = {  # label -> (dropout rate, L2 penalty lambda, added to the gradient as lambda * theta)
    "none": (0.0, 0.0),
    "L2 penalty 0.01": (0.0, 1e-2),
    "dropout 0.2": (0.2, 0.0),
}
k = 4  # folds; the hold-out split is the first of them (a quarter of the data held out)
# -------------------------------------------------------------------------------------------

splits = kfold_indices(len(x), k, seed=0)
print(
    f"{len(x)} examples: each split trains on {len(splits[0][0])} and validates on {len(splits[0][1])}"
)


def fit(label: str, train_idx, val_idx=None, callbacks=(), n_steps=None):
    dropout, l2 = variants[label]
    model = make_model(dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=l2)
    history = train(
        model,
        optimizer,
        loss_fn,
        x[train_idx],
        y[train_idx],
        steps=steps if n_steps is None else n_steps,
        val=None if val_idx is None else (x[val_idx], y[val_idx]),
        eval_every=10,
        callbacks=callbacks,
    )
    return model, history


def test_loss(model: nn.Module) -> float:
    if x_test is None:
        return float("nan")
    model.eval()
    with torch.no_grad():
        return float(loss_fn(model(x_test), y_test))


# %% [markdown]
# ## 1. Hold-out validation, and early stopping
#
# Each variant is trained on the first split. Early stopping is the unregularised run with an
# `EarlyStopping` callback, which restores the weights of the evaluation with the lowest
# validation loss. The test losses of the weights each variant returns are printed below
# the plot.


# %%
class KeepFinal(Callback):
    """Keeps a copy of the final weights (it runs before `EarlyStopping` restores the best)."""

    def on_train_end(self, state) -> None:
        self.model = copy.deepcopy(state.model)


held_out = {}
for label in variants:
    if label != "none":
        held_out[label] = fit(label, *splits[0])
        continue
    final, stopper = KeepFinal(), EarlyStopping(patience=None)
    model, h = fit(label, *splits[0], callbacks=[final, stopper])
    held_out["none"], held_out["early stopping"] = (final.model, h), (model, h)

fig, ax = plt.subplots(figsize=(7, 3.8))
for i, label in enumerate(variants):
    h = held_out[label][1]
    ax.plot(h.eval_steps, h.val_loss, color=f"C{i}", label=label)
ax.plot(
    [stopper.best_step], [stopper.best_loss], "o", color="C0", label="early stopping keeps"
)
ax.set(
    xlabel="step", ylabel="validation loss", title="hold-out validation loss (first split)"
)
ax.legend()
plt.tight_layout()
plt.show()

hold = {}
for label, (model, h) in held_out.items():
    hold[label] = stopper.best_loss if label == "early stopping" else h.val_loss[-1]
    print(
        f"{label:<18} hold-out validation loss {hold[label]:.3f}   test loss {test_loss(model):.3f}"
    )
print(f"early stopping kept step {stopper.best_step} of {steps}")

# %% [markdown]
# ## 2. $k$-fold cross-validation
#
# Every variant is trained once per split. The estimate of a variant is the mean of its $k$
# validation losses, and its standard error is their standard deviation over $\sqrt{k}$. For
# early stopping, the step is chosen where the *mean* validation curve is lowest (the same step
# for every fold), which is how cross-validation chooses a stopping step; the final model would
# then be trained on all the data for that many steps.

# %%
curves = {label: [] for label in variants}
for label in variants:
    curves[label].append(held_out[label][1].val_loss)  # the first split was run above
    for train_idx, val_idx in splits[1:]:
        curves[label].append(fit(label, train_idx, val_idx)[1].val_loss)
eval_steps = np.array(held_out["none"][1].eval_steps)
curves = {label: np.array(c) for label, c in curves.items()}  # (k, evaluations)
best = int(np.argmin(curves["none"].mean(0)))
fold_losses = {label: c[:, -1] for label, c in curves.items()}
fold_losses["early stopping"] = curves["none"][:, best]
print(f"cross-validated stopping step: {eval_steps[best]} of {steps}")

fig, ax = plt.subplots(figsize=(7, 3.8))
for i, (label, c) in enumerate(curves.items()):
    ax.plot(eval_steps, c.mean(0), color=f"C{i}", label=f"{label} (mean of {k} folds)")
    ax.fill_between(eval_steps, c.min(0), c.max(0), color=f"C{i}", alpha=0.15, lw=0)
ax.plot(
    [eval_steps[best]],
    [curves["none"].mean(0)[best]],
    "o",
    color="C0",
    label="cross-validated stopping step",
)
ax.set(
    xlabel="step",
    ylabel="validation loss",
    title="k-fold validation loss (band: the folds' range)",
)
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 3. Hold-out against $k$-fold, and against the test set
#
# Each fold's validation loss is what a hold-out split of that size would have reported, so
# their spread (dots) is how much a hold-out estimate depends on the luck of the split; the
# $k$-fold mean (bar) uses every example once and varies less. The final model of each
# variant is then trained on all the data (early stopping: for the cross-validated number of
# steps), and its test loss (cross) is what the estimates try to predict. The test set was
# used for no decision; it is the number to report.
#
# With few examples every estimate is noisy: compare the differences between variants with the
# standard errors before believing a ranking, and expect the variant that wins to look better
# on validation data than it is.

# %%
labels = ["none", "early stopping", *[v for v in variants if v != "none"]]
everything = torch.arange(len(x))
final = {label: fit(label, everything)[0] for label in variants}
final["early stopping"] = fit("none", everything, n_steps=int(eval_steps[best]))[0]

fig, ax = plt.subplots(figsize=(7, 3.8))
for i, label in enumerate(labels):
    losses = fold_losses[label]
    first = i == 0
    ax.plot(
        np.full(k, i),
        losses,
        "o",
        color="C0",
        alpha=0.6,
        label="each split (a hold-out estimate)" if first else None,
    )
    ax.bar(
        i,
        losses.mean(),
        width=0.5,
        color="C0",
        alpha=0.3,
        label=f"{k}-fold mean" if first else None,
    )
    ax.plot(
        i,
        test_loss(final[label]),
        "x",
        color="C1",
        ms=10,
        mew=2,
        label="test loss, trained on all" if first else None,
    )
ax.set_xticks(range(len(labels)), labels)
ax.set(ylabel="loss", title="estimates of the generalisation loss")
ax.legend(fontsize="small")
plt.tight_layout()
plt.show()

print(f"{'variant':<18}{'hold-out':>10}{f'{k}-fold':>18}{'test':>8}")
for label in labels:
    losses = fold_losses[label]
    cv = f"{losses.mean():.3f} ± {losses.std(ddof=1) / np.sqrt(k):.3f}"
    print(f"{label:<18}{hold[label]:>10.3f}{cv:>18}{test_loss(final[label]):>8.3f}")

winner = min(labels, key=lambda label: fold_losses[label].mean())
print(
    f"\nchosen by {k}-fold cross-validation: {winner} (test loss {test_loss(final[winner]):.3f}). "
    f"Its cross-validated loss {fold_losses[winner].mean():.3f} is the lowest of {len(labels)} noisy "
    "estimates, and a minimum of noisy estimates tends to be optimistic."
)
