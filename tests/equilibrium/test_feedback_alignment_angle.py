"""Feedback alignment learns to align with backprop (catalog validation for weight transport).

With fixed random feedback weights the hidden-layer update starts at an arbitrary angle to the
true gradient; training the forward weights brings them into alignment with the feedback, and
the angle falls below 90° (Lillicrap et al. 2016). Here the angle is recomputed from the
experiment's record and must end well below 90° and below where it started.
"""

from __future__ import annotations

import numpy as np

from refimpl.experiments.bioplausible import credit_assignment_comparison


def test_fa_update_angle_falls_below_ninety_degrees() -> None:
    angles = np.asarray(credit_assignment_comparison()["angle"], dtype=float)
    assert np.isfinite(angles).all() and ((angles >= 0) & (angles <= 180)).all()
    assert angles[-10:].max() < 80.0
    assert angles[-1] < angles[0]
