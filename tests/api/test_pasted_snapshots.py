"""Command output pasted in notes places a failure: df run on a host names that host."""

from typing import Any

import httpx

from tests_support import ask_diagnosis, upload_evidence

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


def _top_hypothesis(
    client: httpx.Client, case_id: str, files: dict[str, str], question: str
) -> dict[str, Any]:
    """Upload the files as evidence, ask the question, return the top hypothesis."""
    for name, text in files.items():
        upload_evidence(client, case_id, name, text.encode())
    top: dict[str, Any] = ask_diagnosis(client, case_id, question)["hypotheses"][0]
    return top


def test_a_full_filesystem_several_programs_report_is_placed_at_the_host_whose_df_shows_it(
    client: httpx.Client, case_id: str
) -> None:
    files = {
        "nginx.log": _log("nginx", 4, "open() failed (28: No space left on device)"),
        "php-fpm.log": _log("php-fpm", 6, "session write failed: No space left on device"),
        "notes.md": NOTES,
    }
    top = _top_hypothesis(client, case_id, files, "what is filling up?")
    assert (top["category"], top["component"]) == ("disk", "web-02")
    cited = {(c["evidence_name"], c["line_start"]) for c in top["citations"]}
    assert ("notes.md", 5) in cited


NODES = """\
$ kubectl -n media get pods -l app=media-upload -o wide
NAME                            READY   STATUS    RESTARTS   AGE     IP             NODE            NOMINATED NODE   READINESS GATES
media-upload-6d7f8c9b45-2hjwk   1/1     Running   0          2h19m   10.244.8.203   k8s-media-w01   <none>           <none>
media-upload-6d7f8c9b45-8rmxv   1/1     Running   0          2h19m   10.244.9.88    k8s-media-w03   <none>           <none>

$ kubectl debug node/k8s-media-w03 -it --image=ubuntu:22.04 -- chroot /host sh -c 'date -u; chronyc tracking'
Tue Dec  1 09:32:03 UTC 2026
506 Cannot talk to daemon
"""  # noqa: E501
SKEWED = (
    "upload failed: operation error S3: PutObject, StatusCode: 403, api error"
    " RequestTimeTooSkewed: The difference between the request time and the server's time is"
    " too large."
)


def test_a_clock_failing_in_one_pod_is_placed_at_its_node_whose_time_service_is_down(
    client: httpx.Client, case_id: str
) -> None:
    files = {
        "media-upload-6d7f8c9b45-8rmxv.log": _log("media-upload", 3, SKEWED),
        "media-upload-6d7f8c9b45-2hjwk.log": _log("media-upload", 3, "GET /healthz 200"),
        "kubectl-nodes.txt": NODES,
    }
    top = _top_hypothesis(client, case_id, files, "why the 403s?")
    assert (top["category"], top["component"]) == ("clock", "k8s-media-w03")
    cited = {(c["evidence_name"], c["line_start"], c["line_end"]) for c in top["citations"]}
    # The whole output of the command is quoted: the date beside the daemon's silence.
    assert ("kubectl-nodes.txt", 7, 8) in cited


PROCESSLIST = """\
mysql> SELECT user, command, count(*) AS n FROM information_schema.processlist GROUP BY 1, 2;
+-----------+---------+-----+
| user      | command | n   |
+-----------+---------+-----+
| fin_exp   | Sleep   | 280 |
| app       | Sleep   |  79 |
| app       | Query   |  32 |
+-----------+---------+-----+
3 rows in set (0.01 sec)
"""
POOL = (
    "HikariPool-1 - configuration: jdbcUrl=jdbc:mysql://orders-mysql-01:3306/shop"
    " username=fin_exp maximumPoolSize=280 minimumIdle=280"
)


def test_the_account_hoarding_mysql_sessions_is_named_after_the_service_configured_with_it(
    client: httpx.Client, case_id: str
) -> None:
    exporter = _log("report-exporter", 1, "x").replace(
        "ERROR [report-exporter] x", f"INFO [report-exporter] {POOL}", 1
    )
    files = {
        "checkout.log": _log("checkout", 6, "OperationalError: (1040, 'Too many connections')"),
        "orders-mysql-01-processlist.txt": PROCESSLIST,
        "report-exporter.log": exporter,
    }
    top = _top_hypothesis(client, case_id, files, "why the 500s?")
    assert (top["category"], top["component"]) == ("connection_pool", "report-exporter")
    cited = {(c["evidence_name"], c["line_start"]) for c in top["citations"]}
    # The row is cited; the pool setting is what named the account's service.
    assert ("orders-mysql-01-processlist.txt", 5) in cited


TARGET_HEALTH = """\
$ aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:ap-southeast-2:4815:targetgroup/tg-shopweb-80/9c2e --output text
i-0b71c3e5d2a9f4410	unhealthy	Target.ResponseCodeMismatch	Health checks failed with these codes: [301]
i-09d3e7a4c1f2b8065	unhealthy	Target.ResponseCodeMismatch	Health checks failed with these codes: [301]
"""  # noqa: E501


def test_targets_answering_the_health_check_with_a_redirect_are_the_configuration_cause(
    client: httpx.Client, case_id: str
) -> None:
    files = {
        "shopweb-error.log": _log("php-fpm", 4, "[pool www] seems busy, spawning 8 children"),
        "aws-cli.txt": TARGET_HEALTH,
    }
    top = _top_hypothesis(client, case_id, files, "why the 502s at the ALB?")
    assert (top["category"], top["component"]) == ("configuration", "shopweb")
    cited = {(c["evidence_name"], c["line_start"]) for c in top["citations"]}
    assert ("aws-cli.txt", 2) in cited


VARIABLES = """\
mysql> SHOW GLOBAL VARIABLES WHERE Variable_name IN ('max_allowed_packet', 'max_connections');
+--------------------+---------+
| Variable_name      | Value   |
+--------------------+---------+
| max_allowed_packet | 4194304 |
| max_connections    | 500     |
+--------------------+---------+
"""


def test_the_packet_limit_hypothesis_cites_the_pasted_max_allowed_packet(
    client: httpx.Client, case_id: str
) -> None:
    failure = "[Warning] Got a packet bigger than 'max_allowed_packet' bytes"
    files = {"mysql-error.log": _log("mysqld", 5, failure), "variables.txt": VARIABLES}
    top = _top_hypothesis(client, case_id, files, "why do uploads fail?")
    cited = {(c["evidence_name"], c["line_start"]) for c in top["citations"]}
    assert ("variables.txt", 5) in cited
    assert ("variables.txt", 6) not in cited
