"""Mask the parts of a log message that are variables by their form alone.

Each variable is replaced in place by the wildcard, keeping the punctuation around it
(`uid=<*>`, `(<*>)`, `node-<*>`), so that the template of a message has one token per message
token; the one exception is a quoted field value holding spaces (`tag="View Lock"`), which
becomes one token, `tag="<*>"`, like a one-word value.
"""

import re

from faultmaven.domain.logs import WILDCARD

# Variables start where no word character precedes; the three groups are keyed by the first
# character (digit, slash, letter) so that plain words are rejected after one cheap look-ahead.
_STARTING_WITH_DIGIT = (
    # MAC address, then IPv4 address with port as one variable, then any token a digit starts:
    # 42, -1, 0.25, 12ms, 64K, 10.0.0.1, 0x1f, 2005-06-03-15.42.50.675872, 38101a0b-2096-...
    r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5,}(?![\w:])",
    r"\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}(?![\w.])",
    r"\d(?:[\w.-]*\w)?",
)
_STARTING_WITH_SLASH = (
    # /10.0.0.1:50010 as one variable, and absolute paths of two or more segments.
    r"/\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.])",
    r"(?:/[^\s/,;:()\[\]{}\"'=]+){2,}/?",
)
_STARTING_WITH_LETTER = (
    # URLs, UUIDs, MAC addresses, hexadecimal ids, and identifiers ending in a number after an
    # underscore (blk_-1234, attempt_201706_0024_m_3).
    r"[A-Za-z][A-Za-z0-9+.-]{0,15}://\S+",
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])",
    r"[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5,}(?![\w:])",
    r"(?=[0-9a-f]*\d)[0-9a-f]{6,}(?![\w-])",
    r"(?=[0-9A-F]*\d)[0-9A-F]{8,}(?![\w-])",
    r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*_-?\d+(?![\w.])",
)
_MONTH = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# Booleans and null are values; so is the unit of a size (`384.0 KB`), which would otherwise
# tell apart lines of one template.
# Day and month names inside a date (Fri Jun 17 07:07:00 2005), one variable per token.
_DATE_WORDS = (
    rf"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?=\s+(?:{_MONTH})\s)",
    rf"(?:{_MONTH})(?=\s+\d{{1,2}}\s+\d)",
)
_WORD_VALUES = (
    r"(?=[A-Z][a-z]{2}\s)(?<![.-])(?:" + "|".join(_DATE_WORDS) + ")",
    r"(?=[tfnTFN][a-z]{3,4}(?![\w.-]))(?:true|false|null|True|False|None)",
    r"(?<=\d )(?:[KMGTP]i?B|B)(?![\w.-])",
    r"(?<![.-])(?=[A-Za-z]++[\d:_.+-])(?:" + "|".join(_STARTING_WITH_LETTER) + ")",
)
# A quoted field value holding spaces (`tag="View Lock"`) is one value, however many words:
# masked whole inside its quotes, it leaves the message one token per field like its siblings.
_QUOTED_FIELD_VALUES = (
    r"""(?<==")[^"\s]*\s[^"]*(?=")""",
    r"""(?<==')[^'\s]*\s[^']*(?=')""",
)
_VARIABLES = re.compile(
    r"(?<!\w)(?:" + "|".join(_QUOTED_FIELD_VALUES) + "|"
    r"(?=[A-Za-z])(?:" + "|".join(_WORD_VALUES) + ")"
    r"|(?<!\w\.)-?(?=\d)(?:" + "|".join(_STARTING_WITH_DIGIT) + ")"
    r"|(?<![/.])(?=/)(?:" + "|".join(_STARTING_WITH_SLASH) + "))"
)


def mask(message: str) -> str:
    """Replace the variables recognisable by their form (numbers, ids, addresses) with `<*>`."""
    return _VARIABLES.sub(WILDCARD, message)


# Every character class above treats the ten ASCII digits alike (and no literal is a digit), so
# messages that differ only in which digits they hold are masked at the same places. When the
# masked form of one of them keeps no digit, all of them have that very masked form: the message
# with its digits written as `0` is then a cheap key to it, found without running the masking.
DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_ASCII_DIGIT = re.compile("[0-9]")


def digit_key(message: str) -> bytes:
    """Return the message with every ASCII digit as `0`: one key for messages masked alike.

    Messages with equal keys have equal masks whenever `masks_every_digit(mask(message))`.
    The key is UTF-8 (lone surrogates passed through), so it is distinct for distinct texts.
    """
    return message.encode("utf-8", "surrogatepass").translate(DIGITS_AS_ZERO)


