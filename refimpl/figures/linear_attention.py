"""Figures for the linear-attention page: cost against sequence length, and the three forms.

``attention-cost-scaling`` plots the FLOPs and memory of one causal head of softmax attention,
chunked linear attention and RWKV's WKV against the sequence length (closed forms that the tests
check against FLOPs counted on our code). Data from ``refimpl.experiments.linear_attention``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from refimpl.experiments.linear_attention import attention_costs
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["attention_cost_scaling"]

_SERIES = (
    ("softmax", "softmax attention", 3),
    ("linear", "linear attention (chunk 64)", 0),
    ("rwkv", "RWKV WKV (recurrent)", 2),
)


@figure("attention-cost-scaling")
def attention_cost_scaling() -> Figure:
    """FLOPs and memory against T for softmax attention, linear attention and RWKV."""
    c = attention_costs()
    fig, (ax_f, ax_m) = plt.subplots(1, 2, figsize=(9.6, 3.8))
    for key, label, color in _SERIES:
        ax_f.loglog(
            c["T"],
            c[f"{key}_formula"],
            "o-",
            ms=3.5,
            color=style.PALETTE[color],
            label=label,
            gid=f"flops-{key}",
        )
        ax_m.loglog(
            c["T"], c[f"{key}_memory"], "o-", ms=3.5, color=style.PALETTE[color], label=label
        )
    d = 64
    ax_f.axvline(2 * d, color=style.foreground(), lw=0.8, ls=":")
    ax_f.text(2 * d * 1.15, 2e5, "crossover\n$T = C + d$", fontsize=8)
    ax_f.set(xlabel="sequence length $T$", ylabel="FLOPs per head ($d = 64$)")
    ax_f.set_title("(a) time: slope 2 against slope 1", fontsize=10)
    ax_f.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0.12, 1.0))
    ax_m.legend(fontsize=8, loc="lower right", bbox_to_anchor=(1.0, 0.12))
    ax_m.set(xlabel="sequence length $T$", ylabel="floats kept")
    ax_m.set_title("(b) memory", fontsize=10)
    fig.tight_layout()
    return fig
