"""Pasted command output: full filesystems in df tables, a client hoarding database sessions."""

import re

import pytest

from faultmaven.snapshots import SnapshotFinding, read_snapshots
from faultmaven.snapshots.prompt import is_command_line, named_by_command, prompt_host

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


def test_the_shell_prompt_before_a_table_names_the_host_it_ran_on() -> None:
    prompts = {
        "deploy@web-02:~$ df -i /srv": "web-02",
        "[root@db-3.prod ~]# df -i /srv": "db-3.prod",
        "$ df -i /srv": None,
    }
    for prompt, host in prompts.items():
        lines = ["ops@bastion:~$ ssh web-02", prompt, *DF_I.splitlines()[1:]]
        [finding] = read_snapshots(lines)
        assert finding.host == host, prompt
    assert read_snapshots(DF_I.splitlines())[0].host is None


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


def _thread(name: str, number: int, state: str, frames: list[str]) -> list[str]:
    header = f'"{name}" #{number} [{number + 40}] prio=5 os_prio=0 cpu=1.00ms elapsed=9.00s'
    lines = [f"{header} tid=0x00007f3a2c6b3547 nid={number} waiting on condition  [0x0]"]
    lines.append(f"   java.lang.Thread.State: {state}")
    lines += [f"\tat {frame}(Source.java:1)" for frame in frames]
    return [*lines, ""]


STUCK = [
    "jdk.internal.misc.Unsafe.park",
    "java.util.concurrent.CompletableFuture.join",
    "com.acme.pricing.quote.QuoteService.lambda$quote$2",
    "java.util.concurrent.ThreadPoolExecutor.runWorker",
]
IDLE = [
    "jdk.internal.misc.Unsafe.park",
    "java.util.concurrent.LinkedBlockingQueue.take",
    "java.util.concurrent.ThreadPoolExecutor.getTask",
    "java.util.concurrent.ThreadPoolExecutor.runWorker",
]


def test_a_pool_whose_every_thread_waits_in_application_code_is_starved() -> None:
    lines = ["2026-02-10 17:31:07", "Full thread dump OpenJDK 64-Bit Server VM:", ""]
    for n in range(1, 9):
        lines += _thread(f"http-nio-8080-exec-{n}", 100 + n, "TIMED_WAITING (parking)", STUCK)
    for n in range(1, 5):
        lines += _thread(f"pricing-worker-{n}", 40 + n, "WAITING (parking)", STUCK)
    [finding] = read_snapshots(lines)
    assert (finding.kind, finding.subject) == ("pool_starved", "pricing-worker")
    assert lines[finding.line_start - 1].startswith('"pricing-worker-1"')
    assert "QuoteService" in lines[finding.line_end - 1]
    assert "all 4 threads" in finding.detail


def test_idle_pool_threads_waiting_for_work_are_not_starvation() -> None:
    lines: list[str] = []
    for n in range(1, 9):
        lines += _thread(f"pool-1-thread-{n}", n, "WAITING (parking)", IDLE)
    assert read_snapshots(lines) == []


def test_a_pool_with_one_busy_thread_is_not_starved() -> None:
    lines: list[str] = []
    for n in range(1, 6):
        lines += _thread(f"worker-{n}", n, "WAITING (parking)", STUCK)
    lines += _thread("worker-6", 6, "RUNNABLE", ["com.acme.Work.run"])
    assert read_snapshots(lines) == []


def test_the_jvms_own_deadlock_report_is_a_finding() -> None:
    lines = ["Found one Java-level deadlock:", "=============================", '"a":', ""]
    [finding] = read_snapshots(lines)
    assert (finding.kind, finding.line_start) == ("thread_deadlock", 1)


ANSIBLE_DIFF = """TASK [haproxy : render haproxy.cfg] ******************************
--- before: /etc/haproxy/haproxy.cfg
+++ after: /home/deploy/.ansible/tmp/haproxy.cfg.j2
@@ -18,6 +18,6 @@
 defaults
     timeout connect 5s
-    timeout server 120s
+    timeout server 5s
     timeout client 60s

changed: [lb-east-2]

TASK [haproxy : validate] ******************************************
ok: [lb-east-1]
ok: [lb-east-2]
""".splitlines()


