r"""Linear state-space models: discretisation, the recurrent view and the convolutional view.

A continuous-time SSM maps an input $u(t)$ to an output $y(t)$ through a state $x(t)$,

$$
x'(t) = A x(t) + B u(t), \qquad y(t) = C x(t) + D u(t).
$$

With a step $\Delta$ it becomes the linear recurrence $x_k = \bar A x_{k-1} + \bar B u_k$,
$y_k = C x_k + D u_k$, where (for $\Delta$ and the three rules implemented here)

$$
\begin{aligned}
\text{forward Euler:}\quad & \bar A = I + \Delta A, & \bar B &= \Delta B, \\
\text{zero-order hold:}\quad & \bar A = e^{\Delta A}, & \bar B &= A^{-1}(e^{\Delta A} - I)B, \\
\text{bilinear:}\quad & \bar A = (I - \tfrac{\Delta}{2}A)^{-1}(I + \tfrac{\Delta}{2}A), &
  \bar B &= (I - \tfrac{\Delta}{2}A)^{-1}\Delta B .
\end{aligned}
$$

Unrolled from $x_0 = 0$ the recurrence is a causal convolution, $y = \bar K * u + Du$ with
kernel $\bar K = (C\bar B, C\bar A\bar B, \dots, C\bar A^{L-1}\bar B)$: the same model computed
step by step (constant memory per step) or all at once (parallel, by FFT). Reading list:
``gu2021s4``, ``gu2022s4d``.
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = [
    "causal_convolution",
    "discretize",
    "discretize_diagonal",
    "ssm_kernel",
    "ssm_recurrence",
]


# --8<-- [start:discretize]
def discretize(
    A: Tensor, B: Tensor, dt: float | Tensor, method: str = "zoh"
) -> tuple[Tensor, Tensor]:
    r"""$(\bar A, \bar B)$ of the continuous $(A, B)$ with step $\Delta$.

    Args:
        A: the state matrix, `(N, N)`.
        B: the input matrix, `(N, M)`.
        dt: the step $\Delta$.
        method: `"euler"` (forward Euler), `"zoh"` (zero-order hold) or `"bilinear"` (Tustin).

    Returns:
        $(\bar A, \bar B)$; $C$ and $D$ are unchanged.
    """
    I = torch.eye(A.shape[0], dtype=A.dtype, device=A.device)
    if method == "euler":
        # Ā = I + ΔA, B̄ = ΔB   (the slides' rule: one explicit Euler step of x' = Ax + Bu)
        return I + dt * A, dt * B
    if method == "zoh":
        # Ā = exp(ΔA), B̄ = A⁻¹(exp(ΔA) − I)B   (exact for inputs held constant over a step)
        A_bar = torch.linalg.matrix_exp(dt * A)
        return A_bar, torch.linalg.solve(A, (A_bar - I) @ B)
    if method == "bilinear":
        # Ā = (I − Δ/2 A)⁻¹(I + Δ/2 A), B̄ = (I − Δ/2 A)⁻¹ ΔB   (the trapezoidal rule, S4's choice)
        left = I - dt / 2 * A
        return torch.linalg.solve(left, I + dt / 2 * A), torch.linalg.solve(left, dt * B)
    raise ValueError(f"unknown discretisation {method!r}: use 'euler', 'zoh' or 'bilinear'")


# --8<-- [end:discretize]


# --8<-- [start:views]
def ssm_recurrence(A_bar: Tensor, B_bar: Tensor, C: Tensor, D: Tensor, u: Tensor) -> Tensor:
    r"""The recurrent view: $x_k = \bar A x_{k-1} + \bar B u_k$, $y_k = C x_k + D u_k$, $x_0 = 0$.

    Args:
        A_bar: `(N, N)`; B_bar: `(N, M)`; C: `(P, N)`; D: `(P, M)`.
        u: the input, `(L, M)`.

    Returns:
        $y$, `(L, P)`.
    """
    x = u.new_zeros(A_bar.shape[0], dtype=torch.promote_types(A_bar.dtype, u.dtype))
    ys = []
    for u_k in u:
        x = A_bar @ x + B_bar @ u_k  # x_k = Ā x_{k-1} + B̄ u_k
        ys.append(C @ x + D @ u_k)  # y_k = C x_k + D u_k   (the *current* state)
    return torch.stack(ys)


def ssm_kernel(A_bar: Tensor, B_bar: Tensor, C: Tensor, length: int) -> Tensor:
    r"""The convolution kernel $\bar K_j = C\bar A^{j}\bar B$, $j = 0..L-1$, shape `(L, P, M)`."""
    K, AjB = [], B_bar
    for _ in range(length):
        K.append(C @ AjB)
        AjB = A_bar @ AjB
    return torch.stack(K)


def causal_convolution(K: Tensor, u: Tensor) -> Tensor:
    r"""$y_k = \sum_{j=0}^{k} K_j u_{k-j}$ by FFT, for a kernel `(L, P, M)` and input `(L, M)`."""
    L = u.shape[0]
    n = 2 * L  # zero-pad to 2L: the circular convolution then equals the linear one
    K_f = torch.fft.fft(K, n=n, dim=0)  # (n, P, M)
    u_f = torch.fft.fft(u.to(K.dtype), n=n, dim=0)  # (n, M)
    y = torch.fft.ifft(torch.einsum("fpm,fm->fp", K_f, u_f), dim=0)[:L]  # (L, P)
    return y if K.is_complex() or u.is_complex() else y.real


# --8<-- [end:views]


# --8<-- [start:diagonal]
def discretize_diagonal(
    A: Tensor, B: Tensor, dt: Tensor, method: str = "zoh"
) -> tuple[Tensor, Tensor]:
    r"""The three rules for a diagonal $A$ (elementwise; `A`, `B`, `dt` broadcast together).

    For $A = \mathrm{diag}(a)$ the matrix formulas of `discretize` act entry by entry:
    Euler $\bar a = 1 + \Delta a$, $\bar b = \Delta b$; ZOH $\bar a = e^{\Delta a}$,
    $\bar b = (e^{\Delta a} - 1)b/a$; bilinear $\bar a = (1 + \Delta a/2)/(1 - \Delta a/2)$,
    $\bar b = \Delta b/(1 - \Delta a/2)$.
    """
    if method == "euler":
        return 1 + dt * A, dt * B
    if method == "zoh":
        A_bar = torch.exp(dt * A)
        return A_bar, (A_bar - 1) / A * B
    if method == "bilinear":
        left = 1 - dt / 2 * A
        return (1 + dt / 2 * A) / left, dt * B / left
    raise ValueError(f"unknown discretisation {method!r}: use 'euler', 'zoh' or 'bilinear'")


# --8<-- [end:diagonal]
