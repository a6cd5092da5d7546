r"""Attention learns to reverse: a GRU encoder–decoder on sequence reversal.

The source is $S$ random tokens, the target the same tokens reversed. An encoder–decoder with
additive attention (``refimpl.nn.Seq2Seq``) is trained with teacher forcing and Adam; to emit
$y_i = x_{S+1-i}$ the decoder only has to look at source position $S + 1 - i$, so the learned
alignment matrix $\alpha_{ij}$ should be close to the anti-diagonal (Bahdanau et al. 2015 show
the analogous, near-monotone, alignments for English to French). Reading list: ``bahdanau2015``.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from refimpl.experiments._threads import single_thread
from refimpl.nn import Seq2Seq

__all__ = ["REVERSAL_LENGTH", "REVERSAL_VOCAB", "reversal_alignment"]

REVERSAL_VOCAB = 10  #: source tokens 0..9; the target start token is 10
REVERSAL_LENGTH = 8


def _batch(generator: torch.Generator, size: int) -> tuple[torch.Tensor, ...]:
    source = torch.randint(REVERSAL_VOCAB, (size, REVERSAL_LENGTH), generator=generator)
    target = source.flip(1)
    start = torch.full((size, 1), REVERSAL_VOCAB)
    return source, torch.cat([start, target[:, :-1]], 1), target


@functools.cache
@single_thread()
def reversal_alignment(steps: int = 200, seed: int = 0) -> dict[str, np.ndarray | float]:
    """Train on reversal; return one test example's alignment, its tokens and the accuracy.

    Returns:
        `alignment` `(T, S)` (the attention weights while greedily decoding a held-out
        sequence), `source`, `output` (the decoded tokens), and `accuracy`, the fraction of
        correctly reversed tokens on 256 held-out sequences.
    """
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = Seq2Seq(REVERSAL_VOCAB, REVERSAL_VOCAB + 1, 16, 32)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        source, target_in, target = _batch(generator, 64)
        logits, _ = model(source, target_in)
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), target.flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    source, _, target = _batch(generator, 256)
    output, alpha = model.greedy_decode(source, REVERSAL_VOCAB, REVERSAL_LENGTH)
    return {
        "alignment": alpha[0].numpy(),
        "source": source[0].numpy(),
        "output": output[0].numpy(),
        "accuracy": float((output == target).double().mean()),
    }
