r"""Saddle-free Newton (Dauphin et al. 2014), a ``torch.optim.Optimizer`` subclass.

Newton's step rescales the gradient by $H^{-1}$; along an eigenvector of negative curvature
that flips its sign and the step climbs towards the saddle. Saddle-free Newton rescales by the
inverse of $|H| = \sum_i |\lambda_i| v_i v_i^\top$ instead,

$$
\theta_{t+1} = \theta_t - \gamma\,(|H| + \eta I)^{-1}\nabla L(\theta_t),
$$

keeping Newton's per-direction step length $1/|\lambda_i|$ but always moving downhill, so
saddles repel it. The paper derives $|H|$ as the minimiser of a first-order model inside a
trust region measured by the second-order change of the loss, and approximates it in a Krylov
subspace for large networks; here the full Hessian is decomposed, for small models.
Reading list: ``dauphin2014``.
"""

from __future__ import annotations

from torch import Tensor

from refimpl.functional.second_order import saddle_free_newton_direction
from refimpl.optim.newton import Newton, Params

__all__ = ["SaddleFreeNewton"]


class SaddleFreeNewton(Newton):
    r"""Saddle-free Newton: $\theta \leftarrow \theta - \gamma(|H| + \eta I)^{-1}\nabla L$.

    Same closure convention as ``Newton``: ``step(closure)`` with a closure that returns the
    loss. Where the Hessian is positive definite and $\eta = 0$ the step equals Newton's.

    Args:
        params: parameters to optimise, or dicts defining parameter groups.
        lr: step size $\gamma$ (default ``1.0``).
        damping: $\eta \ge 0$ added to every $|\lambda_i|$ (default ``0.0``); shared by all
            groups. Needed where the Hessian is (nearly) singular.
    """

    def __init__(self, params: Params, lr: float = 1.0, damping: float = 0.0) -> None:
        if damping < 0.0:
            raise ValueError(f"Invalid damping: {damping}")
        super().__init__(params, lr=lr, damping=damping)

    def _direction(self, grad: Tensor, hessian: Tensor) -> Tensor:
        return saddle_free_newton_direction(grad, hessian, self._shared("damping"))
