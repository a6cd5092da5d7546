r"""A small, seeded training loop with callbacks that record diagnostics.

`train` runs minibatch gradient steps on in-memory tensors $(x, y)$: at step $t$ it draws a
batch $\mathcal{B}_t$ (a fresh random permutation every epoch, from a generator seeded with
`seed`), and applies

$$
\theta_{t+1} = \mathrm{opt}\Big(\theta_t,\; \nabla_\theta \tfrac{1}{|\mathcal{B}_t|}
\textstyle\sum_{i \in \mathcal{B}_t} \ell\big(f_\theta(x_i), y_i\big)\Big),
$$

optionally clipping the gradient norm first (Pascanu et al. 2013) and setting the learning rate
from a schedule. Every step records the minibatch loss and the gradient norm; every
`eval_every` steps it records the full training loss and the validation loss. Callbacks see the
state after each step and log anything else into the same `History`: the sharpness, the
Hessian index, per-layer statistics, the gradient noise scale (`refimpl.diagnostics`). A
non-finite loss stops the run and is recorded. A tqdm progress bar is shown when stderr is a
terminal (or when asked for). Reading list: ``goodfellow2016`` (chapter 8),
``pascanu2013difficulty``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor, nn

from refimpl import diagnostics

__all__ = [
    "Callback",
    "EarlyStopping",
    "HessianCallback",
    "History",
    "LayerStatsCallback",
    "NoiseScaleCallback",
    "TrainState",
    "kfold_indices",
    "train",
]

Loss = Callable[[Tensor, Tensor], Tensor]


@dataclass
class History:
    """Everything a run recorded.

    Attributes:
        steps: the step index of each entry of `loss` and `grad_norm`.
        loss: the minibatch loss before each step.
        grad_norm: the gradient norm before each step (before clipping).
        eval_steps: the steps at which the full losses were evaluated (0 is the start).
        train_loss: the loss on the whole training set at `eval_steps`.
        val_loss: the validation loss at `eval_steps` (empty without validation data).
        records: anything callbacks logged, name → list of `(step, value)`.
        stopped: why the run ended early (`None` if it ran all its steps).
    """

    steps: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)
    eval_steps: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    records: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    stopped: str | None = None

    def log(self, name: str, step: int, value: float) -> None:
        """Append `(step, value)` to the record `name`."""
        self.records.setdefault(name, []).append((step, float(value)))

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The record `name` as two arrays, steps and values."""
        pairs = self.records.get(name, [])
        return (
            np.array([s for s, _ in pairs], dtype=np.int64),
            np.array([v for _, v in pairs], dtype=np.float64),
        )


@dataclass
class TrainState:
    """What a callback sees after each step.

    Attributes:
        model: the network being trained.
        optimizer: its optimizer.
        loss_fn: the loss $\\ell$.
        x: the training inputs.
        y: the training targets.
        step: the number of steps taken so far.
        history: the run's `History` (callbacks add to `history.records`).
        stop: set to `True` to end the run after this step.
    """

    model: nn.Module
    optimizer: torch.optim.Optimizer
    loss_fn: Loss
    x: Tensor
    y: Tensor
    step: int
    history: History
    stop: bool = False


class Callback:
    """Base class: override the hooks you need. Each receives the `TrainState`."""

    def on_train_begin(self, state: TrainState) -> None:
        """Called once before the first step (the state has `step == 0`)."""

    def on_step_end(self, state: TrainState) -> None:
        """Called after every optimizer step."""

    def on_train_end(self, state: TrainState) -> None:
        """Called once at the end, also after an early stop."""


class _Every(Callback):
    def __init__(self, every: int) -> None:
        self.every = every

    def on_train_begin(self, state: TrainState) -> None:
        self.record(state)

    def on_step_end(self, state: TrainState) -> None:
        if state.step % self.every == 0:
            self.record(state)

    def record(self, state: TrainState) -> None:
        raise TypeError("subclasses define record")


class EarlyStopping(Callback):
    """Stops when the validation loss has not improved for a while, and restores the best weights.

    Watches `history.val_loss` at every evaluation (so pass `val=` to `train`). After the run,
    the model holds the weights of the evaluation with the lowest validation loss
    (Prechelt 1998), and `best_step` and `best_loss` say which one that was.

    Args:
        patience: stop after this many evaluations without improvement; `None` never stops
            early but still restores the best weights at the end.
        min_delta: an improvement smaller than this does not count.
    """

    def __init__(self, patience: int | None = 10, min_delta: float = 0.0) -> None:
        self.patience, self.min_delta = patience, min_delta
        self.best_loss = math.inf
        self.best_step = 0
        self._best_state: dict[str, Tensor] | None = None
        self._seen = 0
        self._bad = 0

    def on_train_begin(self, state: TrainState) -> None:
        self._check(state)

    def on_step_end(self, state: TrainState) -> None:
        self._check(state)
        if self.patience is not None and self._bad >= self.patience:
            state.stop = True

    def _check(self, state: TrainState) -> None:
        h = state.history
        if len(h.val_loss) == self._seen:  # no new evaluation since the last check
            return
        self._seen = len(h.val_loss)
        if h.val_loss[-1] < self.best_loss - self.min_delta:
            self.best_loss, self.best_step, self._bad = h.val_loss[-1], h.eval_steps[-1], 0
            self._best_state = {k: v.detach().clone() for k, v in state.model.state_dict().items()}
        else:
            self._bad += 1

    def on_train_end(self, state: TrainState) -> None:
        if self._best_state is not None:
            state.model.load_state_dict(self._best_state)


