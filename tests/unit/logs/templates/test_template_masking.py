import random
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultmaven.logs.templates import TemplateMiner, mask
from faultmaven.logs.templates import miner as miner_module
from faultmaven.logs.templates.masking import (
    digit_key,
    hex_key,
    hex_key_at,
    hex_word_spans,
    masks_every_digit,
)


@pytest.mark.parametrize(
    ("message", "masked"),
    [
        ("Served block blk_-6952295868487656571 to /10.251.203.80", "Served block <*> to <*>"),
        ("src: /10.250.19.102:54106 dest", "src: <*> dest"),
        ("acquire lock=233570404, flags=0x1, uid=10037", "acquire lock=<*>, flags=<*>, uid=<*>"),
        ("instance b9000564-fe1a-409b-b8cc-1e88b294cd1d spawned", "instance <*> spawned"),
        ("Took 0.25 seconds (TID 42).", "Took <*> seconds (TID <*>)."),
        ("free 317.5 KB", "free <*> <*>"),
        ("node node-246 timed out", "node node-<*> timed out"),
        ("token de9231d expired", "token <*> expired"),
        ("jk2_init() Found child 6725", "jk2_init() Found child <*>"),
        ("isOverlap:false, ws=null", "isOverlap:<*>, ws=<*>"),
        ("at Fri Jun 17 07:07:00 2005", "at <*> <*> <*> <*>:<*>:<*> <*>"),
        (
            "Input split: hdfs://10.10.34.11:9000/pjhe/logs/2kSOSP.log:21876+7292",
            "Input split: <*>",
        ),
        ("Deleting block file /mnt/hadoop/dfs/data/current/blk_1", "Deleting block file <*>"),
    ],
)
def test_variables_are_masked_and_the_words_around_them_kept(message: str, masked: str) -> None:
    assert mask(message) == masked


_LOGGY = st.text(
    alphabet=st.sampled_from(list("0123456789abcdefxXZ:-_/.,[]{}()\"'=<>*+ \tJunFriERRORtrue@")),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=200), _LOGGY), min_size=1, max_size=8))
def test_add_never_raises_and_keeps_one_template_token_per_message_token_or_quoted_value(
    messages: list[str],
) -> None:
    miner = TemplateMiner()
    online = [miner.add(message) for message in messages]
    final = miner.final_assignments()
    for message, now, later in zip(messages, online, final, strict=True):
        tokens = len(_QUOTED_FIELD_VALUE.sub("value", message).split())
        assert len(mask(message).split()) == tokens
        assert len(now.template.split()) == tokens
        assert len(later.template.split()) == tokens


# The one place masking joins tokens: a quoted field value holding spaces becomes one token.
_QUOTED_FIELD_VALUE = re.compile(r"""(?<==")[^"\s]*\s[^"]*(?=")|(?<==')[^'\s]*\s[^']*(?=')""")


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=120), _LOGGY), st.randoms(use_true_random=False))
def test_messages_differing_only_in_digits_are_masked_alike_when_no_digit_is_left(
    message: str, randomness: random.Random
) -> None:
    redrawn = "".join(
        str(randomness.randrange(10)) if "0" <= char <= "9" else char for char in message
    )
    assert digit_key(redrawn) == digit_key(message)
    if masks_every_digit(mask(message)):
        assert mask(redrawn) == mask(message)
    assert masks_every_digit(mask(redrawn)) == masks_every_digit(mask(message))


_HEXY = st.text(
    alphabet=st.sampled_from(
        list("0123456789abcdefABCDEFxgZ:-_/.,[]()=<>*+ \tDecFebtrue\u00e9\u2192")
    ),
    max_size=120,
)
_WORD = re.compile(r"\w+")


