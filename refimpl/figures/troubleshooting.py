"""Figures of the troubleshooting guide: each failure, its diagnostic and its fix."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import troubleshooting as ts
from refimpl.figures import style
from refimpl.figures.registry import figure

C = style.PALETTE


def _title(ax, text: str) -> None:
    ax.set_title(text, fontsize=10)


@figure("ts-nan")
def ts_nan() -> Figure:
    """A step far above 2/λ_max overflows to NaN within a few steps; the gradient norm warns."""
    lam, runs = ts.nan_runs()
    fig = Figure(figsize=(9.6, 3.6))
    ax_loss, ax_grad = fig.subplots(1, 2)
    for run, color in zip(runs, (C[3], C[0], C[2]), strict=True):
        finite = np.isfinite(run.loss)
        ax_loss.semilogy(
            run.steps[finite],
            run.loss[finite],
            color=color,
            label=run.label,
            gid=f"nan-{run.label}",
        )
        ax_grad.semilogy(
            run.steps[np.isfinite(run.grad_norm)],
            run.grad_norm[np.isfinite(run.grad_norm)],
            color=color,
        )
        if run.stopped:
            last = run.steps[finite][-1]
            for ax, series in ((ax_loss, run.loss), (ax_grad, run.grad_norm)):
                ok = np.isfinite(series)
                ax.plot(
                    run.steps[ok][-1], series[ok][-1], marker="X", ms=10, color=color, ls="none"
                )
            ax_loss.annotate(
                f"NaN at step {last + 1}",
                (last, run.loss[finite][-1]),
                xytext=(25, run.loss[finite][-1]),
                color=color,
                fontsize=9,
                arrowprops={"arrowstyle": "->", "color": color, "lw": 0.8},
            )
    ax_loss.set(xlabel="step", ylabel="training loss (MSE)")
    _title(ax_loss, rf"(a) loss; sharpness at init $\lambda_{{\max}} = {lam:.1f}$")
    ax_loss.legend(fontsize=8, loc="center right")
    ax_grad.set(xlabel="step", ylabel=r"gradient norm $\|\nabla L\|$")
    _title(ax_grad, "(b) diagnostic: the gradient norm explodes first")
    fig.tight_layout()
    return fig


@figure("ts-dead-relu")
def ts_dead_relu() -> Figure:
    """Dead ReLUs: a flat loss and the per-layer dead fraction that explains it."""
    runs = ts.dead_relu_runs()
    fig = Figure(figsize=(9.6, 3.6))
    ax_loss, ax_dead = fig.subplots(1, 2)
    colors = (C[3], C[0])
    for run, color in zip(runs, colors, strict=True):
        ax_loss.semilogy(run.steps, run.loss, color=color, label=run.label)
    ax_loss.set(xlabel="step", ylabel="training loss (MSE)")
    ax_loss.legend(fontsize=9)
    _title(ax_loss, "(a) loss (Adam): flat from the first step")
    layers = sorted(k for k in runs[0].records if k.startswith("dead/"))
    pos = np.arange(len(layers))
    for i, (run, color) in enumerate(zip(runs, colors, strict=True)):
        dead = [run.records[k][1][0] for k in layers]
        ax_dead.bar(pos + (i - 0.5) * 0.38, dead, width=0.36, color=color, label=run.label)
    ax_dead.set_xticks(pos, [f"ReLU layer {i + 1}" for i in pos])
    ax_dead.set(ylabel="fraction of dead units", ylim=(0, 1.08))
    _title(ax_dead, "(b) diagnostic: dead units per layer at init")
    ax_dead.legend(fontsize=9, loc="center right")
    fig.tight_layout()
    return fig


@figure("ts-plateau")
def ts_plateau() -> Figure:
    """A plateau at a saddle: loss, gradient norm and index, and the spectrum on and off it."""
    res = ts.plateau_runs()
    fig = Figure(figsize=(10.4, 3.5))
    ax_loss, ax_idx, ax_spec = fig.subplots(1, 3)
    colors = (C[3], C[0])
    twin = ax_loss.twinx()
    for run, color, (s, idx) in zip(res.runs, colors, res.index, strict=True):
        ax_loss.semilogy(run.steps, run.loss, color=color, label=f"loss, {run.label}")
        twin.semilogy(run.steps, run.grad_norm, color=color, ls=":", lw=1.2)
        ax_idx.plot(s, idx, color=color, marker="o", ms=3, label=run.label)
    twin.set_ylabel(r"gradient norm $\|\nabla L\|$ (dotted)", fontsize=9)
    twin.grid(False)
    ax_loss.set(xlabel="step", ylabel="training loss (MSE, solid)")
    ax_loss.legend(fontsize=8, loc="center left")
    _title(ax_loss, "(a) loss and gradient norm")
    ax_idx.set(xlabel="step", ylabel=r"index $\alpha$")
    ax_idx.legend(fontsize=8)
    pct = f"{100 * res.rel_tol:g}"
    _title(ax_idx, rf"(b) diagnostic: index ($\lambda_i < -{pct}\%\,\lambda_{{\max}}$)")
    plateau, end = 100, max(res.spectra[0])
    for step, color, marker, where in (
        (plateau, C[1], "o", "on the plateau"),
        (end, C[2], "s", "after the drop"),
    ):
        spectrum = res.spectra[0][step]
        ax_spec.plot(
            spectrum, marker=marker, ms=2.5, ls="none", color=color, label=f"step {step}, {where}"
        )
    ax_spec.set_yscale("symlog", linthresh=1e-3)
    ax_spec.axhline(0.0, color=style.foreground(), lw=0.8)
    ax_spec.set(xlabel="eigenvalue rank", ylabel=r"$\lambda_i$ (symlog)")
    ax_spec.legend(fontsize=8, loc="upper left")
    _title(ax_spec, f"(c) Hessian spectrum, {res.runs[0].label}")
    fig.tight_layout()
    return fig


@figure("ts-divergence")
def ts_divergence() -> Figure:
    """Warm-up past 2/λ_max: sharpness rises, crosses 2/γ_t, the loss blows up."""
    _, runs = ts.divergence_runs()
    fig = Figure(figsize=(9.6, 3.6))
    ax_loss, ax_sharp = fig.subplots(1, 2)
    colors = (C[3], C[0])
    for run, color in zip(runs, colors, strict=True):
        ok = np.isfinite(run.loss) & (run.loss < 1e4)  # the plotted range, and no overflow
        ax_loss.semilogy(run.steps[ok], run.loss[ok], color=color, label=run.label)
        # once the loss has blown up (100x its start) the curvature no longer means anything
        blown = run.steps[run.loss > 100 * run.loss[0]]
        end = blown[0] if blown.size else run.steps[-1] + 1
        s, sharp = run.records["sharpness"]
        ls, lr = run.records["lr"]
        ax_sharp.semilogy(
            s[s <= end],
            sharp[s <= end],
            color=color,
            marker="o",
            ms=2.5,
            label=rf"$\lambda_{{\max}}$, {run.label}",
        )
        ax_sharp.semilogy(
            ls[ls <= end],
            2.0 / lr[ls <= end],
            color=color,
            ls="--",
            lw=1.2,
            label=rf"$2/\gamma_t$, {run.label}",
        )
        if blown.size:
            for ax in (ax_loss, ax_sharp):
                ax.axvline(end, color=color, lw=0.8, ls=":")
    ax_loss.set(xlabel="step", ylabel="training loss (MSE)", ylim=(1e-2, 1e3))
    ax_loss.legend(fontsize=8, loc="upper left")
    _title(ax_loss, "(a) loss under a linear warm-up")
    ax_sharp.set(xlabel="step", ylabel="curvature", ylim=(3, 300))
    ax_sharp.legend(fontsize=7.5, loc="upper right")
    _title(ax_sharp, r"(b) diagnostic: sharpness against $2/\gamma_t$")
    fig.tight_layout()
    return fig


@figure("ts-overfitting")
def ts_overfitting() -> Figure:
    """Training loss keeps falling while validation loss turns up; early stopping's choice."""
    res = ts.overfitting_runs()
    run = res.runs[0]
    best = int(run.eval_steps[np.argmin(run.val_loss)])
    fig = Figure(figsize=(9.6, 3.6))
    ax_loss, ax_fit = fig.subplots(1, 2)
    ax_loss.semilogy(run.eval_steps, run.train_loss, color=C[0], label="training loss")
    ax_loss.semilogy(run.eval_steps, run.val_loss, color=C[1], label="validation loss")
    ax_loss.axvline(best, color=style.foreground(), lw=0.8, ls=":")
    ax_loss.text(best, 0.5, f" best validation:\n step {best}", fontsize=8, va="top")
    ax_loss.set(xlabel="step", ylabel="MSE")
    ax_loss.legend(fontsize=9, loc="upper right")
    _title(ax_loss, "(a) diagnostic: the train/validation gap")
    ax_fit.plot(
        res.grid, res.truth, color=style.foreground(), lw=1, ls="--", label=r"truth $\sin 3x$"
    )
    ax_fit.plot(res.grid, res.preds[0][best], color=C[2], label=f"early-stopped (step {best})")
    last = max(res.preds[0])
    ax_fit.plot(res.grid, res.preds[0][last], color=C[3], label=f"end (step {last})")
    ax_fit.plot(res.x, res.y, "o", color=C[0], ms=5, label=f"{len(res.x)} training points")
    ax_fit.set(xlabel="$x$", ylabel="$y$", ylim=(-2.2, 2.2))
    ax_fit.legend(fontsize=8, loc="lower left", ncol=2)
    _title(ax_fit, "(b) the fitted functions")
    fig.tight_layout()
    return fig


