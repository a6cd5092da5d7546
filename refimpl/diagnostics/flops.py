r"""Count the floating-point operations of a computation or of one optimizer step.

A deterministic measure of cost: the same code on the same shapes gives the same count on every
machine and every run, unlike wall-clock time. ``count_flops`` runs a function under
``torch.utils.flop_counter.FlopCounterMode`` with ``FLOP_FORMULAS`` added to its registry;
``step_flops`` counts one ``optimizer.step(closure)``, the closure's forward and backward
passes included.

What is counted (a multiply and an add are two flops):

* matrix products, by PyTorch's own formulas: ``mm``, ``addmm``, ``bmm``, ``baddbmm`` (and
  ``einsum`` and ``matmul``, which reach them) cost $2mnk$ for an $m\times k$ times $k\times n$
  product, convolutions likewise; ``mv`` and ``dot`` are added here at $2mn$ and $2n$;
* dense factorisations and solves, added here at the leading term of the textbook count for an
  $n\times n$ matrix and $k$ right-hand sides (see ``FLOP_FORMULAS``);
* elementwise arithmetic, added here: one flop per output element for $+$, $-$, $\times$,
  $\div$, negation, reciprocal, square root, exponential, logarithm and power, two for the fused
  ``addcmul``, ``addcdiv`` and ``lerp``, in their in-place and ``_foreach_`` forms too, and one
  per input element for the reductions ``sum`` and ``mean`` (two for a vector norm).

Not counted: data movement (views, copies, ``cat``, ``stack``, ``eye``), comparisons (ReLU and
its backward, clamping) and the fused log-softmax and negative log-likelihood kernels of the
cross-entropy, $O(NK)$ for $N$ examples and $K$ classes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.utils.flop_counter import FlopCounterMode

__all__ = ["FLOP_FORMULAS", "count_flops", "step_flops"]

aten = torch.ops.aten


def _numel(shape: Any) -> int:
    """Elements of a shape, or the sum over a list of shapes (the ``_foreach_`` ops)."""
    if isinstance(shape, torch.Size):
        return shape.numel()
    if isinstance(shape, Sequence):
        return sum(_numel(s) for s in shape)
    return 1  # a Python scalar


def _elementwise(per_element: int) -> Callable[..., int]:
    """``per_element`` flops per element of the output (of ``self`` for in-place ``_foreach_``)."""

    def formula(*args: Any, out_shape: Any = None, **kwargs: Any) -> int:
        # in-place _foreach_ ops return nothing: they write into their first argument
        shape = args[0] if out_shape is None or out_shape == [] else out_shape
        return per_element * _numel(shape)

    return formula


def _reduction(per_element: int) -> Callable[..., int]:
    """``per_element`` flops per element of the input."""

    def formula(self_shape: Any, *args: Any, out_shape: Any = None, **kwargs: Any) -> int:
        return per_element * _numel(self_shape)

    return formula


def _mv(a: torch.Size, x: torch.Size, out_shape: Any = None, **kwargs: Any) -> int:
    m, n = a
    return 2 * m * n


def _dot(x: torch.Size, y: torch.Size, out_shape: Any = None, **kwargs: Any) -> int:
    return 2 * x[0]


def _batch(shape: torch.Size) -> int:
    return math.prod(shape[:-2])


# Dense linear algebra: leading terms of the standard counts for an n×n matrix A and k
# right-hand sides, from G. H. Golub and C. F. Van Loan, Matrix Computations, 4th ed. (2013),
# and the flop counts of the LAPACK routines that PyTorch calls (LAPACK Working Note 41).


def _eigh(a: torch.Size, uplo: str = "L", compute_v: bool = True, **kwargs: Any) -> int:
    # Symmetric QR algorithm (Householder tridiagonalisation, then implicit QR steps), Golub &
    # Van Loan §8.3: about 4n³/3 flops for the eigenvalues alone, about 9n³ with the
    # eigenvectors (the orthogonal factor accumulated).
    n = a[-1]
    return _batch(a) * (9 * n**3 if compute_v else 4 * n**3 // 3)


def _solve(a: torch.Size, b: torch.Size, *args: Any, out_shape: Any = None, **kwargs: Any) -> int:
    # LU with partial pivoting 2n³/3 (Golub & Van Loan §3.4), then a forward and a back
    # substitution, n² each per right-hand side (§3.1): 2n³/3 + 2n²k.
    n = a[-1]
    return _batch(a) * 2 * n**3 // 3 + 2 * n * _numel(out_shape[0])  # result: k columns of n


def _cholesky(a: torch.Size, *args: Any, **kwargs: Any) -> int:
    # Cholesky factorisation A = LLᵀ: n³/3 (Golub & Van Loan §4.2).
    n = a[-1]
    return _batch(a) * n**3 // 3


def _cholesky_solve(b: torch.Size, l_shape: torch.Size, *args: Any, **kwargs: Any) -> int:
    # Two triangular solves with the Cholesky factor, n² each per right-hand side: 2n²k.
    n = l_shape[-1]
    return 2 * n * _numel(b)


def _inverse(a: torch.Size, *args: Any, **kwargs: Any) -> int:
    # LU 2n³/3, then the inverse from the factors 4n³/3 (LAPACK getrf + getri): 2n³.
    n = a[-1]
    return _batch(a) * 2 * n**3


def _triangular_solve(b: torch.Size, a: torch.Size, *args: Any, **kwargs: Any) -> int:
    # Forward or back substitution, n² per right-hand side (Golub & Van Loan §3.1): n²k.
    return a[-1] * _numel(b)


def _solve_triangular(a: torch.Size, b: torch.Size, *args: Any, **kwargs: Any) -> int:
    return a[-1] * _numel(b)


def _ops(*names: str) -> list[Any]:
    """The ``aten`` packets of ``names``, with their in-place and ``_foreach_`` forms."""
    out = []
    for name in names:
        for variant in (name, f"{name}_", f"_foreach_{name}", f"_foreach_{name}_"):
            if hasattr(aten, variant):
                out.append(getattr(aten, variant))
    return out


FLOP_FORMULAS: dict[Any, Callable[..., int]] = {
    aten.mv: _mv,
    aten.dot: _dot,
    aten._linalg_eigh: _eigh,
    aten._linalg_solve_ex: _solve,
    aten.linalg_cholesky_ex: _cholesky,
    aten.cholesky_solve: _cholesky_solve,
    aten.linalg_inv_ex: _inverse,
    aten.triangular_solve: _triangular_solve,
    aten.linalg_solve_triangular: _solve_triangular,
    **dict.fromkeys(
        _ops("add", "sub", "mul", "div", "neg", "reciprocal", "sqrt", "rsqrt", "exp", "log", "pow"),
        _elementwise(1),
    ),
    **dict.fromkeys(_ops("addcmul", "addcdiv", "lerp"), _elementwise(2)),
    aten.sum: _reduction(1),
    aten.mean: _reduction(1),
    aten.linalg_vector_norm: _reduction(2),
}
"""Flop formulas added to `FlopCounterMode`'s registry (its `custom_mapping`), by aten op.

