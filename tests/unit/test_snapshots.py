"""Pasted command output: full filesystems in df tables, a client hoarding database sessions."""

from faultmaven.snapshots import SnapshotFinding, read_snapshots

DF_H = """\
$ df -h
Filesystem       Size  Used Avail Use% Mounted on
/dev/root         49G   49G     0 100% /
tmpfs            7.8G     0  7.8G   0% /dev/shm
/dev/nvme1n1     197G   61G  127G  33% /var/lib/postgresql
"""
DF_I = """\
$ df -i /srv
Filesystem       Inodes   IUsed IFree IUse% Mounted on
/dev/sdb1       6553600 6553600     0  100% /srv
"""
GROUPED = """\
 application_name |  usename   | state  | connections
------------------+------------+--------+-------------
 report-worker    | orders_app | idle   |          27
 psql             | postgres   | active |           1
(2 rows)
"""


def test_df_names_the_full_filesystem_and_its_row() -> None:
    lines = ["notes from the bridge", *DF_H.splitlines()]
    assert read_snapshots(lines) == [
        SnapshotFinding("filesystem_full", "/", 4, 4, "/ (/dev/root) is 100% full of space")
    ]


def test_df_i_reads_inodes_not_space() -> None:
    [finding] = read_snapshots(DF_I.splitlines())
    assert (finding.kind, finding.subject, finding.line_start) == ("inodes_full", "/srv", 3)


def test_a_half_full_filesystem_is_no_finding() -> None:
    lines = DF_H.replace("49G     0 100%", "20G   29G  41%").splitlines()
    assert read_snapshots(lines) == []


def test_grouped_session_counts_name_the_client_holding_them_idle() -> None:
    [finding] = read_snapshots(GROUPED.splitlines())
    assert finding.kind == "connections_held"
    assert finding.subject == "report-worker"
    assert finding.line_start == 3
    assert "27 of 28" in finding.detail


def test_one_row_per_session_is_tallied_per_client() -> None:
    header = "  pid  | application_name |        state        | query"
    rule = "-------+------------------+---------------------+-------"
    rows = [f" {100 + n} | billing          | idle in transaction | UPDATE x" for n in range(12)]
    rows += [f" {200 + n} | web              | active              | SELECT 1" for n in range(3)]
    [finding] = read_snapshots([header, rule, *rows, "(15 rows)"])
    assert (finding.subject, finding.line_start) == ("billing", 3)
    assert "12 of 15" in finding.detail


def test_sessions_spread_across_clients_are_no_finding() -> None:
    header = " application_name | state | count"
    rule = "------------------+-------+-------"
    rows = [" web   | idle   | 20", " api   | idle   | 18", " jobs  | active | 15"]
    assert read_snapshots([header, rule, *rows]) == []


def test_tables_without_session_columns_are_ignored() -> None:
    lines = [" name | size", "------+------", " orders | 12 GB"]
    assert read_snapshots(lines) == []
