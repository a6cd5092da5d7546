r"""Encoder–decoder with additive (Bahdanau) attention: ``refimpl.nn.Seq2Seq``.

A bidirectional GRU encodes the source $x_1, \dots, x_S$ into annotations
$h_j = [\overrightarrow{h}_j; \overleftarrow{h}_j]$. A GRU decoder emits $y_1, \dots, y_T$; before
step $i$ it scores every annotation against its previous state $s_{i-1}$ and reads their
weighted sum (Bahdanau et al. 2015):

$$
e_{ij} = v^\top \tanh(W s_{i-1} + U h_j),\qquad
\alpha_{ij} = \frac{\exp e_{ij}}{\sum_k \exp e_{ik}},\qquad
c_i = \sum_j \alpha_{ij} h_j,
$$

$$
s_i = \mathrm{GRU}\big([E y_{i-1}; c_i],\ s_{i-1}\big),\qquad
\mathrm{logits}_i = W_o [s_i; c_i; E y_{i-1}] + b_o,
\qquad s_0 = \tanh(W_s \overleftarrow{h}_1).
$$

Without attention ($c_i$ fixed to the last annotation) this is the fixed-vector encoder–decoder
of Sutskever et al. (2014). The paper's readout has a maxout layer; a linear readout is used
here. Reading list: ``bahdanau2015``, ``sutskever2014seq2seq``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from refimpl.nn.gru import GRU

__all__ = ["Seq2Seq", "additive_attention"]


# --8<-- [start:attention]
def additive_attention(
    query: Tensor, keys: Tensor, W: nn.Linear, U_keys: Tensor, v: nn.Linear
) -> tuple[Tensor, Tensor]:
    r"""Bahdanau attention: $\alpha_j = \mathrm{softmax}_j\, v^\top\tanh(W s + U h_j)$.

    Args:
        query: the decoder state $s_{i-1}$, `(B, H)`.
        keys: the annotations $h_j$, `(B, S, 2H)`.
        W: the query map $W$.
        U_keys: $U h_j$ for all $j$, precomputed once per sequence, `(B, S, A)`.
        v: the scoring vector $v$ (a `Linear(A, 1)` without bias).

    Returns:
        the context $c = \sum_j \alpha_j h_j$ `(B, 2H)` and the weights $\alpha$ `(B, S)`.
    """
    scores = v(torch.tanh(W(query)[:, None, :] + U_keys)).squeeze(-1)  # e_j, (B, S)
    alpha = torch.softmax(scores, dim=-1)
    context = torch.einsum("bs,bsd->bd", alpha, keys)
    return context, alpha


# --8<-- [end:attention]


class Seq2Seq(nn.Module):
    r"""GRU encoder–decoder with additive attention (Bahdanau et al. 2015), teacher-forced.

    Args:
        source_vocab: number of source tokens.
        target_vocab: number of target tokens (including the start token).
        embedding_size: size of the token embeddings $E$.
        hidden_size: $H$, the state size of each encoder direction and of the decoder.
        attention_size: $A$, the size of the space in which $W s$ and $U h_j$ are added.
        device: where to create the parameters.
        dtype: their dtype.

    Example:
        >>> import torch
        >>> from refimpl.nn import Seq2Seq
        >>> model = Seq2Seq(10, 11, 8, 16)
        >>> logits, alpha = model(torch.randint(10, (4, 7)), torch.randint(11, (4, 5)))
        >>> logits.shape, alpha.shape
        (torch.Size([4, 5, 11]), torch.Size([4, 5, 7]))
    """

    def __init__(
        self,
        source_vocab: int,
        target_vocab: int,
        embedding_size: int,
        hidden_size: int,
        attention_size: int | None = None,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        f: dict[str, Any] = {"device": device, "dtype": dtype}
        E, H, A = embedding_size, hidden_size, attention_size or hidden_size
        self.source_embedding = nn.Embedding(source_vocab, E, **f)
        self.target_embedding = nn.Embedding(target_vocab, E, **f)
        self.encoder = GRU(E, H, batch_first=True, bidirectional=True, **f)
        self.init_state = nn.Linear(H, H, **f)  # W_s
        self.query = nn.Linear(H, A, bias=False, **f)  # W
        self.key = nn.Linear(2 * H, A, **f)  # U
        self.score = nn.Linear(A, 1, bias=False, **f)  # v
        self.decoder = GRU(E + 2 * H, H, batch_first=True, **f)
        self.readout = nn.Linear(H + 2 * H + E, target_vocab, **f)
        self.hidden_size = H

    def encode(self, source: Tensor) -> tuple[Tensor, Tensor]:
        """Annotations `(B, S, 2H)` and the initial decoder state $s_0$ `(B, H)`."""
        annotations, _ = self.encoder(self.source_embedding(source))
        backward_first = annotations[:, 0, self.hidden_size :]  # the backward RNN's h_1
        return annotations, torch.tanh(self.init_state(backward_first))

    def forward(self, source: Tensor, target_in: Tensor) -> tuple[Tensor, Tensor]:
        """Teacher-forced decoding.

        Args:
            source: token ids `(B, S)`.
            target_in: the previous target tokens $y_0, \\dots, y_{T-1}$ `(B, T)` ($y_0$ is
                the start token).

        Returns:
            logits `(B, T, V)` for $y_1, \\dots, y_T$ and the attention weights `(B, T, S)`.
        """
        annotations, s = self.encode(source)
        keys = self.key(annotations)  # U h_j, computed once
        logits, alphas = [], []
        for y_prev in self.target_embedding(target_in).unbind(1):  # (B, E) per step
            context, alpha = additive_attention(s, annotations, self.query, keys, self.score)
            step_input = torch.cat([y_prev, context], dim=-1)[:, None, :]
            _, s = self.decoder(step_input, s[None])
            s = s[0]
            logits.append(self.readout(torch.cat([s, context, y_prev], dim=-1)))
            alphas.append(alpha)
        return torch.stack(logits, 1), torch.stack(alphas, 1)

    @torch.no_grad()
    def greedy_decode(self, source: Tensor, start: int, steps: int) -> tuple[Tensor, Tensor]:
        """Feed back the most likely token for `steps` steps; returns tokens and weights."""
        tokens = torch.full((source.shape[0], 1), start, dtype=torch.long, device=source.device)
        for _ in range(steps):
            logits, alpha = self(source, tokens)
            tokens = torch.cat([tokens, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
        return tokens[:, 1:], alpha
