r"""Six training failures reproduced on tiny networks, with the diagnostic that reveals each.

Every experiment fits a one-dimensional regression, $y = \sin(3x) + \varepsilon$ on
$x \in [-2, 2]$, or a two-feature variant, with a small `torch.nn.Sequential` network and
`refimpl.train.train`, once with the fault and once with the fix:

| symptom | fault | diagnostic | fix |
| --- | --- | --- | --- |
| loss becomes NaN | step above $2/\lambda_{\max}$ | gradient norm, sharpness | smaller step, clip |
| flat from the start | biases kill every ReLU | dead units per layer | zero biases |
| plateau | tiny initial weights: a saddle | Hessian index, gradient norm | init scale |
| diverges later | warm-up past $2/\lambda_{\max}$ | sharpness vs $2/\gamma_t$ | cap the step |
| good train, bad validation | large net, 30 noisy points | train/validation gap | stop early |
| slow convergence | features on scales 1 and 30 | Hessian spectrum | standardise inputs |

`batch_size_runs` adds the batch-size question of the slow-convergence section: the number of
SGD steps to a target loss against the batch size, next to the gradient noise scale.

All runs are seeded and cached; each returns plain arrays. Reading list: ``goodfellow2016``
(chapters 7 and 8), ``dauphin2014``, ``he2015delving``, ``cohen2021edge``, ``prechelt1998early``,
``mccandlish2018empirical``.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from refimpl import diagnostics
from refimpl.optim import SGD
from refimpl.train import Callback, HessianCallback, LayerStatsCallback, TrainState, train

__all__ = [
    "BatchSizeScan",
    "Curves",
    "Overfitting",
    "Plateau",
    "SlowConvergence",
    "batch_size_runs",
    "dead_relu_runs",
    "divergence_runs",
    "nan_runs",
    "overfitting_runs",
    "plateau_runs",
    "regression_data",
    "slow_convergence_runs",
]

mse = nn.functional.mse_loss


def regression_data(
    n: int, noise: float = 0.1, seed: int = 0, dtype: torch.dtype = torch.float64
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""$n$ points $x \sim U[-2, 2]$, $y = \sin(3x) + \varepsilon$, $\varepsilon \sim N(0, s^2)$.

    Args:
        n: number of points.
        noise: the noise standard deviation $s$.
        seed: seeds the draw.
        dtype: the tensors' dtype.

    Returns:
        `x` and `y`, each of shape `(n, 1)`.
    """
    g = torch.Generator().manual_seed(seed)
    x = 4 * torch.rand(n, 1, generator=g, dtype=torch.float64) - 2
    y = torch.sin(3 * x) + noise * torch.randn(n, 1, generator=g, dtype=torch.float64)
    return x.to(dtype), y.to(dtype)


def _mlp(widths: tuple[int, ...], act: type[nn.Module], seed: int, dtype=torch.float64):
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(itertools.pairwise(widths)):
        layers.append(nn.Linear(a, b))
        if i < len(widths) - 2:
            layers.append(act())
    return nn.Sequential(*layers).to(dtype)


@dataclass(frozen=True)
class Curves:
    """The recorded series of one run (arrays; empty where not recorded).

    Attributes:
        label: what was run.
        steps: step of each minibatch loss.
        loss: minibatch (here full-batch) loss before each step.
        grad_norm: gradient norm before each step.
        eval_steps: steps of the full train/validation evaluations.
        train_loss: training loss at `eval_steps`.
        val_loss: validation loss at `eval_steps`.
        records: callback records, name → `(steps, values)`.
        stopped: why the run stopped early, or `None`.
    """

    label: str
    steps: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    eval_steps: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    records: dict[str, tuple[np.ndarray, np.ndarray]]
    stopped: str | None


def _curves(label: str, h) -> Curves:
    return Curves(
        label=label,
        steps=np.array(h.steps),
        loss=np.array(h.loss),
        grad_norm=np.array(h.grad_norm),
        eval_steps=np.array(h.eval_steps),
        train_loss=np.array(h.train_loss),
        val_loss=np.array(h.val_loss),
        records={k: h.series(k) for k in h.records},
        stopped=h.stopped,
    )