class HessianCallback(_Every):
    """Logs the sharpness $\\lambda_{\\max}$ (`"sharpness"`) and, optionally, the index.

    Uses the full training set. The index (`"index"`) and the smallest eigenvalue
    (`"lambda_min"`) come from a full Lanczos run, so ask for them on small models only.

    Args:
        every: record every this many steps (and at step 0).
        iters: power-iteration steps for the sharpness.
        index: also compute the whole spectrum.
        tol: eigenvalues in $[-\\text{tol}, 0)$ do not count towards the index.
    """

    def __init__(self, every: int = 10, iters: int = 20, index: bool = False, tol: float = 1e-6):
        super().__init__(every)
        self.iters, self.index, self.tol = iters, index, tol

    def record(self, state: TrainState) -> None:
        params = [p for p in state.model.parameters() if p.requires_grad]
        loss = state.loss_fn(state.model(state.x), state.y)
        if not torch.isfinite(loss):
            return
        op = diagnostics.HessianOperator(loss, params)
        gen = torch.Generator().manual_seed(state.step)
        top, _ = diagnostics.top_hessian_eigenvalue(op, iters=self.iters, generator=gen)
        state.history.log("sharpness", state.step, top)
        if self.index:
            spectrum = diagnostics.hessian_spectrum(op, generator=gen)
            state.history.log("index", state.step, diagnostics.hessian_index(spectrum, self.tol))
            state.history.log("lambda_min", state.step, float(spectrum[0]))


class LayerStatsCallback(_Every):
    """Logs per-layer statistics on the training set.

    Records `"dead/<module>"` and `"saturated/<module>"` for every activation layer
    (`refimpl.diagnostics.activation_statistics`), and `"grad_norm/<parameter>"` for every
    parameter, from the full-batch gradient.

    Args:
        every: record every this many steps (and at step 0).
    """

    def record(self, state: TrainState) -> None:
        model = state.model
        for name, s in diagnostics.activation_statistics(model, state.x).items():
            state.history.log(f"dead/{name}", state.step, s.dead_fraction)
            state.history.log(f"saturated/{name}", state.step, s.saturated_fraction)
        params = [p for p in model.parameters() if p.requires_grad]
        grads = torch.autograd.grad(state.loss_fn(model(state.x), state.y), params)
        names = [n for n, p in model.named_parameters() if p.requires_grad]
        for name, g in zip(names, grads, strict=True):
            state.history.log(f"grad_norm/{name}", state.step, float(g.norm()))


class NoiseScaleCallback(_Every):
    """Logs the simple gradient noise scale $B_{\\text{simple}}$ (`"noise_scale"`).

    Computed from the per-example gradients of up to `max_examples` training examples.

    Args:
        every: record every this many steps (and at step 0).
        max_examples: how many examples to use.
    """

    def __init__(self, every: int = 10, max_examples: int = 256) -> None:
        super().__init__(every)
        self.max_examples = max_examples

    def record(self, state: TrainState) -> None:
        x, y = state.x[: self.max_examples], state.y[: self.max_examples]
        g = diagnostics.per_example_gradients(state.model, state.loss_fn, x, y)
        state.history.log("noise_scale", state.step, diagnostics.simple_noise_scale(g))


def _grad_norm(params: Sequence[Tensor]) -> float:
    norms = [p.grad.detach().norm() for p in params if p.grad is not None]
    return float(torch.stack(norms).norm()) if norms else 0.0


@torch.no_grad()
def _evaluate(model: nn.Module, loss_fn: Loss, x: Tensor, y: Tensor) -> float:
    was_training = model.training
    model.eval()
    value = float(loss_fn(model(x), y))
    model.train(was_training)
    return value


