r"""Figure for the encoder–decoder page: the alignment learned on sequence reversal.

``seq2seq-alignment`` shows the attention weights $\alpha_{ij}$ of a GRU encoder–decoder
(``refimpl.nn.Seq2Seq``) while it greedily decodes a held-out sequence, after training on
reversal (``refimpl.experiments.seq2seq_reversal``).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from refimpl.experiments import seq2seq_reversal
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["seq2seq_alignment"]


@figure("seq2seq-alignment")
def seq2seq_alignment() -> Figure:
    """The attention matrix of a trained reversal model on one held-out sequence."""
    result = seq2seq_reversal.reversal_alignment()
    alignment = result["alignment"]
    fig, ax = plt.subplots(figsize=(4.8, 4.4))
    image = ax.imshow(alignment, cmap="viridis", vmin=0.0, vmax=1.0, gid="alignment")
    ax.grid(False)
    S, T = alignment.shape[1], alignment.shape[0]
    ax.set_xticks(range(S), [f"{t}" for t in result["source"]])
    ax.set_yticks(range(T), [f"{t}" for t in result["output"]])
    ax.set(xlabel=r"source token $x_j$", ylabel=r"emitted token $y_i$")
    ax.set_title(
        f"Attention weights $\\alpha_{{ij}}$ (held-out accuracy {result['accuracy']:.0%})",
        fontsize=10,
        color=style.foreground(),
    )
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    return fig