def _sharpness(model: nn.Module, x, y, iters: int = 100) -> float:
    loss = mse(model(x), y)
    gen = torch.Generator().manual_seed(0)
    return diagnostics.top_hessian_eigenvalue(
        loss, list(model.parameters()), iters=iters, generator=gen
    )[0]


# --- 1. loss becomes NaN ---------------------------------------------------------------------


@functools.cache
def nan_runs(steps: int = 120) -> tuple[float, list[Curves]]:
    r"""Full-batch GD on a ReLU MLP in float32 with $\gamma = 10/\lambda_{\max}$, and two fixes.

    Returns:
        The sharpness at initialisation and the runs: the step too large (overflows to NaN),
        the step at $1/\lambda_{\max}$, and the large step with the gradient norm clipped at 1.
    """
    x, y = regression_data(64, dtype=torch.float32)
    lam = _sharpness(_mlp((1, 32, 32, 1), nn.ReLU, 0, torch.float32), x, y, iters=30)
    runs = []
    for label, lr, clip in (
        (r"$\gamma = 10/\lambda_{\max}$", 10.0 / lam, None),
        (r"$\gamma = 1/\lambda_{\max}$", 1.0 / lam, None),
        (r"$\gamma = 10/\lambda_{\max}$, gradient clipped at norm 1", 10.0 / lam, 1.0),
    ):
        model = _mlp((1, 32, 32, 1), nn.ReLU, 0, torch.float32)
        h = train(
            model, SGD(model.parameters(), lr=lr), mse, x, y, steps=steps, clip_grad_norm=clip
        )
        runs.append(_curves(label, h))
    return lam, runs


# --- 2. flat from the start: dead ReLUs --------------------------------------------------------


@functools.cache
def dead_relu_runs(steps: int = 300) -> list[Curves]:
    """A 3-hidden-layer ReLU MLP with biases initialised to −3 versus the default (He-like) init.

    Returns:
        Two runs (Adam, learning rate 0.01) with per-layer dead fractions recorded every 50 steps.
    """
    x, y = regression_data(128)
    runs = []
    for label, bias in (("biases $-3$", -3.0), ("default init", None)):
        model = _mlp((1, 32, 32, 32, 1), nn.ReLU, 1)
        if bias is not None:
            with torch.no_grad():
                for m in model:
                    if isinstance(m, nn.Linear) and m.out_features > 1:
                        m.bias.fill_(bias)
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        h = train(model, opt, mse, x, y, steps=steps, callbacks=[LayerStatsCallback(50)])
        runs.append(_curves(label, h))
    return runs


# --- 3. plateau: a saddle at small initialisation ----------------------------------------------