# --8<-- [start:train]
def train(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    loss_fn: Loss,
    x: Tensor,
    y: Tensor,
    *,
    steps: int,
    batch_size: int | None = None,
    val: tuple[Tensor, Tensor] | None = None,
    eval_every: int = 1,
    seed: int = 0,
    clip_grad_norm: float | None = None,
    lr_schedule: Callable[[int], float] | None = None,
    callbacks: Sequence[Callback] = (),
    progress: bool | None = None,
) -> History:
    """Train `model` for `steps` optimizer steps and return what was recorded.

    Args:
        model: the network (initialise it before, under your own seed).
        optimizer: an optimizer over the model's parameters.
        loss_fn: the mean loss of a batch, `loss_fn(prediction, target)`.
        x: training inputs, shape `(n, ...)`.
        y: training targets, shape `(n, ...)`.
        steps: the number of optimizer steps.
        batch_size: examples per step; `None` for full-batch gradient descent.
        val: optional validation data `(x_val, y_val)`.
        eval_every: evaluate the full training and validation losses every this many steps.
        seed: seeds the batch order (and `torch`'s global generator, for dropout and the like).
        clip_grad_norm: rescale the gradient to at most this norm before each step.
        lr_schedule: step → learning rate, applied to every parameter group before each step.
        callbacks: objects whose hooks run at the start, after each step and at the end.
        progress: show a tqdm bar; `None` shows it only when stderr is a terminal.

    Returns:
        The `History` of the run.
    """
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    n = x.shape[0]
    batch_size = n if batch_size is None else batch_size
    params = [p for p in model.parameters() if p.requires_grad]
    history = History()
    state = TrainState(model, optimizer, loss_fn, x, y, step=0, history=history)

    def evaluate(step: int) -> None:
        history.eval_steps.append(step)
        history.train_loss.append(_evaluate(model, loss_fn, x, y))
        if val is not None:
            history.val_loss.append(_evaluate(model, loss_fn, *val))

    evaluate(0)
    for cb in callbacks:
        cb.on_train_begin(state)
    bar = _progress_bar(steps, progress)
    order, cursor = torch.randperm(n, generator=gen), 0
    for step in range(steps):
        if cursor + batch_size > n:  # a new epoch: a fresh permutation
            order, cursor = torch.randperm(n, generator=gen), 0
        idx = order[cursor : cursor + batch_size].to(x.device)
        cursor += batch_size
        if lr_schedule is not None:
            for group in optimizer.param_groups:
                group["lr"] = lr_schedule(step)
        optimizer.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        history.steps.append(step)
        history.loss.append(float(loss.detach()))
        history.grad_norm.append(_grad_norm(params))
        if not math.isfinite(history.loss[-1]):
            history.stopped = f"non-finite loss at step {step}"
            break
        if clip_grad_norm is not None:
            torch.nn.utils.clip_grad_norm_(params, clip_grad_norm)
        optimizer.step()
        state.step = step + 1
        if state.step % eval_every == 0 or state.step == steps:
            evaluate(state.step)
        for cb in callbacks:
            cb.on_step_end(state)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{history.loss[-1]:.4g}", refresh=False)
        if state.stop:
            history.stopped = f"stopped by a callback at step {state.step}"
            break
    if bar is not None:
        bar.close()
    for cb in callbacks:
        cb.on_train_end(state)
    return history


# --8<-- [end:train]


def kfold_indices(
    n: int, k: int, *, seed: int = 0, device: torch.device | str | None = None
) -> list[tuple[Tensor, Tensor]]:
    r"""Split the examples $0, \dots, n-1$ into $k$ folds for cross-validation.

    The indices are shuffled once (a generator seeded with `seed`) and cut into $k$ folds
    whose sizes differ by at most one. Fold $j$ is the validation set of split $j$, and the
    other $k - 1$ folds are its training set, so every example is validated on exactly once.
    One split on its own is a hold-out split with a fraction $1/k$ held out. Use
    `x[train_idx]`, `x[val_idx]` to index your data; $k = n$ is leave-one-out.

    Args:
        n: the number of examples.
        k: the number of folds, $2 \le k \le n$.
        seed: seeds the shuffle.
        device: where to put the index tensors (that of your data).

    Returns:
        `k` pairs `(train_idx, val_idx)` of sorted `int64` index tensors.
    """
    if not 2 <= k <= n:
        raise ValueError(f"need 2 <= k <= n, got k={k}, n={n}")
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    folds = torch.tensor_split(order, k)
    splits = []
    for j, fold in enumerate(folds):
        rest = torch.cat([f for i, f in enumerate(folds) if i != j])
        splits.append((rest.sort().values.to(device), fold.sort().values.to(device)))
    return splits


def _progress_bar(total: int, progress: bool | None):
    """A tqdm bar when asked for, or (by default) when stderr is an interactive terminal."""
    show = sys.stderr.isatty() if progress is None else progress
    if not show:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is optional: no bar without it
        return None
    return tqdm(total=total, desc="train", leave=False)
