from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from faultmaven.logs import component_of, find_level, find_timestamp

_LOGGY = st.text(
    alphabet=st.sampled_from(list("0123456789:-/.,[]{}\"'=TZ+ \tJanDecERRORwarn@xaf")),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), _LOGGY))
def test_line_functions_never_raise_on_arbitrary_text(text: str) -> None:
    found = find_timestamp(text, now=datetime(2024, 1, 1, tzinfo=UTC))
    assert found is None or found.tzinfo is not None
    find_level(text)
    component_of("x.log", text)