def _redraw_hex_words(message: str, randomness: random.Random) -> str:
    """Redraw every digit, and the inside of the all-hex words that hold a digit and a letter.

    A redrawn hex word keeps its length, its letter case and the kinds (digit or letter) of
    its first and last characters; its inside gets any mix of digits and letters.
    """

    def redraw(character: str, pool: str) -> str:
        if "0" <= character <= "9":
            return randomness.choice(string.digits)
        return randomness.choice(pool) if character in string.hexdigits else character

    def word(match: re.Match[str]) -> str:
        text = match.group()
        digits = sum(c.isdigit() for c in text)
        if not all(c in string.hexdigits for c in text) or not 0 < digits < len(text):
            return "".join(redraw(c, c) if c.isascii() else c for c in text)
        letters = "abcdef" if text.lower() == text else "ABCDEF"
        if len(text) < 4 or text.lower() != text != text.upper():
            return "".join(redraw(c, "abcdef" if c.islower() else "ABCDEF") for c in text)
        inside = [randomness.choice(string.digits + letters) for _ in text[1:-1]]
        letter_at, digit_at = randomness.sample(range(len(inside)), 2)
        inside[letter_at] = randomness.choice(letters)
        inside[digit_at] = randomness.choice(string.digits)
        return redraw(text[0], letters) + "".join(inside) + redraw(text[-1], letters)

    return _WORD.sub(word, message)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(max_size=120), _LOGGY, _HEXY), st.randoms(use_true_random=False))
def test_messages_differing_in_the_letters_of_hex_words_are_masked_alike_when_no_digit_is_left(
    message: str, randomness: random.Random
) -> None:
    redrawn = _redraw_hex_words(message, randomness)
    key = hex_key(digit_key(message))
    assert hex_key(key) == key
    if message.isascii():
        assert hex_key(digit_key(redrawn)) == key
    if hex_key(digit_key(redrawn)) == key and masks_every_digit(mask(message)):
        assert mask(redrawn) == mask(message)


def test_hex_request_ids_are_masked_once_for_all_their_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    masked: list[str] = []

    def counting_mask(message: str) -> str:
        masked.append(message)
        return mask(message)

    monkeypatch.setattr(miner_module, "mask", counting_mask)
    miner = TemplateMiner()
    miner.add_batch(
        [f"request a{number * 7919:010x}f served in {number % 9} ms" for number in range(99)]
    )
    assert [entry.template for entry in miner.templates()] == ["request <*> served in <*> ms"]
    assert len(masked) == 1


def test_words_whose_digits_are_kept_are_not_merged_by_their_digit_key() -> None:
    miner = TemplateMiner()
    miner.add_batch(["disk sda1 failed"] * 5 + ["disk sda2 failed"] * 5)
    assert {entry.template for entry in miner.templates()} == {
        "disk sda1 failed",
        "disk sda2 failed",
    }
    assert miner.add("disk sda2 failed").template == "disk sda2 failed"


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(st.text(max_size=120), _LOGGY, _HEXY),
    st.one_of(st.text(max_size=120), _LOGGY, _HEXY),
)
def test_reducing_only_where_another_key_had_hex_words_finds_the_hex_key_or_proves_nothing(
    message: str, other: str
) -> None:
    key = digit_key(message)
    assert hex_key_at(key, hex_word_spans(key)) == hex_key(key)
    reduced = hex_key_at(key, hex_word_spans(digit_key(other)))
    if reduced is not None and hex_key(reduced) == reduced:  # what the miner's keys all are
        assert reduced == hex_key(key)


def test_hex_ids_where_earlier_lines_had_them_are_keyed_without_scanning_the_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scanned: list[bytes] = []

    def counting_scan(key: bytes) -> tuple[tuple[int, int], ...]:
        scanned.append(key)
        return hex_word_spans(key)

    monkeypatch.setattr(miner_module, "hex_word_spans", counting_scan)
    miner = TemplateMiner()
    first = miner.add("request 3f2a9c01 took 12 ms")
    assert miner.add("request 5b7e1d03 took 34 ms") == first
    assert miner.add("request 9a0c2f17 took 56 ms") == first
    assert len(scanned) == 1
    assert miner.add("request deadbeef took 7 ms").template == "request deadbeef took <*> ms"