def masks_every_digit(masked: str) -> bool:
    """Tell whether a masked message kept no ASCII digit, so its `digit_key` decides it."""
    return _ASCII_DIGIT.search(masked) is None


# A hexadecimal word (request ids, hashes, trace ids) changes its letters as well as its digits,
# and where they stand, from line to line. Where a whole word (a maximal run of word characters)
# holds only hex digits, at least one a digit and one a letter, the masking sees little of it:
# every variable starts after and ends before a non-word character, every literal it tests (day,
# month, `true`, units) is a word without digits, and a run of decimal digits it counts (IPv4,
# ports, days) must fill a word. Such a word is masked whole or not at all, by its length, the
# case of its letters and whether its first and last characters are digits or letters; so its
# key keeps just those, and when its digits are masked the key is as exact as the digit key.
# Bytes of non-ASCII characters count as word characters, which only ever narrows the key.
_HEX_WORD = re.compile(
    rb"(?<![\w\x80-\xff])(?=[a-fA-F]*0)(?=0*[a-fA-F])[0-9a-fA-F]+(?![\w\x80-\xff])"
)
_HEX_LETTERS_AS_A = bytes.maketrans(b"bcdefBCDEF", b"aaaaaAAAAA")
_ZERO = ord("0")
# Keys of hex words by shape (length, lower case, whether each end is a digit): few shapes.
_REDUCED_HEX_WORDS: dict[tuple[int, bool, bool, bool], bytes] = {}


_WORD_BYTES = frozenset(
    b"_0123456789" + bytes(range(65, 91)) + bytes(range(97, 123)) + bytes(range(128, 256))
)
_HEX_CHARACTERS = b"0abcdefABCDEF"  # a digit key has no other digit
HexSpans = tuple[tuple[int, int], ...]


def _hex_word_key(word: re.Match[bytes]) -> bytes:
    """Return the key of a hex word: its ends' kinds, its letter case, its length."""
    return _reduced_hex_word(word.group())


def _reduced_hex_word(word: bytes) -> bytes:
    lower, upper = word.islower(), word.isupper()
    if len(word) < 4 or (lower == upper and not word.isdigit()):  # short, or of both cases
        return word.translate(_HEX_LETTERS_AS_A)
    shape = (len(word), lower, word[0] == _ZERO, word[-1] == _ZERO)
    reduced = _REDUCED_HEX_WORDS.get(shape)
    if reduced is None:
        reduced = _REDUCED_HEX_WORDS[shape] = _reduced_hex_word_of_shape(*shape)
    return reduced


def _reduced_hex_word_of_shape(size: int, lower: bool, zero_first: bool, zero_last: bool) -> bytes:
    """Return the key of a hex word with letters of one case: its ends' kinds, its length."""
    letter = b"a" if lower else b"A"
    first, last = b"0" if zero_first else letter, b"0" if zero_last else letter
    return first + letter + b"0" * (size - 3) + last


def hex_key(key: bytes) -> bytes:
    """Return a `digit_key` with each hexadecimal word reduced to what its masking depends on.

    Messages with equal hex keys have equal masks whenever `masks_every_digit(mask(message))`,
    like messages with equal digit keys; the key of a message without such words is its digit key.
    """
    return _HEX_WORD.sub(_hex_word_key, key)


def hex_word_spans(key: bytes) -> HexSpans:
    """Return the `(start, end)` of each word of a `digit_key` that `hex_key` reduces."""
    return tuple(word.span() for word in _HEX_WORD.finditer(key))


def hex_key_at(key: bytes, spans: HexSpans) -> bytes | None:
    """Reduce the words of a `digit_key` at `spans` as `hex_key` does; None if one is no hex word.

    Only those words are looked at, so the result is `hex_key(key)` when `key` has no other
    hex word. It is whenever the result is a fixed point of `hex_key` (as every hex key is):
    reducing a word keeps its length and its bytes' kinds, so the words stand where they did,
    and a hex word left alone elsewhere would show in the result unreduced. This checks a few
    bytes where the scan of `hex_key` reads them all.
    """
    reduced, size = key, len(key)
    for start, end in spans:
        if end > size:
            return None
        word = key[start:end]
        if (
            word.translate(None, _HEX_CHARACTERS)
            or b"0" not in word
            or not word.strip(b"0")
            or (start and key[start - 1] in _WORD_BYTES)
            or (end < size and key[end] in _WORD_BYTES)
        ):
            return None
        reduced = reduced[:start] + _reduced_hex_word(word) + reduced[end:]
    return reduced
