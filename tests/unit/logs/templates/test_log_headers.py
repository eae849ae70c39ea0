import json
from pathlib import Path

import pytest

from faultmaven.logs.headers import HeaderFormat, compile_log_format, split_header

_DATA = Path(__file__).parents[4] / ".." / "shared" / "data" / "loghub_2k"


def test_fields_are_lazy_named_groups_and_content_takes_the_rest() -> None:
    regex = compile_log_format("<Date> <Time> <Level> <Component>: <Content>")
    assert regex.pattern == (
        r"^(?P<Date>.*?)\s+(?P<Time>.*?)\s+(?P<Level>.*?)\s+(?P<Component>.*?):\s+(?P<Content>.*)$"
    )


def test_a_line_is_split_into_header_fields_and_content() -> None:
    line = "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating"
    fields, content = split_header("<Date> <Time> <Pid> <Level> <Component>: <Content>", line) or (
        {},
        "",
    )
    assert fields == {
        "Date": "081109",
        "Time": "203615",
        "Pid": "148",
        "Level": "INFO",
        "Component": "dfs.DataNode$PacketResponder",
    }
    assert content == "PacketResponder 1 terminating"


def test_literal_brackets_and_optional_parts_of_the_format_are_regex() -> None:
    layout = HeaderFormat.parse(
        "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>"
    )
    with_pid = layout.split("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown")
    without_pid = layout.split("Jun 15 04:06:18 combo su(pam_unix): session opened for user news")
    assert with_pid is not None and with_pid[0]["PID"] == "19939"
    assert with_pid[1] == "check pass; user unknown"
    assert without_pid is not None and without_pid[0]["PID"] == ""
    assert without_pid[1] == "session opened for user news"


def test_a_line_that_does_not_match_is_none_and_its_content_the_whole_line() -> None:
    layout = HeaderFormat.parse("\\[<Time>\\] \\[<Level>\\] <Content>")
    assert layout.split("no header here") is None
    assert layout.content("  no header here ") == "no header here"


@pytest.mark.parametrize("log_format", ["<Date> <Time>", "<Bad-Name> <Content>"])
def test_a_format_without_content_or_with_a_bad_field_name_is_refused(log_format: str) -> None:
    with pytest.raises(ValueError, match="log format"):
        compile_log_format(log_format)


@pytest.mark.skipif(not _DATA.is_dir(), reason="shared Loghub-2k data not present")
def test_every_loghub_format_splits_every_line_of_its_system() -> None:
    formats = json.loads((_DATA / "formats.json").read_text(encoding="utf-8"))
    for system, entry in formats.items():
        layout = HeaderFormat.parse(entry["log_format"])
        lines = (_DATA / system / f"{system}_2k.log").read_text(encoding="utf-8").splitlines()
        unmatched = [line for line in lines if layout.split(line) is None]
        assert unmatched == [], system
