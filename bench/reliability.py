"""Reliability table: are hypotheses stated at confidence c right about c of the time."""

from collections.abc import Sequence

BINS = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01))


def reliability_rows(points: Sequence[tuple[float, bool]]) -> list[str]:
    """Markdown rows, one per confidence bin: hypotheses, mean confidence, share right."""
    rows = [
        "| confidence | hypotheses | mean confidence | right | gap |",
        "|---|---|---|---|---|",
    ]
    for low, high in BINS:
        inside = [(confidence, right) for confidence, right in points if low <= confidence < high]
        if not inside:
            rows.append(f"| {low:.1f}-{min(high, 1.0):.1f} | 0 | - | - | - |")
            continue
        mean = sum(confidence for confidence, _ in inside) / len(inside)
        share = sum(1 for _, right in inside if right) / len(inside)
        rows.append(
            f"| {low:.1f}-{min(high, 1.0):.1f} | {len(inside)} | {mean:.2f} | {share:.2f}"
            f" | {share - mean:+.2f} |"
        )
    return rows


def expected_calibration_error(points: Sequence[tuple[float, bool]]) -> float:
    """Average |share right - mean confidence| over the bins, weighted by their size."""
    total = len(points)
    if total == 0:
        return 0.0
    error = 0.0
    for low, high in BINS:
        inside = [(c, r) for c, r in points if low <= c < high]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            share = sum(1 for _, r in inside if r) / len(inside)
            error += len(inside) / total * abs(share - mean)
    return error