class _Spectra(Callback):
    """Keeps the full Hessian spectrum every `every` steps."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.spectra: dict[int, np.ndarray] = {}

    def on_train_begin(self, state: TrainState) -> None:
        self.on_step_end(state)

    def on_step_end(self, state: TrainState) -> None:
        if state.step % self.every == 0:
            loss = state.loss_fn(state.model(state.x), state.y)
            spectrum = diagnostics.hessian_spectrum(loss, list(state.model.parameters()))
            self.spectra[state.step] = spectrum.detach().numpy()


@dataclass(frozen=True)
class Plateau:
    r"""The plateau runs with their Hessian spectra.

    Attributes:
        runs: the run from tiny weights, and from the default initialisation.
        spectra: per run, step → the full Hessian spectrum (ascending).
        index: per run, the index at each spectrum's step, counting eigenvalues below
            $-\text{rel\_tol}\cdot\lambda_{\max}$.
        rel_tol: the relative tolerance of the index.
    """

    runs: list[Curves]
    spectra: list[dict[int, np.ndarray]]
    index: list[tuple[np.ndarray, np.ndarray]]
    rel_tol: float


@functools.cache
def plateau_runs(steps: int = 300, every: int = 20, rel_tol: float = 0.01) -> Plateau:
    """A tanh MLP (97 parameters) on $y = \\sin x$ started at 1/100 of the default scale.

    Returns:
        Full-batch GD runs (step 0.5) from tiny weights and from the default initialisation,
        with the full Hessian spectrum (Lanczos) and the index every `every` steps.
    """
    x, _ = regression_data(64)
    y = torch.sin(x)
    runs, spectra, index = [], [], []
    for label, scale in (("weights $\\times 1/100$", 0.01), ("default init", 1.0)):
        model = _mlp((1, 8, 8, 1), nn.Tanh, 2)
        with torch.no_grad():
            for m in model:
                if isinstance(m, nn.Linear):
                    m.weight.mul_(scale)
                    m.bias.mul_(scale)
        snap = _Spectra(every)
        opt = SGD(model.parameters(), lr=0.5)
        h = train(model, opt, mse, x, y, steps=steps, callbacks=[snap])
        runs.append(_curves(label, h))
        spectra.append(snap.spectra)
        at = np.array(sorted(snap.spectra))
        alpha = [
            diagnostics.hessian_index(torch.as_tensor(sp), rel_tol * float(sp[-1]))
            for sp in (snap.spectra[t] for t in at)
        ]
        index.append((at, np.array(alpha)))
    return Plateau(runs=runs, spectra=spectra, index=index, rel_tol=rel_tol)


# --- 4. divergence after a while: warm-up past the stability limit ---------------------------


@functools.cache
def divergence_runs(steps: int = 300, every: int = 10) -> tuple[float, list[Curves]]:
    r"""Full-batch GD whose step grows linearly (a warm-up with too high a peak), and a capped one.

    Returns:
        The peak step and two runs: the step rising from 0 to the peak over `steps` steps, and
        the same schedule capped at $1/\lambda_{\max}$ of the initial point. Sharpness is
        recorded every `every` steps.
    """
    x, y = regression_data(64)
    lam0 = _sharpness(_mlp((1, 32, 32, 1), nn.Tanh, 3), x, y)
    peak = 6.0 / lam0
    runs = []
    for label, cap in (("warm-up to $6/\\lambda_0$", None), ("capped at $1/\\lambda_0$", 1 / lam0)):
        model = _mlp((1, 32, 32, 1), nn.Tanh, 3)

        def schedule(t: int, cap=cap) -> float:
            lr = peak * (t + 1) / steps
            return lr if cap is None else min(lr, cap)

        h = train(
            model,
            SGD(model.parameters(), lr=schedule(0)),
            mse,
            x,
            y,
            steps=steps,
            lr_schedule=schedule,
            callbacks=[HessianCallback(every=every, iters=20), _LogLR()],
        )
        runs.append(_curves(label, h))
    return peak, runs


class _LogLR(Callback):
    def on_step_end(self, state: TrainState) -> None:
        state.history.log("lr", state.step, state.optimizer.param_groups[0]["lr"])


# --- 5. good train, bad validation: overfitting -----------------------------------------------


class _Snapshots(Callback):
    """Keeps the model's predictions on a grid at every evaluation."""

    def __init__(self, grid: torch.Tensor) -> None:
        self.grid = grid
        self.preds: dict[int, np.ndarray] = {}

    def on_train_begin(self, state: TrainState) -> None:
        self.on_step_end(state)

    def on_step_end(self, state: TrainState) -> None:
        if state.step % 10 == 0:
            with torch.no_grad():
                self.preds[state.step] = state.model(self.grid).numpy().ravel()


@dataclass(frozen=True)
class Overfitting:
    """A run on 30 noisy points, and the data to draw the fits.

    Attributes:
        runs: the training run.
        x: training inputs. y: training targets.
        grid: inputs where the fits are drawn. truth: $\\sin(3x)$ on the grid.
        preds: per run, step → prediction on the grid (every 10 steps).
    """

    runs: list[Curves]
    x: np.ndarray
    y: np.ndarray
    grid: np.ndarray
    truth: np.ndarray
    preds: list[dict[int, np.ndarray]]


