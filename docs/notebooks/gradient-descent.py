# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Gradient descent on an ill-conditioned quadratic
#
# This notebook accompanies the *Gradient descent* page (Optimization section). We take a
# two-dimensional quadratic bowl whose curvature differs by a factor $\kappa = 20$ between its
# two principal directions, run gradient descent on it with `refimpl.optim.SGD` (a drop-in
# replacement for `torch.optim.SGD`), and check the page's claims numerically:
#
# 1. the iterates follow the closed form
#    $\theta_t = \theta^\star + (I - \gamma A)^t(\theta_0 - \theta^\star)$;
# 2. the run converges exactly when $0 < \gamma < 2/\lambda_{\max}$;
# 3. the best constant step $\gamma^\star = 2/(\lambda_{\min} + \lambda_{\max})$ shrinks the error
#    by $(\kappa - 1)/(\kappa + 1)$ per step;
# 4. the same limit holds for a linear model trained on data, whose loss *is* a quadratic.
#
# Everything runs on the CPU in a few seconds.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

from refimpl.data import Quadratic, ill_conditioned_quadratic, linear_regression_data
from refimpl.experiments import gradient_descent as gd
from refimpl.optim import SGD

torch.set_printoptions(precision=4)

# %% [markdown]
# ## The problem
#
# $L(\theta) = \tfrac12 \theta^\top A \theta - b^\top\theta + c$ with eigenvalues $1$ and $20$,
# its axes tilted by 30°, and its minimum placed at $\theta^\star = (1, -0.5)$.

# %%
problem = ill_conditioned_quadratic(condition_number=20.0, minimiser=[1.0, -0.5])
lam_min, lam_max = problem.lambda_min, problem.lambda_max
print("A =\n", problem.A)
print(f"eigenvalues: {lam_min:.3f}, {lam_max:.3f}   condition number: {problem.condition_number:.1f}")
print(f"stability limit 2/λmax = {2 / lam_max:.4f}")
print(f"optimal step 2/(λmin+λmax) = {gd.optimal_step_size(problem):.4f}")
print(f"predicted contraction (κ-1)/(κ+1) = {gd.optimal_rate(problem):.4f}")

# %% [markdown]
# ## A training loop, written out
#
# Gradient descent is `SGD` with `momentum=0` and the full gradient. The loop below is the
# usual PyTorch loop: zero the gradient, evaluate the loss, backpropagate, step.

# %%
gamma = gd.optimal_step_size(problem)
theta0 = torch.tensor([-3.0, 1.0], dtype=torch.float64)

theta = torch.nn.Parameter(theta0.clone())
opt = SGD([theta], lr=gamma)  # swap in torch.optim.SGD and nothing changes
path = [theta.detach().clone()]
for t in range(40):
    opt.zero_grad()
    loss = problem.loss(theta)
    loss.backward()
    opt.step()
    path.append(theta.detach().clone())
path = torch.stack(path).numpy()
print("last iterate:", path[-1], "  minimiser:", problem.minimiser.numpy())

# %% [markdown]
# The closed form needs no simulation: $e_t = (I - \gamma A)^t e_0$ with $e_t = \theta_t - \theta^\star$.
# We evaluate it with plain matrix powers and compare.

# %%
A = problem.A.numpy()
theta_star = problem.minimiser.numpy()
M = np.eye(2) - gamma * A
closed = np.stack(
    [theta_star + np.linalg.matrix_power(M, t) @ (theta0.numpy() - theta_star) for t in range(41)]
)
print(f"largest difference from the closed form: {np.abs(path - closed).max():.2e}")

errors = np.linalg.norm(path - theta_star, axis=1)
print("error ratio per step:", np.round(errors[1:6] / errors[:5], 6))
print(f"(κ-1)/(κ+1)        : {gd.optimal_rate(problem):.6f}")

# %% [markdown]
# In two dimensions with the optimal step, *both* eigen-directions shrink by the same factor
# (one of them flipping sign every step), so the error norm falls by exactly
# $(\kappa - 1)/(\kappa + 1) \approx 0.905$ per step.
#
# ## Three step sizes on the contour plot

# %%
x, y = np.meshgrid(np.linspace(-4.5, 5.5, 200), np.linspace(-4.5, 3.5, 200))
grid = torch.tensor(np.stack([x, y], axis=-1))
z = problem.suboptimality(grid).numpy()

