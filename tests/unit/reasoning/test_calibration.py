"""Calibrated confidence: monotone, leaders above the rest, a clear lead worth more, invertible."""

from faultmaven.reasoning.calibration import calibrated, calibrated_all, margins, raw_confidences


def test_calibrated_confidence_grows_with_raw_confidence_and_stays_a_probability() -> None:
    values = [calibrated(raw / 10, 1, 0.1) for raw in range(11)]
    assert values == sorted(values)
    assert all(0.0 < value < 1.0 for value in values)


def test_the_leading_hypothesis_is_more_likely_right_than_a_runner_up_of_equal_raw() -> None:
    assert calibrated(0.7, 1, 0.1) > calibrated(0.7, 2, 0.1) == calibrated(0.7, 5, 0.1)


def test_a_leader_well_clear_of_the_runner_up_is_more_likely_right_than_one_barely_ahead() -> None:
    clear, barely = calibrated_all([0.8, 0.4]), calibrated_all([0.8, 0.78])
    assert clear[0] > barely[0]


def test_margins_are_each_leads_over_the_next() -> None:
    assert [round(m, 3) for m in margins([0.8, 0.5, 0.45])] == [0.3, 0.05, 0.45]


def test_raw_confidences_are_recovered_for_refitting() -> None:
    for raws in ([0.75], [0.9, 0.2, 0.55], [0.4, 0.6, 0.6, 0.1]):
        recovered = raw_confidences(calibrated_all(raws))
        assert all(abs(a - b) < 0.01 for a, b in zip(recovered, raws, strict=True))
