r"""Image captioning: a CNN encoder and an LSTM decoder, with and without soft attention.

`ConvEncoder` turns an image into a grid of $L$ annotation vectors $a_1, \dots, a_L$: a
convolution whose stride equals its kernel (one output per image cell), a 1×1 convolution, and
ReLUs; two coordinate channels are appended to the image so that a feature also says *where* it
is. Two decoders read them.

`ShowAndTell` (Vinyals et al. 2015) feeds the image once, as the LSTM's first input, and then
the caption words $S_0 = \langle\mathrm{start}\rangle, S_1, \dots$:

$$
x_{-1} = W_I\,\mathrm{vec}(a), \qquad x_t = W_e S_t, \qquad
h_t = \mathrm{LSTM}(x_t, h_{t-1}), \qquad p_{t+1} = \mathrm{softmax}(W_o h_t + b_o).
$$

`ShowAttendTell` (Xu et al. 2015, "soft" attention) instead looks at the grid before every
word, with an additive score as in Bahdanau et al. (2015):

$$
e_{ti} = v^\top \tanh(W h_{t-1} + U a_i), \quad
\alpha_{t} = \mathrm{softmax}(e_{t}), \quad
\hat z_t = \beta_t \sum_i \alpha_{ti} a_i, \quad \beta_t = \sigma(w_\beta^\top h_{t-1} + b_\beta),
$$

$$
h_t = \mathrm{LSTM}([E y_{t-1}; \hat z_t], h_{t-1}), \qquad
p(y_t) = \mathrm{softmax}\big(L_o(E y_{t-1} + L_h h_t + L_z \hat z_t)\big),
$$

with $h_0, c_0 = \tanh(W_{h,c}\, \bar a + b_{h,c})$, $\bar a$ the mean annotation. Reading list:
`vinyals2015showtell`, `xu2015showattend`, `bahdanau2015`.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from refimpl.functional.init import kaiming_normal_
from refimpl.nn.conv import Conv2d
from refimpl.nn.linear import Linear
from refimpl.nn.lstm import LSTM
from refimpl.nn.seq2seq import additive_attention

__all__ = ["ConvEncoder", "ShowAndTell", "ShowAttendTell"]

State = tuple[Tensor, Tensor]  # (h, c), each (1, B, H)


class ConvEncoder(nn.Module):
    r"""A cell-wise convolution and a 1×1 convolution with ReLUs: image → annotations $a_i$.

    Args:
        in_channels: image channels (two coordinate channels are added to these).
        channels: $D$, the width of an annotation vector.
        pool: the cell size: the first convolution's kernel and stride; an $H \times W$ image
            gives $L = (H / \mathrm{pool}) (W / \mathrm{pool})$ annotations.
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        in_channels: int = 3,
        channels: int = 32,
        pool: int = 6,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        f: dict[str, Any] = {"device": device, "dtype": dtype}
        self.conv1 = Conv2d(in_channels + 2, channels, pool, stride=pool, **f)  # one per cell
        self.conv2 = Conv2d(channels, channels, 1, **f)
        self.channels = channels
        self.reset_parameters()

    def reset_parameters(self) -> None:
        r"""He initialisation, $W \sim \mathcal N(0, 2 / n_{\mathrm{in}})$, and zero biases.

        torch's default convolution initialisation is about three times smaller; with it the
        features of the few non-empty cells are so weak that the decoders first learn to ignore
        the image.
        """
        for conv in (self.conv1, self.conv2):
            kaiming_normal_(conv.weight, nonlinearity="relu")
            nn.init.zeros_(conv.bias)

    def forward(self, images: Tensor) -> Tensor:
        """Annotations `(B, L, D)` of images `(B, C, H, W)`, in row-major grid order."""
        B, _, H, W = images.shape
        # two channels with the pixel's row and column in [-1, 1]
        rows = torch.linspace(-1, 1, H, device=images.device, dtype=images.dtype)
        cols = torch.linspace(-1, 1, W, device=images.device, dtype=images.dtype)
        grid = torch.stack(torch.meshgrid(rows, cols, indexing="ij"))  # (2, H, W)
        x = torch.cat([images, grid.expand(B, -1, -1, -1)], dim=1)  # (B, C + 2, H, W)
        x = torch.relu(self.conv2(torch.relu(self.conv1(x))))  # (B, D, H / pool, W / pool)
        return x.flatten(2).transpose(1, 2)  # (B, L, D)


