"""Interference experiments: the bandit's hand-written policy-gradient updates against autograd,
its plateaus, and the tug-of-war between two tasks trained jointly or in sequence."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from refimpl.experiments.continual import ray_interference, tug_of_war

F64 = torch.float64


def features(overlap: float) -> torch.Tensor:
    """The two contexts' unit feature vectors, with cosine `overlap` (rows)."""
    return torch.tensor([[1.0, 0.0], [overlap, (1 - overlap**2) ** 0.5]], dtype=F64)


@pytest.mark.parametrize("mode", ["on-policy", "decoupled"])
def test_bandit_updates_are_gradient_ascent_steps_on_their_objective(mode):
    """Recover w from p = sigmoid(A w) and compare each step with autograd's gradient."""
    lr, overlap = 0.5, -0.3
    p = torch.from_numpy(ray_interference(steps=3000, lr=lr, overlap=overlap)[mode][:40])
    a = features(overlap)
    w = torch.linalg.solve(a, torch.logit(p).T).T  # (40, 2)
    for t in range(39):
        wt = w[t].clone().requires_grad_()
        q = torch.sigmoid(a @ wt)
        # on-policy: expected reward J = (p1 + p2) / 2; decoupled: (log p1 + log p2) / 2
        objective = 0.5 * q.sum() if mode == "on-policy" else 0.5 * q.log().sum()
        (grad,) = torch.autograd.grad(objective, wt)
        torch.testing.assert_close(w[t + 1] - w[t], lr * grad, rtol=1e-8, atol=1e-10)


def test_on_policy_learning_masters_one_context_at_a_time():
    r = ray_interference()
    on, off = r["on-policy"], r["decoupled"]
    # after 300 updates: on-policy has solved context 1 only; decoupled has solved both
    assert on[300, 0] > 0.95 and on[300, 1] < 0.05
    assert off[300].min() > 0.95
    # the on-policy plateau ends eventually
    assert on[-1].min() > 0.99
    first_good = np.argmax(on[:, 1] > 0.5)
    assert first_good > 1000


def test_tug_of_war_joint_training_keeps_both_tasks_and_sequential_forgets():
    r = tug_of_war()
    half = len(r["step"]) // 2
    assert np.all(np.abs(r["cos_joint"]) <= 1) and np.all(np.abs(r["cos_seq"]) <= 1)
    assert r["cos_joint"][0] == pytest.approx(r["cos_seq"][0])  # same initial network
    # the two tasks' gradients pull against each other once training starts
    assert r["cos_joint"][5:].max() < 0
    # sequential: task A's loss rises again once task B is trained (forgetting)
    assert r["loss_seq_A"][-1] > 5 * r["loss_seq_A"][half]
    # joint: both losses fall, and task A ends far better than after the sequence
    assert r["loss_joint_A"][-1] < 0.5 * r["loss_joint_A"][0]
    assert r["loss_joint_B"][-1] < 0.5 * r["loss_joint_B"][0]
    assert r["loss_joint_A"][-1] < 0.1 * r["loss_seq_A"][-1]