def test_a_diff_cutting_a_timeout_names_the_setting_program_and_changed_host() -> None:
    [finding] = read_snapshots(ANSIBLE_DIFF)
    assert (finding.kind, finding.subject, finding.host) == (
        "timeout_lowered",
        "haproxy",
        "lb-east-2",
    )
    assert (finding.line_start, finding.line_end) == (8, 8)
    assert "`timeout server` cut from 120s to 5s" in finding.detail


def test_a_git_diff_compares_durations_across_units_and_takes_the_prompt_host() -> None:
    lines = [
        "deploy@web-7:~$ git diff",
        "--- a/nginx/api.conf",
        "+++ b/nginx/api.conf",
        "@@ -3,2 +3,2 @@ location /api/ {",
        "-    proxy_read_timeout 2m;",
        "+    proxy_read_timeout 30s;",
    ]
    [finding] = read_snapshots(lines)
    assert (finding.subject, finding.host, finding.line_start) == ("api", "web-7", 6)


def test_raised_timeouts_untimed_settings_and_lines_outside_a_diff_are_no_finding() -> None:
    raised = ["--- a/app.yaml", "+++ b/app.yaml", "@@ -1,1 +1,1 @@"]
    raised += ["-readTimeout: 5s", "+readTimeout: 60s", "-retries: 10", "+retries: 1"]
    assert read_snapshots(raised) == []
    assert read_snapshots(["-timeout server 120s", "+timeout server 5s"]) == []
    mixed = ["--- a/x.conf", "+++ b/x.conf", "@@ -1 +1 @@", "-timeout 120s", "+timeout 5000"]
    assert read_snapshots(mixed) == [], "a bare number is not compared with seconds"


def test_an_ss_listen_row_at_its_backlog_is_a_full_accept_queue_on_the_prompts_host() -> None:
    lines = [
        "[ops@pricing-07 ~]$ ss -ltn 'sport = :8443'",
        "State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process",
        "LISTEN 129    128          0.0.0.0:8443       0.0.0.0:*",
        "LISTEN 0      4096         0.0.0.0:9100       0.0.0.0:*",
    ]
    [finding] = read_snapshots(lines)
    assert (finding.kind, finding.subject, finding.host) == (
        "listen_queue_full",
        "0.0.0.0:8443",
        "pricing-07",
    )
    assert finding.line_start == 3


def test_listen_rows_below_their_backlog_or_outside_an_ss_table_are_no_finding() -> None:
    assert read_snapshots(["State Recv-Q Send-Q Local Address:Port", "LISTEN 3 128 *:80"]) == []
    assert read_snapshots(["LISTEN 129 128 0.0.0.0:8443 0.0.0.0:*"]) == []


def test_the_oldest_row_of_pg_prepared_xacts_is_a_forgotten_prepared_transaction() -> None:
    lines = [
        "jobs=# SELECT transaction, gid, prepared, owner, database FROM pg_prepared_xacts;",
        " transaction | gid      |           prepared            |  owner   | database",
        "-------------+----------+-------------------------------+----------+----------",
        "    81123399 | 131077_b | 2025-05-11 08:00:00.000000+00 | payments | jobs",
        "    81123311 | 131077_a | 2025-05-09 23:41:07.118842+00 | payments | jobs",
        "(2 rows)",
    ]
    [finding] = read_snapshots(lines)
    assert (finding.kind, finding.subject, finding.line_start) == (
        "prepared_transaction",
        "jobs",
        5,
    )
    assert "131077_a" in finding.detail
    assert read_snapshots([*lines[:3], "(0 rows)"]) == []


OPENSSL_FROM_TWO_HOSTS = """\
[root@batch-old-01 ~]# openssl s_client -connect api.partner.example:443 </dev/null | grep verify
depth=1 C = GB, O = Sectigo Limited, CN = Sectigo Public Server Authentication CA DV R36
verify error:num=20:unable to get local issuer certificate
    Verify return code: 20 (unable to get local issuer certificate)
[root@batch-02 ~]# openssl s_client -connect api.partner.example:443 </dev/null | grep 'Verify'
    Verify return code: 0 (ok)
""".splitlines()