Each takes the shapes of the op's arguments (`out_shape` the output's) and returns its count:
elementwise arithmetic, reductions, `mv`/`dot`, and the factorisations and solves of the
curvature methods (Golub & Van Loan's counts).
"""


def count_flops(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, int]:
    """Run ``fn(*args, **kwargs)`` and count its floating-point operations.

    Returns:
        ``(result, flops)``: what ``fn`` returned and the count under ``FLOP_FORMULAS`` and
        PyTorch's own matrix-product formulas. Backward passes run inside ``fn`` are counted.

    Example:
        >>> a, b = torch.ones(3, 4), torch.ones(4, 5)
        >>> count_flops(torch.mm, a, b)[1]  # 2 · 3 · 4 · 5
        120
    """
    counter = FlopCounterMode(display=False, custom_mapping=FLOP_FORMULAS)
    with counter:
        result = fn(*args, **kwargs)
    return result, counter.get_total_flops()


def step_flops(optimizer: torch.optim.Optimizer, closure: Callable[[], Any]) -> tuple[Any, int]:
    """Take one step, ``optimizer.step(closure)``, and count its floating-point operations.

    Everything the step computes is counted: the closure's forward and backward passes (as many
    as the method evaluates), the curvature it builds and the linear algebra it does.

    Args:
        optimizer: any ``torch.optim.Optimizer``; the step is taken, so its parameters change.
        closure: the closure ``optimizer.step`` expects.

    Returns:
        ``(loss, flops)``: what ``step`` returned and the count (see the module docstring).
    """
    return count_flops(optimizer.step, closure)
