"""Command output pasted in notes places a failure: df run on a host names that host."""

import httpx

NOTES = """\
# web-02, checkout errors

deploy@web-02:~$ df -i
Filesystem       Inodes   IUsed   IFree IUse% Mounted on
/dev/nvme0n1p1  6553600 6553600       0  100% /
tmpfs           1015880       1 1015879    1% /dev/shm
"""


def _log(program: str, minute: int, failure: str) -> str:
    lines = [
        f"2026-11-25T10:{n // 60:02d}:{n % 60:02d}Z INFO [{program}] request {n} served in 3 ms"
        for n in range(600)
    ]
    for index in range(5):
        at = minute * 60 + index * 7
        lines.insert(at, f"2026-11-25T10:{at // 60:02d}:{at % 60:02d}Z ERROR [{program}] {failure}")
    return "\n".join(lines) + "\n"


def test_a_full_filesystem_several_programs_report_is_placed_at_the_host_whose_df_shows_it(
    client: httpx.Client, case_id: str
) -> None:
    files = {
        "nginx.log": _log("nginx", 4, "open() failed (28: No space left on device)"),
        "php-fpm.log": _log("php-fpm", 6, "session write failed: No space left on device"),
        "notes.md": NOTES,
    }
    for name, text in files.items():
        added = client.post(f"/v1/cases/{case_id}/evidence", files={"file": (name, text.encode())})
        assert added.status_code == 201, added.text
    answer = client.post(f"/v1/cases/{case_id}/messages", json={"content": "what is filling up?"})
    assert answer.status_code == 200, answer.text
    top = answer.json()["diagnosis"]["hypotheses"][0]
    assert (top["category"], top["component"]) == ("disk", "web-02")
    cited = {(c["evidence_name"], c["line_start"]) for c in top["citations"]}
    assert ("notes.md", 5) in cited
