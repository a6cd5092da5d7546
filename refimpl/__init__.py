"""Reference implementations of the models and optimizers discussed on the Inductive Bias site.

Every public class is written to be read: the equation sits above the line that computes it, and
each is tested against an independent reference (``torch.nn``, ``torch.optim``, a closed form or an
invariant). ``import refimpl`` needs only torch and NumPy; the figures in `refimpl.figures`
additionally need matplotlib.

Subpackages:
    nn: models and layers, ``torch.nn.Module`` subclasses built from primitive tensor ops.
    optim: optimizers (``torch.optim.Optimizer`` subclasses) and schedules.
    functional: the pure update rules and helpers the classes call.
    data: small synthetic data sets and test problems (no downloads).
    equilibrium: fixed-point solvers, implicit differentiation, equilibrium propagation.
    continual: continual-learning penalties (EWC).
    diagnostics: Hessian spectra, sharpness, layer statistics, loss slices, noise scale.
    train: a seeded training loop with diagnostic callbacks.
    experiments: deterministic, seeded experiments returning arrays (no plotting).
    figures: one function per figure id, returning a matplotlib Figure.
"""

from refimpl import continual, data, diagnostics, equilibrium, functional, nn, optim, train

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "continual",
    "data",
    "diagnostics",
    "equilibrium",
    "functional",
    "nn",
    "optim",
    "train",
]
