"""The far end a client-side error names, so dependency failures land on the dependency."""

import pytest

from faultmaven.reasoning.peers import (
    is_datastore,
    listening_address,
    peer_of,
    quotes_server_reply,
    replying_server,
    server_kinds,
    service_of_host,
)


@pytest.mark.parametrize(
    ("line", "peer"),
    [
        (
            "ConnectionError: Error 111 connecting to redis:6379. Connection refused.",
            "redis",
        ),
        (
            'I/O error on POST request for "https://ledger.internal:8443/v1/entries": PKIX path',
            "ledger",
        ),
        (
            "dial tcp orders-db.shop.svc.cluster.local:5432: connect: connection refused",
            "orders-db",
        ),
        (
            "ReplyError: OOM command not allowed (command SET s:1, redis sessions-cache:6379)",
            "sessions-cache",
        ),
        ('upstream timed out (110) while reading, upstream: "http://catalog:8080/api"', "catalog"),
        ("psycopg.OperationalError: connection failed: host=pg-primary port=5432", "pg-primary"),
    ],
)
def test_peer_is_the_named_remote_service(line: str, peer: str) -> None:
    assert peer_of(line) == peer


@pytest.mark.parametrize(
    "line",
    [
        'connect() failed (111: Connection refused), upstream: "http://127.0.0.1:50281/api"',
        "ConnectionRefusedError: [Errno 111] Connection refused to localhost:9000",
        "\tat com.shop.Client.call(Client.java:118)",
        "ssl.SSLCertVerificationError: certificate verify failed (_ssl.c:1006)",
        "2024-05-01 12:00:00 ERROR request timed out after 30s",
        "cache write failed for key product:83811: ReplyError: OOM command not allowed",
        "cache write failed for key category:412, continuing without cache",
        "GET failed for keys=session:7781 (timeout)",
        "cache read failed for product:318842",
    ],
)
def test_addresses_source_lines_and_plain_errors_name_no_peer(line: str) -> None:
    assert peer_of(line) is None


def test_host_names_become_service_names() -> None:
    assert service_of_host("inventory.shop.internal") == "inventory"
    assert service_of_host("10.0.0.7") is None
    assert service_of_host("LOCALHOST") is None


@pytest.mark.parametrize(
    ("line", "address"),
    [
        (
            "2026-11-25 INFO [catalog-api] catalog-api listening on 127.0.0.1:50281",
            "127.0.0.1:50281",
        ),
        ("Listening at http://0.0.0.0:8080", ":8080"),
        ('LOG:  listening on IPv4 address "0.0.0.0", port 5432', ":5432"),
        ("Tomcat started on port(s): 8080 (http) with context path ''", ":8080"),
        ("Running mode=standalone, port=6379.", ":6379"),
        (" * Running on http://10.1.2.3:5000", "10.1.2.3:5000"),
        ("GET /listening 200 3ms", None),
        ("connect() failed (111: Connection refused) to 127.0.0.1:50281", None),
    ],
)
def test_listening_lines_announce_an_address(line: str, address: str | None) -> None:
    assert listening_address(line) == address


def test_a_peer_known_only_by_address_is_the_service_listening_there() -> None:
    refused = 'connect() failed (111: Connection refused), upstream: "http://127.0.0.1:50281/api"'
    assert peer_of(refused, {"127.0.0.1:50281": "catalog-api"}) == "catalog-api"
    assert peer_of(refused, {":50281": "catalog-api"}) == "catalog-api"
    assert peer_of(refused, {"127.0.0.1:50282": "catalog-api"}) is None
    assert peer_of("timed out calling ledger.internal:8443", {":8443": "other"}) == "ledger"


def test_a_reply_only_one_kind_of_server_sends_names_the_cases_server_of_that_kind() -> None:
    oom = "ReplyError: OOM command not allowed when used memory > 'maxmemory'."
    assert replying_server(oom, {"catalog-api", "redis", "redis-cli", "postgres"}) == "redis"
    assert replying_server(oom, {"catalog-api", "sessions-redis"}) == "sessions-redis"
    assert replying_server(oom, {"cache-redis", "sessions-redis"}) is None
    assert replying_server("ERROR: too many clients", {"redis", "postgres"}) is None


