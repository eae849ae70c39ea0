"""Confidence that means what it says: calibrated on the scenario suite.

The ranking's raw confidence orders hypotheses well but over-states how often they are
right. A logistic model maps it to the share of such hypotheses that named the right
cause and component, from three things: the raw confidence, whether the hypothesis leads
the answer, and its margin over the next one's raw confidence (a leader barely ahead of
the runner-up is right far less often than one well clear of it).

It is fitted by `tools/fit_confidence_calibration.py` on the tuned part of the suite
(`bench/diagnosis.py --part tuned`) together with the first-sight records under
`bench/first_sight/`: results on new bundles before anything was tuned on them, the only
honest sample of incidents the reasoner has not been shaped by. The held-out bundles are
never used for the fit; the bench's reliability table shows how it holds there.
"""

import math
from collections.abc import Sequence

from faultmaven.domain.diagnosis import DiagnosisDraft

# Fitted 2026-11-26 on 271 tuned answers and 222 first-sight ones (weighing as much as the
# tuned), 2353 hypotheses, L2 penalty 1.0 on the slopes.
INTERCEPT = -4.406
RAW_WEIGHT = 2.634
LEADING_WEIGHT = 2.549
MARGIN_WEIGHT = 0.792


def calibrated(raw: float, rank: int, margin: float) -> float:
    """Map a raw confidence to a probability, given the rank and the margin over the next."""
    logit = INTERCEPT + RAW_WEIGHT * raw + MARGIN_WEIGHT * margin
    logit += LEADING_WEIGHT if rank == 1 else 0.0
    return round(1.0 / (1.0 + math.exp(-logit)), 3)


def margins(raws: Sequence[float]) -> list[float]:
    """Return each raw confidence's lead over the next one's (the last's over nothing)."""
    return [raw - (raws[i + 1] if i + 1 < len(raws) else 0.0) for i, raw in enumerate(raws)]


def calibrated_all(raws: Sequence[float]) -> list[float]:
    """Calibrate the raw confidences of the hypotheses of one answer, best first."""
    return [
        calibrated(raw, rank, margin)
        for rank, (raw, margin) in enumerate(zip(raws, margins(raws), strict=True), start=1)
    ]


def raw_confidences(probabilities: Sequence[float]) -> list[float]:
    """Invert `calibrated_all`: the raw confidences behind one answer's (for refitting).

    Worked from the last hypothesis up, since each margin needs the next raw value.
    """
    raws = [0.0] * len(probabilities)
    following = 0.0
    for index in range(len(probabilities) - 1, -1, -1):
        probability = min(max(probabilities[index], 1e-6), 1 - 1e-6)
        logit = math.log(probability / (1 - probability))
        leading = LEADING_WEIGHT if index == 0 else 0.0
        raws[index] = (logit - INTERCEPT - leading + MARGIN_WEIGHT * following) / (
            RAW_WEIGHT + MARGIN_WEIGHT
        )
        following = raws[index]
    return raws


def calibrate_draft(draft: DiagnosisDraft) -> DiagnosisDraft:
    """Replace every hypothesis's raw confidence with its calibrated one."""
    ordered = sorted(draft.hypotheses, key=lambda hypothesis: hypothesis.rank)
    probabilities = calibrated_all([hypothesis.confidence for hypothesis in ordered])
    hypotheses = [
        hypothesis.model_copy(update={"confidence": probability})
        for hypothesis, probability in zip(ordered, probabilities, strict=True)
    ]
    return draft.model_copy(update={"hypotheses": hypotheses})
