"""The attention experiments: FLOP counts of our code match the closed forms; data are sane."""

from __future__ import annotations

import numpy as np
import pytest

from refimpl.experiments import attention as att
from refimpl.experiments import gtrxl, rims, transformers_as_gnns
from refimpl.experiments.linear_attention import attention_costs, counted_flops


@pytest.mark.parametrize("length", [64, 192, 512])
def test_counted_flops_match_the_closed_forms(length: int):
    costs = attention_costs(lengths=(length,), dim=32, chunk=64)
    assert counted_flops("softmax", length, 32) == costs["softmax_formula"][0]
    assert counted_flops("linear", length, 32, chunk=64) == costs["linear_formula"][0]


def test_cost_slopes_and_crossover():
    c = attention_costs()
    slope = np.diff(np.log(c["softmax_formula"])) / np.diff(np.log(c["T"]))
    np.testing.assert_allclose(slope, 2.0)
    cheaper = c["linear_formula"] < c["softmax_formula"]
    assert not cheaper[c["T"] < 128].any() and cheaper[c["T"] > 128].all()  # T* = C + d


def test_positional_similarity_depends_on_offset_only():
    _, gram = att.positional_similarity(length=32, dim=16)
    for k in range(5):
        diag = np.diagonal(gram, offset=k)
        np.testing.assert_allclose(diag, diag[0], atol=1e-12)


def test_scaling_keeps_softmax_entropy_flat():
    ent = att.softmax_entropy(dims=(4, 256), trials=50)
    assert ent["unscaled"][1] < 0.2 < ent["unscaled"][0]
    assert abs(ent["scaled"][1] - ent["scaled"][0]) < 0.05


def test_gtrxl_deviation_follows_the_gate():
    r = gtrxl.identity_deviation(gate_biases=(2.0, 6.0, 10.0), seeds=1, d_model=16)
    assert r["gated"][0] > r["gated"][1] > r["gated"][2]
    ratio = r["gated"][1] / r["gated"][2]
    assert 20 < ratio < 120  # σ(−6)/σ(−10) ≈ 54


def test_rims_activity_has_exactly_k_movers():
    r = rims.rims_activity(steps=12)
    assert (r["active"].sum(0) == 2).all()
    assert (r["change"][~r["active"]] == 0).all()


def test_equivariance_errors_and_graph_weights():
    e = transformers_as_gnns.equivariance_errors(permutations=3)
    assert e["without"].max() < 1e-12 and e["with"].min() > 1e-2
    w = transformers_as_gnns.graph_attention_weights()
    assert float(w["complete_vs_sdpa"]) < 1e-12
    for kind in ("complete", "causal", "ring"):
        np.testing.assert_allclose(w[kind].sum(1), 1.0)
    assert (np.triu(w["causal"], 1) == 0).all()
