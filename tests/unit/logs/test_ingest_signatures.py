"""Failure signatures of ingested events: the keyword search in front changes no outcome."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from faultmaven.reasoning.signatures import BUILTIN_SIGNATURES, match_signature
from faultmaven.services.log_events import SIGNATURE_TEXT_CHARS, _keyword_search, _signature

_KEYWORDS = sorted({word for signature in BUILTIN_SIGNATURES for word in signature.keywords})
_LINES = st.lists(
    st.one_of(
        st.sampled_from(_KEYWORDS), st.sampled_from([" ", "\n", "Error 503", "x"]), st.text()
    ),
    max_size=12,
).map("".join)


def test_every_keyword_of_every_signature_is_found_in_any_case() -> None:
    search = _keyword_search(BUILTIN_SIGNATURES)
    for word in _KEYWORDS:
        assert search.search(f"at {word.upper()} here".lower()) is not None
    assert search.search("2024-05-01 info request served") is None


@settings(max_examples=1000, deadline=None)
@given(_LINES, _LINES)
def test_events_get_the_signature_matching_their_first_line_and_message_gives(
    message: str, first_line: str
) -> None:
    rest = message.partition("\n")[2]
    text = f"{first_line}\n{rest}"[:SIGNATURE_TEXT_CHARS]
    assert _signature(message, first_line) == match_signature(text)


def test_a_signature_without_keywords_lets_every_line_through() -> None:
    search = _keyword_search([replace(BUILTIN_SIGNATURES[0], keywords=())])
    assert search.search("nothing alarming") is not None