fig, axes = plt.subplots(1, 3, figsize=(12, 4), sharex=True, sharey=True)
for ax, ratio in zip(axes, [0.1, lam_max / (lam_min + lam_max), 1.04]):
    lr = ratio * 2 / lam_max
    steps = 25 if ratio < 1 else 8  # the diverging run leaves the frame quickly
    run = gd.gd_trajectory(problem, lr, steps, theta0)
    ax.contour(x, y, z, levels=0.5 * 2.0 ** np.arange(-3, 8), colors="grey", linewidths=0.6)
    ax.plot(run.iterates[:, 0], run.iterates[:, 1], "o-", ms=3)
    ax.plot(*theta_star, "k*", ms=10)
    ax.set(xlim=(-4.5, 5.5), ylim=(-4.5, 3.5), aspect="equal",
           title=f"γ = {ratio:.2f} · 2/λmax\nexcess loss after {steps} steps: {run.suboptimality[-1]:.1e}")
plt.show()

# %% [markdown]
# ## Sweeping the step size across the stability limit
#
# For each $\gamma$ we run 150 steps and record the final excess loss. The curve falls as
# $\gamma$ grows, reaches its minimum at $\gamma^\star$, and explodes once $\gamma$ passes
# $2/\lambda_{\max}$ (the dashed line).

# %%
ratios = np.linspace(0.02, 1.1, 55)
final = [
    gd.gd_trajectory(problem, r * 2 / lam_max, 150, theta0).suboptimality[-1] for r in ratios
]
predicted = gd.contraction_factor([lam_min, lam_max], ratios * 2 / lam_max)

fig, ax = plt.subplots(figsize=(6.4, 4))
ax.semilogy(ratios, final, "o-", ms=3, label="excess loss after 150 steps")
ax.semilogy(ratios, final[0] * (predicted / predicted[0]) ** 300, "--",
            label=r"$\propto \rho(\gamma)^{2T}$ (prediction)")
ax.axvline(1.0, color="k", ls="--", lw=0.8)
ax.axvline(lam_max / (lam_min + lam_max), color="g", ls=":", lw=1.2)
ax.set(xlabel=r"$\gamma \,/\, (2/\lambda_{\max})$", ylabel=r"$L(\theta_T) - L(\theta^\star)$")
ax.legend()
plt.show()

# %% [markdown]
# The loss decays like $\rho(\gamma)^{2t}$ (squared, because the loss is quadratic in the
# error), so the dashed prediction, anchored at the first point, tracks the measured curve.
#
# ## The same limit on a real model
#
# A linear model trained with the mean squared error has the loss
# $\frac{1}{2n}\|X\theta - y\|^2$, a quadratic with Hessian $X^\top X/n$. Its largest eigenvalue
# gives the largest learning rate that works. We train a `torch.nn.Linear` layer just below and
# just above that limit.

# %%
X, y, w_true = linear_regression_data(num_samples=256, dim=5, noise=0.1, seed=0)
X = X * torch.tensor([1.0, 1.0, 2.0, 4.0, 0.5], dtype=torch.float64)  # unequal feature scales
ls_problem = Quadratic.from_least_squares(X, y)
limit = 2 / ls_problem.lambda_max
print(f"Hessian eigenvalues: {ls_problem.eigenvalues.numpy().round(3)}")
print(f"κ = {ls_problem.condition_number:.1f},  largest stable learning rate 2/λmax = {limit:.4f}")

for factor in (0.95, 1.05):
    torch.manual_seed(0)
    model = torch.nn.Linear(5, 1, bias=False).double()
    opt = SGD(model.parameters(), lr=factor * limit)
    for step in range(300):
        opt.zero_grad()
        loss = 0.5 * ((model(X).squeeze(-1) - y) ** 2).mean()
        loss.backward()
        opt.step()
    print(f"lr = {factor:.2f} · 2/λmax: loss after 300 steps = {loss.item():.3e}")

# %% [markdown]
# Just below the limit training converges (slowly: the condition number is large); just above
# it the loss blows up. Feature scaling changes the Hessian's eigenvalues and therefore the
# usable learning rate, which is one reason inputs are normalised before training.
#
# **Try it:** raise the condition number to 100 and see how the best achievable rate
# $(\kappa-1)/(\kappa+1)$ approaches 1; or pass `momentum=0.9` to `SGD` in the first loop and
# compare the path with plain gradient descent.