@functools.cache
def overfitting_runs(steps: int = 800) -> Overfitting:
    """A 2-hidden-layer ReLU MLP (width 64) fitted to 30 noisy points.

    Returns:
        The run (full-batch Adam, step 0.01) with train and validation (500 points) losses
        every 10 steps, and the fitted function every 10 steps.
    """
    x, y = regression_data(30, noise=0.5, seed=5)
    xv, yv = regression_data(500, noise=0.5, seed=6)
    grid = torch.linspace(-2, 2, 200, dtype=torch.float64).reshape(-1, 1)
    model = _mlp((1, 64, 64, 1), nn.ReLU, 4)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    snap = _Snapshots(grid)
    h = train(model, opt, mse, x, y, steps=steps, val=(xv, yv), eval_every=10, callbacks=[snap])
    return Overfitting(
        runs=[_curves("no regularisation", h)],
        x=x.numpy().ravel(),
        y=y.numpy().ravel(),
        grid=grid.numpy().ravel(),
        truth=np.sin(3 * grid.numpy().ravel()),
        preds=[snap.preds],
    )


# --- 6. slow convergence: badly scaled inputs -------------------------------------------------


@dataclass(frozen=True)
class SlowConvergence:
    """Runs on raw and standardised features, and the Hessian spectra at initialisation.

    Attributes:
        runs: GD on raw features, GD on standardised features, Adam on raw features.
        spectra: the full Hessian spectrum at initialisation, raw and standardised.
    """

    runs: list[Curves]
    spectra: list[np.ndarray]


@functools.cache
def slow_convergence_runs(steps: int = 500) -> SlowConvergence:
    """A tanh MLP (2-16-1) on $y = \\sin(3x_1) + x_2/10$ with $x_2$ thirty times larger than $x_1$.

    Returns:
        Full-batch GD with $\\gamma = 1/\\lambda_{\\max}$ on raw and on standardised features, Adam
        on raw features, and both spectra.
    """
    g = torch.Generator().manual_seed(7)
    x = torch.rand(128, 2, generator=g, dtype=torch.float64) * 2 - 1
    x[:, 1] *= 30.0  # a feature in other units
    y = torch.sin(3 * x[:, :1]) + x[:, 1:] / 30
    xs = (x - x.mean(0)) / x.std(0)
    runs, spectra = [], []
    for label, inputs in (("raw, GD", x), ("standardised, GD", xs)):
        model = _mlp((2, 16, 1), nn.Tanh, 8)
        loss = mse(model(inputs), y)
        spectrum = diagnostics.hessian_spectrum(loss, list(model.parameters()))
        spectra.append(spectrum.detach().numpy())
        lr = 1.0 / float(spectrum[-1])
        h = train(model, SGD(model.parameters(), lr=lr), mse, inputs, y, steps=steps)
        runs.append(_curves(label, h))
    model = _mlp((2, 16, 1), nn.Tanh, 8)
    h = train(model, torch.optim.Adam(model.parameters(), lr=1e-2), mse, x, y, steps=steps)
    runs.append(_curves("raw, Adam", h))
    return SlowConvergence(runs=runs, spectra=spectra)


@dataclass(frozen=True)
class BatchSizeScan:
    r"""Steps to a target loss against the batch size, and the noise scale.

    Attributes:
        batch_sizes: the batch sizes $B$.
        steps: the fewest steps to the target at each $B$ (over the learning-rate grid).
        best_lr: the learning rate that achieved it.
        s_min: fitted $S_{\min}$ of $S(B) = S_{\min}(1 + B_{\text{crit}}/B)$.
        b_crit: fitted $B_{\text{crit}}$.
        noise_scale_start: $B_{\text{simple}}$ at the starting point.
        noise_scale_target: $B_{\text{simple}}$ where full-batch GD first reaches the target.
    """

    batch_sizes: np.ndarray
    steps: np.ndarray
    best_lr: np.ndarray
    s_min: float
    b_crit: float
    noise_scale_start: float
    noise_scale_target: float


