r"""Captioning synthetic scenes: Show and Tell against Show, Attend and Tell.

An image is a $24 \times 24$ grid of $4 \times 4$ cells of $6 \times 6$ pixels. Two coloured
shapes (red, green or blue; square, circle or triangle) sit in two cells of one column or of
one row, and the caption names the upper (or left) one first: "red square above blue circle",
"green triangle left-of green square". Every caption has five words and an end token, so no
padding is needed. Both decoders (`refimpl.nn.ShowAndTell` and `refimpl.nn.ShowAttendTell`)
are trained with teacher forcing and Adam on freshly drawn images, then decode held-out images
greedily. Reading list: `vinyals2015showtell`, `xu2015showattend`.
"""

from __future__ import annotations

import functools

import numpy as np
import torch
from torch import Tensor, nn

from refimpl.experiments._threads import single_thread
from refimpl.nn import ShowAndTell, ShowAttendTell

__all__ = [
    "CAPTION_WORDS",
    "CELL",
    "GRID",
    "caption_text",
    "captioning_results",
    "scene_batch",
]

CAPTION_WORDS = (
    "<start>",
    "<end>",
    "red",
    "green",
    "blue",
    "square",
    "circle",
    "triangle",
    "above",
    "left-of",
)
GRID, CELL = 4, 6  #: cells per side and pixels per cell
_COLOURS = torch.eye(3)  # red, green, blue
_SHAPES = torch.tensor(
    [
        [[1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]],
        [[0, 1, 1, 1, 0], [1, 0, 0, 0, 1], [1, 0, 0, 0, 1], [1, 0, 0, 0, 1], [0, 1, 1, 1, 0]],
        [[0, 0, 1, 0, 0], [0, 1, 1, 1, 0], [0, 1, 1, 1, 0], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]],
    ],
    dtype=torch.float32,
)  # filled square, circle outline, triangle: 5 × 5 inside a 6 × 6 cell


def caption_text(tokens: Tensor | np.ndarray) -> str:
    """The words of a token sequence, up to the end token."""
    words = []
    for t in np.asarray(tokens).tolist():
        if CAPTION_WORDS[t] == "<end>":
            break
        words.append(CAPTION_WORDS[t])
    return " ".join(words)


def scene_batch(generator: torch.Generator, size: int) -> tuple[Tensor, Tensor, Tensor]:
    """Images `(size, 3, 24, 24)`, decoder inputs `(size, 6)` and targets `(size, 6)`.

    The inputs are `<start>` and the five words; the targets the five words and `<end>`.
    """
    colour = torch.randint(3, (size, 2), generator=generator)
    shape = torch.randint(3, (size, 2), generator=generator)
    vertical = torch.rand(size, generator=generator) < 0.5  # "above", else "left-of"
    line = torch.randint(GRID, (size,), generator=generator)  # the shared column or row
    # two distinct positions along the line, the first one smaller (upper or left)
    first = torch.randint(GRID - 1, (size,), generator=generator)
    second = first + 1 + (torch.rand(size, generator=generator) * (GRID - 1 - first)).long()
    images = 0.05 * torch.randn(size, 3, GRID * CELL, GRID * CELL, generator=generator)
    for b in range(size):
        for k, along in enumerate((first[b], second[b])):
            row, col = (along, line[b]) if vertical[b] else (line[b], along)
            r, c = int(row) * CELL, int(col) * CELL
            patch = _COLOURS[colour[b, k]][:, None, None] * _SHAPES[shape[b, k]]  # (3, 5, 5)
            images[b, :, r : r + 5, c : c + 5] += patch
    relation = torch.where(vertical, 8, 9)
    words = torch.stack(
        [colour[:, 0] + 2, shape[:, 0] + 5, relation, colour[:, 1] + 2, shape[:, 1] + 5], 1
    )  # (size, 5)
    start = torch.zeros(size, 1, dtype=torch.long)
    end = torch.ones(size, 1, dtype=torch.long)
    return images, torch.cat([start, words], 1), torch.cat([words, end], 1)


def _train(model: nn.Module, steps: int, batch: int, lr: float, seed: int) -> list[float]:
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        images, tokens_in, target = scene_batch(generator, batch)
        output = model(images, tokens_in)
        logits = output[0] if isinstance(output, tuple) else output
        loss = nn.functional.cross_entropy(logits.flatten(0, 1), target.flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    return losses


@functools.cache
@single_thread()
def captioning_results(
    steps: int = 400, batch: int = 32, lr: float = 3e-3, seed: int = 0
) -> dict[str, object]:
    """Train both captioners; decode 256 held-out images.

    Returns:
        `losses` (name → training loss per step), `accuracy` (name → fraction of held-out
        captions decoded exactly), `word_accuracy` (name → fraction of words right), the first
        8 held-out `images` `(8, 24, 24, 3)` with their `truth` and `captions` (name → list of
        strings), and the attention model's weights on them `attention` `(8, 6, 4, 4)`.
    """
    torch.manual_seed(seed)
    vocab = len(CAPTION_WORDS)
    models: dict[str, nn.Module] = {
        "Show and Tell": ShowAndTell(vocab, 32, 64, grid_size=GRID * GRID, pool=CELL),
        "Show, Attend and Tell": ShowAttendTell(vocab, 32, 64, pool=CELL),
    }
    losses = {name: _train(m, steps, batch, lr, seed) for name, m in models.items()}
    images, _, target = scene_batch(torch.Generator().manual_seed(seed + 1), 256)
    accuracy, word_accuracy, captions = {}, {}, {}
    attention = None
    for name, model in models.items():
        decoded = model.greedy_decode(images, start=0, steps=target.shape[1])
        tokens = decoded[0]
        if name == "Show, Attend and Tell":
            attention = decoded[2][:8].reshape(8, -1, GRID, GRID).numpy()
        accuracy[name] = float((tokens == target).all(1).double().mean())
        word_accuracy[name] = float((tokens == target).double().mean())
        captions[name] = [caption_text(t) for t in tokens[:8]]
    return {
        "losses": {name: np.array(v) for name, v in losses.items()},
        "accuracy": accuracy,
        "word_accuracy": word_accuracy,
        "images": images[:8].clamp(0, 1).permute(0, 2, 3, 1).numpy(),
        "truth": [caption_text(t) for t in target[:8]],
        "captions": captions,
        "attention": attention,
    }