def test_tls_verification_failing_on_one_host_and_passing_on_another_is_its_trust_store() -> None:
    [finding] = read_snapshots(OPENSSL_FROM_TWO_HOSTS)
    assert (finding.kind, finding.host, finding.line_start) == (
        "trust_store_outdated",
        "batch-old-01",
        3,
    )
    assert finding.subject == "api.partner.example:443"


def test_a_verification_failing_everywhere_or_on_one_host_alone_names_no_trust_store() -> None:
    assert read_snapshots(OPENSSL_FROM_TWO_HOSTS[:4]) == []
    everywhere = [line.replace("0 (ok)", "20 (unable to get local issuer certificate)")
                  for line in OPENSSL_FROM_TWO_HOSTS]  # fmt: skip
    assert read_snapshots(everywhere) == []


HANDSHAKE_FROM_TWO_HOSTS = """\
[root@edi-gw-01 ~]# openssl s_client -connect as2.partner.example:443 </dev/null | grep -E 'Protocol|Verify'
    Protocol  : TLSv1.2
    Verify return code: 0 (ok)
[root@edi-gw-02 ~]# openssl s_client -connect as2.partner.example:443 </dev/null
CONNECTED(00000003)
depth=0 C = DE, CN = as2.partner.example
verify return:1
40F7A1C3E37F0000:error:0A00018A:SSL routines:tls_process_ske_dhe:dh key too small:ssl/statem/statem_clnt.c:2103:
---
Verification error: ok
""".splitlines()  # noqa: E501


def test_a_handshake_one_hosts_openssl_aborts_where_another_completes_is_its_tls_settings() -> None:
    [finding] = read_snapshots(HANDSHAKE_FROM_TWO_HOSTS)
    assert (finding.kind, finding.host, finding.line_start) == (
        "tls_settings_refuse",
        "edi-gw-02",
        8,
    )
    assert "dh key too small" in finding.detail
    assert read_snapshots(HANDSHAKE_FROM_TWO_HOSTS[3:]) == [], "no host completed it"


NODE_CLOCK = """\
$ kubectl get nodes
NAME            STATUS   ROLES    AGE   VERSION
k8s-media-w03   Ready    <none>   21h   v1.30.6

$ kubectl debug node/k8s-media-w03 -it --image=ubuntu:22.04 -- chroot /host sh -c 'date -u; chronyc tracking; systemctl is-enabled chronyd'
Tue Dec  1 09:32:03 UTC 2026
506 Cannot talk to daemon
masked
$ ssh db-3 timedatectl
               Local time: Tue 2026-12-01 09:48:57 UTC
System clock synchronized: no
              NTP service: inactive
"""  # noqa: E501
KEPT_CLOCK = """\
$ timedatectl
System clock synchronized: yes
              NTP service: active
$ chronyc tracking
Leap status     : Normal
"""


def test_a_stopped_time_service_is_a_finding_on_the_host_the_command_ran_on() -> None:
    found = read_snapshots(NODE_CLOCK.splitlines())
    assert [(f.kind, f.host, f.line_start, f.line_end) for f in found] == [
        ("clock_unsynchronised", "k8s-media-w03", 6, 8),
        ("clock_unsynchronised", "db-3", 10, 12),
    ]
    assert "506 Cannot talk to daemon" in found[0].detail


def test_a_synchronised_clock_is_no_finding() -> None:
    assert read_snapshots(KEPT_CLOCK.splitlines()) == []


SYNC_STANDBY_AWAY = """\
ledger=# SHOW synchronous_standby_names;
 synchronous_standby_names
---------------------------
 FIRST 1 (pg-ledger-2)
(1 row)

ledger=# SELECT application_name, state, sync_state FROM pg_stat_replication;
 application_name |   state   | sync_state
------------------+-----------+------------
 pg-ledger-3      | streaming | async
(1 row)

ledger=# SELECT wait_event, count(*) FROM pg_stat_activity GROUP BY 1;
 wait_event | count
------------+-------
 SyncRep    |    38
(1 row)
"""