@functools.cache
def batch_size_runs(
    batch_sizes: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
    seeds: int = 16,
    max_steps: int = 5000,
) -> BatchSizeScan:
    r"""SGD on least squares: steps to reach a target excess loss, for every batch size.

    The problem: $n = 2048$ examples of $d = 8$ Gaussian features whose scales give the Hessian
    $H = X^\top X/n$ a condition number of about 30, targets $y = Xw^\star + \varepsilon$ with
    unit noise, and the loss $\tfrac{1}{2n}\lVert Xw - y\rVert^2$. SGD (batches drawn with
    replacement) starts where the excess loss over the least-squares solution $\hat w$ is ten
    times the target $0.02$, spread equally over the eigendirections of $H$. For each batch size
    and each of 23 learning rates up to the stability limit $2/\lambda_{\max}$, `seeds` runs
    are averaged, and the step at which the mean excess loss first reaches the target is
    recorded; the best learning rate gives $S(B)$. $B_{\text{simple}} =
    \operatorname{tr}\Sigma/\lVert G\rVert^2$ (`refimpl.diagnostics.simple_noise_scale`) is
    measured from the per-example gradients at the start and where full-batch gradient descent
    reaches the target.

    Returns:
        The scan, with the fit of $S(B) = S_{\min}(1 + B_{\text{crit}}/B)$ (McCandlish et al.
        2018) by least squares on the relative error.
    """
    n, d, target = 2048, 8, 0.02
    g = torch.Generator().manual_seed(0)
    scales = torch.logspace(0, -0.75, d, dtype=torch.float64)  # curvatures from 1 to 1/30
    x = torch.randn(n, d, generator=g, dtype=torch.float64) * scales
    w_star = torch.randn(d, generator=g, dtype=torch.float64) * 3 / scales / d**0.5
    y = x @ w_star + torch.randn(n, generator=g, dtype=torch.float64)
    h = x.T @ x / n
    w_hat = torch.linalg.solve(h, x.T @ y / n)

    def excess(w: torch.Tensor) -> torch.Tensor:
        e = w - w_hat
        return 0.5 * ((e @ h) * e).sum(-1)

    lam, vec = torch.linalg.eigh(h)
    direction = vec @ lam.rsqrt()  # the same excess loss along every eigendirection
    w0 = w_hat + direction * torch.sqrt(10 * target / excess(w_hat + direction))
    lrs = torch.logspace(float(torch.log10(2 / lam[-1])), -4, 24, dtype=torch.float64)[1:]

    steps, best_lr = [], []
    for b in batch_sizes:
        gen = torch.Generator().manual_seed(b)
        w = w0.expand(seeds, len(lrs), d).clone()
        hit = torch.full((len(lrs),), max_steps + 1)
        for t in range(1, max_steps + 1):
            idx = torch.randint(n, (seeds, b), generator=gen)
            xb, yb = x[idx], y[idx]  # (seeds, B, d), (seeds, B)
            residual = torch.einsum("sld,sbd->slb", w, xb) - yb[:, None, :]
            w = w - lrs[None, :, None] * torch.einsum("slb,sbd->sld", residual, xb) / b
            reached = (excess(w).mean(0) <= target) & (hit > max_steps)
            hit[reached] = t
            if reached.any():  # the first learning rate to get there is the best
                break
        i = int(hit.argmin())
        steps.append(int(hit[i]))
        best_lr.append(float(lrs[i]))

    def noise_scale(w: torch.Tensor) -> float:
        per_example = x * (x @ w - y)[:, None]  # ∇ of ½(x_iᵀw − y_i)²
        return diagnostics.simple_noise_scale(per_example)

    w = w0.clone()
    while excess(w) > target:  # full-batch GD at 1/λ_max, to the target
        w = w - (h @ w - x.T @ y / n) / lam[-1]
    # S = a + c/B, weighted by 1/S: least squares on the relative error
    bs, ss = np.array(batch_sizes, dtype=float), np.array(steps, dtype=float)
    design = np.stack([np.ones_like(bs), 1 / bs], axis=1) / ss[:, None]
    (a, c), *_ = np.linalg.lstsq(design, np.ones_like(ss), rcond=None)
    return BatchSizeScan(
        batch_sizes=bs.astype(int),
        steps=ss.astype(int),
        best_lr=np.array(best_lr),
        s_min=float(a),
        b_crit=float(c / a),
        noise_scale_start=noise_scale(w0),
        noise_scale_target=noise_scale(w),
    )
