import re
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faultmaven.domain.knowledge import Chunk
from faultmaven.knowledge.chunking import chunk_document, markdown_headings

RUNBOOK = """\
Intro before any heading.

# OOMKilled

Pods are killed by the kernel when they pass their memory limit.

## Diagnosis

Check the last state of the pod.

### Logs

Read the previous container's logs.

## Remediation

Raise the limit.

# Empty section

# Unrelated

Closing words.
"""


def _paragraph(index: int, sentences: int = 4) -> str:
    return " ".join(
        f"Paragraph {index} sentence {number} explains one more step of the fix."
        for number in range(sentences)
    )


def _fence_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if re.fullmatch(r" {0,3}(`{3,}|~{3,}).*", line)]


def test_chunks_carry_the_heading_path_from_the_top_level_down() -> None:
    chunks = chunk_document(RUNBOOK)

    assert [(chunk.heading, chunk.text) for chunk in chunks] == [
        ([], "Intro before any heading."),
        (["OOMKilled"], "Pods are killed by the kernel when they pass their memory limit."),
        (["OOMKilled", "Diagnosis"], "Check the last state of the pod."),
        (["OOMKilled", "Diagnosis", "Logs"], "Read the previous container's logs."),
        (["OOMKilled", "Remediation"], "Raise the limit."),
        (["Unrelated"], "Closing words."),
    ]


def test_heading_path_skips_missing_levels_and_strips_closing_hashes() -> None:
    chunks = chunk_document("# Top #\n\n### Deep ###\n\nBody\n\n## Middle\n\nMore\n")

    assert [chunk.heading for chunk in chunks] == [["Top", "Deep"], ["Top", "Middle"]]


def test_heading_only_sections_produce_no_chunk_and_text_does_not_repeat_heading() -> None:
    chunks = chunk_document("# A\n\n## B\n\nBody of B\n")

    assert chunks == [Chunk(ordinal=0, heading=["A", "B"], text="Body of B")]


def test_hash_lines_inside_fences_are_not_headings() -> None:
    text = "# Fix\n\n```bash\n# restart the pod\nkubectl delete pod x\n```\n\n~~~\n## no\n~~~\n"

    chunks = chunk_document(text)

    assert len(chunks) == 1
    assert chunks[0].heading == ["Fix"]
    assert "# restart the pod" in chunks[0].text
    assert markdown_headings(text) == [(1, "Fix")]


def test_hash_without_space_is_not_a_heading() -> None:
    assert markdown_headings("#hashtag\n#5 issue\n####### seven\n  ## Indented\n") == [
        (2, "Indented")
    ]


def test_long_section_is_split_at_paragraph_boundaries_within_the_limit() -> None:
    paragraphs = [_paragraph(index) for index in range(8)]
    text = "# Guide\n\n" + "\n\n".join(paragraphs)

    chunks = chunk_document(text, max_chars=700, overlap_chars=0)

    assert len(chunks) > 1
    assert all(len(chunk.text) <= 700 for chunk in chunks)
    assert all(chunk.heading == ["Guide"] for chunk in chunks)
    assert "\n\n".join(chunk.text for chunk in chunks) == "\n\n".join(paragraphs)


def test_consecutive_pieces_overlap_by_whole_sentences_of_the_previous_piece() -> None:
    text = "\n\n".join(_paragraph(index) for index in range(8))

    chunks = chunk_document(text, max_chars=700, overlap_chars=150)

    for previous, current in pairwise(chunks):
        overlap = next(
            size
            for size in range(len(current.text), 0, -1)
            if previous.text.endswith(current.text[:size])
        )
        assert 50 <= overlap <= 150
        assert current.text[:overlap].endswith(".")
        assert current.text.startswith("Paragraph ")


def test_overlap_of_zero_repeats_nothing() -> None:
    text = "\n\n".join(_paragraph(index) for index in range(8))

    chunks = chunk_document(text, max_chars=700, overlap_chars=0)

    joined = " ".join(chunk.text for chunk in chunks).split()
    assert joined == text.split()


def test_long_single_line_paragraph_is_split_at_sentence_ends() -> None:
    text = _paragraph(0, sentences=40)

    chunks = chunk_document(text, max_chars=400, overlap_chars=80)

    assert len(chunks) > 3
    assert all(len(chunk.text) <= 400 for chunk in chunks)
    assert all(chunk.text.endswith("fix.") for chunk in chunks)
    assert all(chunk.text.startswith("Paragraph 0 sentence") for chunk in chunks)


def test_sentence_longer_than_the_limit_is_split_between_words() -> None:
    words = [f"word{number}" for number in range(200)]

    chunks = chunk_document(" ".join(words), max_chars=100, overlap_chars=20)

    assert all(len(chunk.text) <= 100 for chunk in chunks)
    assert all(set(chunk.text.split()) <= set(words) for chunk in chunks)


def test_fenced_blocks_are_never_split_and_overlap_never_starts_inside_one() -> None:
    fence = "```bash\n" + "\n".join(f"kubectl rollout restart deploy/app-{n}" for n in range(5))
    parts = [f"{_paragraph(index, 2)}\n\n{fence}\n```" for index in range(6)]

    chunks = chunk_document("# Restarts\n\n" + "\n\n".join(parts), max_chars=450)

    for chunk in chunks:
        assert len(_fence_lines(chunk.text)) % 2 == 0
    assert sum(chunk.text.count(fence + "\n```") for chunk in chunks) >= 6


