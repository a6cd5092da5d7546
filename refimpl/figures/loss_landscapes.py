"""Figures of the loss-landscape page: non-convexity, PL* along the path, two minima."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from refimpl.experiments import loss_landscapes as ll
from refimpl.experiments import which_minimum as wm
from refimpl.figures import style
from refimpl.figures.registry import figure

C = style.PALETTE


@figure("loss-landscape-nonconvexity")
def loss_landscape_nonconvexity() -> Figure:
    """2-D slice, lines between minimisers, and the Hessian's smallest eigenvalue near θ*."""
    r = ll.nonconvexity_experiment()
    fig = Figure(figsize=(10.0, 7.2))
    (ax_s, ax_l), (ax_e, ax_h) = fig.subplots(2, 2)

    c = r.slice_coords
    cs = ax_s.contourf(c, c, r.slice_loss + 1e-6, levels=np.logspace(-4, 1.5, 12), norm=LogNorm())
    fig.colorbar(cs, ax=ax_s, label="training loss")
    inner = c[1:-1]
    ax_s.contourf(inner, inner, r.slice_curvature, levels=[-1e9, 0], colors="none", hatches=["///"])
    ax_s.contour(
        inner, inner, r.slice_curvature, levels=[0], colors=style.foreground(), linewidths=0.8
    )
    ax_s.plot(0, 0, "*", color=style.foreground(), ms=10)
    ax_s.set(xlabel=r"$a$ (filter-normalised $d_1$)", ylabel=r"$b$ ($d_2$)")
    ax_s.set_title("2-D slice; hatched: not convex on the slice", fontsize=10)

    ax_l.semilogy(
        r.t, r.line_permuted + 1e-16, color=C[0], label="to the permuted copy", gid="line-perm"
    )
    ax_l.semilogy(r.t, r.line_other_seed + 1e-16, color=C[3], ls="--", label="to a second seed")
    ax_l.axvline(0, color=style.foreground(), lw=0.6, ls=":")
    ax_l.axvline(1, color=style.foreground(), lw=0.6, ls=":")
    ax_l.set(xlabel=r"$t$ in $(1-t)\theta^\star + t\theta'$", ylabel="training loss")
    ax_l.set_ylim(1e-14, 5)
    ax_l.legend(fontsize=8, loc="lower center")
    ax_l.set_title("Between two minimisers the loss rises", fontsize=10)

    ax_e.loglog(
        r.radii, -r.min_eig, "o-", color=C[0], ms=4, label=r"$-\lambda_{\min}(H)$", gid="min-eig"
    )
    ax_e.loglog(r.radii, r.loss_at_radii, "s--", color=C[2], ms=4, label="loss")
    ax_e.set(xlabel=r"distance $r$ from $\theta^\star$ along a random direction")
    ax_e.legend(fontsize=8)
    ax_e.set_title(
        r"Negative curvature at $\theta^\star + r d$: $\lambda_{\min} \propto -r$", fontsize=10
    )

    bins = np.linspace(-0.1, 0.1, 41)
    ax_h.hist(
        np.clip(r.spectrum_min, -0.1, 0.1),
        bins=bins,
        color=C[0],
        alpha=0.6,
        label=rf"at $\theta^\star$ (loss {r.final_loss:.0e})",
    )
    ax_h.hist(
        np.clip(r.spectrum_near, -0.1, 0.1),
        bins=bins,
        color=C[3],
        alpha=0.6,
        label=rf"at $r = {r.near_radius}$",
    )
    ax_h.set_yscale("log")
    ax_h.set(xlabel=r"Hessian eigenvalue (clipped to $\pm 0.1$)", ylabel="count")
    ax_h.legend(fontsize=8)
    ax_h.set_title(f"Exact spectrum, {r.n_params} parameters", fontsize=10)
    fig.tight_layout()
    return fig


@figure("loss-landscape-pl-star")
def loss_landscape_pl_star() -> Figure:
    """Loss, the PL* ratio and its tangent-kernel lower bound along gradient descent."""
    p = ll.pl_star_path()
    r = ll.nonconvexity_experiment()
    fig = Figure(figsize=(10.0, 3.6))
    ax_l, ax_m = fig.subplots(1, 2)
    ax_l.semilogy(p.steps, p.loss, color=C[0], label=r"loss $L(\theta_t)$")
    ax_l.semilogy(
        r.path_steps,
        -r.path_min_eig,
        "o",
        color=C[3],
        ms=4,
        label=r"$-\lambda_{\min}(H(\theta_t))$",
    )
    ax_l.set(xlabel="gradient-descent step")
    ax_l.legend(fontsize=8)
    ax_l.set_title("Every point of the path has negative curvature", fontsize=10)
    ax_m.semilogy(
        p.steps, p.mu, color=C[0], gid="mu", label=r"$\mu_t = \frac{1}{2}\|\nabla L\|^2 / L$"
    )
    ax_m.semilogy(
        p.steps, p.kernel_bound, color=C[2], ls="--", label=r"$\frac{2}{n}\lambda_{\min}(JJ^\top)$"
    )
    ax_m.set(xlabel="gradient-descent step")
    ax_m.legend(fontsize=8)
    ax_m.set_title(r"PL$^*$: $\mu_t$ stays positive, above the kernel bound", fontsize=10)
    fig.tight_layout()
    return fig


@figure("loss-landscape-two-minima")
def loss_landscape_two_minima() -> Figure:
    """Two fits with the same training loss and very different test losses."""
    m = wm.two_minima()
    fig = Figure(figsize=(7.0, 3.8))
    ax = fig.subplots()
    ax.plot(m.x_test, m.y_test, color=style.foreground(), lw=1, ls=":", label=r"$\sin(\pi x)$")
    for k, (scale, color) in enumerate(zip(m.scales, (C[0], C[3]), strict=True)):
        label = (
            f"first-layer scale {scale:g}: train {m.train_loss[k]:.1e}, test {m.test_loss[k]:.1e}"
        )
        ax.plot(m.x_test, m.predictions[k], color=color, label=label, gid=f"fit-{k}")
    ax.plot(m.x_train, m.y_train, "o", color=style.foreground(), ms=5, label="training points")
    ax.set(xlabel="$x$", ylabel="$f(x)$")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"Both stopped at training loss below {m.target:g}", fontsize=10)
    fig.tight_layout()
    return fig
