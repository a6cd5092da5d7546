"""Figures of the adversarial-examples page: accuracy against epsilon, and fragile saliency maps."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments import adversarial as adv
from refimpl.figures import style
from refimpl.figures.registry import figure


def _image(ax, image, title: str, cmap: str = "gray", vmin: float = 0.0, vmax: float = 1.0):
    ax.imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(title, fontsize=8.5)


@figure("adversarial-accuracy")
def adversarial_accuracy() -> Figure:
    """Test accuracy under FGSM, PGD and random signs against epsilon, and one FGSM example."""
    r = adv.accuracy_curves()
    fig = Figure(figsize=(9.6, 3.6))
    grid = fig.add_gridspec(2, 5, width_ratios=(1.4, 1.4, 0.05, 0.8, 0.8))
    ax = fig.add_subplot(grid[:, :2])
    ax.plot(r.epsilons, r.random, "o-", color=style.PALETTE[6], label="random signs, same size")
    ax.plot(r.epsilons, r.fgsm, "o-", color=style.PALETTE[1], label="FGSM (one step)")
    ax.plot(r.epsilons, r.pgd, "o-", color=style.PALETTE[3], label="PGD (20 steps)")
    ax.set_xlabel(r"$L_\infty$ budget $\epsilon$ (pixel range 0–1)")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(-0.03, 1.03)
    ax.legend(fontsize=8.5, loc="lower left")
    ax.set_title("(a) accuracy of the bar-image MLP", fontsize=9.5)
    names = adv.CLASS_NAMES
    before, after = r.example_labels
    eps = r.example_epsilon
    _image(fig.add_subplot(grid[0, 3]), r.example[0], f"clean: {names[before]}")
    _image(
        fig.add_subplot(grid[0, 4]),
        r.example[1],
        rf"$\epsilon\,$sign$\nabla_x L$, $\epsilon$={eps:g}",
        cmap="RdBu_r",
        vmin=-eps,
        vmax=eps,
    )
    _image(fig.add_subplot(grid[1, 3]), r.example[2], f"FGSM: {names[after]}")
    note = fig.add_subplot(grid[1, 4])
    note.axis("off")
    note.text(
        0.05,
        0.5,
        "(b) one test image,\nits FGSM perturbation\nand the result, with\nthe predicted class",
        fontsize=8,
        va="center",
    )
    fig.tight_layout()
    return fig


@figure("adversarial-saliency")
def adversarial_saliency() -> Figure:
    """Saliency maps before and after random and adversarial label-preserving perturbations."""
    r = adv.saliency_fragility()
    fig = Figure(figsize=(9.6, 4.4))
    grid = fig.add_gridspec(2, 5, width_ratios=(0.8, 0.8, 0.8, 0.12, 2.0))
    eps, k = r.example_epsilon, r.k
    rand_k, att_k = r.example_topk
    titles = ("clean", f"random, ε={eps:g}", f"top-k attack, ε={eps:g}")
    smax = float(r.maps.max())
    for j in range(3):
        _image(fig.add_subplot(grid[0, j]), r.images[j], titles[j])
        sub = ("saliency", f"top-{k} shared: {rand_k:.0%}", f"top-{k} shared: {att_k:.0%}")[j]
        ax_map = fig.add_subplot(grid[1, j])
        _image(ax_map, r.maps[j], sub, cmap="magma", vmax=smax)
        # the k most salient pixels of the clean map, marked on every map
        rows, cols = np.unravel_index(np.argsort(r.maps[0], axis=None)[-k:], r.maps[0].shape)
        ax_map.plot(cols, rows, "o", mfc="none", mec=style.PALETTE[5], ms=7, mew=1.5)
    ax = fig.add_subplot(grid[:, 4])
    gray, red = style.PALETTE[6], style.PALETTE[3]
    ax.plot(r.epsilons, r.topk_random, "o-", color=gray, label=f"top-{k} intersection, random")
    ax.plot(r.epsilons, r.topk_attack, "o-", color=red, label=f"top-{k} intersection, attack")
    ax.plot(r.epsilons, r.spearman_random, "s--", color=gray, label="Spearman ρ, random")
    ax.plot(r.epsilons, r.spearman_attack, "s--", color=red, label="Spearman ρ, attack")
    ax.set_xlabel(r"$L_\infty$ budget $\epsilon$")
    ax.set_ylabel("similarity to the clean saliency map")
    ax.set_ylim(0.4, 1.02)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("(b) mean over test images whose label is kept", fontsize=9.5)
    fig.text(
        0.02,
        0.97,
        f"(a) one test image and its saliency |∂f_y/∂x|; circles: clean top-{k}",
        fontsize=9.5,
        va="top",
    )
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    return fig