def test_a_named_synchronous_standby_missing_from_pg_stat_replication_is_a_finding() -> None:
    found = read_snapshots(SYNC_STANDBY_AWAY.splitlines())
    assert [(f.kind, f.subject, f.host, f.line_start) for f in found] == [
        ("sync_standby_missing", "pg-ledger-2", "pg-ledger-2", 4),
        ("sync_standby_missing", "pg-ledger-2", "pg-ledger-2", 16),
    ]
    assert "lists pg-ledger-3" in found[0].detail


def test_a_configured_standby_with_backends_waiting_on_syncrep_is_a_finding() -> None:
    pasted = [
        "$ grep ^synchronous_standby_names /etc/postgresql/16/main/postgresql.conf",
        "synchronous_standby_names = 'orders-replica'",
        "$ psql -c 'select wait_event from pg_stat_activity'",
        " wait_event | count",
        "------------+-------",
        " SyncRep    |    12",
    ]
    found = read_snapshots(pasted)
    assert [(f.subject, f.line_start) for f in found] == [
        ("orders-replica", 2),
        ("orders-replica", 6),
    ]


def test_a_connected_standby_or_asynchronous_replication_is_no_finding() -> None:
    connected = SYNC_STANDBY_AWAY.replace("pg-ledger-3 ", "pg-ledger-2 ")
    assert read_snapshots(connected.splitlines()) == []
    asynchronous = SYNC_STANDBY_AWAY.replace(" FIRST 1 (pg-ledger-2)", " ")
    assert read_snapshots(asynchronous.splitlines()) == []
    no_replication_shown = SYNC_STANDBY_AWAY.splitlines()[:5]
    assert read_snapshots(no_replication_shown) == []


def test_a_query_naming_syncrep_is_no_wait_row() -> None:
    pasted = [
        " synchronous_standby_names",
        "---------------------------",
        " pg-ledger-2",
        "ledger=# select count(*) from pg_stat_activity where wait_event = 'SyncRep';",
        " count",
        "-------",
        "     0",
    ]
    assert read_snapshots(pasted) == []


PROCESSLIST = """\
mysql> SELECT user, command, count(*) AS n FROM information_schema.processlist GROUP BY 1, 2;
+-----------+---------+-----+
| user      | command | n   |
+-----------+---------+-----+
| fin_exp   | Sleep   | 280 |
| app       | Sleep   |  79 |
| app       | Query   |  32 |
| repl      | Binlog Dump GTID | 1 |
+-----------+---------+-----+
4 rows in set (0.01 sec)
"""


def test_a_mysql_processlist_names_the_account_holding_sessions_asleep() -> None:
    found = read_snapshots(PROCESSLIST.splitlines())
    assert [(f.kind, f.subject, f.line_start) for f in found] == [
        ("connections_held", "fin_exp", 5)
    ]
    assert "280 of 392" in found[0].detail


def test_mysql_sessions_spread_across_accounts_are_no_finding() -> None:
    spread = PROCESSLIST.replace("| 280 |", "|  20 |").replace("|  79 |", "|  40 |")
    assert read_snapshots(spread.splitlines()) == []


PINNED = """\
deploy@web-04:~$ getent hosts pg-main.db.internal
10.20.1.31      pg-main.db.internal
deploy@web-04:~$ dig +short pg-main.db.internal
10.20.1.32
deploy@web-04:~$ grep -n pg-main /etc/hosts
9:10.20.1.31   pg-main.db.internal   # temp during DNS outage, remove after
deploy@web-02:~$ getent hosts pg-main.db.internal
10.20.1.32      pg-main.db.internal
"""


def test_a_name_a_host_resolves_from_its_files_unlike_dns_is_pinned_in_etc_hosts() -> None:
    found = read_snapshots(PINNED.splitlines())
    assert [(f.kind, f.subject, f.host, f.line_start) for f in found] == [
        ("hosts_file_pin", "pg-main.db.internal", "web-04", 2),
        ("hosts_file_pin", "pg-main.db.internal", "web-04", 6),
    ]
    assert "DNS answers 10.20.1.32" in found[0].detail


