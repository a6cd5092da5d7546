"""Invariants of the adversarial experiment: clean accuracy at epsilon 0, monotone PGD curve."""

from __future__ import annotations

import numpy as np

from refimpl.experiments import adversarial as adv


def test_accuracy_at_zero_epsilon_is_the_clean_accuracy():
    r = adv.accuracy_curves()
    assert r.epsilons[0] == 0.0
    assert r.clean > 0.95  # the task is learnt
    for curve in (r.fgsm, r.pgd, r.random):
        assert curve[0] == r.clean


def test_pgd_accuracy_is_non_increasing_and_below_fgsm_and_random():
    r = adv.accuracy_curves()
    assert np.all(np.diff(r.pgd) <= 0)
    assert np.all(r.pgd <= r.fgsm)
    assert np.all(r.fgsm <= r.random)
    assert r.pgd[-1] < 0.05 and r.random[-1] > 0.9


def test_fgsm_example_is_fooled():
    r = adv.accuracy_curves()
    before, after = r.example_labels
    assert before != after
    np.testing.assert_allclose(np.abs(r.example[1]).max(), r.example_epsilon, rtol=1e-6)


def test_saliency_attack_keeps_labels_and_beats_random_noise():
    r = adv.saliency_fragility()
    np.testing.assert_array_equal(r.kept_attack, 1.0)
    assert np.all(r.topk_attack < r.topk_random)
    assert np.all(r.spearman_attack < r.spearman_random)
    assert r.example_topk[1] < r.example_topk[0]
