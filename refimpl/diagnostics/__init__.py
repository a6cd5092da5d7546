"""Diagnostics for training: curvature, layer statistics, loss landscapes, linear regions, noise.

Every tool works on an ordinary `torch.nn.Module` and its parameters, and each is tested against
an exact computation on small models (the full Hessian by autograd, `torch.linalg.eigh`, the
analytic breakpoints of a one-hidden-layer ReLU network).

Modules:
    hessian: Hessian-vector products, the top eigenvalue (sharpness) by power iteration, the
        spectrum and the index by Lanczos.
    statistics: per-layer activation statistics (dead units, saturation) and gradient norms.
    landscape: the loss along a line and on a 2-D slice, with filter-normalised directions.
    linear_regions: activation patterns and the number of linear regions of a ReLU network.
    noise_scale: per-example gradients and the gradient noise scale.
    flops: floating-point operation counts of a computation or of one optimizer step.
    saliency: gradient saliency maps, top-k intersection, rank correlation and the top-k attack.
"""

from refimpl.diagnostics.flops import FLOP_FORMULAS, count_flops, step_flops
from refimpl.diagnostics.hessian import (
    HessianOperator,
    LanczosResult,
    hessian_index,
    hessian_spectrum,
    hvp,
    lanczos,
    top_hessian_eigenvalue,
)
from refimpl.diagnostics.landscape import loss_along_line, loss_surface, random_direction
from refimpl.diagnostics.linear_regions import (
    RegionCount,
    activation_patterns,
    count_regions_along_line,
    count_regions_on_plane,
)
from refimpl.diagnostics.noise_scale import (
    noise_scale_from_batches,
    per_example_gradients,
    simple_noise_scale,
)
from refimpl.diagnostics.saliency import (
    gradient_saliency,
    spearman_correlation,
    topk_intersection,
    topk_saliency_attack,
)
from refimpl.diagnostics.statistics import (
    ActivationMonitor,
    ActivationStats,
    GradientStats,
    activation_statistics,
    gradient_statistics,
    saturation_mask,
)

__all__ = [
    "FLOP_FORMULAS",
    "ActivationMonitor",
    "ActivationStats",
    "GradientStats",
    "HessianOperator",
    "LanczosResult",
    "RegionCount",
    "activation_patterns",
    "activation_statistics",
    "count_flops",
    "count_regions_along_line",
    "count_regions_on_plane",
    "gradient_saliency",
    "gradient_statistics",
    "hessian_index",
    "hessian_spectrum",
    "hvp",
    "lanczos",
    "loss_along_line",
    "loss_surface",
    "noise_scale_from_batches",
    "per_example_gradients",
    "random_direction",
    "saturation_mask",
    "simple_noise_scale",
    "spearman_correlation",
    "step_flops",
    "top_hessian_eigenvalue",
    "topk_intersection",
    "topk_saliency_attack",
]
