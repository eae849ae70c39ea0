"""Refit the confidence calibration from a `bench/diagnosis.py --part tuned --json` file.

    .venv/bin/python bench/diagnosis.py --part tuned --json /tmp/tuned.json
    .venv/bin/python tools/fit_confidence_calibration.py /tmp/tuned.json

The file holds calibrated confidences; they are turned back into raw ones with the
current coefficients, then a logistic model (raw confidence, leading or not; L2 penalty
on the slopes) is fitted by Newton's method and its coefficients printed for
`src/faultmaven/reasoning/calibration.py`. Held-out results must never be fitted on.
"""

import json
import sys
from pathlib import Path

import numpy as np

from faultmaven.reasoning.calibration import raw_confidence

PENALTY = 1.0
ITERATIONS = 100


def main() -> None:
    """Fit and print the coefficients."""
    results = json.loads(Path(sys.argv[1]).read_text())
    if any(result["part"] != "tuned" for result in results):
        raise SystemExit("fit on the tuned part only (bench/diagnosis.py --part tuned)")
    features, outcomes = [], []
    for result in results:
        for rank, (confidence, right) in enumerate(result["confidences"], start=1):
            features.append([1.0, raw_confidence(confidence, rank), 1.0 if rank == 1 else 0.0])
            outcomes.append(1.0 if right else 0.0)
    x, y = np.array(features), np.array(outcomes)
    weights = np.zeros(3)
    penalty = PENALTY * np.diag([0.0, 1.0, 1.0])
    for _ in range(ITERATIONS):
        predicted = 1.0 / (1.0 + np.exp(-x @ weights))
        gradient = x.T @ (predicted - y) + penalty @ weights
        hessian = (x * (predicted * (1 - predicted))[:, None]).T @ x + penalty
        weights -= np.linalg.solve(hessian, gradient)
    intercept, raw_weight, leading_weight = weights
    print(f"{len(results)} bundles, {len(y)} hypotheses")
    print(f"INTERCEPT = {intercept:.3f}")
    print(f"RAW_WEIGHT = {raw_weight:.3f}")
    print(f"LEADING_WEIGHT = {leading_weight:.3f}")


if __name__ == "__main__":
    main()