@figure("ts-slow")
def ts_slow() -> Figure:
    """Badly scaled features: slow GD, and the stretched Hessian spectrum that explains it."""
    res = ts.slow_convergence_runs()
    fig = Figure(figsize=(9.6, 3.6))
    ax_loss, ax_spec = fig.subplots(1, 2)
    for run, color, ls in zip(res.runs, (C[3], C[0], C[2]), ("-", "-", "--"), strict=True):
        ax_loss.semilogy(run.steps, run.loss, color=color, ls=ls, label=run.label)
    ax_loss.set(xlabel="step", ylabel="training loss (MSE)")
    ax_loss.legend(fontsize=9)
    _title(ax_loss, r"(a) loss; GD with $\gamma = 1/\lambda_{\max}$")
    for spectrum, color, label in zip(
        res.spectra, (C[3], C[0]), ("raw", "standardised"), strict=True
    ):
        mag = np.sort(np.abs(spectrum))[::-1]
        ax_spec.semilogy(
            np.arange(1, len(mag) + 1),
            mag,
            color=color,
            marker="o",
            ms=2.5,
            label=f"{label}: $\\lambda_{{\\max}} = {spectrum[-1]:.1f}$",
        )
    ax_spec.set(xlabel="eigenvalue rank", ylabel=r"$|\lambda_i|$ at init", ylim=(1e-4, 1e2))
    ax_spec.legend(fontsize=9)
    _title(ax_spec, "(b) diagnostic: the Hessian spectrum")
    fig.tight_layout()
    return fig