COREFILE_PIN = """\
$ kubectl -n kube-system get configmap coredns -o yaml
    .:53 {
        hosts {
           203.0.113.40 api.partner.example
           fallthrough
        }
        forward . /etc/resolv.conf
    }
$ kubectl -n payments exec deploy/settlement-worker -- getent hosts api.partner.example
203.0.113.40    api.partner.example
$ dig +short api.partner.example @1.1.1.1
198.51.100.77
"""


def test_a_name_pinned_in_corefiles_hosts_block_is_the_cluster_resolvers() -> None:
    found = read_snapshots(COREFILE_PIN.splitlines())
    assert [(f.kind, f.subject, f.host, f.line_start) for f in found] == [
        ("hosts_file_pin", "api.partner.example", "coredns", 10),
        ("hosts_file_pin", "api.partner.example", "coredns", 4),
    ]
    assert "CoreDNS's hosts block" in found[0].detail


def test_resolution_agreeing_with_dns_or_compared_across_hosts_is_no_finding() -> None:
    agreeing = PINNED.replace("10.20.1.31", "10.20.1.32")
    assert read_snapshots(agreeing.splitlines()) == []
    other_host = ["deploy@web-02:~$ dig +short pg-main.db.internal", "10.20.1.32"]
    assert read_snapshots([*PINNED.splitlines()[:2], *other_host]) == []


DNS_UDP_ONLY = """\
app-b-07:~$ dig search-api.service.dc1.consul @10.50.0.12
;; Truncated, retrying in TCP mode.
;; communications error to 10.50.0.12#53: timed out
;; no servers could be reached
dns-int-02:~$ sudo nft list chain inet filter input
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		udp dport 53 ip saddr 10.0.0.0/8 accept
		counter packets 48812 bytes 2928720 drop
	}
}
"""


def test_a_dns_servers_firewall_accepting_only_udp_53_drops_the_tcp_fallback() -> None:
    found = read_snapshots(DNS_UDP_ONLY.splitlines())
    assert [(f.kind, f.host, f.line_start) for f in found] == [
        ("dns_tcp_blocked", "dns-int-02", 10),
        ("dns_tcp_blocked", "dns-int-02", 2),
    ]


def test_a_firewall_accepting_dns_over_both_protocols_is_no_finding() -> None:
    both = DNS_UDP_ONLY.replace(
        "udp dport 53 ip saddr 10.0.0.0/8 accept",
        "udp dport 53 accept\n\t\ttcp dport { 22, 53 } accept",
    )
    assert read_snapshots(both.splitlines()) == []
    open_policy = DNS_UDP_ONLY.replace("policy drop;", "policy accept;").replace(
        "bytes 2928720 drop", "bytes 2928720 accept"
    )
    assert read_snapshots(open_policy.splitlines()) == []


@pytest.mark.parametrize(
    ("prompt", "host"),
    [
        ("dns-int-02:~$ sudo nft list ruleset", "dns-int-02"),
        ("lb-02$ echo 'show stat' | socat stdio /run/haproxy/admin.sock", "lb-02"),
        ("deploy@web-04:~$ df -h", "web-04"),
        ("$ df -h", None),
    ],
)
def test_a_prompt_names_its_host_with_or_without_the_user(prompt: str, host: str | None) -> None:
    assert prompt_host([prompt, "output"], 2) == host


def test_prose_with_a_dollar_is_no_prompt() -> None:
    assert not is_command_line("Total: 42$ per month")


ETHTOOL = """\
[ec2-user@ingest-07 ~]$ ethtool -S ens5 | grep allowance
     bw_in_allowance_exceeded: 0
     bw_out_allowance_exceeded: 0
     pps_allowance_exceeded: 0
     conntrack_allowance_exceeded: 0
     linklocal_allowance_exceeded: 1184207
     conntrack_allowance_available: 341882
[ec2-user@ingest-03 ~]$ ethtool -S ens5 | grep -E 'linklocal|pps'
     linklocal_allowance_exceeded: 0
     pps_allowance_exceeded: 5120
"""