def test_fence_longer_than_the_limit_is_one_chunk_over_the_limit() -> None:
    fence = "~~~yaml\n" + "\n".join(f"key{number}: value" for number in range(100)) + "\n~~~"
    text = f"Before the manifest.\n\n{fence}\n\nAfter the manifest."

    chunks = chunk_document(text, max_chars=300, overlap_chars=100)

    assert [chunk.text for chunk in chunks] == [
        "Before the manifest.",
        fence,
        "After the manifest.",
    ]


def test_unclosed_fence_runs_to_the_end_and_hides_later_headings() -> None:
    text = "# Setup\n\n```\nline one\n# not a heading\n"

    chunks = chunk_document(text)

    assert chunks == [Chunk(ordinal=0, heading=["Setup"], text="```\nline one\n# not a heading")]


def test_command_lines_are_kept_whole() -> None:
    command = "$ " + " && ".join(f"echo step {n}. done" for n in range(30))
    text = f"{_paragraph(0, 3)}\n{command}\n{_paragraph(1, 3)}"

    chunks = chunk_document(text, max_chars=len(command) + 5, overlap_chars=100)

    assert any(command in chunk.text for chunk in chunks)
    assert all(chunk.text.count("$ ") in (0, 1) for chunk in chunks)


def test_ordinals_count_up_in_document_order() -> None:
    text = RUNBOOK + "\n\n" + "\n\n".join(_paragraph(index) for index in range(10))

    chunks = chunk_document(text, max_chars=500)

    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))


def test_chunking_is_deterministic() -> None:
    text = RUNBOOK + "\n\n" + "\n\n".join(_paragraph(index) for index in range(10))

    assert chunk_document(text, max_chars=500) == chunk_document(text, max_chars=500)


def test_crlf_text_chunks_like_lf_text() -> None:
    assert chunk_document(RUNBOOK.replace("\n", "\r\n")) == chunk_document(RUNBOOK)


@pytest.mark.parametrize("text", ["", "  \n\n\t", "# Only\n## Headings\n"])
def test_text_without_content_gives_no_chunks(text: str) -> None:
    assert chunk_document(text) == []


@pytest.mark.parametrize(("max_chars", "overlap_chars"), [(0, 0), (100, 100), (100, -1)])
def test_nonsensical_limits_are_refused(max_chars: int, overlap_chars: int) -> None:
    with pytest.raises(ValueError, match="chars"):
        chunk_document("text", max_chars=max_chars, overlap_chars=overlap_chars)


# Properties

_WORDS = st.text(alphabet="abcdefgxyz.!?`~$#-", min_size=1, max_size=14)
# Each prose line starts with a plain word so that it never reads as a heading, fence or command.
_PROSE_LINE = st.lists(_WORDS, max_size=30).map(lambda words: " ".join(["step", *words]))
_PARAGRAPH = st.lists(_PROSE_LINE, min_size=1, max_size=4).map("\n".join)
_FENCE = st.lists(st.text(alphabet="abc #-=${}", max_size=40), max_size=6).map(
    lambda lines: "```sh\n" + "\n".join(line for line in lines if "`" not in line) + "\n```"
)
_BODY = st.lists(st.one_of(_PARAGRAPH, _FENCE), max_size=5).map("\n\n".join)
_SECTIONS = st.lists(st.tuples(st.integers(1, 6), _BODY), max_size=6)


@settings(max_examples=200, deadline=None)
@given(_BODY, _SECTIONS, st.integers(20, 400), st.integers(0, 19))
def test_every_section_token_lands_in_a_chunk_under_that_section(
    preamble: str, sections: list[tuple[int, str]], max_chars: int, overlap_chars: int
) -> None:
    headings = [f"Section{index}" for index in range(len(sections))]
    parts = [preamble] + [
        f"{'#' * level} {heading}\n\n{body}"
        for heading, (level, body) in zip(headings, sections, strict=True)
    ]

    chunks = chunk_document("\n\n".join(parts), max_chars=max_chars, overlap_chars=overlap_chars)

    assert all(chunk.text and chunk.text == chunk.text.strip() for chunk in chunks)
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    for heading, body in zip(
        [None, *headings], [preamble, *(body for _, body in sections)], strict=True
    ):
        here = [c.text for c in chunks if (c.heading[-1] if c.heading else None) == heading]
        for token in body.split():
            assert any(token in text for text in here), (heading, token)
    for chunk in chunks:
        single_fence = chunk.text.startswith("```") and len(_fence_lines(chunk.text)) == 2
        assert len(chunk.text) <= max_chars or single_fence or len(chunk.text.split()) == 1


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600), st.integers(5, 300))
def test_arbitrary_text_never_loses_content_or_makes_empty_chunks(
    text: str, max_chars: int
) -> None:
    chunks = chunk_document(text, max_chars=max_chars, overlap_chars=max_chars // 3)

    assert all(chunk.text and chunk.text == chunk.text.strip() for chunk in chunks)
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    found = " ".join([chunk.text for chunk in chunks] + [" ".join(c.heading) for c in chunks])
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.lstrip().startswith("#"):
            for token in line.split():
                assert token in found
    assert chunk_document(text, max_chars=max_chars, overlap_chars=max_chars // 3) == chunks