@figure("ts-noise-scale")
def ts_noise_scale() -> Figure:
    """SGD steps and examples to a target loss against the batch size, with the noise scale."""
    r = ts.batch_size_runs()
    fig = Figure(figsize=(9.6, 3.6))
    ax_s, ax_e = fig.subplots(1, 2)
    b = r.batch_sizes.astype(float)
    fine = np.geomspace(b[0], b[-1], 200)
    fit = r.s_min * (1 + r.b_crit / fine)
    for ax, values, fitted in ((ax_s, r.steps, fit), (ax_e, r.steps * b, fit * fine)):
        ax.axvspan(r.noise_scale_start, r.noise_scale_target, color=style.PALETTE[6], alpha=0.2)
        ax.loglog(fine, fitted, "--", color=style.PALETTE[0], lw=1.2)
        ax.loglog(b, values, "o", color=style.PALETTE[3], ms=5)
        ax.set_xlabel("batch size $B$")
    ax_s.text(
        (r.noise_scale_start * r.noise_scale_target) ** 0.5,
        r.steps.max(),
        "$B_{\\mathrm{simple}}$ from start\nto target",
        ha="center",
        va="top",
        fontsize=8,
    )
    ax_s.plot([], [], "o", color=style.PALETTE[3], label="measured (best learning rate)")
    ax_s.plot(
        [],
        [],
        "--",
        color=style.PALETTE[0],
        label=rf"fit $S_{{\min}}(1 + B_c/B)$, $B_c = {r.b_crit:.0f}$",
    )
    ax_s.legend(fontsize=8, loc="lower left")
    ax_s.set_ylabel("steps to the target loss")
    _title(ax_s, "(a) steps: halve with each doubling, up to a point")
    ax_e.set_ylabel("examples processed (steps × B)")
    _title(ax_e, "(b) examples: constant, then wasted")
    fig.tight_layout()
    return fig