def test_ena_allowance_counters_above_zero_are_dropped_packets_on_their_host() -> None:
    found = read_snapshots(ETHTOOL.splitlines())
    assert [(f.kind, f.subject, f.line_start, f.host) for f in found] == [
        ("linklocal_allowance_exceeded", "linklocal_allowance_exceeded", 6, "ingest-07"),
        ("allowance_exceeded", "pps_allowance_exceeded", 10, "ingest-03"),
    ]
    assert "1,184,207 packets to link-local services" in found[0].detail


TARGET_HEALTH = """\
$ aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/tg-storefront-80/9c2e --output text
i-0b71c3e5d2a9f4410	unhealthy	Target.ResponseCodeMismatch	Health checks failed with these codes: [301]
i-04e9a1bb73c6d0e21	draining	Target.DeregistrationInProgress	Target deregistration is in progress
i-09d3e7a4c1f2b8065	unhealthy	Target.ResponseCodeMismatch	Health checks failed with these codes: [301]
$ aws elbv2 describe-target-health --target-group-arn arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/api-tg/77aa
{
    "TargetHealthDescriptions": [
        {"TargetHealth": {"State": "unhealthy", "Reason": "Target.ResponseCodeMismatch",
                          "Description": "Health checks failed with these codes: [502]"}}
    ]
}
""".splitlines()  # noqa: E501


def test_targets_answering_health_checks_with_a_redirect_are_a_mismatch_of_their_service() -> None:
    (finding,) = read_snapshots(TARGET_HEALTH)
    assert (finding.kind, finding.subject) == ("health_check_code_mismatch", "storefront")
    assert (finding.line_start, finding.line_end) == (2, 2)
    assert finding.detail == "2 targets answer the health check with 301"


def test_a_health_path_answering_404_is_a_mismatch_and_an_unnamed_group_keeps_a_name() -> None:
    row = '"Description": "Health checks failed with these codes: [404]"'
    (finding,) = read_snapshots([row])
    assert finding.kind == "health_check_code_mismatch"
    assert finding.subject == "load-balancer targets"
    assert read_snapshots(["--names web-https", row])[0].subject == "web"


MPSTAT = """\
root@edge-lb-04:~# mpstat -P 0,1,2 1 1 | tail -4
Average:     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest  %gnice   %idle
Average:       0    0.00    0.00    0.00    0.00    0.00  100.00    0.00    0.00    0.00    0.00
Average:       1    7.92    0.00    2.97    0.00    0.00    0.00    0.00    0.00    0.00   89.11
Average:       2    8.08    0.00    3.03    0.00    0.00    0.00    0.00    0.00    0.00   88.89
root@edge-lb-03:~# mpstat -P ALL 1 1 | tail -3
Average:     CPU    %usr   %nice    %sys %iowait    %irq   %soft  %steal  %guest  %gnice   %idle
Average:       0   20.00    0.00   10.00    0.00    0.00   12.00    0.00    0.00    0.00   58.00
Average:       1   19.00    0.00   11.00    0.00    0.00   11.00    0.00    0.00    0.00   59.00
"""


def test_one_cpu_saturated_by_interrupts_while_others_idle_is_a_finding_on_its_host() -> None:
    (finding,) = read_snapshots(MPSTAT.splitlines())
    assert (finding.kind, finding.subject, finding.line_start) == ("softirq_one_cpu", "CPU0", 3)
    assert finding.host == "edge-lb-04"
    assert finding.detail == "CPU0 spends 100% in interrupts while 2 other CPUs idle"


def test_every_cpu_busy_in_interrupts_is_load_not_one_pinned_cpu() -> None:
    busy = [
        *MPSTAT.splitlines()[:3],
        "Average:       1    0.00    0.00    0.00    0.00    0.00   95.00    0.00    0.00    0.00"
        "    5.00",
    ]
    assert read_snapshots(busy) == []


