"""Calibrated confidence: monotone, leading hypotheses above the rest, invertible for refits."""

from faultmaven.reasoning.calibration import calibrated, raw_confidence


def test_calibrated_confidence_grows_with_raw_confidence_and_stays_a_probability() -> None:
    values = [calibrated(raw / 10, 1) for raw in range(11)]
    assert values == sorted(values)
    assert all(0.0 < value < 1.0 for value in values)


def test_the_leading_hypothesis_is_more_likely_right_than_a_runner_up_of_equal_raw() -> None:
    assert calibrated(0.7, 1) > calibrated(0.7, 2) == calibrated(0.7, 5)


def test_raw_confidence_is_recovered_for_refitting() -> None:
    for rank in (1, 3):
        for raw in (0.2, 0.55, 0.9):
            assert abs(raw_confidence(calibrated(raw, rank), rank) - raw) < 0.01