class ShowAndTell(nn.Module):
    r"""CNN encoder, image fed once as the LSTM's first input (Vinyals et al. 2015).

    Args:
        vocab_size: number of tokens $V$ (including start and end tokens).
        embedding_size: $E$, the size of word embeddings and of the image embedding.
        hidden_size: $H$, the LSTM size.
        grid_size: $L$, the number of annotations the encoder produces.
        channels: $D$, the encoder width.
        pool: the encoder's cell size.
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        vocab_size: int,
        embedding_size: int,
        hidden_size: int,
        grid_size: int,
        channels: int = 32,
        pool: int = 6,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        f: dict[str, Any] = {"device": device, "dtype": dtype}
        self.encoder = ConvEncoder(3, channels, pool, **f)
        self.image_embedding = Linear(grid_size * channels, embedding_size, **f)  # W_I
        self.embedding = nn.Embedding(vocab_size, embedding_size, **f)  # W_e
        self.decoder = LSTM(embedding_size, hidden_size, batch_first=True, **f)
        self.readout = Linear(hidden_size, vocab_size, **f)  # W_o, b_o

    def image_state(self, images: Tensor) -> State:
        """The LSTM state after reading $x_{-1} = W_I\\,\\mathrm{vec}(a)$."""
        x_image = self.image_embedding(self.encoder(images).flatten(1))  # (B, E)
        _, state = self.decoder(x_image[:, None, :])
        return state

    # --8<-- [start:show-and-tell]
    def forward(self, images: Tensor, tokens_in: Tensor) -> Tensor:
        """Teacher-forced logits `(B, T, V)` for $S_1..S_T$ from $S_0..S_{T-1}$ `(B, T)`."""
        # x_{-1} = W_I vec(CNN(I)): the image is the first input, and only that once
        x_image = self.image_embedding(self.encoder(images).flatten(1))  # (B, E)
        # x_t = W_e S_t for t = 0 .. T-1, after the image: (B, T + 1, E)
        inputs = torch.cat([x_image[:, None, :], self.embedding(tokens_in)], dim=1)
        hidden, _ = self.decoder(inputs)  # (B, T + 1, H)
        # p_{t+1} = softmax(W_o h_t + b_o): the output after the image predicts nothing
        return self.readout(hidden[:, 1:])  # (B, T, V)

    # --8<-- [end:show-and-tell]

    def step(self, token: Tensor, state: State) -> tuple[Tensor, State]:
        """One decoding step: logits `(B, V)` for the next word after `token` `(B,)`."""
        hidden, state = self.decoder(self.embedding(token)[:, None, :], state)
        return self.readout(hidden[:, 0]), state

    @torch.no_grad()
    def greedy_decode(self, images: Tensor, start: int, steps: int) -> tuple[Tensor, Tensor]:
        """Feed back the most likely word; returns the tokens and the logits `(B, steps, V)`."""
        state = self.image_state(images)
        token = torch.full((images.shape[0],), start, dtype=torch.long, device=images.device)
        tokens, logits = [], []
        for _ in range(steps):
            step_logits, state = self.step(token, state)
            token = step_logits.argmax(-1)
            tokens.append(token)
            logits.append(step_logits)
        return torch.stack(tokens, 1), torch.stack(logits, 1)


class ShowAttendTell(nn.Module):
    r"""CNN encoder and an LSTM decoder with soft attention over the grid (Xu et al. 2015).

    Args:
        vocab_size: number of tokens $V$.
        embedding_size: $E$, the word-embedding size (and of the deep output layer).
        hidden_size: $H$, the LSTM size.
        attention_size: $A$, the size of the space where $W h$ and $U a_i$ are added.
        channels: $D$, the annotation width.
        pool: the encoder's cell size.
        device: where to create the parameters.
        dtype: their dtype.
    """

    def __init__(
        self,
        vocab_size: int,
        embedding_size: int,
        hidden_size: int,
        attention_size: int = 32,
        channels: int = 32,
        pool: int = 6,
        device: torch.device | str | None = None,
        dtype: torch.dtype | None = None,
    ) -> None:
        super().__init__()
        f: dict[str, Any] = {"device": device, "dtype": dtype}
        E, H, A, D = embedding_size, hidden_size, attention_size, channels
        self.encoder = ConvEncoder(3, D, pool, **f)
        self.embedding = nn.Embedding(vocab_size, E, **f)  # E
        self.init_h, self.init_c = Linear(D, H, **f), Linear(D, H, **f)
        self.query = Linear(H, A, bias=False, **f)  # W
        self.key = Linear(D, A, **f)  # U
        self.score = Linear(A, 1, bias=False, **f)  # v
        self.gate = Linear(H, 1, **f)  # w_β, b_β
        self.decoder = LSTM(E + D, H, batch_first=True, **f)
        self.out_h, self.out_z = Linear(H, E, **f), Linear(D, E, **f)  # L_h, L_z
        self.out = Linear(E, vocab_size, **f)  # L_o

    def encode(self, images: Tensor) -> tuple[Tensor, Tensor, State]:
        """Annotations `(B, L, D)`, their keys $U a_i$ `(B, L, A)` and the initial state."""
        a = self.encoder(images)
        mean = a.mean(1)  # ā, (B, D)
        state = (torch.tanh(self.init_h(mean))[None], torch.tanh(self.init_c(mean))[None])
        return a, self.key(a), state

    # --8<-- [start:attend-step]
    def step(
        self, token: Tensor, state: State, annotations: Tensor, keys: Tensor
    ) -> tuple[Tensor, State, Tensor]:
        """One step: logits `(B, V)` for the word after `token`, the new state, $\\alpha_t$."""
        h = state[0][0]  # h_{t-1}, (B, H)
        # e_ti = v^T tanh(W h_{t-1} + U a_i), α_t = softmax(e_t), z_t = Σ_i α_ti a_i
        z, alpha = additive_attention(h, annotations, self.query, keys, self.score)
        # ẑ_t = β_t z_t with the gate β_t = σ(w_β^T h_{t-1} + b_β)
        z = torch.sigmoid(self.gate(h)) * z  # (B, D)
        y = self.embedding(token)  # E y_{t-1}, (B, E)
        # h_t = LSTM([E y_{t-1}; ẑ_t], h_{t-1})
        hidden, state = self.decoder(torch.cat([y, z], dim=-1)[:, None, :], state)
        # p(y_t) = softmax(L_o(E y_{t-1} + L_h h_t + L_z ẑ_t))
        logits = self.out(y + self.out_h(hidden[:, 0]) + self.out_z(z))
        return logits, state, alpha

    # --8<-- [end:attend-step]

    def forward(self, images: Tensor, tokens_in: Tensor) -> tuple[Tensor, Tensor]:
        """Teacher-forced logits `(B, T, V)` and attention weights `(B, T, L)`."""
        annotations, keys, state = self.encode(images)
        logits, alphas = [], []
        for token in tokens_in.unbind(1):  # (B,) per step
            step_logits, state, alpha = self.step(token, state, annotations, keys)
            logits.append(step_logits)
            alphas.append(alpha)
        return torch.stack(logits, 1), torch.stack(alphas, 1)

    @torch.no_grad()
    def greedy_decode(
        self, images: Tensor, start: int, steps: int
    ) -> tuple[Tensor, Tensor, Tensor]:
        """Feed back the most likely word; returns tokens, logits `(B, steps, V)` and weights."""
        annotations, keys, state = self.encode(images)
        token = torch.full((images.shape[0],), start, dtype=torch.long, device=images.device)
        tokens, logits, alphas = [], [], []
        for _ in range(steps):
            step_logits, state, alpha = self.step(token, state, annotations, keys)
            token = step_logits.argmax(-1)
            tokens.append(token)
            logits.append(step_logits)
            alphas.append(alpha)
        return torch.stack(tokens, 1), torch.stack(logits, 1), torch.stack(alphas, 1)
