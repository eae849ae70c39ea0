"""Confidence that means what it says: calibrated on the tuned part of the scenario suite.

The ranking's raw confidence orders hypotheses well but over-states how often they are
right. A logistic model of the raw confidence and whether the hypothesis leads the
answer maps it to the share of such hypotheses that named the right cause and component
on the tuned scenario bundles (`bench/diagnosis.py --part tuned`). Refit it with
`tools/fit_confidence_calibration.py` after the reasoner changes; the held-out bundles
are never used for the fit, and the bench's reliability table shows how it holds there.
"""

import math

from faultmaven.domain.diagnosis import DiagnosisDraft

# Fitted 2026-11-25 on 49 tuned bundles, 229 hypotheses (L2 penalty 1.0 on the slopes).
INTERCEPT = -3.387
RAW_WEIGHT = 1.537
LEADING_WEIGHT = 3.375


def calibrated(raw: float, rank: int) -> float:
    """Map a raw confidence of the hypothesis at `rank` to a calibrated probability."""
    logit = INTERCEPT + RAW_WEIGHT * raw + (LEADING_WEIGHT if rank == 1 else 0.0)
    return round(1.0 / (1.0 + math.exp(-logit)), 3)


def raw_confidence(probability: float, rank: int) -> float:
    """Invert `calibrated`: the raw confidence behind a calibrated one (for refitting)."""
    probability = min(max(probability, 1e-6), 1 - 1e-6)
    logit = math.log(probability / (1 - probability))
    return (logit - INTERCEPT - (LEADING_WEIGHT if rank == 1 else 0.0)) / RAW_WEIGHT


def calibrate_draft(draft: DiagnosisDraft) -> DiagnosisDraft:
    """Replace every hypothesis's raw confidence with its calibrated one."""
    hypotheses = [
        hypothesis.model_copy(
            update={"confidence": calibrated(hypothesis.confidence, hypothesis.rank)}
        )
        for hypothesis in draft.hypotheses
    ]
    return draft.model_copy(update={"hypotheses": hypotheses})
