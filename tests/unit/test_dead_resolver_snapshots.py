"""A host whose first nameserver no longer answers, read from resolv.conf and dig."""

from faultmaven.snapshots import read_snapshots

SHELL = """[ops@billing-batch-03 ~]$ cat /etc/resolv.conf
# This file is managed by ansible (role: base, 2.3.1).
nameserver 10.9.0.53
nameserver 10.9.0.54
[ops@billing-batch-03 ~]$ dig +tries=1 +time=2 @10.9.0.53 ledger.internal
;; communications error to 10.9.0.53#53: timed out
[ops@billing-batch-01 ~]$ cat /etc/resolv.conf
nameserver 10.9.0.54
nameserver 10.9.0.53"""


def _dead(text: str) -> list[tuple[int, str, str | None]]:
    return [
        (finding.line_start, finding.subject, finding.host)
        for finding in read_snapshots(text.splitlines())
        if finding.kind == "first_resolver_dead"
    ]


def test_a_silent_first_nameserver_is_read_at_its_host() -> None:
    # billing-batch-01 lists the silent server second: it costs nothing while the first answers.
    assert _dead(SHELL) == [(3, "10.9.0.53", "billing-batch-03")]


def test_a_nameserver_never_seen_timing_out_is_no_finding() -> None:
    assert _dead(SHELL.replace("communications error to 10.9.0.53#53: timed out", "")) == []