ROUTES = """\
$ aws ec2 describe-route-tables --query 'RouteTables[].{Name:Tags[0].Value,Routes:Routes}' --output text
app-private-a-rt
ROUTES	10.50.0.0/16	local	active
ROUTES	10.60.0.0/16	pcx-0d2a7e91c3f4b8605	active
ROUTES	0.0.0.0/0	nat-0a41f8c2d9e7b3016	active
app-private-b-rt
ROUTES	10.50.0.0/16	local	active
ROUTES	10.60.0.0/16	pcx-0d2a7e91c3f4b8605	active
ROUTES	0.0.0.0/0	nat-0b52e9d3e0f8c4127	active
app-private-c-rt
ROUTES	10.50.0.0/16	local	active
ROUTES	0.0.0.0/0	nat-0c77e21b4a9d05f38	active
"""  # noqa: E501


def test_a_route_table_lacking_a_route_its_siblings_share_is_a_finding_on_that_table() -> None:
    (finding,) = read_snapshots(ROUTES.splitlines())
    assert (finding.kind, finding.subject, finding.line_start) == (
        "route_missing",
        "app-private-c-rt",
        10,
    )
    assert finding.scope == "10.60.0.0/16"
    assert "via pcx-0d2a7e91c3f4b8605" in finding.detail


def test_tables_differing_only_in_their_own_gateways_are_no_finding() -> None:
    assert read_snapshots(ROUTES.splitlines()[:9]) == []


DAEMONSETS = """\
$ kubectl -n kube-system get ds node-local-dns kube-proxy aws-node
NAME             DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE
node-local-dns   3         3         3       3            3           kubernetes.io/os=linux   301d
kube-proxy       6         6         6       6            6           <none>                   301d
aws-node         6         6         6       6            6           <none>                   301d
$ kubectl get ds -A
NAMESPACE     NAME             DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
kube-system   node-local-dns   6         6         6       6            6           <none>          301d
kube-system   kube-proxy       6         6         6       6            6           <none>          301d
"""  # noqa: E501


def test_a_node_dns_cache_desiring_fewer_pods_than_per_node_daemonsets_misses_nodes() -> None:
    (finding,) = read_snapshots(DAEMONSETS.splitlines())
    assert (finding.kind, finding.subject, finding.line_start) == (
        "node_dns_cache_missing",
        "node-local-dns",
        3,
    )
    assert finding.detail == "node-local-dns runs on 3 of the 6 nodes other DaemonSets cover"


API_SERVICES = """\
$ kubectl get apiservice | grep -v Local
NAME                                   SERVICE                                 AVAILABLE                  AGE
v1beta1.custom.metrics.k8s.io          monitoring/prometheus-adapter           False (ServiceNotFound)    2y41d
v1beta1.metrics.k8s.io                 kube-system/metrics-server              True                       2y41d
"""  # noqa: E501


def test_an_aggregated_api_registered_but_unavailable_names_the_service_behind_it() -> None:
    (finding,) = read_snapshots(API_SERVICES.splitlines())
    assert (finding.kind, finding.subject, finding.line_start) == (
        "api_service_unavailable",
        "prometheus-adapter",
        3,
    )
    assert "(ServiceNotFound)" in finding.detail


def test_the_busiest_interrupt_cpu_is_named_when_several_are_busy() -> None:
    lines = MPSTAT.splitlines()
    second = (
        "Average:       3    5.00    0.00    5.00    0.00    0.00   85.00    0.00    0.00    0.00"
        "    5.00"
    )
    (finding,) = read_snapshots([*lines[:2], second, *lines[2:5]])
    assert (finding.subject, finding.line_start) == ("CPU0", 4)
    assert finding.detail == "CPU0 spends 100% in interrupts while 2 other CPUs idle"


def test_the_command_naming_an_output_is_found_above_it_within_that_output_or_beyond() -> None:
    lines = [
        "$ kubectl get configmap ingress-nginx-controller -o yaml",
        "data:",
        "$ kubectl get ingress reports-api -o yaml",
        '  proxy-read-timeout: "20"',
    ]
    configmap = re.compile(r"\bget\s+configmap\s+(?P<name>\S+)")
    assert named_by_command(lines, 4, configmap, this_output=True) is None
    assert named_by_command(lines, 4, configmap, this_output=False) == "ingress-nginx-controller"
    assert named_by_command(lines, 2, configmap, this_output=True) == "ingress-nginx-controller"
