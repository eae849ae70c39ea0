from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from faultmaven.logs import component_of, find_level, find_timestamp, line_group

_LOGGY = st.text(
    alphabet=st.sampled_from(list("0123456789:-/.,[]{}\"'=TZ+ \tJanDecERRORwarn@xaf")),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), _LOGGY))
def test_line_functions_never_raise_on_arbitrary_text(text: str) -> None:
    group = line_group(text)
    assert isinstance(group, str)
    found = find_timestamp(text, now=datetime(2024, 1, 1, tzinfo=UTC))
    assert found is None or found.tzinfo is not None
    find_level(text)
    component_of("x.log", text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_numbers_never_split_a_group(first: int, second: int) -> None:
    assert line_group(f"retry {first} of job {second} failed") == line_group(
        f"retry {second} of job {first} failed"
    )
