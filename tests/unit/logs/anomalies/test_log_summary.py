"""Log summaries keep the most informative parts within the token budget."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.evidence import Level
from faultmaven.domain.logs import TemplateOccurrence
from faultmaven.logs.anomalies import TemplateProfile, detect_anomalies
from faultmaven.logs.summary import count_tokens, summarise

START = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def _profile(templates: int) -> TemplateProfile:
    profile = TemplateProfile()
    n = 0
    for index in range(templates):
        for repeat in range(5):
            n += 1
            profile.add(
                TemplateOccurrence(
                    "e",
                    "app.log",
                    n,
                    n,
                    START + timedelta(seconds=n),
                    Level.INFO,
                    f"g{index}",
                    f"worker {index} finished job <*> step {repeat}",
                    f"INFO worker {index} finished job 17 step {repeat}",
                )
            )
    for minute in range(3):
        n += 1
        profile.add(
            TemplateOccurrence(
                "e",
                "app.log",
                n,
                n,
                START + timedelta(seconds=n + minute),
                Level.ERROR,
                "g-oom",
                "java.lang.OutOfMemoryError: Java heap space",
                "ERROR java.lang.OutOfMemoryError: Java heap space",
            )
        )
    return profile


def test_summary_of_a_large_input_fits_the_budget_and_keeps_errors_first() -> None:
    profile = _profile(templates=2_000)
    text = summarise(
        profile.stats(), detect_anomalies(profile), total_events=profile.total, budget_tokens=3_000
    )
    assert count_tokens(text) <= 3_000
    assert "OutOfMemoryError" in text
    assert text.index("Warning and error templates") < text.index("Busiest templates")
    assert f"{profile.total} events" in text
    assert "app.log:" in text


def test_tiny_budget_still_gives_the_overview_only() -> None:
    profile = _profile(templates=10)
    text = summarise(profile.stats(), [], total_events=profile.total, budget_tokens=40)
    assert text.startswith("# Log summary")
    assert count_tokens(text) <= 40
