"""`faultmaven templates`: one JSON object per input line, in order, with final templates."""

import gzip
import json
import subprocess
import sys
import zipfile
from pathlib import Path

JAVA_LOG = "\n".join(
    [
        "2024-05-01 10:00:00,001 INFO  [main] com.shop.Api - request 17 served in 12 ms",
        "2024-05-01 10:00:01,002 INFO  [main] com.shop.Api - request 18 served in 40 ms",
        "2024-05-01 10:00:02,003 ERROR [main] com.shop.Api - checkout failed for order 991",
        "java.lang.IllegalStateException: pool exhausted",
        "\tat com.shop.Pool.take(Pool.java:42)",
        "\tat com.shop.Api.checkout(Api.java:17)",
        "2024-05-01 10:00:03,004 INFO  [main] com.shop.Api - request 19 served in 9 ms",
    ]
)
HDFS_FORMAT = "<Date> <Time> <Pid> <Level> <Component>: <Content>"
RESPONDER = "dfs.DataNode$PacketResponder: PacketResponder"
HDFS_LINES = [
    f"081109 203615 148 INFO {RESPONDER} 1 for block blk_38 terminating",
    f"081109 203807 222 INFO {RESPONDER} 0 for block blk_-69 terminating",
    "081109 204005 35 WARN dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated:"
    " 10.251.73.220:50010 is added to blk_71 size 67108864",
]


def _templates(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "faultmaven", "templates", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _records(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_every_line_gets_a_record_and_stack_trace_lines_carry_their_events_template(
    tmp_path: Path,
) -> None:
    log = tmp_path / "api.log"
    log.write_text(JAVA_LOG + "\n")
    records = _records(_templates(str(log), "--jsonl"))
    assert [r["line"] for r in records] == list(range(1, 8))
    served = {records[i]["group"] for i in (0, 1, 6)}
    assert len(served) == 1
    assert "<*>" in str(records[0]["template"])
    assert records[3]["template"] == records[2]["template"] == records[5]["template"]
    assert records[2]["group"] not in served
    assert records[2]["level"] == "ERROR" and records[0]["level"] == "INFO"
    assert records[0]["time"] == "2024-05-01T10:00:00.001000Z"


def test_per_line_makes_every_physical_line_its_own_event(tmp_path: Path) -> None:
    log = tmp_path / "api.log"
    log.write_text(JAVA_LOG)
    records = _records(_templates(str(log), "--jsonl", "--per-line"))
    assert len(records) == 7
    assert records[4]["template"] != records[2]["template"]


def test_log_format_gives_the_miner_only_the_content(tmp_path: Path) -> None:
    log = tmp_path / "hdfs.log.gz"
    log.write_bytes(gzip.compress("\n".join(HDFS_LINES).encode()))
    records = _records(_templates(str(log), "--jsonl", "--per-line", "--log-format", HDFS_FORMAT))
    assert records[0]["template"] == "PacketResponder <*> for block <*> terminating"
    assert records[0]["group"] == records[1]["group"] != records[2]["group"]
    assert records[2]["level"] == "WARN"
    assert records[0]["time"] is not None


def test_without_jsonl_a_table_of_templates_and_counts_is_printed(tmp_path: Path) -> None:
    log = tmp_path / "api.log"
    log.write_text(JAVA_LOG)
    result = _templates(str(log))
    assert result.returncode == 0, result.stderr
    assert "templates in api.log" in result.stdout
    assert "served in" in result.stdout


def test_bad_log_format_and_missing_file_are_one_line_errors(tmp_path: Path) -> None:
    log = tmp_path / "api.log"
    log.write_text(JAVA_LOG)
    no_content = _templates(str(log), "--log-format", "<Date> <Time>")
    missing = _templates(str(tmp_path / "nope.log"))
    for result in (no_content, missing):
        assert result.returncode == 1
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_a_zip_holding_one_log_is_read_like_the_log(tmp_path: Path) -> None:
    plain = tmp_path / "hdfs.log"
    plain.write_text("\n".join(HDFS_LINES))
    packed = tmp_path / "hdfs.zip"
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(plain, "logs/hdfs.log")
    arguments = ("--jsonl", "--per-line", "--log-format", HDFS_FORMAT)
    assert _records(_templates(str(packed), *arguments)) == _records(
        _templates(str(plain), *arguments)
    )


def test_a_zip_of_several_logs_or_a_broken_zip_is_refused_in_one_line(tmp_path: Path) -> None:
    several = tmp_path / "many.zip"
    with zipfile.ZipFile(several, "w") as archive:
        archive.writestr("a.log", JAVA_LOG)
        archive.writestr("b.log", JAVA_LOG)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    for path, words in ((several, "holds 2 files"), (broken, "not a readable zip")):
        result = _templates(str(path))
        assert result.returncode == 1
        assert words in result.stderr and result.stderr.count("\n") == 1
