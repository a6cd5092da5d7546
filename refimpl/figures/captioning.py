"""Figure for the image-captioning page: generated captions and where the decoder looks.

``captioning-attention`` shows held-out synthetic scenes with their true captions and the greedy
captions of Show and Tell and of Show, Attend and Tell, and for one scene the attention map of
the second model over the $4 \\times 4$ grid of cells while it emits each word. Data from
``refimpl.experiments.captioning``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from refimpl.experiments.captioning import CELL, captioning_results
from refimpl.figures import style
from refimpl.figures.registry import figure

__all__ = ["captioning_attention"]

_SHOWN = 4  # scenes in the top row


def _wrap(caption: str) -> str:
    """Break a five-word caption after its second word."""
    words = caption.split()
    return " ".join(words[:2]) + "\n" + " ".join(words[2:]) if len(words) > 2 else caption


@figure("captioning-attention")
def captioning_attention() -> Figure:
    """Captions of four held-out scenes, and per-word attention maps on one of them."""
    r = captioning_results()
    images, attention = r["images"], r["attention"]
    names = ("Show and Tell", "Show, Attend and Tell")
    fig = plt.figure(figsize=(9.6, 6.4))
    top = fig.add_gridspec(1, _SHOWN, left=0.06, right=0.94, top=0.93, bottom=0.5, wspace=0.9)
    bottom = fig.add_gridspec(1, 6, left=0.04, right=0.96, top=0.3, bottom=0.04, wspace=0.2)
    for i in range(_SHOWN):
        ax = fig.add_subplot(top[0, i])
        ax.imshow(images[i], interpolation="nearest")
        ax.set_title(f"scene {i + 1}", fontsize=9)
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        lines = [f"truth: {_wrap(r['truth'][i])}"]
        for name, short in zip(names, ("S&T", "SAT"), strict=True):
            caption = r["captions"][name][i]
            mark = "✓" if caption == r["truth"][i] else "✗"
            lines.append(f"{short} {mark}: {_wrap(caption)}")
        ax.set_xlabel("\n".join(lines), fontsize=7.5, loc="left", color=style.foreground())
    accuracy = ", ".join(f"{n} {r['accuracy'][n]:.0%}" for n in names)
    fig.text(
        0.5,
        0.975,
        f"(a) held-out scenes and greedy captions; exact-caption accuracy on 256: {accuracy}",
        ha="center",
        fontsize=10,
        color=style.foreground(),
    )

    # the first scene that Show, Attend and Tell captions exactly
    example = next(
        i for i, c in enumerate(r["captions"]["Show, Attend and Tell"]) if c == r["truth"][i]
    )
    words = [*r["captions"]["Show, Attend and Tell"][example].split(), "<end>"]
    image = images[example]
    for t in range(min(len(words), 6)):
        ax = fig.add_subplot(bottom[0, t])
        # α_t on the 4 × 4 grid, one value per 6 × 6 cell, scaled so its peak is 1
        alpha = np.kron(attention[example, t], np.ones((CELL, CELL)))
        ax.imshow(image * (0.15 + 0.85 * alpha / alpha.max())[..., None], interpolation="nearest")
        ax.imshow(alpha, cmap="magma", alpha=0.35, vmin=0.0, vmax=1.0, interpolation="nearest")
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        ax.set_title(f"“{words[t]}”\nmax α = {attention[example, t].max():.2f}", fontsize=8.5)
    fig.text(
        0.5,
        0.4,
        f"(b) Show, Attend and Tell on scene {example + 1}: its attention α over the 4 × 4 cells "
        "before each word (bright = attended)",
        ha="center",
        fontsize=10,
        color=style.foreground(),
    )
    return fig
