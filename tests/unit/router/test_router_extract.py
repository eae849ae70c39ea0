import pytest

from faultmaven.router import PreviousHypothesis
from faultmaven.router.extract import hypothesis_reference, log_lines, time_expression

SHOWN = (
    PreviousHypothesis("hyp-7c1e", 1, "Database connection pool exhausted", "connection_pool"),
    PreviousHypothesis("hyp-90ab", 2, "PostgreSQL max_connections reached", "database"),
    PreviousHypothesis("hyp-4d22", 3, "Bad release of checkout v2.14", "deployment"),
)


@pytest.mark.parametrize(
    ("question", "rank", "hypothesis_id"),
    [
        ("hypothesis 2 looks wrong, the pool is fine", 2, "hyp-90ab"),
        ("are you sure about #1?", 1, "hyp-7c1e"),
        ("h3 doesnt make sense", 3, "hyp-4d22"),
        ("the second one, which lines support it", 2, "hyp-90ab"),
        ("the last one is refuted", 3, "hyp-4d22"),
        ("2 is refuted, we checked", 2, "hyp-90ab"),
        ("what about hyp-4d22?", 3, "hyp-4d22"),
        ("is it the pool?", 1, "hyp-7c1e"),
        ("could it be the max_connections one", 2, "hyp-90ab"),
    ],
)
def test_references_to_shown_hypotheses_resolve_to_rank_and_id(
    question: str, rank: int, hypothesis_id: str
) -> None:
    reference = hypothesis_reference(question, SHOWN)
    assert reference is not None
    assert (reference.rank, reference.id) == (rank, hypothesis_id)


def test_number_without_a_previous_diagnosis_keeps_the_rank_only() -> None:
    reference = hypothesis_reference("what about #2", ())
    assert reference is not None
    assert (reference.rank, reference.id, reference.text) == (2, None, "#2")


def test_a_hypothesis_word_outside_a_reference_shape_is_not_a_reference() -> None:
    assert hypothesis_reference("how long has checkout been failing", SHOWN) is None
    assert hypothesis_reference("the pool of workers is idle", ()) is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("why is checkout 502ing since 10:40", "since 10:40"),
        ("did anything change before 14:00?", "before 14:00"),
        ("errors after 14:00 UTC only", "after 14:00 UTC"),
        ("errors in the last 30 minutes only", "in the last 30 minutes"),
        ("anything deployed in the last hour", "in the last hour"),
        ("it happens every night around 2am", "around 2am"),
        ("was it already broken before midnight?", "before midnight"),
        ("someone pushed something this morning", "this morning"),
        ("it started 15 min ago", "15 min ago"),
        ("between 10:00 and 10:30 it was fine", "between 10:00 and 10:30"),
    ],
)
def test_time_expressions_are_returned_as_written(question: str, expected: str) -> None:
    assert time_expression(question) == expected


def test_timestamps_inside_pasted_log_lines_are_not_the_questions_time() -> None:
    assert time_expression("2024-05-02T10:41:07Z ERROR pool timed out\nwhat's this") is None
    assert time_expression("explain `E0502 10:41:07.123 kubelet.go:2412] sync failed`") is None
    assert time_expression("why is the api slow") is None


def test_backticked_text_is_the_quoted_line() -> None:
    question = "explain: `FATAL: sorry, too many clients already`"
    assert log_lines(question) == ("FATAL: sorry, too many clients already",)


def test_lines_shaped_like_logs_are_found_without_backticks() -> None:
    question = (
        "what does this mean\n"
        "[error] 31#31: *4121 upstream timed out (110: Connection timed out)\n"
        "2024-05-02 10:41:07,311 WARN retrying\n"
        "thanks"
    )
    assert log_lines(question) == (
        "[error] 31#31: *4121 upstream timed out (110: Connection timed out)",
        "2024-05-02 10:41:07,311 WARN retrying",
    )


def test_a_plain_question_quotes_no_lines() -> None:
    assert log_lines("why are the pods restarting") == ()