def test_a_failure_only_one_kind_of_server_reports_names_the_cases_server_of_that_kind() -> None:
    """A traceback's first line says only that the upload failed; the signature says MySQL."""
    upload = "ERROR c.a.docvault.web.ContractController : upload of contract 697239 failed"
    services = {"docvault", "mysql-docs-02"}
    assert replying_server(upload, services, "packet_too_large") == "mysql-docs-02"
    # Notes pasted from the server are named after it: still one server.
    pasted = {"payments-api", "mysql-pay-01", "mysql-pay-01-session"}
    assert replying_server(upload, pasted, "auto_increment_exhausted") == "mysql-pay-01"
    assert replying_server(upload, services) is None
    assert replying_server(upload, {"docvault", "mysql-a", "mysql-b"}, "packet_too_large") is None
    closed = "pika.exceptions.ChannelClosedByBroker: (406, 'PRECONDITION_FAILED')"
    assert replying_server(closed, {"renderer", "rmq-east-1"}, "consumer_ack_timeout") == (
        "rmq-east-1"
    )


def test_datastores_are_told_by_their_names() -> None:
    assert all(map(is_datastore, ["warehouse-pg", "pg-ledger-1", "orders-db", "cache-redis-01"]))
    assert not any(map(is_datastore, ["pgbouncer-admin", "upgrade-api", "checkout"]))


def test_a_servers_own_log_in_its_folder_tells_its_kind() -> None:
    kinds = server_kinds(
        ["db-inv-01/mysqld.err", "pgb-ledger-01/pgbouncer.log", "logs/mysql.log", "app/app.log"]
    )
    assert kinds == {"db-inv-01": "mysql", "pgb-ledger-01": "pgbouncer"}


def test_a_reply_only_mysql_sends_is_placed_at_the_server_of_that_kind() -> None:
    lost = "(pymysql.err.OperationalError) (2006, 'MySQL server has gone away')"
    services = {"inventory-sync", "db-inv-01", "storefront"}
    kinds = {"db-inv-01": "mysql"}
    assert replying_server(lost, services, "mysql_connection_lost", kinds) == "db-inv-01"
    assert replying_server(lost, services, "mysql_connection_lost") is None


def test_an_access_logs_referer_and_user_agent_name_no_peer() -> None:
    line = (
        '10.154.20.48 - - [21/Nov/2024:18:12:01 +0000] "GET /v2/search?q=lego HTTP/2.0" 504 160'
        ' "https://www.shop.example/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"'
    )
    assert peer_of(line) is None
    assert peer_of('GET http://inventory:8080/v1/stock failed: 504 "timeout"') == "inventory"


@pytest.mark.parametrize(
    ("line", "quoted"),
    [
        ("bid cache write failed (SET bidcache:pl-5): OOM command not allowed when used memory"
         " > 'maxmemory'.", True),
        ("MISCONF Redis is configured to save RDB snapshots, but it's currently unable", True),
        ("redis: READONLY You can't write against a read only replica", False),
        ("java.lang.OutOfMemoryError: Java heap space", False),
    ],
)  # fmt: skip
def test_a_servers_reply_about_its_own_state_is_the_servers_failure(
    line: str, quoted: bool
) -> None:
    assert quotes_server_reply(line) is quoted


def test_a_reply_of_a_clusters_nodes_is_placed_at_the_cluster_they_share() -> None:
    rejected = '"type"=>"es_rejected_execution_exception", "reason"=>"rejected execution"'
    nodes = {"logstash", "es-logs-api", "es-logs-data-3", "es-logs-master-1"}
    assert replying_server(rejected, nodes, "es_rejected_execution") == "es-logs"
    servers = {"docvault", "es-a", "es-b"}
    assert replying_server(rejected, servers, "es_rejected_execution") is None
