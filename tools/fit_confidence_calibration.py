"""Refit the confidence calibration from the tuned bench results and the first-sight records.

    .venv/bin/python bench/diagnosis.py --part tuned --json /tmp/tuned.json
    .venv/bin/python tools/fit_confidence_calibration.py /tmp/tuned.json bench/first_sight/*.json

The tuned file holds calibrated confidences; they are turned back into raw ones with the
current coefficients. A first-sight record holds raw ones, taken on new bundles before
anything was tuned on them; they stand for the unseen incidents users bring, so all of
them together weigh as much as the tuned part. A logistic model (raw confidence, leading
or not, margin over the next hypothesis; L2 penalty on the slopes) is fitted by Newton's
method and its coefficients printed for `src/faultmaven/reasoning/calibration.py`.
Held-out results must never be fitted on.
"""

import json
import sys
from pathlib import Path

import numpy as np

from faultmaven.reasoning.calibration import margins, raw_confidences

PENALTY = 1.0
ITERATIONS = 100


def _is_first_sight(path: Path) -> bool:
    return isinstance(json.loads(path.read_text()), dict)


def _answers(path: Path) -> list[list[tuple[float, bool]]]:
    """Return each answer's hypotheses as (raw confidence, right), best first."""
    data = json.loads(path.read_text())
    if isinstance(data, dict):  # a first-sight record: raw confidences already
        return [[(raw, right) for raw, right in item["hypotheses"]] for item in data["bundles"]]
    if any(result["part"] != "tuned" for result in data):
        raise SystemExit(f"{path}: fit on the tuned part only (bench/diagnosis.py --part tuned)")
    answers = []
    for result in data:
        pairs = result["confidences"]
        raws = raw_confidences([probability for probability, _ in pairs])
        answers.append([(raw, right) for raw, (_, right) in zip(raws, pairs, strict=True)])
    return answers


def main() -> None:
    """Fit and print the coefficients."""
    paths = [Path(name) for name in sys.argv[1:]]
    groups = {
        first_sight: [answer for path in paths if _is_first_sight(path) == first_sight
                      for answer in _answers(path)]
        for first_sight in (False, True)
    }  # fmt: skip
    features, outcomes, weights_of = [], [], []
    for first_sight, answers in groups.items():
        # Unseen incidents are what users bring: first sight counts as much as the tuned part.
        weight = max(len(groups[False]), 1) / len(answers) if first_sight and answers else 1.0
        for answer in answers:
            raws = [raw for raw, _ in answer]
            for rank, ((raw, right), margin) in enumerate(
                zip(answer, margins(raws), strict=True), start=1
            ):
                features.append([1.0, raw, 1.0 if rank == 1 else 0.0, margin])
                outcomes.append(1.0 if right else 0.0)
                weights_of.append(weight)
    x, y, sample = np.array(features), np.array(outcomes), np.array(weights_of)
    weights = np.zeros(4)
    penalty = PENALTY * np.diag([0.0, 1.0, 1.0, 1.0])
    for _ in range(ITERATIONS):
        predicted = 1.0 / (1.0 + np.exp(-x @ weights))
        gradient = x.T @ (sample * (predicted - y)) + penalty @ weights
        hessian = (x * (sample * predicted * (1 - predicted))[:, None]).T @ x + penalty
        weights -= np.linalg.solve(hessian, gradient)
    intercept, raw_weight, leading_weight, margin_weight = weights
    tuned, first = len(groups[False]), len(groups[True])
    print(f"{tuned} tuned and {first} first-sight answers, {len(y)} hypotheses")
    print(f"INTERCEPT = {intercept:.3f}")
    print(f"RAW_WEIGHT = {raw_weight:.3f}")
    print(f"LEADING_WEIGHT = {leading_weight:.3f}")
    print(f"MARGIN_WEIGHT = {margin_weight:.3f}")


if __name__ == "__main__":
    main()
